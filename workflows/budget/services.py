"""Budget services: create, edit lines (new version after submission), submit with rule checks,
consolidate, revise, withdraw, put in force. Each writes events in its own transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.models import Union, User
from core.selectors import union_access
from core.services.events import event_record
from workflows import errors
from workflows.models import WorkItem
from workflows.services.drafting import (
    Recipient,
    document_submit,
    document_withdraw,
    drafter_item,
    editable_by,
)
from workflows.services.workitems import process_lock

__all__ = ["Recipient", "budget_create", "budget_save_lines", "budget_submit", "budget_withdraw"]

from workflows.final_accounts.errors import BUDGET_DEFICIT_AUDITED
from workflows.final_accounts.selectors import audited_carryover

from .flows import BudgetFlow
from .models import DRAFT_MARK, Account, AccountKind, Budget, BudgetLine, BudgetStatus, BudgetVersion


@dataclass(frozen=True)
class LineInput:
    account_code: str
    amount: Decimal
    remark: str = ""


def budget_rule_errors(*, version: BudgetVersion, budget: Budget | None = None) -> list[str]:
    """S3.1 and S3.2 on a version; an empty list means it may be submitted. ``budget``: the
    version's budget when the caller has it (not read again)."""
    budget = budget if budget is not None else version.budget
    problems: list[str] = []
    lines = list(version.lines.select_related("account"))
    if not lines:
        return [str(errors.BUDGET_NO_LINES)]
    for line in lines:
        # S3.1: every line is on the chart of accounts, postable, income or expenditure.
        if not line.account.postable:
            problems.append(str(errors.BUDGET_ACCOUNT_NOT_POSTABLE % {"code": line.account_id}))
        elif line.account.kind not in (AccountKind.INCOME, AccountKind.EXPENDITURE):
            problems.append(str(errors.BUDGET_ACCOUNT_WRONG_KIND % {"code": line.account_id}))
    income = sum((line.amount for line in lines if line.account.kind == AccountKind.INCOME), Decimal("0"))
    expenditure = sum(
        (line.amount for line in lines if line.account.kind == AccountKind.EXPENDITURE), Decimal("0")
    )
    # S3.2: expenditure may not exceed income plus the funds rolled over (no deficit). Once the previous
    # year's final accounts are audited (S3.5), their closing balance is the carryover, not the estimate.
    audited = _audited_carryover(budget)
    if audited is not None and expenditure > income + audited:
        problems.append(
            str(
                BUDGET_DEFICIT_AUDITED
                % {
                    "expenditure": _yuan(expenditure),
                    "income": _yuan(income),
                    "year": budget.year - 1,
                    "carryover": _yuan(audited),
                    "gap": _yuan(expenditure - income - audited),
                }
            )
        )
    elif audited is None and expenditure > income + version.carryover:
        problems.append(
            str(
                errors.BUDGET_DEFICIT
                % {
                    "expenditure": _yuan(expenditure),
                    "income": _yuan(income),
                    "carryover": _yuan(version.carryover),
                    "gap": _yuan(expenditure - income - version.carryover),
                }
            )
        )
    return problems


def _audited_carryover(budget: Budget) -> Decimal | None:
    return audited_carryover(union=budget.union_id, year=budget.year - 1)


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def validate_lines(lines: list[LineInput]) -> dict[str, Account]:
    """S3.1: every code on the chart, postable, income/expenditure, each once. Returns accounts by code."""
    codes = [line.account_code for line in lines]
    accounts = Account.objects.in_bulk(codes)
    problems: list[str] = []
    seen: set[str] = set()
    for code in codes:
        account = accounts.get(code)
        if code in seen:
            problems.append(str(errors.BUDGET_DUPLICATE_ACCOUNT % {"code": code}))
        seen.add(code)
        if account is None:
            problems.append(str(errors.BUDGET_UNKNOWN_ACCOUNT % {"code": code}))
        elif not account.postable:
            problems.append(str(errors.BUDGET_ACCOUNT_NOT_POSTABLE % {"code": code}))
        elif account.kind not in (AccountKind.INCOME, AccountKind.EXPENDITURE):
            problems.append(str(errors.BUDGET_ACCOUNT_WRONG_KIND % {"code": code}))
    for line in lines:
        if line.amount < 0:
            problems.append(str(errors.AMOUNT_NEGATIVE))
    if problems:
        raise ValidationError(problems)
    return accounts


