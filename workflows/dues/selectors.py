"""Reading the dues: the rate in force (nearest wins), the members of a month with what they owe and
paid, the months of a year, the arrears and the ledger's side of each month.

The member-month figures come from one SQL statement each, whatever the number of members and months:
the months are a generate_series, each member active in a month is joined to it, the wage in force
then is a LATERAL lookup on the (member, applies_from) index, and the payment a left join. No query
runs per member or per month.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from core.models import Union
from workflows.amounts import FEN
from workflows.members.models import Member

from .models import (
    DEFAULT_PERCENT,
    BasicWage,
    DuesMonth,
    DuesPayment,
    DuesPosting,
    DuesRule,
    DuesStart,
    RateKind,
)

# --- months -------------------------------------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def today_of(union: Union) -> datetime.date:
    """Today in the union's calendar (a month begins at midnight where the union is)."""
    return timezone.localtime(timezone.now(), union.tz).date()


def active_in(month: datetime.date) -> Q:
    """Members in the union at some time in ``month``: joined by its end, not left before it began."""
    return Q(joined_on__lte=month_end(month)) & (Q(left_on__isnull=True) | Q(left_on__gte=month))


# --- the rate -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """The dues rule in force for a union, and where it comes from: "own", "parent", "default" (the
    provincial row) or "built_in" (0.5 % of the basic wage)."""

    kind: str
    percent: Decimal | None
    fixed_amount: Decimal | None
    source: str

    @property
    def is_percent(self) -> bool:
        return self.kind == RateKind.PERCENT

    @property
    def percent_label(self) -> str:
        """0.50 → "0.5", 1.00 → "1": the per cent as people write it."""
        return f"{self.percent.normalize():f}" if self.percent is not None else ""

    def due(self, wage: Decimal | None) -> Decimal | None:
        """A month's dues: the fixed amount, or the share of the wage to the fen (None without a wage)."""
        if not self.is_percent:
            return self.fixed_amount
        if wage is None:
            return None
        return (wage * self.percent / 100).quantize(FEN, rounding=ROUND_HALF_UP)


BUILT_IN = Rate(kind=RateKind.PERCENT, percent=DEFAULT_PERCENT, fixed_amount=None, source="built_in")


def _rates(unions: list[tuple[int, int | None]]) -> dict[int, Rate]:
    """Nearest wins for each (union id, parent id): its own row, its parent's, the default, 0.5 %."""
    scopes = {pk for pair in unions for pk in pair if pk is not None}
    rows = {
        rule.union_id: rule
        for rule in DuesRule.objects.filter(Q(union__isnull=True) | Q(union_id__in=scopes))
    }
    found = {}
    for union_id, parent_id in unions:
        for scope, source in ((union_id, "own"), (parent_id, "parent"), (None, "default")):
            if (scope is not None or source == "default") and scope in rows:
                rule = rows[scope]
                found[union_id] = Rate(rule.kind, rule.percent, rule.fixed_amount, source)
                break
        else:
            found[union_id] = BUILT_IN
    return found


def rate_for(union: Union) -> Rate:
    """The dues rule in force for the union (one query)."""
    return _rates([(union.pk, union.parent_id)])[union.pk]


def own_rule(union: Union) -> DuesRule | None:
    return DuesRule.objects.filter(union=union).first()


# --- since when the union records dues ----------------------------------------------------------------------


@dataclass(frozen=True)
class Start:
    """``recorded_from`` as the union set it, else its first month recorded; None: nothing yet."""

    recorded_from: datetime.date | None
    first_recorded: datetime.date | None

    @property
    def month(self) -> datetime.date | None:
        return self.recorded_from or self.first_recorded


def start_of(union: Union) -> Start:
    """One query: the union's setting and its first month recorded, side by side."""
    row = (
        Union.objects.filter(pk=union.pk)
        .annotate(
            recorded_from=Subquery(
                DuesStart.objects.filter(union=OuterRef("pk")).values("recorded_from")[:1]
            ),
            first_recorded=Subquery(
                DuesMonth.objects.filter(union=OuterRef("pk"))
                .order_by()
                .values("union")
                .annotate(first=Min("month"))
                .values("first")[:1]
            ),
        )
        .values("recorded_from", "first_recorded")
        .first()
    )
    return Start(row["recorded_from"], row["first_recorded"]) if row else Start(None, None)


# --- members and months -------------------------------------------------------------------------------------

