"""The annual plan chain through services (S2.1, S2.2): straight path, returns, execution."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.statutory import Obligation
from tests.factories import plan_sections
from tests.scenarios import (
    STEP_ACTIONS,
    committee_meeting,
    congress_meeting,
    drive,
    party_reply,
    plan_at_committee,
    plan_in_force,
)
from workflows.models import Resolution, ReturnRule
from workflows.plan.models import PlanItem, PlanProgress, PlanStatus
from workflows.plan.services import (
    plan_create,
    plan_progress_record,
    plan_save,
    plan_submit,
)
from workflows.services.drafting import Recipient

D = datetime.date


@pytest.mark.django_db
def test_s2_1_empty_area_without_reason_cannot_be_submitted(cast):
    plan = plan_create(actor=cast.office, union=cast.union, year=2027)
    plan_save(actor=cast.office, plan=plan, sections=plan_sections(leave_empty="culture"))
    with pytest.raises(ValidationError) as exc:
        plan_submit(
            actor=cast.office,
            plan=plan,
            recipients=[Recipient(cast.representatives[0])],
            due_at=timezone.now() + datetime.timedelta(days=3),
        )
    assert any("方面没有任务" in m for m in exc.value.messages)  # S2.1, in words
    plan_save(
        actor=cast.office, plan=plan, sections=plan_sections(leave_empty="culture", reason="由机关统一组织")
    )
    plan_submit(
        actor=cast.office,
        plan=plan,
        recipients=[Recipient(cast.representatives[0])],
        due_at=timezone.now() + datetime.timedelta(days=3),
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SOLICITING


@pytest.mark.django_db
def test_s2_2_chain_to_in_force_meets_the_obligation(cast):
    from core.services.statutory import obligations_generate

    obligations_generate(fiscal_year=2027)
    plan = plan_at_committee(cast)
    assert plan.status == PlanStatus.COMMITTEE_MEETING
    committee_meeting(plan, cast)
    party_reply(plan, cast)
    congress_meeting(plan, cast)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_FORCE
    assert Obligation.objects.get(union=cast.union, code="S2.2", fiscal_year=2027).met_on is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "returning, restart, expected",
    [
        ("committee_meeting", None, PlanStatus.COMMITTEE_MEETING),
        ("party_approval", None, PlanStatus.PARTY_CONSENT),
        ("congress_ratification", None, PlanStatus.CONGRESS_RATIFICATION),
        ("congress_ratification", "committee_meeting", PlanStatus.COMMITTEE_MEETING),
        ("party_approval", "give_opinion", PlanStatus.SOLICITING),
    ],
)
def test_s2_2_every_return_path(cast, returning, restart, expected):
    if restart:
        ReturnRule.objects.create(
            union=cast.union, document_type="annual_plan", returning_step=returning, restart_step=restart
        )
    plan = drive(plan_at_committee(cast), cast, until=returning)
    STEP_ACTIONS[returning](plan, cast, Resolution.RETURN, "请细化时间表")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    plan_save(actor=cast.office, plan=plan, sections=plan_sections(owner=cast.office))
    plan_submit(
        actor=cast.office,
        plan=plan,
        recipients=[Recipient(cast.representatives[1])] if restart == "give_opinion" else None,
        due_at=timezone.now() + datetime.timedelta(days=3),
    )
    plan.refresh_from_db()
    assert plan.status == expected
    assert plan.versions.count() == 2


@pytest.mark.django_db
def test_execution_progress_by_the_owner(cast):
    plan = plan_in_force(cast, sections=plan_sections(owner=cast.office))
    item = plan.current_version.sections.get(area="competitions").items.get()
    plan_progress_record(
        actor=cast.office, plan=plan, item=item, state="on_track", percent=40, note="已完成初赛"
    )
    assert PlanProgress.objects.get().percent == 40


@pytest.mark.django_db
def test_periodic_review_shows_what_slips(cast, client):
    """S2.3 execution: a quarterly review records done, on-time and slipping tasks."""
    from django.urls import reverse

    from workflows.plan.models import PlanReview
    from workflows.plan.services import plan_review_record, reviews_due

    plan = plan_in_force(cast, sections=plan_sections(owner=cast.office))
    items = {i.section.area: i for i in PlanItem.objects.filter(section__version=plan.current_version)}
    plan_progress_record(actor=cast.office, plan=plan, item=items["culture"], state="done", percent=100)
    plan_progress_record(actor=cast.office, plan=plan, item=items["rights"], state="slipping", percent=10)
    assert reviews_due(plan=plan, today=D(2027, 7, 2)) == ["2027-Q1", "2027-Q2"]
    review = plan_review_record(actor=cast.office, plan=plan, held_on=D(2027, 3, 31), note="一季度推进会")
    assert review.period == "2027-Q1"
    assert len(review.done) == 1 and len(review.slipping) == 1 and len(review.on_time) == 5
    assert reviews_due(plan=plan, today=D(2027, 7, 2)) == ["2027-Q2"]
    with pytest.raises(ValidationError):
        plan_review_record(actor=cast.office, plan=plan, held_on=D(2027, 3, 15))
    # through the page: the representative only reads; an officer records
    client.force_login(cast.representatives[0])
    refused = client.post(reverse("plan:review", args=[plan.pk]), {"held_on": "2027-06-30"})
    assert refused.status_code in (403, 404)
    client.force_login(cast.chair)
    client.post(reverse("plan:review", args=[plan.pk]), {"held_on": "2027-06-30", "note": "二季度"})
    assert PlanReview.objects.filter(plan=plan, period="2027-Q2").exists()
    page = client.get(reverse("plan:detail", args=[plan.pk])).content.decode()
    assert 'data-testid="reviews"' in page and "一季度推进会" in page
