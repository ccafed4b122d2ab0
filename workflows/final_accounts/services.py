"""Final accounts services (S3.5): create from the year's budget in force, save actual amounts (typed or
imported), submit, withdraw, the audit committee's audit report, the audit and the approval (the closing
balance becomes next year's audited carryover). Each writes events in its own transaction.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import Body, BodyKind, Union, User
from core.selectors import union_access
from core.services.events import event_record
from workflows import errors as spine_errors
from workflows.budget.actuals import budget_lines
from workflows.budget.models import AccountKind, Budget, BudgetStatus
from workflows.models import Attachment, DocumentType, WorkItem, WorkItemState, validate_attachment
from workflows.services.decisions import user_may_act_for_body
from workflows.services.drafting import document_submit, document_withdraw, editable_by
from workflows.services.workitems import process_lock

from . import errors
from .flows import FinalAccountsFlow
from .models import FinalAccounts, FinalAccountsLine, FinalAccountsStatus, FinalAccountsVersion
from .selectors import audited_carryover, ledger_paid

# The note that marks an attachment as the fund audit committee's audit report (经审会审查报告).
AUDIT_REPORT_NOTE = "经费审查委员会审查报告"


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def budget_in_force(*, union: Union, year: int) -> Budget | None:
    return (
        Budget.objects.filter(union=union, year=year, status=BudgetStatus.IN_FORCE)
        .select_related("current_version")
        .first()
    )


def opening_carryover(*, union: Union, year: int, budget: Budget) -> Decimal:
    """The funds rolled over into the year: the previous year's audited closing balance when there is
    one, else the carryover the year's budget was approved with."""
    audited = audited_carryover(union=union, year=year - 1)
    return audited if audited is not None else budget.current_version.carryover


@transaction.atomic
def final_accounts_create(*, actor: User, union: Union, year: int, note: str = "") -> FinalAccounts:
    """Start the year's final accounts: lines pre-filled from the budget in force (actuals empty)."""
    if not union_access(user=actor, union=union).can_draft:
        raise PermissionDenied(spine_errors.NOT_YOUR_TASK)
    budget = budget_in_force(union=union, year=year)
    if budget is None:
        raise ValidationError(errors.FA_NEEDS_BUDGET, params={"union": union.name, "year": year})
    existing = (
        FinalAccounts.objects.filter(union=union, year=year)
        .exclude(status=FinalAccountsStatus.WITHDRAWN)
        .first()
    )
    if existing is not None:
        raise ValidationError(
            errors.FA_EXISTS,
            params={"union": union.name, "year": year, "status": existing.get_status_display()},
        )
    final_accounts = FinalAccounts(
        union=union,
        year=year,
        title=f"{union.name}{year}年度经费收支决算",
        budget=budget,
        budget_version=budget.current_version,
        drafter=actor,
    )
    final_accounts.full_clean(exclude=["process", "current_version"])
    try:
        with transaction.atomic():
            final_accounts.save()
    except IntegrityError:
        # two drafters raced for the same year: the partial unique index decided
        raise ValidationError(
            errors.FA_EXISTS, params={"union": union.name, "year": year, "status": "—"}
        ) from None
    version = FinalAccountsVersion.objects.create(
        final_accounts=final_accounts,
        number=1,
        carryover=opening_carryover(union=union, year=year, budget=budget),
        note=note,
        created_by=actor,
    )
    FinalAccountsLine.objects.bulk_create(
        FinalAccountsLine(version=version, account_id=line.account_id, budgeted=line.amount)
        for line in budget_lines(budget.current_version)
    )
    final_accounts.current_version = version
    final_accounts.save(update_fields=["current_version"])
    event_record(
        verb="final_accounts_created",
        actor=actor,
        subject=final_accounts,
        union=union,
        to_state=FinalAccountsStatus.DRAFT,
        detail={"year": year, "budget": budget.pk, "budget_version": budget.current_version.number},
    )
    FinalAccountsFlow.start.run(document=final_accounts)
    final_accounts.refresh_from_db()
    return final_accounts


def final_accounts_editable_by(*, final_accounts: FinalAccounts, user) -> bool:
    return editable_by(document=final_accounts, user=user)


def version_lines(version: FinalAccountsVersion) -> list[FinalAccountsLine]:
    return list(version.lines.select_related("account").order_by("account_id"))


def actuals_of(version: FinalAccountsVersion) -> dict[str, Decimal]:
    """The actual amounts entered so far, by account code."""
    return dict(version.lines.exclude(actual=None).values_list("account_id", "actual"))


