"""Open affairs (事务公开, S5.4): what a union publishes to its members once approved — the annual plan, the
budget by category, the final accounts, the work report and the report on budget and final accounts, the
congress resolutions, the answers the union gave publicly and the satisfaction survey's results with the
union's reply (S5.2) — each with the day it was published and nothing personal (no owners, no names of who
asked, no survey's free texts).

Which documents are published is declared here, once (``PUBLISHED``): a document type and how its
summary is read. Everything else comes from the document registry (``workflows.registry``): the kind's
model and its ``end_status`` (the status a document has once its chain has approved it; ``in_force_since``
is when). Each summary is read for all the documents of a page at once, so a page costs the same few
queries whatever the number of members, documents, lines or years.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import BodyKind
from workflows import registry
from workflows.budget.models import AccountKind, BudgetLine
from workflows.final_accounts.models import FinalAccountsLine
from workflows.models import DocumentType, MeetingItem, Resolution
from workflows.plan.models import DutyArea, PlanItem
from workflows.reports.models import ReportKind
from workflows.surveys.selectors import published_cycles, published_results

from .selectors import public_answers

ZERO = Decimal("0")
SUMMARIES = "workflows/memberpages/summaries/"


def _categories(documents: list, line_model, sums: dict[str, str]) -> dict[int, dict]:
    """Totals by category of the chart (a first-level account: 501 for 50101; 401 for itself) of each
    document's version in force, income and expenditure apart. One query for all the documents."""
    by_version = {d.current_version_id: d for d in documents if d.current_version_id}
    rows = (
        line_model.objects.filter(version_id__in=list(by_version))
        .values(
            "version_id",
            "account__kind",
            code=Coalesce("account__parent_id", "account_id"),
            name=Coalesce("account__parent__name", "account__name"),
        )
        .annotate(**{key: Sum(column) for key, column in sums.items()})
        .order_by("version_id", "code")
    )
    found: dict[int, dict] = {}
    for row in rows:
        document = by_version[row["version_id"]]
        summary = found.setdefault(
            document.pk,
            {"carryover": document.current_version.carryover, "income": [], "expenditure": []},
        )
        if row["account__kind"] in (AccountKind.INCOME, AccountKind.EXPENDITURE):
            summary[row["account__kind"]].append(row)
    for summary in found.values():
        for key in sums:
            summary[f"income_{key}"] = sum((r[key] or ZERO for r in summary["income"]), ZERO)
            summary[f"expenditure_{key}"] = sum((r[key] or ZERO for r in summary["expenditure"]), ZERO)
    return found


def _budgets(documents: list) -> dict[int, dict]:
    return _categories(documents, BudgetLine, {"total": "amount"})


def _final_accounts(documents: list) -> dict[int, dict]:
    found = _categories(documents, FinalAccountsLine, {"budgeted": "budgeted", "total": "actual"})
    for summary in found.values():
        summary["closing"] = summary["carryover"] + summary["income_total"] - summary["expenditure_total"]
    return found


def _plans(documents: list) -> dict[int, dict]:
    """The plan's tasks by duty area with their timetable; owners are left out (nothing personal)."""
    by_version = {d.current_version_id: d for d in documents if d.current_version_id}
    rows = (
        PlanItem.objects.filter(section__version_id__in=list(by_version))
        .values("section__version_id", "section__area", "title", "starts_on", "ends_on")
        .order_by("section__version_id", "starts_on", "id")
    )
    areas: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        areas[by_version[row["section__version_id"]].pk][row["section__area"]].append(row)
    order = list(DutyArea.values)
    return {
        document.pk: {
            "foreword": document.current_version.foreword if document.current_version_id else "",
            "areas": [
                (DutyArea(area).label, items)
                for area, items in sorted(areas[document.pk].items(), key=lambda pair: order.index(pair[0]))
            ],
        }
        for document in documents
    }


def _texts(documents: list) -> dict[int, dict]:
    return {d.pk: {"text": d.current_version.text if d.current_version_id else ""} for d in documents}


@dataclass(frozen=True)
class Publication:
    """One document type published to members once its chain has approved it."""

    document_type: str
    template: str  # the summary's include
    summarise: Callable[[list], dict[int, dict]]  # the documents of a page → summary by document id
    only: dict = field(default_factory=dict)  # narrows a model that several kinds share


