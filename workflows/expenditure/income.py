"""The income side of the ledger (issue 26): membership dues and allocations received are recorded against
the income lines of the budget in force, so the ledger shows execution on both sides.

``income_record`` writes; ``income_ledger`` and ``income_records`` read (kept here, beside the one
service they serve, rather than in selectors.py, which reads the expenditure side).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from core.models import Role, Seat, Union, User
from core.services.events import event_record
from workflows import errors as amount_errors
from workflows.amounts import FEN, LIMIT
from workflows.budget.models import Account, AccountKind, BudgetLine, BudgetStatus

from . import errors_income as errors
from . import selectors
from .models import IncomeRecord

NOTE_MAX = 200  # IncomeRecord.note
# Who records income: the union's finance officer and its office staff. Not union_access().can_draft,
# which also lets the chair and vice-chairs of the union committee draft documents: money received is
# booked by those who keep the books, as payments are.
RECORDERS = (Role.FINANCE_OFFICER, Role.OFFICE_STAFF)


def may_record_income(user: User, union_id: int) -> bool:
    """A seat in force as the union's finance officer or office staff (one query)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Seat.objects.in_force().filter(person=user, union_id=union_id, role__in=RECORDERS).exists()


def today_in(union: Union) -> datetime.date:
    """Today in the union's calendar, as budget_year_for counts the year."""
    return timezone.localtime(timezone.now(), union.tz).date()


def _amount_problems(amount: Decimal | None) -> list[str]:
    if amount is None or not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        return [str(errors.AMOUNT_NOT_POSITIVE)]
    if amount != amount.quantize(FEN):  # "12.50" and "12.500" are the same amount, "12.505" is not
        return [str(errors.AMOUNT_DECIMALS)]
    if amount >= LIMIT:  # the NUMERIC(14,2) column
        return [str(amount_errors.AMOUNT_TOO_LARGE)]
    return []


def _income_line(union: Union, year: int, account_id: str) -> tuple[BudgetLine | None, list[str]]:
    """The income line ``account_id`` of the budget in force for ``year``, or the problem to tell."""
    budget = selectors.budget_in_force(union.pk, year)
    if budget is None:
        return None, [str(errors.NO_BUDGET % {"union": union, "year": year})]
    if not account_id:
        return None, [str(errors.NO_ACCOUNT)]
    line = (
        BudgetLine.objects.filter(
            version_id=budget.current_version_id, account_id=account_id, account__kind=AccountKind.INCOME
        )
        .select_related("account")
        .first()
    )
    if line is None:
        # named as the chart names it when the code is one (an expenditure or off-budget line)
        account = Account.objects.filter(pk=account_id).first()
        shown = str(account) if account is not None else account_id
        return None, [str(errors.NOT_AN_INCOME_LINE % {"year": year, "account": shown})]
    return line, []


def income_problems(
    *, union: Union, account_id: str, amount: Decimal | None, received_on: datetime.date, note: str
) -> tuple[BudgetLine | None, list[str]]:
    """Every reason to refuse the record at once (so the form shows them together), and the line."""
    problems = _amount_problems(amount)
    if received_on > today_in(union):
        problems.append(str(errors.RECEIVED_IN_FUTURE))
    if len(note) > NOTE_MAX:
        problems.append(str(errors.NOTE_TOO_LONG % {"max": NOTE_MAX}))
    line, line_problems = _income_line(union, received_on.year, account_id)
    return line, problems + line_problems


def income_record(
    *,
    actor: User,
    union: Union,
    account_id: str,
    amount: Decimal,
    received_on: datetime.date,
    note: str = "",
) -> IncomeRecord:
    """Record income received on an income line of the budget in force for the year it was received.
    Refused with PermissionDenied (not a recorder) or ValidationError (the Chinese texts of
    errors_income), before anything is written."""
    if not may_record_income(actor, union.pk):
        raise PermissionDenied(errors.NOT_RECORDER)
    note = (note or "").strip()
    line, problems = income_problems(
        union=union, account_id=account_id, amount=amount, received_on=received_on, note=note
    )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():  # the record and its history line, or neither
        record = IncomeRecord.objects.create(
            union=union,
            year=received_on.year,
            account=line.account,
            amount=amount.quantize(FEN),
            received_on=received_on,
            note=note,
            recorded_by=actor,
        )
        event_record(
            verb="income_recorded",
            actor=actor,
            subject=record,
            union=union,
            detail={
                "account": line.account_id,
                "amount": str(record.amount),
                "received_on": received_on.isoformat(),
            },
        )
    return record


# --- reading ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomeFigures:
    account_id: str
    budgeted: Decimal
    received: Decimal

    @property
    def to_receive(self) -> Decimal:
        """What is still to come in; nothing once the budget is reached (the excess is shown apart)."""
        return max(self.budgeted - self.received, Decimal("0"))

    @property
    def excess(self) -> Decimal:
        """Received above the budgeted amount (超收), zero otherwise."""
        return max(self.received - self.budgeted, Decimal("0"))

    @property
    def rate(self) -> Decimal | None:
        """Received as a per cent of the budget, one decimal (as the execution analysis rounds it);
        None for a line budgeted at zero."""
        if not self.budgeted:
            return None
        return (self.received * 100 / self.budgeted).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def income_ledger(union_id: int, year: int) -> list[tuple[BudgetLine, IncomeFigures]]:
    """Every income line of the budget in force for ``year`` (adjustments included) with what was
    budgeted and received, in chart order; empty without a budget in force. Two queries whatever the
    number of lines: the income lines of the version in force (one live budget a year), the sums."""
    lines = list(
        BudgetLine.objects.filter(
            version__budget__union_id=union_id,
            version__budget__year=year,
            version__budget__status=BudgetStatus.IN_FORCE,
            version__budget__current_version_id=F("version_id"),  # adjustments included
            account__kind=AccountKind.INCOME,
        )
        .select_related("account")
        .order_by("account_id")
    )
    if not lines:
        return []
    received = dict(
        IncomeRecord.objects.filter(union_id=union_id, year=year)
        .order_by()
        .values("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    return [
        (
            line,
            IncomeFigures(
                account_id=line.account_id,
                budgeted=line.amount,
                received=received.get(line.account_id, Decimal("0")),
            ),
        )
        for line in lines
    ]


def income_total(rows: list[tuple[BudgetLine, IncomeFigures]]) -> IncomeFigures:
    """The income lines added up (the ledger's total row)."""
    return IncomeFigures(
        account_id="",
        budgeted=sum((f.budgeted for _line, f in rows), Decimal("0")),
        received=sum((f.received for _line, f in rows), Decimal("0")),
    )


def income_records(union_id: int, year: int):
    """The income recorded for ``year``, latest received first (one query when read)."""
    return IncomeRecord.objects.filter(union_id=union_id, year=year).select_related("account", "recorded_by")