@transaction.atomic
def final_accounts_save(
    *,
    actor: User,
    final_accounts: FinalAccounts,
    actuals: dict[str, Decimal],
    carryover: Decimal | None = None,
    note: str | None = None,
    source: str = "form",
) -> FinalAccountsVersion:
    """Record the actual amounts (all lines at once, as the form and the import give them). Once a
    version was submitted, saving makes a new version; the old one is kept."""
    with process_lock(final_accounts.process_id, document=final_accounts):
        if not final_accounts_editable_by(final_accounts=final_accounts, user=actor):
            raise PermissionDenied(errors.FA_NOT_EDITABLE)
        _check_actuals(final_accounts=final_accounts, actuals=actuals)
        version = final_accounts.current_version
        if version.submitted_at is not None:
            version = _next_version(actor=actor, final_accounts=final_accounts)
        if carryover is not None:
            version.carryover = carryover
        if note is not None:
            version.note = note
        version.full_clean(exclude=["final_accounts", "created_by"])
        version.save(update_fields=["carryover", "note"])
        lines = list(version.lines.all())
        for line in lines:
            if line.account_id in actuals:
                line.actual = actuals[line.account_id]
        FinalAccountsLine.objects.bulk_update(lines, ["actual"])
        income, expenditure = version.totals()
        event_record(
            verb="actuals_saved",
            actor=actor,
            subject=final_accounts,
            union=final_accounts.union,
            detail={
                "version": version.number,
                "source": source,
                "income": str(income),
                "expenditure": str(expenditure),
                "closing": str(version.carryover + income - expenditure),
            },
        )
        return version


def final_accounts_take_paid(*, actor: User, final_accounts: FinalAccounts) -> FinalAccountsVersion:
    """Issue 26: the amounts paid through the expenditure ledger in the year become the actual amounts
    of every expenditure line (a line nothing was paid from: 0); income lines, the carryover and the
    explanation stay as they are. Typing and importing stay for unions whose books are elsewhere."""
    if not final_accounts_editable_by(final_accounts=final_accounts, user=actor):
        raise PermissionDenied(errors.FA_NOT_EDITABLE)
    paid = ledger_paid(final_accounts)
    if not paid:
        raise ValidationError(errors.FA_LEDGER_EMPTY, params={"year": final_accounts.year})
    codes = final_accounts.current_version.lines.filter(account__kind=AccountKind.EXPENDITURE).values_list(
        "account_id", flat=True
    )
    actuals = {code: paid.get(code, Decimal("0")) for code in codes}
    return final_accounts_save(actor=actor, final_accounts=final_accounts, actuals=actuals, source="ledger")


def _check_actuals(*, final_accounts: FinalAccounts, actuals: dict[str, Decimal]) -> None:
    """Every amount is on a line of the current version, and none is negative."""
    codes = {line.account_id for line in final_accounts.current_version.lines.all()}
    unknown = sorted(set(actuals) - codes)
    if unknown:
        raise ValidationError(
            errors.FA_UNKNOWN_LINES, params={"codes": "、".join(unknown), "year": final_accounts.year}
        )
    if any(amount is not None and amount < 0 for amount in actuals.values()):
        raise ValidationError(spine_errors.AMOUNT_NEGATIVE)


def _next_version(*, actor: User, final_accounts: FinalAccounts) -> FinalAccountsVersion:
    """A copy of the submitted current version (lines and actuals), which it replaces as current."""
    previous = final_accounts.current_version
    version = FinalAccountsVersion.objects.create(
        final_accounts=final_accounts,
        number=previous.number + 1,
        carryover=previous.carryover,
        note=previous.note,
        created_by=actor,
    )
    FinalAccountsLine.objects.bulk_create(
        FinalAccountsLine(
            version=version, account_id=line.account_id, budgeted=line.budgeted, actual=line.actual
        )
        for line in previous.lines.all()
    )
    final_accounts.current_version = version
    final_accounts.save(update_fields=["current_version"])
    event_record(
        verb="version_created",
        actor=actor,
        subject=final_accounts,
        union=final_accounts.union,
        detail={"version": version.number},
    )
    return version


def final_accounts_rule_errors(*, final_accounts: FinalAccounts) -> list[str]:
    """Every line of the budget has its actual amount; no closing deficit (S3.2 carried to the actuals)."""
    version = final_accounts.current_version
    lines = version_lines(version)
    problems = [
        str(errors.FA_ACTUAL_MISSING % {"code": line.account_id, "name": line.account.name})
        for line in lines
        if line.actual is None
    ]
    if problems:
        return problems
    income, expenditure = version.totals()
    closing = version.carryover + income - expenditure
    if closing < 0:
        problems.append(
            str(
                errors.FA_CLOSING_NEGATIVE
                % {
                    "expenditure": _yuan(expenditure),
                    "income": _yuan(income),
                    "carryover": _yuan(version.carryover),
                    "closing": _yuan(closing),
                }
            )
        )
    return problems


def _last_audited(final_accounts: FinalAccounts) -> FinalAccountsVersion | None:
    return final_accounts.versions.exclude(audited_at=None).order_by("-number").first()


