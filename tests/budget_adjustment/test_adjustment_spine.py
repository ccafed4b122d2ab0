"""The budget adjustment chain through services (S3.4): the adjusted version in force with both
readable, the S3.1/S3.2 checks on adjusted totals, the 30 September window for starting and
approving (Asia/Shanghai, eight hours ahead of UTC), the lapse sweep, once a year, returns."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core.models import Event
from core.statutory import Obligation
from tests.factories import ADJUSTED, ADJUSTMENT_REASON, make_adjustment
from tests.scenarios import (
    adjustment_submitted,
    at,
    audit_meeting,
    committee_meeting,
    congress_meeting,
    open_items,
    party_reply,
    travel,
)
from workflows.budget.models import BudgetLine
from workflows.budget.services import LineInput
from workflows.budget_adjustment import errors
from workflows.budget_adjustment.models import AdjustmentRule, AdjustmentStatus, BudgetAdjustment, FinalBody
from workflows.budget_adjustment.services import (
    adjustment_create,
    adjustment_rule_errors,
    adjustment_save_lines,
    adjustment_submit,
    adjustment_withdraw,
    adjustments_lapse_due,
    window_closes_at,
)
from workflows.budget_adjustment.tasks import lapse_adjustments
from workflows.models import Meeting, Resolution, WorkItem, WorkItemState
from workflows.services.workitems import user_may_act

YEAR = 2026  # the year of the budget in force (the budget_in_force fixture)


def to_congress(cast, budget):
    adjustment = adjustment_submitted(cast, budget)
    audit_meeting(adjustment, cast)
    party_reply(adjustment, cast)
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.CONGRESS_RATIFICATION
    return adjustment


def amounts(version) -> dict[str, Decimal]:
    return dict(version.lines.values_list("account_id", "amount"))


@pytest.mark.django_db
def test_s3_4_approved_adjustment_becomes_the_budget_in_force_and_both_stay_readable(
    cast, budget_in_force, client
):
    budget = budget_in_force
    original = budget.current_version
    with travel(at(YEAR, 6, 15, 10, 0)):
        adjustment = adjustment_submitted(cast, budget)
        assert adjustment.status == AdjustmentStatus.AUDIT_REVIEW
        # the window obligation was opened with the adjustment (its rule is not generated every year)
        assert Obligation.objects.get(
            union=cast.union, code="S3.4-adjustment", fiscal_year=YEAR
        ).due_date == (datetime.date(YEAR, 9, 30))
        audit_meeting(adjustment, cast)
        party_reply(adjustment, cast)
        congress_meeting(adjustment, cast)
    adjustment.refresh_from_db()
    budget.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.IN_FORCE
    assert budget.status == "in_force"
    assert budget.current_version == adjustment.result_version
    assert budget.current_version.number == original.number + 1
    assert amounts(budget.current_version)["50102"] == Decimal("210000.00")
    assert amounts(original)["50102"] == Decimal("200000.00")  # the original is kept unchanged
    assert "403" not in amounts(original)
    assert not open_items(adjustment)
    assert adjustment.process.status == "DONE"
    assert (
        Obligation.objects.get(union=cast.union, code="S3.4-adjustment", fiscal_year=YEAR).met_on is not None
    )
    assert Event.objects.filter(
        verb="adjusted", subject_type="budget.budget", subject_id=str(budget.pk)
    ).exists()
    # the budget's page shows both versions
    client.force_login(cast.chair)
    page = client.get(f"/budgets/{budget.pk}/?version={original.number}").content.decode()
    assert "200,000.00" in page
    page = client.get(f"/budgets/{budget.pk}/").content.decode()
    assert "210,000.00" in page and "200,000.00" in page  # the diff from the original shows both amounts


@pytest.mark.django_db
def test_s3_2_adjusted_totals_are_checked_before_submission(cast, budget_in_force):
    with travel(at(YEAR, 5, 1, 9, 0)):
        # 50,000 more expenditure with no more income: 20,000 carryover does not cover it (S3.2)
        deficit = [
            *ADJUSTED[:2],
            LineInput("50101", Decimal("150000.00")),
            LineInput("50102", Decimal("250000.00")),
        ]
        deficit.append(LineInput("50502", Decimal("60000.00")))
        adjustment = make_adjustment(cast, budget_in_force, lines=deficit)
        problems = adjustment_rule_errors(adjustment=adjustment)
        assert any("超出收入合计" in p for p in problems)  # S3.2, in words
        with pytest.raises(ValidationError) as exc:
            adjustment_submit(actor=cast.office, adjustment=adjustment)
        assert any("超出收入合计" in m for m in exc.value.messages)
        adjustment.refresh_from_db()
        assert adjustment.status == AdjustmentStatus.DRAFT
        # S3.1: an account off the chart is refused when saving
        with pytest.raises(ValidationError) as exc:
            adjustment_save_lines(
                actor=cast.office,
                adjustment=adjustment,
                lines=[LineInput("502", Decimal("1.00"))],
                carryover=Decimal("0"),
                carryover_is_estimate=False,
                reason=ADJUSTMENT_REASON,
            )
        assert any("不在 2021 年版会计科目表中" in m for m in exc.value.messages)  # S3.1


@pytest.mark.django_db
def test_s3_4_an_adjustment_that_changes_nothing_cannot_be_submitted(cast, budget_in_force):
    with travel(at(YEAR, 5, 1, 9, 0)):
        adjustment = adjustment_create(actor=cast.office, budget=budget_in_force, reason=ADJUSTMENT_REASON)
        with pytest.raises(ValidationError) as exc:
            adjustment_submit(actor=cast.office, adjustment=adjustment)
        assert str(errors.NO_CHANGE) in exc.value.messages
        with pytest.raises(ValidationError) as exc:
            adjustment_create(actor=cast.office, budget=budget_in_force, reason="  ")
        # one open at a time is checked after the reason: the reason comes first
        assert str(errors.REASON_REQUIRED) in exc.value.messages


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (at(YEAR, 9, 30, 23, 59), True),
        (at(YEAR, 10, 1, 0, 0, 30), False),
        # the same instant written in UTC: 16:00:30 UTC is already 1 October in Shanghai
        (datetime.datetime(YEAR, 9, 30, 16, 0, 30, tzinfo=datetime.UTC), False),
        (datetime.datetime(YEAR, 9, 30, 15, 59, 0, tzinfo=datetime.UTC), True),
    ],
)
def test_s3_4_starting_an_adjustment_only_until_30_september_shanghai(cast, budget_in_force, moment, allowed):
    with travel(moment):
        if allowed:
            adjustment = adjustment_create(
                actor=cast.office, budget=budget_in_force, reason=ADJUSTMENT_REASON
            )
            assert adjustment.status == AdjustmentStatus.DRAFT
            return
        with pytest.raises(ValidationError) as exc:
            adjustment_create(actor=cast.office, budget=budget_in_force, reason=ADJUSTMENT_REASON)
    message = exc.value.messages[0]
    # S3.4 in words: the end of 30 September, no clock time or time-zone name
    assert f"{YEAR}年9月30日24时前" in message
    assert "23:59:59" not in message and "Asia/Shanghai" not in message
    assert f"{YEAR}年10月1日 00:00" in message and "S3.4" not in message
    assert not BudgetAdjustment.objects.exists()
    refused = Event.objects.get(verb="adjustment_refused")
    assert refused.actor == cast.office and refused.subject_id == str(budget_in_force.pk)


@pytest.mark.django_db
def test_s3_4_window_follows_the_unions_time_zone(cast, budget_in_force):
    """At 20:00 UTC on 30 September it is already 1 October in Shanghai, but not in London."""
    moment = datetime.datetime(YEAR, 9, 30, 20, 0, tzinfo=datetime.UTC)
    assert window_closes_at(union=cast.union, year=YEAR) == at(YEAR, 10, 1, 0, 0)
    with travel(moment), pytest.raises(ValidationError):
        adjustment_create(actor=cast.office, budget=budget_in_force, reason=ADJUSTMENT_REASON)
    union = budget_in_force.union
    union.time_zone = "Europe/London"
    union.save(update_fields=["time_zone"])
    with travel(moment):
        assert adjustment_create(actor=cast.office, budget=budget_in_force, reason=ADJUSTMENT_REASON).pk


@pytest.mark.django_db
def test_s3_4_congress_approval_at_23_59_on_30_september_takes_effect(cast, budget_in_force):
    with travel(at(YEAR, 9, 1, 10, 0)):
        adjustment = to_congress(cast, budget_in_force)
    with travel(at(YEAR, 9, 30, 23, 59)):
        congress_meeting(adjustment, cast)
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.IN_FORCE


@pytest.mark.django_db
def test_s3_4_congress_approval_after_the_cutoff_is_refused_with_an_event_and_the_adjustment_lapses(
    cast, budget_in_force
):
    with travel(at(YEAR, 9, 1, 10, 0)):
        adjustment = to_congress(cast, budget_in_force)
    version_before = budget_in_force.current_version_id
    meetings_before = Meeting.objects.count()
    with travel(at(YEAR, 10, 1, 0, 0, 30)), pytest.raises(ValidationError) as exc:
        congress_meeting(adjustment, cast)
    message = exc.value.messages[0]
    assert adjustment.title in message and f"{YEAR}年9月30日24时前" in message
    assert Meeting.objects.count() == meetings_before  # nothing of the meeting was recorded
    adjustment.refresh_from_db()
    budget_in_force.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.LAPSED
    assert budget_in_force.current_version_id == version_before
    refused = Event.objects.get(verb="decision_refused", subject_id=str(adjustment.pk))
    assert refused.actor == cast.congress_chair and refused.detail["step"] == "congress_ratification"
    assert Event.objects.filter(verb="lapsed", subject_id=str(adjustment.pk)).count() == 1


@pytest.mark.django_db
def test_s3_4_party_written_approval_after_the_cutoff_is_refused(cast, budget_in_force):
    with travel(at(YEAR, 9, 20, 10, 0)):
        adjustment = adjustment_submitted(cast, budget_in_force)
        audit_meeting(adjustment, cast)
    with travel(at(YEAR, 10, 1, 0, 0, 30)):
        with pytest.raises(ValidationError) as exc:
            party_reply(adjustment, cast)
        assert f"{YEAR}年9月30日24时前" in exc.value.messages[0]
    assert Event.objects.filter(verb="decision_refused", subject_id=str(adjustment.pk)).exists()
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.LAPSED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "allowed"), [(at(YEAR, 9, 30, 23, 59), True), (at(YEAR, 10, 1, 0, 0, 30), False)]
)
def test_s3_4_audit_approval_on_both_sides_of_the_cutoff(cast, budget_in_force, moment, allowed):
    with travel(at(YEAR, 9, 29, 10, 0)):
        adjustment = adjustment_submitted(cast, budget_in_force)
    with travel(moment):
        if allowed:
            audit_meeting(adjustment, cast)
        else:
            with pytest.raises(ValidationError):
                audit_meeting(adjustment, cast)
    adjustment.refresh_from_db()
    assert adjustment.status == (AdjustmentStatus.PARTY_APPROVAL if allowed else AdjustmentStatus.LAPSED)


@pytest.mark.django_db
def test_s3_4_submitting_after_the_cutoff_is_refused_and_lapses(cast, budget_in_force):
    with travel(at(YEAR, 9, 30, 12, 0)):
        adjustment = make_adjustment(cast, budget_in_force)
    with travel(at(YEAR, 10, 1, 0, 0, 30)), pytest.raises(ValidationError) as exc:
        adjustment_submit(actor=cast.office, adjustment=adjustment)
    assert f"{YEAR}年9月30日24时前" in exc.value.messages[0]
    assert Event.objects.filter(verb="submit_refused", actor=cast.office).exists()
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.LAPSED


@pytest.mark.django_db
def test_s3_4_open_adjustment_lapses_at_the_cutoff_and_the_sweep_is_idempotent(cast, budget_in_force):
    with travel(at(YEAR, 9, 20, 10, 0)):
        adjustment = adjustment_submitted(cast, budget_in_force)
        (item,) = open_items(adjustment)
    with travel(at(YEAR, 9, 30, 23, 59)):
        assert adjustments_lapse_due() == 0  # still inside the window
    with travel(at(YEAR, 10, 1, 0, 5)):
        assert lapse_adjustments.apply().get() == 1  # the beat task
        events = Event.objects.count()
        assert adjustments_lapse_due() == 0  # a second run changes nothing
        assert Event.objects.count() == events
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.LAPSED
    assert adjustment.process.status == "CANCELED"
    item.refresh_from_db()
    assert item.state == WorkItemState.CANCELED
    assert Task.objects.get(pk=item.task_id).status == STATUS.CANCELED
    lapsed = Event.objects.get(verb="lapsed", subject_id=str(adjustment.pk))
    assert lapsed.detail["cause"] == "sweep" and "已失效" in lapsed.detail["message"]
    budget_in_force.refresh_from_db()
    assert budget_in_force.current_version == adjustment.base_version  # nothing changed
    # a lapsed adjustment does not count against "once a year" but the window is closed anyway
    with travel(at(YEAR, 10, 2, 9, 0)), pytest.raises(ValidationError):
        adjustment_create(actor=cast.office, budget=budget_in_force, reason=ADJUSTMENT_REASON)


@pytest.mark.django_db
def test_s3_4_one_adjustment_a_year_unless_the_union_allows_more(cast, tree, budget_in_force):
    with travel(at(YEAR, 4, 1, 10, 0)):
        first = adjustment_submitted(cast, budget_in_force)
        with pytest.raises(ValidationError) as exc:
            adjustment_create(actor=cast.office, budget=budget_in_force, reason=ADJUSTMENT_REASON)
        assert exc.value.messages == [str(errors.ONE_OPEN % {"document": first.title})]
        audit_meeting(first, cast)
        party_reply(first, cast)
        congress_meeting(first, cast)
        budget_in_force.refresh_from_db()
        with pytest.raises(ValidationError) as exc:
            adjustment_create(actor=cast.office, budget=budget_in_force, reason=ADJUSTMENT_REASON)
        assert exc.value.messages == [str(errors.PER_YEAR_REACHED % {"year": YEAR, "count": 1, "allowed": 1})]
        # the department union allows two a year for its unions (nearest rule wins)
        AdjustmentRule.objects.create(union=tree["dept_a"], per_year=2)
        second = adjustment_create(actor=cast.office, budget=budget_in_force, reason="第二次调整")
        assert second.sequence == 2 and second.base_version == budget_in_force.current_version
        adjustment_withdraw(actor=cast.office, adjustment=second)
        # a withdrawn adjustment does not count; a third is the second that counts
        third = adjustment_create(actor=cast.office, budget=budget_in_force, reason="第二次调整")
        assert third.sequence == 3


@pytest.mark.django_db
def test_s3_4_union_committee_approves_where_the_unions_rules_say_so(cast, budget_in_force):
    AdjustmentRule.objects.create(union=cast.union, final_body=FinalBody.UNION_COMMITTEE)
    with travel(at(YEAR, 7, 1, 10, 0)):
        adjustment = adjustment_submitted(cast, budget_in_force)
        assert adjustment.final_body == FinalBody.UNION_COMMITTEE
        audit_meeting(adjustment, cast)
        party_reply(adjustment, cast)
        adjustment.refresh_from_db()
        assert adjustment.status == AdjustmentStatus.COMMITTEE_APPROVAL
        committee_meeting(adjustment, cast)
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.IN_FORCE


@pytest.mark.django_db
def test_s3_4_by_default_the_adjustment_follows_the_budgets_procedure(cast, budget_in_force):
    with travel(at(YEAR, 7, 1, 10, 0)):
        adjustment = adjustment_create(actor=cast.office, budget=budget_in_force, reason=ADJUSTMENT_REASON)
    assert adjustment.final_body == FinalBody.CONGRESS  # the budget's last body was the congress


@pytest.mark.django_db
def test_s3_4_return_with_opinions_makes_a_new_version_and_restarts_at_the_returning_body(
    cast, budget_in_force
):
    with travel(at(YEAR, 7, 1, 10, 0)):
        adjustment = adjustment_submitted(cast, budget_in_force)
        audit_meeting(adjustment, cast)
        party_reply(adjustment, cast, resolution=Resolution.RETURN, opinions="运动会经费请压减至20.5万元")
        adjustment.refresh_from_db()
        assert adjustment.status == AdjustmentStatus.RETURNED
        lines = [*ADJUSTED[:4], LineInput("50102", Decimal("205000.00")), ADJUSTED[5]]
        lines[2] = LineInput("403", Decimal("5000.00"))
        adjustment_save_lines(
            actor=cast.office,
            adjustment=adjustment,
            lines=lines,
            carryover=Decimal("20000.00"),
            carryover_is_estimate=False,
            reason=ADJUSTMENT_REASON,
        )
        adjustment.refresh_from_db()
        assert adjustment.current_version.number == 2  # version 1 (submitted) is kept
        adjustment_submit(actor=cast.office, adjustment=adjustment)
        adjustment.refresh_from_db()
        assert adjustment.status == AdjustmentStatus.PARTY_APPROVAL
        party_reply(adjustment, cast)
        congress_meeting(adjustment, cast)
    budget_in_force.refresh_from_db()
    assert amounts(budget_in_force.current_version)["50102"] == Decimal("205000.00")


@pytest.mark.django_db
def test_s3_4_each_step_permission_matrix(cast, tree, budget_in_force, supervisor_of):
    """Who may act at each step of the adjustment; others only view or see nothing."""
    from workflows.visibility import document_visible

    supervisor = supervisor_of(tree["dept_a"])
    everyone = {
        "office": cast.office,
        "chair": cast.chair,
        "audit_director": cast.audit_director,
        "audit_member": cast.audit_members[0],
        "party_secretary": cast.party_secretary,
        "congress_chair": cast.congress_chair,
        "rep3": cast.representatives[3],
        "supervisor": supervisor,
        "outsider": cast.outsider,
    }

    def actors(adjustment):
        items = open_items(adjustment)
        return {n for n, u in everyone.items() if any(user_may_act(user=u, work_item=i) for i in items)}

    def viewers(adjustment):
        return {
            n
            for n, u in everyone.items()
            if document_visible(user=u, union=adjustment.union, process_id=adjustment.process_id)
        }

    with travel(at(YEAR, 7, 1, 10, 0)):
        with pytest.raises(PermissionDenied):
            adjustment_create(actor=cast.audit_director, budget=budget_in_force, reason=ADJUSTMENT_REASON)
        with pytest.raises(PermissionDenied):
            adjustment_create(actor=supervisor, budget=budget_in_force, reason=ADJUSTMENT_REASON)
        adjustment = make_adjustment(cast, budget_in_force)
        assert actors(adjustment) == {"office"}
        with pytest.raises(PermissionDenied):
            adjustment_submit(actor=cast.chair, adjustment=adjustment)
        adjustment_submit(actor=cast.office, adjustment=adjustment)
        assert actors(adjustment) == {"audit_director", "office"}
        audit_meeting(adjustment, cast)
        assert actors(adjustment) == {"party_secretary", "office"}
        party_reply(adjustment, cast)
        assert actors(adjustment) == {"congress_chair", "office"}
        assert {"rep3", "congress_chair", "supervisor", "chair"} <= viewers(adjustment)
        assert "outsider" not in viewers(adjustment)
        congress_meeting(adjustment, cast)
        assert actors(adjustment) == set()
    assert WorkItem.objects.filter(process=adjustment.process, state=WorkItemState.OPEN).count() == 0
    adjustment.refresh_from_db()
    budget_line_count = BudgetLine.objects.filter(version=adjustment.result_version).count()
    assert budget_line_count == len(ADJUSTED)
