"""The report on budget and final accounts (经费收支预算决算情况报告, S3.5): a congress report of kind
``finance_report`` that binds exact versions of the year's audited final accounts and next year's budget.
Its congress resolution decides the congress step of both (services.congress_binders);
its submission upward goes to the upper-level union and the provincial organs union and meets S3.5.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.models import Union, User
from core.selectors import union_access
from core.services.events import event_record
from workflows import errors as spine_errors
from workflows.budget.models import Budget, BudgetStatus
from workflows.budget.services import budget_rule_errors
from workflows.final_accounts.models import FinalAccounts, FinalAccountsStatus
from workflows.final_accounts.services import audit_report_of
from workflows.models import DocumentType, WorkItem, WorkItemState
from workflows.services.drafting import document_submit, drafter_item
from workflows.services.workitems import process_lock

from . import errors
from .flows import FinanceReportFlow
from .models import CongressReport, ReportBinding, ReportKind, ReportVersion


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def finance_report_documents(*, union: Union, year: int) -> tuple[FinalAccounts | None, Budget | None]:
    """The year's final accounts and next year's budget (live ones), as the report binds them."""
    final_accounts = (
        FinalAccounts.objects.filter(union=union, year=year)
        .exclude(status=FinalAccountsStatus.WITHDRAWN)
        .select_related("current_version")
        .first()
    )
    budget = (
        Budget.objects.filter(union=union, year=year + 1)
        .exclude(status=BudgetStatus.WITHDRAWN)
        .select_related("current_version")
        .first()
    )
    return final_accounts, budget


def _wanted(final_accounts: FinalAccounts, budget: Budget) -> set[tuple[str, int, int]]:
    return {
        (DocumentType.FINAL_ACCOUNTS.value, final_accounts.pk, final_accounts.current_version.number),
        (DocumentType.BUDGET.value, budget.pk, budget.current_version.number),
    }


def _bind(*, version: ReportVersion, final_accounts: FinalAccounts, budget: Budget) -> None:
    ReportBinding.objects.bulk_create(
        ReportBinding(version=version, document_type=t, document_id=pk, document_version=number)
        for t, pk, number in sorted(_wanted(final_accounts, budget))
    )


def finance_report_default_text(*, final_accounts: FinalAccounts, budget: Budget) -> str:
    fa_version = final_accounts.current_version
    income, expenditure = fa_version.totals()
    closing = fa_version.carryover + income - expenditure
    b_income, b_expenditure = budget.current_version.totals()
    return (
        f"一、{final_accounts.year}年经费收支决算情况\n\n"
        f"上年结转{_yuan(fa_version.carryover)}元，本年实际收入{_yuan(income)}元，实际支出{_yuan(expenditure)}元，"
        f"期末滚存经费{_yuan(closing)}元。决算已经经费审查委员会审查。\n\n"
        f"二、{budget.year}年经费收支预算\n\n"
        f"预算收入{_yuan(b_income)}元，预算支出{_yuan(b_expenditure)}元，"
        f"上年滚存经费（经审计）{_yuan(closing)}元，收支平衡。"
    )


def finance_report_rule_errors(report: CongressReport) -> list[str]:
    """What keeps the report from the congress (S3.5 order, S3.2 against the audited closing balance)."""
    problems: list[str] = []
    if not report.current_version.text.strip():
        problems.append(str(errors.FINANCE_REPORT_EMPTY))
    final_accounts, budget = finance_report_documents(union=report.union, year=report.year)
    if final_accounts is None or not final_accounts.versions.exclude(audited_at=None).exists():
        problems.append(str(errors.FINANCE_REPORT_NEEDS_FA % {"year": report.year}))
    else:
        if not _at_congress(final_accounts.process_id):
            problems.append(str(errors.FINANCE_REPORT_FA_NOT_BEFORE_CONGRESS % {"year": report.year}))
        if audit_report_of(final_accounts) is None:
            problems.append(str(errors.FINANCE_REPORT_NEEDS_AUDIT_REPORT % {"year": report.year}))
    if budget is None:
        problems.append(str(errors.FINANCE_REPORT_NEEDS_BUDGET % {"year": report.year + 1}))
    else:
        if not _at_congress(budget.process_id):
            problems.append(str(errors.FINANCE_REPORT_BUDGET_NOT_BEFORE_CONGRESS % {"year": budget.year}))
        # S3.2: next year's budget against the audited closing balance of these final accounts.
        problems.extend(budget_rule_errors(version=budget.current_version, budget=budget))
    return problems


def _at_congress(process_id: int | None) -> bool:
    return (
        process_id is not None
        and WorkItem.objects.filter(
            process_id=process_id, step="congress_ratification", state=WorkItemState.OPEN
        ).exists()
    )


@transaction.atomic
def finance_report_create(*, actor: User, union: Union, year: int, text: str = "") -> CongressReport:
    """Merge the year's audited final accounts and next year's budget into the finance report (S3.5)."""
    if not union_access(user=actor, union=union).can_draft:
        raise PermissionDenied(spine_errors.NOT_YOUR_TASK)
    final_accounts, budget = finance_report_documents(union=union, year=year)
    if final_accounts is None or not final_accounts.versions.exclude(audited_at=None).exists():
        raise ValidationError(errors.FINANCE_REPORT_NEEDS_FA, params={"year": year})
    if budget is None:
        raise ValidationError(errors.FINANCE_REPORT_NEEDS_BUDGET, params={"year": year + 1})
    report = CongressReport(
        union=union,
        kind=ReportKind.FINANCE_REPORT,
        year=year,
        title=f"{union.name}{year}年度经费收支决算和{year + 1}年度预算情况报告",
        drafter=actor,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError(
            errors.FINANCE_REPORT_EXISTS, params={"union": union.name, "year": year}
        ) from None
    version = ReportVersion.objects.create(
        report=report,
        number=1,
        text=text or finance_report_default_text(final_accounts=final_accounts, budget=budget),
        created_by=actor,
    )
    _bind(version=version, final_accounts=final_accounts, budget=budget)
    report.current_version = version
    report.save(update_fields=["current_version"])
    event_record(
        verb="report_created",
        actor=actor,
        subject=report,
        union=union,
        detail={
            "year": year,
            "kind": ReportKind.FINANCE_REPORT,
            "final_accounts": final_accounts.pk,
            "budget": budget.pk,
        },
    )
    FinanceReportFlow.start.run(document=report)
    report.refresh_from_db()
    return report


def finance_report_rebind(*, report: CongressReport, actor: User) -> ReportVersion:
    """A revised final accounts or budget: the report binds their new versions (a new report version
    once the old one went before the congress)."""
    version = report.current_version
    final_accounts, budget = finance_report_documents(union=report.union, year=report.year)
    if final_accounts is None or budget is None:
        return version
    wanted = _wanted(final_accounts, budget)
    have = set(version.bindings.values_list("document_type", "document_id", "document_version"))
    if wanted == have:
        return version
    if version.submitted_at is not None:
        version = ReportVersion.objects.create(
            report=report, number=version.number + 1, text=version.text, created_by=actor
        )
        report.current_version = version
        report.save(update_fields=["current_version"])
    else:
        version.bindings.all().delete()
    _bind(version=version, final_accounts=final_accounts, budget=budget)
    event_record(
        verb="report_rebound",
        actor=actor,
        subject=report,
        union=report.union,
        detail={"version": version.number, "bound": sorted(f"{t}:{pk}:v{n}" for t, pk, n in wanted)},
    )
    return version


@transaction.atomic
def finance_report_submit(*, actor: User, report: CongressReport) -> CongressReport:
    """Put the finance report before the congress (from the draft, or after the congress returned it)."""
    with process_lock(report.process_id, document=report):
        item = drafter_item(report)
        if item is not None and item.step in ("draft", "revise") and item.assignee_id == actor.pk:
            finance_report_rebind(report=report, actor=actor)
    return document_submit(
        actor=actor, document=report, rule_errors=lambda: finance_report_rule_errors(report), solicits=False
    )