_MEMBER_MONTHS = """
WITH months AS (
    SELECT generate_series(%(first)s::date, %(last)s::date, interval '1 month')::date AS month
),
mm AS (
    SELECT m.id AS member_id, m.name, m.member_number, months.month, w.amount AS wage,
           p.amount AS paid, p.due AS due_then
    FROM {member} m
    JOIN months ON m.joined_on <= (months.month + interval '1 month' - interval '1 day')::date
               AND (m.left_on IS NULL OR m.left_on >= months.month)
    LEFT JOIN LATERAL (
        SELECT bw.amount FROM {wage} bw
        WHERE bw.member_id = m.id AND bw.applies_from <= months.month
        ORDER BY bw.applies_from DESC LIMIT 1
    ) w ON true
    LEFT JOIN {payment} p ON p.member_id = m.id AND p.month = months.month
    WHERE m.union_id = %(union)s
),
dues AS (
    SELECT mm.*, coalesce(mm.due_then, CASE
        WHEN %(fixed)s::numeric IS NOT NULL THEN %(fixed)s::numeric
        ELSE round(mm.wage * %(percent)s::numeric / 100, 2) END) AS due
    FROM mm
)
"""


def _run(sql: str, *, union: Union, rate: Rate, first: datetime.date, last: datetime.date) -> list[tuple]:
    tables = {
        "member": Member._meta.db_table,
        "wage": BasicWage._meta.db_table,
        "payment": DuesPayment._meta.db_table,
    }
    params = {
        "union": union.pk,
        "first": first,
        "last": last,
        "fixed": None if rate.is_percent else rate.fixed_amount,
        "percent": rate.percent if rate.is_percent else None,
    }
    with connection.cursor() as cursor:
        cursor.execute(_MEMBER_MONTHS.format(**tables) + sql, params)
        return cursor.fetchall()


@dataclass
class MemberDue:
    """A member of the union in a month: the wage in force, the dues (None: no wage under a share of
    the wage), and what was recorded as paid (None: unpaid)."""

    member_id: int
    name: str
    member_number: str
    wage: Decimal | None
    due: Decimal | None
    paid: Decimal | None


def month_rows(union: Union, month: datetime.date, rate: Rate) -> list[MemberDue]:
    """The union's members of ``month`` with their dues and payment, by member number (one query)."""
    rows = _run(
        "SELECT member_id, name, member_number, wage, due, paid FROM dues ORDER BY member_number, member_id",
        union=union,
        rate=rate,
        first=month,
        last=month,
    )
    return [MemberDue(*row) for row in rows]


@dataclass(frozen=True)
class MonthFigures:
    month: datetime.date
    members: int = 0
    expected: Decimal = Decimal("0")
    paid_members: int = 0
    collected: Decimal = Decimal("0")
    without_wage: int = 0
    posted: Decimal = Decimal("0")
    recorded: bool = False

    @property
    def unpaid_members(self) -> int:
        return self.members - self.paid_members

    @property
    def not_posted(self) -> Decimal:
        return max(self.collected - self.posted, Decimal("0"))


def year_months(union: Union, year: int, rate: Rate, *, today: datetime.date) -> list[MonthFigures]:
    """Each month of ``year`` up to this month: members, dues expected, paid, collected, posted to the
    ledger. Three queries whatever the number of members: the member-months, the months recorded, the
    postings."""
    first = datetime.date(year, 1, 1)
    last = min(datetime.date(year, 12, 1), month_start(today))
    if last < first:
        return []
    rows = _run(
        """SELECT month, count(*), coalesce(sum(due), 0), count(paid), coalesce(sum(paid), 0),
                  count(*) FILTER (WHERE due IS NULL)
           FROM dues GROUP BY month""",
        union=union,
        rate=rate,
        first=first,
        last=last,
    )
    figures = {row[0]: row[1:] for row in rows}
    recorded = set(
        DuesMonth.objects.filter(union=union, month__range=(first, last)).values_list("month", flat=True)
    )
    posted = dict(
        DuesPosting.objects.filter(dues_month__union=union, dues_month__month__range=(first, last))
        .order_by()
        .values("dues_month__month")
        .annotate(total=Sum("amount"))
        .values_list("dues_month__month", "total")
    )
    months = []
    month = first
    while month <= last:
        values = figures.get(month, (0, Decimal("0"), 0, Decimal("0"), 0))
        months.append(
            MonthFigures(month, *values, posted=posted.get(month, Decimal("0")), recorded=month in recorded)
        )
        month = add_months(month, 1)
    return months


