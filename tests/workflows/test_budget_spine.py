"""The budget chain through services (S3.1–S3.3): straight path, returns, order, withdrawal."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import Body
from tests.scenarios import (
    answer_all,
    assert_consistent,
    audit_meeting,
    congress_meeting,
    consolidate,
    open_items,
    party_reply,
)
from workflows.budget.models import Budget, BudgetStatus
from workflows.budget.services import (
    LineInput,
    budget_create,
    budget_save_lines,
    budget_submit,
    budget_withdraw,
)
from workflows.models import Resolution, ReturnRule
from workflows.services.decisions import AgendaVote, meeting_record, written_decision_record

TODAY = timezone.localdate


@pytest.mark.django_db
def test_budget_straight_path_to_in_force(cast, submitted_budget):
    budget = submitted_budget()
    assert budget.status == BudgetStatus.SOLICITING
    assert_consistent(budget)
    answer_all(budget, cast)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.CONSOLIDATING
    assert_consistent(budget)
    consolidate(budget, cast)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.AUDIT_REVIEW
    assert_consistent(budget)
    audit_meeting(budget, cast)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.PARTY_APPROVAL
    assert_consistent(budget)
    party_reply(budget, cast)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.CONGRESS_RATIFICATION
    assert_consistent(budget)
    congress_meeting(budget, cast)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.IN_FORCE
    assert budget.in_force_since is not None
    assert_consistent(budget)


@pytest.mark.django_db
def test_s3_2_budget_over_carryover_cannot_be_submitted(cast, draft_budget):
    """S3.2: expenditure 510,000 > income 420,000 + carryover 20,000."""
    budget = draft_budget(lines=[LineInput("401", Decimal("420000")), LineInput("50101", Decimal("510000"))])
    with pytest.raises(ValidationError) as exc:
        budget_submit(actor=cast.office, budget=budget, recipients=[], due_at=timezone.now())
    assert any("超出收入合计" in m and "70,000.00" in m for m in exc.value.messages)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.DRAFT
    assert_consistent(budget)


@pytest.mark.django_db
def test_s3_1_line_outside_the_chart_is_refused(cast, draft_budget):
    budget = draft_budget()
    with pytest.raises(ValidationError) as exc:
        budget_save_lines(
            actor=cast.office,
            budget=budget,
            lines=[LineInput("502", Decimal("1"))],
            carryover=Decimal("0"),
            carryover_is_estimate=True,
        )
    assert any("会计科目表" in m and "502" in m for m in exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        budget_save_lines(
            actor=cast.office,
            budget=budget,
            lines=[LineInput("501", Decimal("1"))],
            carryover=Decimal("0"),
            carryover_is_estimate=True,
        )
    assert any("下级科目" in m and "501" in m for m in exc.value.messages)


@pytest.mark.django_db
def test_second_budget_for_a_year_is_refused(cast, draft_budget):
    draft_budget(year=2027)
    with pytest.raises(ValidationError) as exc:
        budget_create(
            actor=cast.office, union=cast.union, year=2027, carryover=Decimal("0"), carryover_is_estimate=True
        )
    assert "2027" in exc.value.messages[0]
    assert Budget.objects.filter(union=cast.union, year=2027).count() == 1


@pytest.mark.django_db
def test_congress_return_restarts_at_audit_committee_by_union_rule(cast, submitted_budget):
    ReturnRule.objects.create(
        union=cast.union,
        document_type="budget",
        returning_step="congress_ratification",
        restart_step="audit_review",
    )
    budget = submitted_budget()
    answer_all(budget, cast)
    consolidate(budget, cast)
    audit_meeting(budget, cast)
    party_reply(budget, cast)
    congress_meeting(budget, cast, Resolution.RETURN, opinions="文体活动支出偏高，请压减")
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.RETURNED
    (item,) = open_items(budget)
    assert item.step == "revise" and item.assignee == cast.office
    version = budget_save_lines(
        actor=cast.office,
        budget=budget,
        lines=[
            LineInput("401", Decimal("120000")),
            LineInput("402", Decimal("300000")),
            LineInput("50102", Decimal("150000")),
        ],
        carryover=Decimal("20000"),
        carryover_is_estimate=True,
    )
    assert version.number == 2
    budget_submit(actor=cast.office, budget=budget)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.AUDIT_REVIEW
    assert_consistent(budget)
    assert budget.versions.count() == 2


@pytest.mark.django_db
def test_party_return_without_rule_restarts_at_the_party(cast, submitted_budget):
    budget = submitted_budget()
    answer_all(budget, cast)
    consolidate(budget, cast)
    audit_meeting(budget, cast)
    party_reply(budget, cast, Resolution.RETURN, opinions="请补充送温暖支出")
    budget_submit(actor=cast.office, budget=budget)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.PARTY_APPROVAL
    assert_consistent(budget)


@pytest.mark.django_db
def test_return_needs_written_opinions(cast, submitted_budget):
    budget = submitted_budget()
    answer_all(budget, cast)
    consolidate(budget, cast)
    with pytest.raises(ValidationError):
        audit_meeting(budget, cast, Resolution.RETURN, opinions="  ")
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.AUDIT_REVIEW
    assert_consistent(budget)


@pytest.mark.django_db
def test_s3_3_later_body_cannot_act_before_earlier_approved(cast, submitted_budget):
    """S3.3 order: the congress has no open item while the audit committee has not approved."""
    budget = submitted_budget()
    answer_all(budget, cast)
    consolidate(budget, cast)
    audit_item = open_items(budget)[0]
    congress = Body.objects.get(union=cast.union, kind="congress")
    with pytest.raises(ValidationError):
        meeting_record(
            body=congress,
            recorder=cast.congress_chair,
            held_on=TODAY(),
            place="礼堂",
            attendee_ids=[p.pk for p in cast.congress],
            votes=[AgendaVote(audit_item.pk, Resolution.APPROVE, votes_for=6)],
        )
    with pytest.raises(PermissionDenied):
        written_decision_record(
            work_item=audit_item,
            recorder=cast.party_secretary,
            resolution=Resolution.APPROVE,
            reference_number="x",
            decided_on=TODAY(),
        )
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.AUDIT_REVIEW


@pytest.mark.django_db
def test_withdraw_before_first_decision_only(cast, submitted_budget):
    budget = submitted_budget()
    budget_withdraw(actor=cast.office, budget=budget, reason="数据有误")
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.WITHDRAWN
    assert_consistent(budget)
    # a new budget for the same year is allowed after withdrawal
    second = budget_create(
        actor=cast.office, union=cast.union, year=2027, carryover=Decimal("0"), carryover_is_estimate=True
    )
    budget_save_lines(
        actor=cast.office,
        budget=second,
        lines=[LineInput("401", Decimal("10"))],
        carryover=Decimal("0"),
        carryover_is_estimate=True,
    )
    from workflows.budget.services import Recipient

    budget_submit(
        actor=cast.office,
        budget=second,
        recipients=[Recipient(cast.representatives[1])],
        due_at=timezone.now() + datetime.timedelta(days=3),
    )
    answer_all(second, cast)
    consolidate(second, cast)
    audit_meeting(second, cast)
    with pytest.raises(ValidationError):
        budget_withdraw(actor=cast.office, budget=second)
    second.refresh_from_db()
    assert second.status == BudgetStatus.PARTY_APPROVAL


@pytest.mark.django_db
def test_each_step_permission_matrix(cast, tree, submitted_budget, supervisor_of):
    """Who may act at each step, who only views, and the outsider who sees nothing (S3.3)."""
    from workflows.budget.selectors import budget_visible_to
    from workflows.services.workitems import user_may_act

    supervisor = supervisor_of(tree["dept_a"])
    everyone = {
        "office": cast.office,
        "chair": cast.chair,
        "audit_director": cast.audit_director,
        "audit_member": cast.audit_members[0],
        "party_secretary": cast.party_secretary,
        "congress_chair": cast.congress_chair,
        "rep0": cast.representatives[0],
        "rep3": cast.representatives[3],
        "group_leader": cast.group_leader,
        "supervisor": supervisor,
        "outsider": cast.outsider,
    }

    def actors(budget):
        items = open_items(budget)
        return {
            name
            for name, user in everyone.items()
            if any(user_may_act(user=user, work_item=i) for i in items)
        }

    def viewers(budget):
        return {name for name, user in everyone.items() if budget_visible_to(user=user, budget=budget)}

    officers = {"office", "chair", "audit_director", "audit_member", "supervisor"}
    budget = submitted_budget()
    assert actors(budget) == {"rep0", "group_leader"}
    assert viewers(budget) == officers | {"rep0", "group_leader"}
    answer_all(budget, cast)
    assert actors(budget) == {"office"}
    consolidate(budget, cast)
    # audit committee's recorders (director) and the office staff on its behalf; members only attend
    assert actors(budget) == {"audit_director", "office"}
    audit_meeting(budget, cast)
    assert actors(budget) == {"party_secretary", "office"}
    assert "party_secretary" in viewers(budget)
    party_reply(budget, cast)
    assert actors(budget) == {"congress_chair", "office"}
    assert {"rep3", "congress_chair"} <= viewers(budget)  # put before the congress now
    congress_meeting(budget, cast)
    assert actors(budget) == set()
    assert "outsider" not in viewers(budget)