PUBLISHED: tuple[Publication, ...] = (
    Publication(DocumentType.ANNUAL_PLAN, SUMMARIES + "_plan.html", _plans),
    Publication(DocumentType.BUDGET, SUMMARIES + "_budget.html", _budgets),
    Publication(DocumentType.FINAL_ACCOUNTS, SUMMARIES + "_final_accounts.html", _final_accounts),
    Publication(DocumentType.WORK_REPORT, SUMMARIES + "_text.html", _texts, {"kind": ReportKind.WORK_REPORT}),
    Publication(
        DocumentType.FINANCE_REPORT, SUMMARIES + "_text.html", _texts, {"kind": ReportKind.FINANCE_REPORT}
    ),
)


@dataclass
class PublishedDocument:
    document_type: str
    label: str
    title: str
    year: int
    published_on: datetime.date
    template: str = ""
    summary: dict = field(default_factory=dict)


def _in_force(publication: Publication, union_ids: list[int]):
    kind = registry.kind(publication.document_type)
    return kind.document_model().objects.filter(
        union_id__in=union_ids, status=kind.end_status, **publication.only
    ), kind


def _published_on(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def published_documents(union_id: int) -> list[PublishedDocument]:
    """The union's documents in force, in the declared order, newest year first, with their summaries: two
    queries per declared type, whatever the number of documents and lines."""
    found = []
    for publication in PUBLISHED:
        documents, kind = _in_force(publication, [union_id])
        documents = list(
            documents.select_related("current_version").order_by("-year", "-in_force_since", "-id")
        )
        summaries = publication.summarise(documents) if documents else {}
        found += [
            PublishedDocument(
                document_type=publication.document_type,
                label=str(kind.label),
                title=str(document),
                year=document.year,
                published_on=_published_on(document.in_force_since),
                template=publication.template,
                summary=summaries.get(document.pk, {}),
            )
            for document in documents
        ]
    return found


def congress_resolutions(union_ids: Iterable[int]) -> list[dict]:
    """S5.4: what the member (representative) congress approved, with the day and the votes; one query."""
    return list(
        MeetingItem.objects.filter(
            meeting__body__union_id__in=list(union_ids),
            meeting__body__kind=BodyKind.CONGRESS,
            resolution=Resolution.APPROVE,
            passed=True,
        )
        .values(
            "id",
            "votes_for",
            "votes_against",
            "votes_abstain",
            union_id=F("meeting__body__union_id"),
            held_on=F("meeting__held_on"),
            title=F("work_item__document_title"),
        )
        .order_by("-held_on", "-id")
    )


@dataclass
class OpenAffairs:
    documents: list[PublishedDocument]
    resolutions: list[dict]
    answers: list
    surveys: list = field(default_factory=list)  # S5.2: closed surveys' results with the union's reply


def open_affairs(union_id: int) -> OpenAffairs:
    """The union's open-affairs page (S5.4) for its members: a bounded number of queries."""
    return OpenAffairs(
        documents=published_documents(union_id),
        resolutions=congress_resolutions([union_id]),
        answers=list(public_answers([union_id])),
        surveys=published_results(union_id),
    )


def published_by_union(union_ids: Iterable[int]) -> dict[int, list[tuple[str, datetime.date]]]:
    """S5.4, for the upper union: what each union published and when, newest first — the documents in
    force, the congress resolutions, the public answers and the surveys' replies. One query per declared
    type, one for the resolutions, one for the answers, one for the surveys, whatever the number of unions."""
    ids = list(union_ids)
    found: dict[int, list[tuple[str, datetime.date]]] = {pk: [] for pk in ids}
    for publication in PUBLISHED:
        documents, kind = _in_force(publication, ids)
        for document in documents.only("id", "union_id", "title", "status", "year", "in_force_since"):
            found[document.union_id].append((str(document), _published_on(document.in_force_since)))
    for row in congress_resolutions(ids):
        title = _("Congress resolution: %(title)s") % {"title": row["title"]}
        found[row["union_id"]].append((title, row["held_on"]))
    for answer in public_answers(ids, limit=None):
        title = _("Public answer to a member: %(question)s") % {"question": answer.text[:40]}
        found[answer.union_id].append((title, _published_on(answer.answered_at)))
    for cycle in published_cycles(ids):
        title = _("Satisfaction survey results and the union's reply: %(title)s") % {"title": cycle.title}
        found[cycle.union_id].append((title, cycle.reply_published_on))
    for rows in found.values():
        rows.sort(key=lambda row: (row[1] or datetime.date.min, row[0]), reverse=True)
    return found
