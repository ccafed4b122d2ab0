"""Writes of the dues: a month's collection (and its income on account 401), the basic wages, the union's
own rule and the month it records dues from. Recorded by the union's finance officer or office staff
(``may_record_income``: money received is booked by those who keep the books).

The ledger: the income service (workflows.expenditure.income) only adds positive records, so a month's
collection is posted by its increases. Each save of a month compares what was collected with what its
postings hold and records the difference on account 401 of the budget in force for the month's year,
dated the month's last day (today for the current month). Saving the same collection again posts
nothing; a month saved while no budget is in force is posted in full by the next save once one is. A
collection that goes down (a payment ticked by mistake) cannot take income back: the page shows the
excess on the ledger, later increases of that month are netted against it, and the finance officer
corrects the books at the year's final accounts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.models import Union, User
from core.services.events import event_record
from workflows.amounts import FEN, format_yuan
from workflows.expenditure.income import income_problems, income_record, may_record_income
from workflows.members.models import Member

from . import errors, selectors
from .models import (
    INCOME_ACCOUNT,
    BasicWage,
    DuesMonth,
    DuesPayment,
    DuesPosting,
    DuesRule,
    DuesStart,
    RateKind,
)

MONTHLY_DUES_MAX = Decimal("5000.00")  # 0.5 % of a wage of a million a month: any more is a typo
ABSURD_TIMES = 10  # an amount ten times the month's dues is a misplaced decimal point, not a payment
WAGE_MAX = Decimal("1000000.00")
PERCENT_MAX = Decimal("10")
INHERIT = "inherit"  # the settings form's choice: no rule of the union's own


def _require_recorder(actor: User, union: Union) -> None:
    if not may_record_income(actor, union.pk):
        raise PermissionDenied(errors.NOT_RECORDER)


# --- a month's collection -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    dues_month: DuesMonth
    paid: int
    ledger: selectors.LedgerState


def _amount_problems(row: selectors.MemberDue, amount: Decimal) -> list[str]:
    named = {"name": row.name, "amount": format_yuan(amount)}
    if amount <= 0:
        return [str(errors.AMOUNT_NOT_POSITIVE % named)]
    if amount != amount.quantize(FEN):
        return [str(errors.AMOUNT_DECIMALS % named)]
    if amount > MONTHLY_DUES_MAX:
        return [str(errors.AMOUNT_TOO_LARGE % {**named, "max": format_yuan(MONTHLY_DUES_MAX)})]
    if row.due and amount > row.due * ABSURD_TIMES:
        return [str(errors.AMOUNT_ABSURD % {**named, "times": ABSURD_TIMES, "due": format_yuan(row.due)})]
    return []


def collection_problems(
    *,
    month: datetime.date,
    rows: list[selectors.MemberDue],
    rate: selectors.Rate,
    paid: dict[int, Decimal | None],
    today: datetime.date,
) -> tuple[dict[int, tuple[Decimal, Decimal]], list[str]]:
    """Every reason to refuse at once, and for each member ticked (amount, due)."""
    label = f"{month:%Y-%m}"
    if month > selectors.month_start(today):
        return {}, [str(errors.MONTH_IN_FUTURE % {"month": label})]
    by_id = {row.member_id: row for row in rows}
    problems: list[str] = []
    if set(paid) - set(by_id):
        problems.append(str(errors.MEMBER_NOT_IN_UNION % {"month": label}))
    without_wage = [by_id[pk].name for pk in paid if pk in by_id and by_id[pk].due is None]
    if without_wage:
        problems.append(
            str(errors.WAGE_MISSING % {"names": "、".join(without_wage), "percent": rate.percent_label})
        )
    accepted: dict[int, tuple[Decimal, Decimal]] = {}
    for pk, amount in paid.items():
        row = by_id.get(pk)
        if row is None or row.due is None:
            continue
        amount = row.due if amount is None else amount
        found = _amount_problems(row, amount)
        problems += found
        if not found:
            accepted[pk] = (amount, row.due)
    return accepted, problems


def month_record(
    *,
    actor: User,
    union: Union,
    month: datetime.date,
    paid: dict[int, Decimal | None],
    today: datetime.date | None = None,
) -> Recorded:
    """Record who paid the dues of ``month``: ``paid`` maps each member ticked to the amount received
    (None: the month's dues). Members not in it are unpaid (a payment recorded earlier is taken back).
    Then the month's increase is posted to account 401 (module docstring); a ledger that cannot take
    it (no budget in force) does not stop the collection being recorded, the state says why."""
    _require_recorder(actor, union)
    today = today or selectors.today_of(union)
    rate = selectors.rate_for(union)
    rows = selectors.month_rows(union, month, rate)
    accepted, problems = collection_problems(month=month, rows=rows, rate=rate, paid=paid, today=today)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        dues_month, _created = DuesMonth.objects.select_for_update().get_or_create(
            union=union, month=month, defaults={"recorded_by": actor}
        )
        changes = _payments_replace(dues_month, accepted)
        dues_month.recorded_by = actor
        dues_month.save(update_fields=["recorded_by", "recorded_at"])
        ledger = _post(actor=actor, union=union, dues_month=dues_month, today=today)
        event_record(
            verb="dues_month_recorded",
            actor=actor,
            subject=dues_month,
            union=union,
            detail={
                "month": f"{month:%Y-%m}",
                "paid": len(accepted),
                **changes,
                "collected": str(ledger.collected),
                "posted": str(ledger.posted),
                "ledger_problems": list(ledger.problems),
            },
        )
    return Recorded(dues_month=dues_month, paid=len(accepted), ledger=ledger)


def _payments_replace(dues_month: DuesMonth, accepted: dict[int, tuple[Decimal, Decimal]]) -> dict[str, int]:
    """The month's payments become ``accepted``: three statements whatever the number of members."""
    existing = {p.member_id: p for p in DuesPayment.objects.filter(dues_month=dues_month)}
    gone = [pk for pk in existing if pk not in accepted]
    if gone:
        DuesPayment.objects.filter(dues_month=dues_month, member_id__in=gone).delete()
    changed = []
    for pk, (amount, _due) in accepted.items():
        payment = existing.get(pk)
        if payment is not None and payment.amount != amount:
            payment.amount = amount
            changed.append(payment)
    if changed:
        DuesPayment.objects.bulk_update(changed, ["amount"])
    new = [
        DuesPayment(
            dues_month=dues_month,
            union_id=dues_month.union_id,
            month=dues_month.month,
            member_id=pk,
            amount=a,
            due=d,
        )
        for pk, (a, d) in accepted.items()
        if pk not in existing
    ]
    DuesPayment.objects.bulk_create(new)
    return {"added": len(new), "changed": len(changed), "removed": len(gone)}


def _post(*, actor: User, union: Union, dues_month: DuesMonth, today: datetime.date) -> selectors.LedgerState:
    """Post the month's increase to account 401 of the budget in force for its year (module docstring)."""
    state = selectors.ledger_state(dues_month)
    if state.pending <= 0:
        return state
    received_on = min(today, selectors.month_end(dues_month.month))
    with translation.override(settings.LANGUAGE_CODE):  # the ledger's note is read in the books' language
        note = _("Membership dues of %(month)s") % {"month": f"{dues_month.month:%Y-%m}"}
    try:
        with transaction.atomic():
            income = income_record(
                actor=actor,
                union=union,
                account_id=INCOME_ACCOUNT,
                amount=state.pending,
                received_on=received_on,
                note=note,
            )
            DuesPosting.objects.create(dues_month=dues_month, income=income, amount=income.amount)
    except ValidationError as exc:
        return selectors.LedgerState(state.collected, state.posted, tuple(exc.messages))
    return selectors.LedgerState(state.collected, state.posted + income.amount)


def ledger_problems(
    *, union: Union, dues_month: DuesMonth, state: selectors.LedgerState, today: datetime.date
):
    """Why the month's pending amount is not on the ledger, as the income service would say it now."""
    if state.pending <= 0:
        return ()
    received_on = min(today, selectors.month_end(dues_month.month))
    _line, problems = income_problems(
        union=union, account_id=INCOME_ACCOUNT, amount=state.pending, received_on=received_on, note=""
    )
    return tuple(problems)


# --- basic wages --------------------------------------------------------------------------------------------


def wages_enter(
    *,
    actor: User,
    union: Union,
    applies_from: datetime.date,
    wages: dict[int, Decimal],
    today: datetime.date | None = None,
) -> int:
    """Enter members' basic wages from a month on (entering a member's wage for the same month again
    corrects it). Every problem at once; nothing is written unless all are right."""
    _require_recorder(actor, union)
    today = today or selectors.today_of(union)
    applies_from = selectors.month_start(applies_from)
    label = f"{applies_from:%Y-%m}"
    if applies_from > selectors.month_start(today):
        raise ValidationError([str(errors.WAGE_MONTH_IN_FUTURE)])
    if not wages:
        raise ValidationError([str(errors.WAGES_NOTHING)])
    in_union = Member.objects.filter(selectors.active_in(applies_from), union=union, pk__in=list(wages))
    names = dict(in_union.values_list("pk", "name"))
    problems = []
    if set(wages) - set(names):
        problems.append(str(errors.WAGE_MEMBER_NOT_IN_UNION % {"month": label}))
    for pk, amount in wages.items():
        if pk not in names:
            continue
        named = {"name": names[pk], "amount": format_yuan(amount), "max": format_yuan(WAGE_MAX)}
        if amount <= 0:
            problems.append(str(errors.WAGE_NOT_POSITIVE % named))
        elif amount >= WAGE_MAX:
            problems.append(str(errors.WAGE_TOO_LARGE % named))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        BasicWage.objects.bulk_create(
            [
                BasicWage(
                    member_id=pk, applies_from=applies_from, amount=amount.quantize(FEN), recorded_by=actor
                )
                for pk, amount in wages.items()
            ],
            update_conflicts=True,
            unique_fields=["member", "applies_from"],
            update_fields=["amount", "recorded_by", "recorded_at"],
        )
        event_record(
            verb="dues_wages_entered",
            actor=actor,
            union=union,
            detail={"applies_from": label, "members": len(wages)},
        )
    return len(wages)


# --- the union's settings -----------------------------------------------------------------------------------


def settings_problems(
    *, kind: str, percent: Decimal | None, fixed_amount: Decimal | None, recorded_from, today: datetime.date
) -> list[str]:
    problems = []
    if recorded_from is not None and selectors.month_start(recorded_from) > selectors.month_start(today):
        problems.append(str(errors.START_IN_FUTURE))
    if kind == RateKind.PERCENT and (percent is None or not 0 < percent <= PERCENT_MAX):
        problems.append(str(errors.RULE_PERCENT % {"max": PERCENT_MAX}))
    if kind == RateKind.FIXED and (fixed_amount is None or not 0 < fixed_amount <= MONTHLY_DUES_MAX):
        problems.append(str(errors.RULE_FIXED % {"max": format_yuan(MONTHLY_DUES_MAX)}))
    return problems


@transaction.atomic
def settings_set(
    *,
    actor: User,
    union: Union,
    kind: str,
    percent: Decimal | None = None,
    fixed_amount: Decimal | None = None,
    recorded_from: datetime.date | None = None,
    today: datetime.date | None = None,
) -> None:
    """The union's own dues rule (``kind`` INHERIT: none, the nearest above applies) and the month it
    records dues from (None: from its first month recorded)."""
    _require_recorder(actor, union)
    today = today or selectors.today_of(union)
    problems = settings_problems(
        kind=kind, percent=percent, fixed_amount=fixed_amount, recorded_from=recorded_from, today=today
    )
    if problems:
        raise ValidationError(problems)
    if kind == INHERIT:
        DuesRule.objects.filter(union=union).delete()
    else:
        rule = DuesRule.objects.filter(union=union).first() or DuesRule(union=union)
        rule.kind = kind
        if kind == RateKind.PERCENT:
            rule.percent, rule.fixed_amount = percent, None
        else:
            rule.fixed_amount = fixed_amount
        rule.full_clean(exclude=["union"])
        rule.save()
    if recorded_from is None:
        DuesStart.objects.filter(union=union).delete()
    else:
        DuesStart.objects.update_or_create(
            union=union, defaults={"recorded_from": selectors.month_start(recorded_from)}
        )
    event_record(
        verb="dues_settings_set",
        actor=actor,
        union=union,
        detail={
            "kind": kind,
            "percent": str(percent) if kind == RateKind.PERCENT else None,
            "fixed_amount": str(fixed_amount) if kind == RateKind.FIXED else None,
            "recorded_from": f"{recorded_from:%Y-%m}" if recorded_from else None,
        },
    )
