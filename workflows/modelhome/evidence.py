"""The evidence Wuyi already holds for a criterion of the Model Workers' Home standard (S5.2), linked
automatically on the self-evaluation page and checked when the union applies.

One provider per automatic source, each called at most once per page whatever the number of criteria
(a constant number of queries): (union, year) → ``Evidence`` (found, the items with their links, the
figure). Thresholds (membership rate ≥ 90 %, satisfaction ≥ 90 %) come from the criterion: evidence
below its threshold is found, and marked below. Plan tasks and the union's own evidence are read from
the score itself (the tasks linked, the evidence typed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import Body, BodyKind, Union
from workflows.budget.models import Budget, BudgetStatus
from workflows.contacts.models import ContactLog
from workflows.contacts.selectors import coverage_counts
from workflows.institutions.models import RulesType
from workflows.institutions.selectors import missing_rules, rules_in_force
from workflows.members.selectors import membership_rate
from workflows.models import Meeting, MeetingItem, Resolution, WrittenDecision
from workflows.surveys.models import SurveyStatus
from workflows.surveys.selectors import latest_survey_outcome
from workflows.training.selectors import records_of_year

from . import selectors
from .models import EvidenceSource, HomeApplication, HomeCriterion, HomeScore

COMMITTEES = (BodyKind.UNION_COMMITTEE, BodyKind.AUDIT_COMMITTEE, BodyKind.WOMEN_COMMITTEE)
LISTED = 10  # items listed per source; the figure counts them all


@dataclass
class Evidence:
    found: bool
    items: list[tuple[str, str | None]] = field(default_factory=list)
    value: str = ""
    pct: Decimal | None = None  # the figure a threshold is measured against
    below_threshold: bool = False
    short: bool = False  # found, but not all of it (rules still missing)


def _pct(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


def budget_in_force(union: Union, year: int) -> Evidence:
    """The year's budget in force (else next year's, approved in advance: an application late in the
    year) and the approvals of its chain (meetings and written decisions): three queries."""
    budget = (
        Budget.objects.filter(
            union=union, year__in=selectors.evidence_years(year), status=BudgetStatus.IN_FORCE
        )
        .order_by("year")
        .first()
    )
    if budget is None:
        return Evidence(False)
    items: list[tuple[str, str | None]] = [(budget.display_title, reverse("budget:detail", args=[budget.pk]))]
    agenda = MeetingItem.objects.filter(
        work_item__process_id=budget.process_id, passed=True, resolution=Resolution.APPROVE
    ).select_related("meeting__body")
    for row in agenda.order_by("meeting__held_on", "id"):
        items.append((f"{row.meeting.body.display_name} {row.meeting.held_on:%Y-%m-%d}", None))
    written = WrittenDecision.objects.filter(
        work_item__process_id=budget.process_id, resolution=Resolution.APPROVE
    ).select_related("body")
    for row in written.order_by("decided_on", "id"):
        items.append((f"{row.body.display_name} {row.reference_number} {row.decided_on:%Y-%m-%d}", None))
    return Evidence(True, items)


def committee_rules(union: Union, year: int) -> Evidence:
    """S4.1, S5.3: the working rules and institutions in force, found when there are any; those still
    missing are named and the evidence marked short (three queries)."""
    missing = missing_rules([union.pk]).get(union.pk, [])
    in_force = rules_in_force(union)
    items = [(row.title, reverse("institutions:detail", args=[row.pk])) for row in in_force.values()]
    labels = dict(RulesType.choices)
    value = (
        _("missing: %(types)s") % {"types": "、".join(str(labels[code]) for code in missing)}
        if missing
        else ""
    )
    return Evidence(bool(in_force), items[:LISTED], value, short=bool(missing))


def committee_meetings(union: Union, year: int) -> Evidence:
    """S4.1: the committees' meetings with quorum in the year (a corrected one counts once); found when
    the union committee met. Two queries."""
    bodies = {b.pk: b for b in Body.objects.filter(union=union, kind__in=COMMITTEES)}
    counts = dict(
        Meeting.objects.filter(
            body_id__in=list(bodies), held_on__year=year, has_quorum=True, amendments__isnull=True
        )
        .values_list("body_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    items = [
        (_("%(body)s: %(n)s meetings") % {"body": body.display_name, "n": counts.get(pk, 0)}, None)
        for pk, body in sorted(bodies.items(), key=lambda kv: COMMITTEES.index(kv[1].kind))
    ]
    met = any(counts.get(pk) for pk, b in bodies.items() if b.kind == BodyKind.UNION_COMMITTEE)
    return Evidence(met, items)


def training(union: Union, year: int) -> Evidence:
    """S4.3: the year's training and study records (one query)."""
    records = list(records_of_year(union.pk, year)[:LISTED])
    items = [(f"{r.held_on:%Y-%m-%d} {r.topic}", reverse("training:detail", args=[r.pk])) for r in records]
    return Evidence(bool(records), items)


