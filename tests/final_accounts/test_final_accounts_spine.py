"""S3.5 through services: final accounts → fund audit committee audit (audit report attached) → the
report on budget and final accounts binding them with next year's budget → congress (deciding all three)
→ submitted to the upper-level union and the provincial organs union; returns; the audited carryover
in the S3.2 comparison of next year's budget; who may act at each step."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from core.models import Union
from core.services.statutory import obligations_generate
from core.statutory import Obligation
from tests.factories import ACTUALS, BALANCED_LINES, CLOSING, audit_report_file
from tests.scenarios import (
    acknowledged_summary,
    audit_meeting,
    budget_before_congress,
    budget_in_force,
    congress_decides,
    final_accounts_audited,
    open_item,
    plan_before_congress,
)
from workflows.budget.models import BudgetStatus
from workflows.budget.services import LineInput, budget_rule_errors
from workflows.final_accounts import errors
from workflows.final_accounts.models import FinalAccountsStatus
from workflows.final_accounts.selectors import audited_carryover
from workflows.final_accounts.services import (
    audit_report_attach,
    final_accounts_create,
    final_accounts_save,
    final_accounts_submit,
)
from workflows.models import MeetingItem, Resolution, WorkItem, WorkItemState
from workflows.reports import errors as report_errors
from workflows.reports.finance_report import finance_report_create, finance_report_rule_errors
from workflows.reports.models import ReportKind, ReportStatus, Submission
from workflows.reports.services import report_submit_upward, work_report_submit
from workflows.services.workitems import user_may_act

D = Decimal


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def steps(document) -> list[str]:
    return sorted(
        WorkItem.objects.filter(process=document.process, state=WorkItemState.OPEN).values_list(
            "step", flat=True
        )
    )


@pytest.mark.django_db
def test_s3_5_chain_from_draft_to_submission_to_both_receivers(cast, tree, finance_report_before_congress):
    obligations_generate(fiscal_year=2026)
    fa, budget, report = finance_report_before_congress()
    assert fa.status == FinalAccountsStatus.CONGRESS_RATIFICATION
    assert report.kind == ReportKind.FINANCE_REPORT and report.status == ReportStatus.CONGRESS_RATIFICATION
    assert set(
        report.current_version.bindings.values_list("document_type", "document_id", "document_version")
    ) == {
        ("final_accounts", fa.pk, 1),
        ("budget", budget.pk, budget.current_version.number),
    }
    # the audited closing balance is known before the congress
    assert fa.current_version.audited_at is not None
    assert audited_carryover(union=cast.union, year=2026) == CLOSING
    # when: the congress decides the report: its resolution decides the final accounts and the budget too
    congress_decides(cast, [open_item(report, "congress_ratification")])
    for document in (fa, budget, report):
        document.refresh_from_db()
    assert fa.status == FinalAccountsStatus.IN_FORCE
    assert budget.status == BudgetStatus.IN_FORCE
    assert report.status == ReportStatus.SUBMITTING
    decided = MeetingItem.objects.filter(
        meeting__body__kind="congress", work_item__process__in=[fa.process, budget.process, report.process]
    )
    assert decided.count() == 3 and len({m.meeting_id for m in decided}) == 1
    s35 = Obligation.objects.get(union=cast.union, code="S3.5", fiscal_year=2026)
    assert s35.met_on is None  # met at submission, not at approval
    # then: submitted to the department union above and to the provincial organs union
    submissions = report_submit_upward(actor=cast.office, report=report)
    assert {s.to_union_id for s in submissions} == {tree["dept_a"].pk, tree["prov"].pk}
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_FORCE
    s35.refresh_from_db()
    assert s35.met_on is not None
    assert s35.due_date.month == 2 and s35.due_date.year == 2027


@pytest.mark.django_db
def test_s3_5_one_submission_when_the_upper_level_union_is_the_provincial_organs_union(
    cast, tree, finance_report_before_congress
):
    fa, budget, report = finance_report_before_congress()
    congress_decides(cast, [open_item(report, "congress_ratification")])
    Union.objects.filter(pk=cast.union.pk).update(parent=tree["prov"])
    report.refresh_from_db()
    report.union.refresh_from_db()
    submissions = report_submit_upward(actor=cast.office, report=report)
    assert [s.to_union_id for s in submissions] == [tree["prov"].pk]
    assert Submission.objects.filter(report=report).count() == 1


@pytest.mark.django_db
def test_audit_committee_returns_to_draft_with_reason_and_revision_goes_back_to_it(cast, fa_draft):
    fa = fa_draft()
    final_accounts_submit(actor=cast.office, final_accounts=fa)
    assert steps(fa) == ["audit_review"]
    with pytest.raises(ValidationError):
        audit_meeting(fa, cast, resolution=Resolution.RETURN, opinions="")  # a return needs its reason
    audit_meeting(fa, cast, resolution=Resolution.RETURN, opinions="50102 超支，请补充说明。")
    fa.refresh_from_db()
    assert fa.status == FinalAccountsStatus.RETURNED and steps(fa) == ["revise"]
    version = final_accounts_save(
        actor=cast.office, final_accounts=fa, actuals={"50102": D("194000.00")}, note="已补充说明"
    )
    assert version.number == 2  # the submitted version is kept
    final_accounts_submit(actor=cast.office, final_accounts=fa)
    fa.refresh_from_db()
    assert steps(fa) == ["audit_review"] and fa.status == FinalAccountsStatus.AUDIT_REVIEW


@pytest.mark.django_db
def test_congress_return_of_the_finance_report_sends_both_documents_back(
    cast, finance_report_before_congress
):
    fa, budget, report = finance_report_before_congress()
    congress_decides(
        cast, [open_item(report, "congress_ratification")], Resolution.RETURN, opinions="请说明结余用途。"
    )
    for document in (fa, budget, report):
        document.refresh_from_db()
        assert steps(document) == ["revise"], document
    assert fa.status == FinalAccountsStatus.RETURNED
    assert budget.status == BudgetStatus.RETURNED
    assert report.status == ReportStatus.RETURNED
    # the report cannot go back before the documents do (S3.5 order)
    with pytest.raises(ValidationError) as caught:
        work_report_submit(actor=cast.office, report=report)
    assert str(report_errors.FINANCE_REPORT_FA_NOT_BEFORE_CONGRESS % {"year": 2026}) in caught.value.messages
    # unchanged final accounts go straight back to the congress; the budget as its rules say
    final_accounts_submit(actor=cast.office, final_accounts=fa)
    from workflows.budget.services import budget_save_lines, budget_submit

    budget_save_lines(  # the budget is revised: a new version
        actor=cast.office,
        budget=budget,
        lines=BALANCED_LINES,
        carryover=D("45000"),
        carryover_is_estimate=False,
    )
    budget_submit(actor=cast.office, budget=budget)
    fa.refresh_from_db()
    budget.refresh_from_db()
    assert steps(fa) == ["congress_ratification"] and steps(budget) == ["congress_ratification"]
    work_report_submit(actor=cast.office, report=report)
    report.refresh_from_db()
    # the report's new version binds the budget's new version and the unchanged final accounts
    assert report.current_version.number == 2 and budget.current_version.number == 2
    assert set(report.current_version.bindings.values_list("document_type", "document_version")) == {
        ("final_accounts", 1),
        ("budget", 2),
    }
    congress_decides(cast, [open_item(report, "congress_ratification")])
    fa.refresh_from_db()
    assert fa.status == FinalAccountsStatus.IN_FORCE


@pytest.mark.django_db
def test_figures_changed_after_a_congress_return_are_audited_again(cast, finance_report_before_congress):
    fa, _budget, report = finance_report_before_congress()
    congress_decides(cast, [open_item(report, "congress_ratification")], Resolution.RETURN, opinions="核对")
    fa.refresh_from_db()
    final_accounts_save(actor=cast.office, final_accounts=fa, actuals={"50502": D("57000.00")})
    final_accounts_submit(actor=cast.office, final_accounts=fa)
    fa.refresh_from_db()
    assert steps(fa) == ["audit_review"]
    # the new figures are not audited yet: the audited balance is still the old version's
    assert audited_carryover(union=cast.union, year=2026) == CLOSING


@pytest.mark.django_db
def test_finance_report_and_work_report_decided_by_one_congress_meeting(cast, finance_report_before_congress):
    from workflows.reports.services import work_report_create

    fa, budget, finance = finance_report_before_congress()
    acknowledged_summary(cast)
    plan = plan_before_congress(cast)
    work = work_report_create(actor=cast.office, union=cast.union, year=2026)
    work_report_submit(actor=cast.office, report=work)
    result = congress_decides(
        cast, [open_item(finance, "congress_ratification"), open_item(work, "congress_ratification")]
    )
    assert len(result.decided) == 5  # two reports, the final accounts, the budget, the plan
    for document in (fa, budget, finance, work, plan):
        document.refresh_from_db()
    assert fa.status == FinalAccountsStatus.IN_FORCE
    assert budget.status == BudgetStatus.IN_FORCE
    assert plan.status == "in_force"
    assert finance.status == work.status == ReportStatus.SUBMITTING
    assert MeetingItem.objects.filter(meeting=result.meeting).count() == 5


@pytest.mark.django_db
def test_bound_documents_cannot_also_sit_on_the_agenda(cast, finance_report_before_congress):
    fa, _budget, report = finance_report_before_congress()
    with pytest.raises(ValidationError):
        congress_decides(
            cast, [open_item(report, "congress_ratification"), open_item(fa, "congress_ratification")]
        )
    assert steps(fa) == ["congress_ratification"]


@pytest.mark.django_db
def test_s3_5_the_congress_cannot_approve_final_accounts_without_their_report(
    cast, finance_report_before_congress
):
    from workflows.errors import DECIDED_THROUGH_REPORT

    fa, _budget, report = finance_report_before_congress()
    with pytest.raises(ValidationError) as raised:
        congress_decides(cast, [open_item(fa, "congress_ratification")])
    # the message names the report that binds them (issue 25)
    message = DECIDED_THROUGH_REPORT % {"document": fa.title, "report": report.title}
    assert raised.value.messages == [str(message)]
    assert steps(fa) == ["congress_ratification"]
    assert steps(report) == ["congress_ratification"]


OVERSPENDING_2027 = [
    LineInput("401", D("120000.00")),
    LineInput("402", D("300000.00")),
    LineInput("50101", D("200000.00")),
    LineInput("50102", D("230000.00")),
]  # income 420,000; expenditure 430,000: fits the 20,000 estimate, not an audited 5,000
LEAN_ACTUALS = {**ACTUALS, "50102": D("235000.00")}  # closing 20,000 + 418,000 − 433,000 = 5,000


def _deficit_message() -> str:
    return str(
        errors.BUDGET_DEFICIT_AUDITED
        % {
            "expenditure": "430,000.00",
            "income": "420,000.00",
            "year": 2026,
            "carryover": "5,000.00",
            "gap": "5,000.00",
        }
    )


@pytest.mark.django_db
def test_s3_2_budget_above_the_audited_closing_balance_cannot_be_submitted(cast, fa_audited):
    from workflows.budget.services import budget_create, budget_save_lines, budget_submit

    fa_audited(LEAN_ACTUALS)
    assert audited_carryover(union=cast.union, year=2026) == D("5000.00")
    # the drafter still types the old estimate (20,000): the audited balance decides
    draft = budget_create(
        actor=cast.office, union=cast.union, year=2027, carryover=D("20000"), carryover_is_estimate=True
    )
    version = budget_save_lines(
        actor=cast.office,
        budget=draft,
        lines=OVERSPENDING_2027,
        carryover=D("20000"),
        carryover_is_estimate=True,
    )
    assert budget_rule_errors(version=version) == [_deficit_message()]
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        budget_submit(actor=cast.office, budget=draft, recipients=[], due_at=None)
    assert _deficit_message() in caught.value.messages


@pytest.mark.django_db
def test_s3_2_finance_report_flags_next_years_budget_above_the_audited_closing_balance(cast):
    # the 2027 budget reached the congress step on its estimate (20,000); the audit then found 5,000
    budget_in_force(cast, year=2026)
    budget = budget_before_congress(cast, year=2027, lines=OVERSPENDING_2027)
    fa = final_accounts_create(actor=cast.office, union=cast.union, year=2026)
    final_accounts_save(actor=cast.office, final_accounts=fa, actuals=LEAN_ACTUALS)
    final_accounts_audited(cast, fa)
    report = finance_report_create(actor=cast.office, union=cast.union, year=2026)
    assert finance_report_rule_errors(report) == [_deficit_message()]
    with pytest.raises(ValidationError) as caught:
        work_report_submit(actor=cast.office, report=report)
    assert _deficit_message() in caught.value.messages
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert steps(budget) == ["congress_ratification"]


@pytest.mark.django_db
def test_approval_makes_the_closing_balance_next_years_carryover(cast, fa_audited):
    from workflows.budget.services import budget_create

    fa = fa_audited()
    draft = budget_create(
        actor=cast.office, union=cast.union, year=2027, carryover=D("1"), carryover_is_estimate=True
    )
    from workflows.final_accounts.services import final_accounts_put_in_force

    final_accounts_put_in_force(final_accounts=fa)  # the Function node after the congress approves
    draft.current_version.refresh_from_db()
    assert draft.current_version.carryover == CLOSING
    assert draft.current_version.carryover_is_estimate is False
    fa.refresh_from_db()
    assert fa.status == FinalAccountsStatus.IN_FORCE


@pytest.mark.django_db
def test_final_accounts_need_a_budget_in_force_and_only_one_per_year(cast):
    with pytest.raises(ValidationError) as caught:
        final_accounts_create(actor=cast.office, union=cast.union, year=2026)
    assert "no budget in force for 2026" in caught.value.messages[0]
    budget_in_force(cast, year=2026)
    fa = final_accounts_create(actor=cast.office, union=cast.union, year=2026)
    lines = {line.account_id: (line.budgeted, line.actual) for line in fa.current_version.lines.all()}
    assert lines == {line.account_code: (line.amount, None) for line in BALANCED_LINES}
    assert fa.current_version.carryover == D("20000.00")  # the budget's carryover (no audited one yet)
    with pytest.raises(ValidationError):
        final_accounts_create(actor=cast.office, union=cast.union, year=2026)
    with pytest.raises(PermissionDenied):
        final_accounts_create(actor=cast.outsider, union=cast.union, year=2027)


@pytest.mark.django_db
def test_missing_actual_amounts_keep_the_final_accounts_at_the_draft(cast):
    budget_in_force(cast, year=2026)
    fa = final_accounts_create(actor=cast.office, union=cast.union, year=2026)
    final_accounts_save(actor=cast.office, final_accounts=fa, actuals={"401": D("1")})
    with pytest.raises(ValidationError) as caught:
        final_accounts_submit(actor=cast.office, final_accounts=fa)
    assert "Account 402 拨缴经费收入 has no actual amount yet." in caught.value.messages
    assert steps(fa) == ["draft"]
    with pytest.raises(ValidationError):  # an account outside the year's budget (S3.1)
        final_accounts_save(actor=cast.office, final_accounts=fa, actuals={"50405": D("1")})


@pytest.mark.django_db
def test_finance_report_needs_audited_final_accounts_their_audit_report_and_next_years_budget(cast, fa_draft):
    fa = fa_draft()
    with pytest.raises(ValidationError) as caught:
        finance_report_create(actor=cast.office, union=cast.union, year=2026)
    assert caught.value.messages == [str(report_errors.FINANCE_REPORT_NEEDS_FA % {"year": 2026})]
    final_accounts_submit(actor=cast.office, final_accounts=fa)
    audit_meeting(fa, cast)  # approved without attaching the audit report
    with pytest.raises(ValidationError) as caught:
        finance_report_create(actor=cast.office, union=cast.union, year=2026)
    assert caught.value.messages == [str(report_errors.FINANCE_REPORT_NEEDS_BUDGET % {"year": 2027})]
    budget_before_congress(cast, year=2027)
    report = finance_report_create(actor=cast.office, union=cast.union, year=2026)
    assert finance_report_rule_errors(report) == [
        str(report_errors.FINANCE_REPORT_NEEDS_AUDIT_REPORT % {"year": 2026})
    ]


@pytest.mark.django_db
def test_audit_report_is_attached_by_the_audit_committee_during_its_audit_only(cast, fa_draft):
    fa = fa_draft()
    with pytest.raises(ValidationError):  # not at the audit step yet
        audit_report_attach(actor=cast.audit_director, final_accounts=fa, upload=audit_report_file())
    final_accounts_submit(actor=cast.office, final_accounts=fa)
    for person in (cast.chair, cast.audit_members[0], cast.congress_chair, cast.outsider):
        with pytest.raises(PermissionDenied):
            audit_report_attach(actor=person, final_accounts=fa, upload=audit_report_file())
    with pytest.raises(ValidationError):  # an executable is not an attachment
        audit_report_attach(actor=cast.audit_director, final_accounts=fa, upload=audit_report_file("x.exe"))
    attachment = audit_report_attach(actor=cast.audit_director, final_accounts=fa, upload=audit_report_file())
    assert attachment.document_type == "final_accounts" and attachment.document_id == fa.pk


@pytest.mark.django_db
def test_s3_5_permission_matrix_per_step(cast, tree, supervisor_of, finance_report_before_congress):
    """Who may act at each step: the drafter at the draft, the audit committee's recorders at the audit,
    the congress's recorders at the congress (through the report); nobody else, never an outsider."""
    from workflows.final_accounts.services import final_accounts_editable_by

    supervisor = supervisor_of(tree["dept_a"])
    everyone = [
        cast.office,
        cast.chair,
        cast.audit_director,
        cast.audit_members[0],
        cast.party_secretary,
        cast.congress_chair,
        cast.representatives[0],
        cast.outsider,
        supervisor,
    ]

    def actors(document) -> set:
        items = WorkItem.objects.filter(process=document.process, state=WorkItemState.OPEN)
        return {p.username for p in everyone for item in items if user_may_act(user=p, work_item=item)}

    budget_in_force(cast, year=2026)
    fa = final_accounts_create(actor=cast.office, union=cast.union, year=2026)
    assert actors(fa) == {"a1-office"}
    assert [p.username for p in everyone if final_accounts_editable_by(final_accounts=fa, user=p)] == [
        "a1-office"
    ]
    for person in everyone[1:]:
        with pytest.raises(PermissionDenied):
            final_accounts_save(actor=person, final_accounts=fa, actuals=ACTUALS)
    final_accounts_save(actor=cast.office, final_accounts=fa, actuals=ACTUALS)
    with pytest.raises(PermissionDenied):
        final_accounts_submit(actor=cast.chair, final_accounts=fa)
    final_accounts_submit(actor=cast.office, final_accounts=fa)
    # the audit committee's recorders (director; office staff records on its behalf)
    assert actors(fa) == {"a1-audit", "a1-office"}
    with pytest.raises(PermissionDenied):
        final_accounts_save(actor=cast.office, final_accounts=fa, actuals=ACTUALS)