@transaction.atomic
def budget_create(
    *,
    actor: User,
    union: Union,
    year: int,
    carryover: Decimal,
    carryover_is_estimate: bool,
    title: str = "",
    note: str = "",
) -> Budget:
    """Start a budget for a year: the document, version 1 and the process with the draft task."""
    if not union_access(user=actor, union=union).can_draft:
        raise PermissionDenied(errors.NOT_YOUR_TASK)
    existing = Budget.objects.filter(union=union, year=year).exclude(status=BudgetStatus.WITHDRAWN).first()
    if existing is not None:
        raise ValidationError(
            errors.BUDGET_EXISTS,
            params={"union": union.name, "year": year, "status": existing.get_status_display()},
        )
    budget = Budget(
        union=union, year=year, title=title or f"{union.name}{year}年经费预算（草案）", drafter=actor
    )
    budget.full_clean(exclude=["process", "current_version"])
    try:
        with transaction.atomic():
            budget.save()
    except IntegrityError:
        # Two drafters raced for the same year: the partial unique index decided.
        raise ValidationError(
            errors.BUDGET_EXISTS, params={"union": union.name, "year": year, "status": "—"}
        ) from None
    version = BudgetVersion(
        budget=budget,
        number=1,
        carryover=carryover,
        carryover_is_estimate=carryover_is_estimate,
        note=note,
        created_by=actor,
    )
    version.full_clean(exclude=["budget"])
    version.save()
    budget.current_version = version
    budget.save(update_fields=["current_version"])
    event_record(
        verb="budget_created",
        actor=actor,
        subject=budget,
        union=union,
        to_state=BudgetStatus.DRAFT,
        detail={"year": year, "carryover": str(carryover), "estimate": carryover_is_estimate},
    )
    BudgetFlow.start.run(document=budget)
    budget.refresh_from_db()
    return budget


def _drafter_item(budget: Budget) -> WorkItem | None:
    return drafter_item(budget)


def budget_editable_by(*, budget: Budget, user) -> bool:
    return editable_by(document=budget, user=user)


@transaction.atomic
def budget_save_lines(
    *,
    actor: User,
    budget: Budget,
    lines: list[LineInput],
    carryover: Decimal,
    carryover_is_estimate: bool,
    note: str = "",
) -> BudgetVersion:
    """Replace the current version's lines; once a version was submitted, edits make a new version."""
    with process_lock(budget.process_id, document=budget):
        if not budget_editable_by(budget=budget, user=actor):
            raise PermissionDenied(errors.BUDGET_NOT_EDITABLE)
        accounts = validate_lines(lines)
        version = _version_to_edit(
            actor=actor,
            budget=budget,
            carryover=carryover,
            carryover_is_estimate=carryover_is_estimate,
            note=note,
        )
        lines_write(
            actor=actor,
            document=budget,
            version=version,
            line_model=BudgetLine,
            lines=lines,
            accounts=accounts,
        )
        return version


def lines_write(
    *, actor: User, document, version, line_model, lines: list[LineInput], accounts: dict
) -> None:
    """A version's lines in one insert, and the event with its totals (a budget's or an adjustment's)."""
    line_model.objects.bulk_create(
        [
            line_model(
                version=version, account=accounts[line.account_code], amount=line.amount, remark=line.remark
            )
            for line in lines
        ]
    )
    income, expenditure = version.totals()
    event_record(
        verb="lines_saved",
        actor=actor,
        subject=document,
        union=document.union,
        detail={
            "version": version.number,
            "lines": len(lines),
            "income": str(income),
            "expenditure": str(expenditure),
        },
    )


def _version_to_edit(
    *, actor: User, budget: Budget, carryover: Decimal, carryover_is_estimate: bool, note: str
) -> BudgetVersion:
    """The version that takes the new lines, without lines: a new one after a submission (the
    submitted one is kept), else the current one, its old lines removed."""
    version = budget.current_version
    if version.submitted_at is None:
        version.carryover = carryover
        version.carryover_is_estimate = carryover_is_estimate
        version.note = note
        version.full_clean(exclude=["budget"])
        version.save()
        version.lines.all().delete()
        return version
    version = BudgetVersion.objects.create(
        budget=budget,
        number=version.number + 1,
        carryover=carryover,
        carryover_is_estimate=carryover_is_estimate,
        note=note,
        created_by=actor,
    )
    budget.current_version = version
    budget.save(update_fields=["current_version"])
    event_record(
        verb="version_created",
        actor=actor,
        subject=budget,
        union=budget.union,
        detail={"version": version.number},
    )
    return version


def budget_submit(
    *,
    actor: User,
    budget: Budget,
    recipients: list[Recipient] | None = None,
    due_at: datetime.datetime | None = None,
) -> Budget:
    """The drafter submits: S3.1/S3.2 first; from the draft step the opinions go out in parallel.

    A submitted budget is no longer a draft: its title drops "（草案）" before the next steps' work
    items copy it (a refused submission rolls the title back with everything else)."""

    def no_longer_a_draft(_item) -> None:
        if budget.title.endswith(DRAFT_MARK):
            budget.title = budget.title.removesuffix(DRAFT_MARK)
            budget.save(update_fields=["title"])

    return document_submit(
        actor=actor,
        document=budget,
        prepare=no_longer_a_draft,
        rule_errors=lambda: budget_rule_errors(version=budget.current_version, budget=budget),
        recipients=recipients,
        due_at=due_at,
    )


@transaction.atomic
def budget_withdraw(*, actor: User, budget: Budget, reason: str = "") -> Budget:
    """The initiator withdraws before the first decision of a body (S3.3 order is kept)."""
    document_withdraw(
        actor=actor, document=budget, reason=reason, not_withdrawable=errors.BUDGET_NOT_WITHDRAWABLE
    )
    return budget