# --- arrears ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Arrears:
    """A member's months unpaid since the union records dues (or since joining, if later)."""

    member_id: int
    name: str
    member_number: str
    months: tuple[datetime.date, ...]
    amount: Decimal  # the months whose dues are known
    without_wage: int  # months whose dues are unknown: no wage entered under a share of the wage

    @property
    def count(self) -> int:
        return len(self.months)


@dataclass(frozen=True)
class ArrearsTotal:
    members: int
    months: int
    amount: Decimal
    without_wage: int


def arrears_period(
    union: Union, *, today: datetime.date, start: Start
) -> tuple[datetime.date, datetime.date] | None:
    """From the union's first month of dues to last month (this month's dues are still being
    collected); None when the union records no dues yet or its first month has not ended."""
    last = add_months(month_start(today), -1)
    if start.month is None or start.month > last:
        return None
    return start.month, last


def arrears(union: Union, rate: Rate, *, today: datetime.date, start: Start) -> list[Arrears]:
    """Every member with a month unpaid in the arrears period, by member number (one query)."""
    period = arrears_period(union, today=today, start=start)
    if period is None:
        return []
    rows = _run(
        """SELECT member_id, name, member_number, array_agg(month ORDER BY month),
                  coalesce(sum(due), 0), count(*) FILTER (WHERE due IS NULL)
           FROM dues WHERE paid IS NULL
           GROUP BY member_id, name, member_number ORDER BY member_number, member_id""",
        union=union,
        rate=rate,
        first=period[0],
        last=period[1],
    )
    return [
        Arrears(pk, name, number, tuple(months), amount, missing)
        for pk, name, number, months, amount, missing in rows
    ]


def arrears_total(rows: list[Arrears]) -> ArrearsTotal:
    return ArrearsTotal(
        members=len(rows),
        months=sum(row.count for row in rows),
        amount=sum((row.amount for row in rows), Decimal("0")),
        without_wage=sum(row.without_wage for row in rows),
    )


def month_ranges(months: tuple[datetime.date, ...]) -> list[str]:
    """Consecutive months shown as one range: 2026-01–2026-03, 2026-05."""
    ranges: list[list[datetime.date]] = []
    for month in months:
        if ranges and add_months(ranges[-1][1], 1) == month:
            ranges[-1][1] = month
        else:
            ranges.append([month, month])
    return [
        f"{a:%Y-%m}" if a == b else f"{a:%Y-%m}–{b:%Y-%m}"  # noqa: RUF001 (an en dash, as printed)
        for a, b in ranges
    ]


# --- the wages page and the ledger --------------------------------------------------------------------------


def members_with_wages(union: Union, month: datetime.date) -> QuerySet[Member]:
    """The union's members of ``month`` with the wage in force then and the month it applies from (one
    query: two correlated subqueries on the (member, applies_from) index)."""
    latest = BasicWage.objects.filter(member=OuterRef("pk"), applies_from__lte=month).order_by(
        "-applies_from"
    )
    return (
        Member.objects.filter(active_in(month), union=union)
        .annotate(
            wage=Subquery(latest.values("amount")[:1]), wage_from=Subquery(latest.values("applies_from")[:1])
        )
        .order_by("member_number", "id")
    )


@dataclass(frozen=True)
class LedgerState:
    """A month's collection against what its postings put on account 401."""

    collected: Decimal
    posted: Decimal
    problems: tuple[str, ...] = ()

    @property
    def pending(self) -> Decimal:
        return max(self.collected - self.posted, Decimal("0"))

    @property
    def excess(self) -> Decimal:
        return max(self.posted - self.collected, Decimal("0"))


def ledger_state(dues_month: DuesMonth | None) -> LedgerState:
    """Collected and posted for a month recorded (one query; nothing for a month never recorded)."""
    if dues_month is None or dues_month.pk is None:
        return LedgerState(Decimal("0"), Decimal("0"))

    def total(model):
        return Subquery(
            model.objects.filter(dues_month=OuterRef("pk"))
            .order_by()
            .values("dues_month")
            .annotate(total=Sum("amount"))
            .values("total")[:1]
        )

    sums = (
        DuesMonth.objects.filter(pk=dues_month.pk)
        .annotate(collected=total(DuesPayment), posted=total(DuesPosting))
        .values("collected", "posted")
        .get()
    )
    return LedgerState(sums["collected"] or Decimal("0"), sums["posted"] or Decimal("0"))


def dues_month_of(union: Union, month: datetime.date) -> DuesMonth | None:
    return DuesMonth.objects.filter(union=union, month=month).select_related("recorded_by").first()
