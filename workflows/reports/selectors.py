"""Reads of the summaries and reports: the documents a report version binds, and the submission rate
of the unions below a receiving union (S2.3, S3.5)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode

from core.models import Union, UnionKind
from core.services.statutory import rules_for
from core.statutory import ObligationRule
from workflows import registry
from workflows.models import DocumentType

from .forms import default_report_year
from .models import ReportKind, ReportVersion, Submission, SubmissionState

RATE_YEARS = 3  # the received page shows the submission rate of the most recent report years
# The obligation each report kind meets (S2.3 work report, S3.5 finance report).
KIND_OBLIGATION = {ReportKind.WORK_REPORT: "S2.3", ReportKind.FINANCE_REPORT: "S3.5"}


@dataclass
class BoundDocument:
    document_type: str
    label: str
    version: int
    document: object | None
    url: str | None
    current_number: int | None

    @property
    def newer(self) -> bool:
        return self.current_number is not None and self.current_number != self.version


def bound_documents(*, version: ReportVersion) -> list[BoundDocument]:
    """The exact versions of the documents this report version binds, with links to them: the summary
    and next year's plan (work report), the final accounts and next year's budget (finance report)."""
    bindings = list(version.bindings.order_by("document_type", "id"))
    found = {}
    for document_type in {b.document_type for b in bindings}:
        model = registry.kind(document_type).document_model()
        ids = [b.document_id for b in bindings if b.document_type == document_type]
        found.update(
            {
                (document_type, d.pk): d
                for d in model.objects.filter(pk__in=ids).select_related("current_version")
            }
        )
    first = (DocumentType.YEAR_END_SUMMARY, DocumentType.FINAL_ACCOUNTS)
    rows = []
    for b in sorted(bindings, key=lambda b: (b.document_type not in first, b.pk)):
        document = found.get((b.document_type, b.document_id))
        kind = registry.kind(b.document_type)
        url = (
            reverse(kind.detail_url, args=[b.document_id]) + "?" + urlencode({"version": b.document_version})
            if kind.detail_url and document is not None
            else None
        )
        rows.append(
            BoundDocument(
                document_type=b.document_type,
                label=kind.label,
                version=b.document_version,
                document=document,
                url=url,
                current_number=document.current_version.number
                if document is not None and document.current_version_id
                else None,
            )
        )
    return rows


@dataclass
class RateRow:
    kind: str
    kind_label: str
    year: int
    owing: list[Union]
    submitted: set[int] = field(default_factory=set)
    returned: set[int] = field(default_factory=set)

    @property
    def total(self) -> int:
        return len(self.owing)

    @property
    def count(self) -> int:
        return sum(1 for u in self.owing if u.pk in self.submitted)

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.total) if self.total else 0

    @property
    def missing(self) -> list[dict]:
        return [
            {"union": u, "returned": u.pk in self.returned} for u in self.owing if u.pk not in self.submitted
        ]


def _owing_unions(union: Union, kind: str, candidates: list[Union], rules_by_scope: dict) -> list[Union]:
    """The unions below that owe this report to this union (as obligations_generate decides: the
    nearest rule, active, for their kind and size)."""
    code = KIND_OBLIGATION.get(kind)
    owing = []
    for child in candidates:
        if kind == ReportKind.WORK_REPORT and child.parent_id != union.pk:
            continue
        rule = rules_for(union=child, rules_by_scope=rules_by_scope).get(code)
        if rule is None or not (rule.active and rule.generated) or child.kind not in rule.kinds.split(","):
            continue
        if rule.min_members and child.member_count < rule.min_members:
            continue
        owing.append(child)
    return owing


def submission_rates(union: Union) -> list[RateRow]:
    """Per report kind and year: how many of the unions below that owe it have submitted (S2.3, S3.5);
    a report returned for correction and not yet resubmitted does not count."""
    since = default_report_year() - RATE_YEARS + 1
    states = list(
        Submission.objects.filter(to_union=union, report__year__gte=since)
        .values_list("report__kind", "report__year", "report__union_id", "state")
        .distinct()
    )
    wanted = {(kind, year) for kind, year, _u, _s in states} | {
        (ReportKind.WORK_REPORT.value, default_report_year())
    }
    kinds = {kind for kind, _year in wanted}
    # the finance report also reaches the provincial organs union from every union (S3.5)
    everyone = union.kind == UnionKind.PROVINCIAL and ReportKind.FINANCE_REPORT in kinds
    base = Union.objects.filter(is_active=True, kind__in=[UnionKind.DEPARTMENT, UnionKind.GRASSROOTS])
    candidates = list((base if everyone else base.filter(parent=union)).order_by("name", "id"))
    rules_by_scope = {(r.union_id, r.code): r for r in ObligationRule.objects.all()}
    labels = dict(ReportKind.choices)
    rows = []
    for kind, year in sorted(wanted, key=lambda w: (-w[1], w[0])):
        row = RateRow(
            kind, labels.get(kind, kind), year, _owing_unions(union, kind, candidates, rules_by_scope)
        )
        for k, y, union_id, state in states:
            if (k, y) != (kind, year):
                continue
            if state == SubmissionState.RETURNED:
                row.returned.add(union_id)
            else:
                row.submitted.add(union_id)
        rows.append(row)
    return rows