def final_accounts_submit(*, actor: User, final_accounts: FinalAccounts) -> FinalAccounts:
    """The drafter submits to the fund audit committee (or, after a return, to where the chain restarts).
    Figures changed since the audit go back to the audit committee, whoever returned them (S3.5)."""

    def back_to_audit_if_changed(item) -> None:
        audited = _last_audited(final_accounts)
        if item.step == "revise" and audited is not None:
            current = final_accounts.current_version
            if actuals_of(current) != actuals_of(audited) or current.carryover != audited.carryover:
                final_accounts.restart_step = "audit_review"
                final_accounts.save(update_fields=["restart_step"])

    return document_submit(
        actor=actor,
        document=final_accounts,
        prepare=back_to_audit_if_changed,
        rule_errors=lambda: final_accounts_rule_errors(final_accounts=final_accounts),
        solicits=False,
    )


@transaction.atomic
def final_accounts_withdraw(*, actor: User, final_accounts: FinalAccounts, reason: str = "") -> FinalAccounts:
    document_withdraw(
        actor=actor, document=final_accounts, reason=reason, not_withdrawable=errors.FA_NOT_WITHDRAWABLE
    )
    return final_accounts


def audit_report_may_attach(*, user, final_accounts: FinalAccounts) -> bool:
    """A recorder of the fund audit committee, while the committee audits the final accounts."""
    if not final_accounts.process_id or not user.is_authenticated:
        return False
    at_audit = WorkItem.objects.filter(
        process_id=final_accounts.process_id, step="audit_review", state=WorkItemState.OPEN
    ).exists()
    if not at_audit:
        return False
    body = Body.objects.get(union=final_accounts.union, kind=BodyKind.AUDIT_COMMITTEE)
    return user_may_act_for_body(user=user, body=body)


@transaction.atomic
def audit_report_attach(*, actor: User, final_accounts: FinalAccounts, upload, note: str = "") -> Attachment:
    """The fund audit committee's audit report on the final accounts (S3.5), kept as an attachment."""
    if not WorkItem.objects.filter(
        process_id=final_accounts.process_id, step="audit_review", state=WorkItemState.OPEN
    ).exists():
        raise ValidationError(errors.AUDIT_REPORT_NOT_NOW)
    if not audit_report_may_attach(user=actor, final_accounts=final_accounts):
        raise PermissionDenied(errors.AUDIT_REPORT_NOT_RECORDER)
    validate_attachment(upload)
    attachment = Attachment.objects.create(
        union=final_accounts.union,
        document_type=DocumentType.FINAL_ACCOUNTS,
        document_id=final_accounts.pk,
        file=upload,
        name=upload.name[:200],
        size=upload.size,
        uploaded_by=actor,
        note=AUDIT_REPORT_NOTE,
    )
    event_record(
        verb="audit_report_attached",
        actor=actor,
        subject=final_accounts,
        union=final_accounts.union,
        detail={"name": attachment.name, "size": attachment.size, "note": note[:200]},
    )
    return attachment


def audit_report_of(final_accounts: FinalAccounts) -> Attachment | None:
    return (
        Attachment.objects.filter(
            document_type=DocumentType.FINAL_ACCOUNTS, document_id=final_accounts.pk, note=AUDIT_REPORT_NOTE
        )
        .order_by("-uploaded_at", "-id")
        .first()
    )


def final_accounts_audited(*, final_accounts: FinalAccounts) -> None:
    """Function node after the audit committee approves: this version's closing balance is audited."""
    version = final_accounts.current_version
    version.audited_at = timezone.now()
    version.save(update_fields=["audited_at"])
    event_record(
        verb="final_accounts_audited",
        subject=final_accounts,
        union=final_accounts.union,
        detail={"version": version.number, "closing": str(version.closing_balance())},
    )


def final_accounts_put_in_force(*, final_accounts: FinalAccounts) -> None:
    """Function node after the congress approves (through the finance report). The closing balance is
    next year's audited carryover: a next-year budget still in its drafter's hands takes it at once; the
    S3.2 check of any next-year budget compares against it from now on (budget_rule_errors)."""
    previous = final_accounts.status
    final_accounts.status = FinalAccountsStatus.IN_FORCE
    final_accounts.in_force_since = timezone.now()
    final_accounts.save(update_fields=["status", "in_force_since"])
    version = final_accounts.current_version
    closing = version.closing_balance()
    event_record(
        verb="in_force",
        subject=final_accounts,
        union=final_accounts.union,
        from_state=previous,
        to_state=FinalAccountsStatus.IN_FORCE,
        detail={"version": version.number, "closing": str(closing)},
    )
    following = (
        Budget.objects.filter(union=final_accounts.union, year=final_accounts.year + 1)
        .exclude(status=BudgetStatus.WITHDRAWN)
        .select_related("current_version")
        .first()
    )
    if following is None:
        return
    budget_version = following.current_version
    if budget_version.submitted_at is None and closing >= 0:
        old = budget_version.carryover
        budget_version.carryover = closing
        budget_version.carryover_is_estimate = False
        budget_version.save(update_fields=["carryover", "carryover_is_estimate"])
        event_record(
            verb="audited_carryover_applied",
            subject=following,
            union=following.union,
            detail={"from": str(old), "to": str(closing), "final_accounts": final_accounts.pk},
        )