def contacts(union: Union, year: int) -> Evidence:
    """S4.4: contacts logged in the year, with this period's coverage (four queries)."""
    logged = ContactLog.objects.filter(contact__union=union, contacted_on__year=year).count()
    coverage = coverage_counts([union.pk]).get(union.pk)
    items = [
        (_("%(n)s contacts logged this year") % {"n": logged}, reverse("contacts:coverage", args=[union.pk]))
    ]
    value = ""
    if coverage is not None and coverage.due:
        value = _("%(done)s of %(due)s contacted this period") % {
            "done": coverage.contacted,
            "due": coverage.due,
        }
    return Evidence(logged > 0, items, value)


def membership(union: Union, year: int) -> Evidence:
    """S5.3: members over the organ's workers (no query: the union is read already)."""
    rate = membership_rate(union)
    if rate is None:
        return Evidence(False)
    pct = _pct(rate * 100)
    value = _("membership rate %(pct)s%%") % {"pct": pct}
    return Evidence(True, [(value, None)], value, pct)


def satisfaction(union: Union, year: int) -> Evidence:
    """S5.2: the latest closed satisfaction survey (three queries); an open one is not evidence yet."""
    outcome = latest_survey_outcome(union.pk)
    if outcome is None or outcome.status != SurveyStatus.CLOSED or outcome.satisfaction_pct is None:
        return Evidence(False)
    pct = _pct(outcome.satisfaction_pct)
    value = _("satisfaction %(pct)s%%") % {"pct": pct}
    url = reverse("surveys:results", args=[union.pk, outcome.cycle_id])
    return Evidence(True, [(f"{outcome.title} {outcome.closes_on:%Y-%m-%d}", url)], value, pct)


PROVIDERS: dict[str, Callable[[Union, int], Evidence]] = {
    EvidenceSource.BUDGET_IN_FORCE: budget_in_force,
    EvidenceSource.COMMITTEE_RULES: committee_rules,
    EvidenceSource.COMMITTEE_MEETINGS: committee_meetings,
    EvidenceSource.TRAINING: training,
    EvidenceSource.CONTACTS: contacts,
    EvidenceSource.MEMBERSHIP_RATE: membership,
    EvidenceSource.SATISFACTION: satisfaction,
}


def _of_score(score: HomeScore) -> Evidence:
    """Plan tasks linked to the criterion (S5.1: the creation is part of the plan), or the union's own."""
    if score.criterion.evidence_source == EvidenceSource.PLAN_TASKS:
        tasks = list(score.plan_items.all())
        return Evidence(bool(tasks), [(t.title, None) for t in tasks])
    text = score.evidence.strip()
    return Evidence(bool(text), [(line, None) for line in text.splitlines() if line.strip()][:LISTED])


def _against(evidence: Evidence, criterion: HomeCriterion) -> Evidence:
    """The shared evidence measured against this criterion's threshold (data, S5.2)."""
    if criterion.threshold_pct is None or evidence.pct is None:
        return evidence
    return Evidence(
        evidence.found, evidence.items, evidence.value, evidence.pct, evidence.pct < criterion.threshold_pct
    )


@dataclass
class EvidenceRow:
    score: HomeScore
    evidence: Evidence

    @property
    def criterion(self) -> HomeCriterion:
        return self.score.criterion

    @property
    def required(self) -> bool:
        return self.criterion.evidence_required

    @property
    def missing(self) -> bool:
        return self.required and not self.evidence.found


@dataclass
class EvidenceReport:
    rows: list[EvidenceRow]

    @property
    def missing(self) -> list[EvidenceRow]:
        return [row for row in self.rows if row.missing]

    @property
    def total(self) -> Decimal:
        return sum((row.score.self_score or Decimal(0) for row in self.rows), Decimal(0))


def evidence_report(application: HomeApplication, *, scores: list[HomeScore] | None = None) -> EvidenceReport:
    """S5.2: each criterion of the application with its evidence; every automatic source read once."""
    scores = selectors.scores_of(application) if scores is None else scores
    union, year = application.union, application.year
    shared: dict[str, Evidence] = {}
    rows = []
    for score in scores:
        source = score.criterion.evidence_source
        if source in PROVIDERS:
            if source not in shared:
                shared[source] = PROVIDERS[source](union, year)
            found = _against(shared[source], score.criterion)
        else:
            found = _of_score(score)
        rows.append(EvidenceRow(score, found))
    return EvidenceReport(rows)
