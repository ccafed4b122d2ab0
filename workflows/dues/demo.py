"""Demo: membership dues at fin-office, through the real services, on the members the members' demo put
in its register (order 90; with none there, nothing is made).

The department union fin sets the rule (0.5 % of the basic wage, so fin-office's page shows it comes
from above); fin-office's finance officer enters every member's basic wage, records dues from six
months ago and collects each month since: everyone pays but a few (one member has paid nothing for the
last three months, every ninth member skipped last month), and this month is half collected. Each month
goes to account 401 of the budget in force for its year where there is one; the month's page says why
not where there is none. Idempotent: once fin-office has a month recorded, nothing more is made.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from core import demo_seeders
from core.models import Union, User
from workflows.members.models import Member

from . import selectors, services
from .models import DEFAULT_PERCENT, DuesMonth, DuesRule, RateKind

MONTHS_BACK = 6
WAGES = (Decimal("6800"), Decimal("7500"), Decimal("8200"), Decimal("9600"), Decimal("11800"))


def _wages(finance: User, union: Union, first, today) -> int:
    """Every member's wage from the month they are first in the union within the demo's months."""
    by_month: dict = {}
    members = Member.objects.filter(union=union, joined_on__lte=today).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=first)
    )
    for i, member in enumerate(members.order_by("member_number", "id")):
        month = max(first, selectors.month_start(member.joined_on))
        by_month.setdefault(month, {})[member.pk] = WAGES[i % len(WAGES)]
    entered = 0
    for month, wages in sorted(by_month.items()):
        entered += services.wages_enter(
            actor=finance, union=union, applies_from=month, wages=wages, today=today
        )
    return entered


def _skipped(index: int, months_to_go: int) -> bool:
    """Who does not pay: member 4 the last three months, every ninth member last month."""
    return (index == 4 and months_to_go <= 3) or (index % 9 == 0 and months_to_go == 1)


@transaction.atomic
def seed_demo_dues(*, write: Callable[[str], object] | None = print) -> list[str]:
    union = Union.objects.filter(code="fin-office").select_related("parent").first()
    finance = User.objects.filter(username="fin-office-finance").first()
    if union is None or finance is None or DuesMonth.objects.filter(union=union).exists():
        return []
    today = selectors.today_of(union)
    this_month = selectors.month_start(today)
    first = selectors.add_months(this_month, -MONTHS_BACK)
    if not Member.objects.filter(union=union, joined_on__lte=today, left_on__isnull=True).exists():
        return []
    if union.parent_id and not DuesRule.objects.filter(union_id=union.parent_id).exists():
        DuesRule.objects.create(union_id=union.parent_id, kind=RateKind.PERCENT, percent=DEFAULT_PERCENT)
    _wages(finance, union, first, today)
    services.settings_set(actor=finance, union=union, kind=services.INHERIT, recorded_from=first, today=today)
    rate = selectors.rate_for(union)
    made = []
    for back in range(MONTHS_BACK, -1, -1):
        month = selectors.add_months(this_month, -back)
        rows = [r for r in selectors.month_rows(union, month, rate) if r.due is not None]
        if back == 0:  # this month: half collected so far
            paid = {r.member_id: None for r in rows[: len(rows) // 2]}
        else:
            paid = {r.member_id: None for i, r in enumerate(rows) if not _skipped(i, back)}
        recorded = services.month_record(actor=finance, union=union, month=month, paid=paid, today=today)
        made.append(f"{month:%Y-%m} {recorded.paid}")
    if write:
        write(f"Dues: {len(made)} months at fin-office, from {first:%Y-%m}, with members in arrears")
    return made


demo_seeders.register("dues", seed_demo_dues, order=91)
