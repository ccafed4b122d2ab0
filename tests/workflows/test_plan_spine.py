"""The annual plan chain through services (S2.1, S2.2): straight path, returns, execution."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Body
from core.statutory import Obligation
from workflows.models import OpinionAnswer, Resolution, ReturnRule, WorkItem, WorkItemState
from workflows.plan.models import DutyArea, PlanItem, PlanProgress, PlanStatus
from workflows.plan.services import (
    ItemInput,
    SectionInput,
    plan_create,
    plan_progress_record,
    plan_save,
    plan_submit,
)
from workflows.services.decisions import AgendaVote, meeting_record, opinion_answer, written_decision_record
from workflows.services.drafting import Recipient

D = datetime.date


def full_sections(owner=None, leave_empty=None, reason=""):
    sections = []
    for area in DutyArea.values:
        if area == leave_empty:
            sections.append(SectionInput(area, [], reason))
        else:
            sections.append(
                SectionInput(
                    area, [ItemInput(f"{area} 重点任务", D(2027, 3, 1), D(2027, 11, 30), owner=owner)]
                )
            )
    return sections


def open_items(plan, step=None):
    qs = WorkItem.objects.filter(process=plan.process, state=WorkItemState.OPEN)
    return list(qs.filter(step=step) if step else qs)


@pytest.fixture
def committee_members(cast):
    from core.models import Role
    from tests.factories import UserFactory, give_seat

    members = [UserFactory(username=f"a1-committee{i}") for i in range(2)]
    for member in members:
        give_seat(member, cast.union, Role.MEMBER, "union_committee")
    return [cast.chair, *members]


def to_committee(cast, sections=None):
    plan = plan_create(actor=cast.office, union=cast.union, year=2027)
    plan_save(actor=cast.office, plan=plan, sections=sections or full_sections(owner=cast.office))
    plan_submit(
        actor=cast.office,
        plan=plan,
        recipients=[Recipient(cast.group_leader, cast.group)],
        due_at=timezone.now() + datetime.timedelta(days=5),
    )
    for item in open_items(plan, "give_opinion"):
        opinion_answer(
            work_item=item, actor=item.assignee, answer=OpinionAnswer.OPINION, text="增加技能竞赛项目"
        )
    plan_submit(actor=cast.office, plan=plan)
    plan.refresh_from_db()
    return plan


def committee(plan, cast, members, resolution=Resolution.APPROVE, opinions=""):
    (item,) = open_items(plan, "committee_meeting")
    body = Body.objects.get(union=cast.union, kind="union_committee")
    meeting_record(
        body=body,
        recorder=cast.chair,
        held_on=timezone.localdate(),
        place="会议室",
        attendee_ids=[m.pk for m in members],
        votes=[
            AgendaVote(
                item.pk,
                resolution,
                votes_for=len(members) if resolution == "approve" else 0,
                opinions=opinions,
            )
        ],
    )


def party(plan, cast, resolution=Resolution.APPROVE, opinions=""):
    (item,) = open_items(plan, "party_approval")
    written_decision_record(
        work_item=item,
        recorder=cast.party_secretary,
        resolution=resolution,
        reference_number="机党〔2027〕3号",
        decided_on=timezone.localdate(),
        opinions=opinions,
    )


def congress(plan, cast, resolution=Resolution.APPROVE, opinions=""):
    (item,) = open_items(plan, "congress_ratification")
    body = Body.objects.get(union=cast.union, kind="congress")
    meeting_record(
        body=body,
        recorder=cast.congress_chair,
        held_on=timezone.localdate(),
        place="礼堂",
        attendee_ids=[p.pk for p in cast.congress],
        votes=[
            AgendaVote(item.pk, resolution, votes_for=6 if resolution == "approve" else 0, opinions=opinions)
        ],
    )


@pytest.mark.django_db
def test_s2_1_empty_area_without_reason_cannot_be_submitted(cast):
    plan = plan_create(actor=cast.office, union=cast.union, year=2027)
    plan_save(actor=cast.office, plan=plan, sections=full_sections(leave_empty="culture"))
    with pytest.raises(ValidationError) as exc:
        plan_submit(
            actor=cast.office,
            plan=plan,
            recipients=[Recipient(cast.representatives[0])],
            due_at=timezone.now() + datetime.timedelta(days=3),
        )
    assert any("S2.1" in m for m in exc.value.messages)
    plan_save(
        actor=cast.office, plan=plan, sections=full_sections(leave_empty="culture", reason="由机关统一组织")
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
def test_s2_2_chain_to_in_force_meets_the_obligation(cast, committee_members):
    from core.services.statutory import obligations_generate

    obligations_generate(fiscal_year=2027)
    plan = to_committee(cast)
    assert plan.status == PlanStatus.COMMITTEE_MEETING
    committee(plan, cast, committee_members)
    party(plan, cast)
    congress(plan, cast)
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
def test_s2_2_every_return_path(cast, committee_members, returning, restart, expected):
    if restart:
        ReturnRule.objects.create(
            union=cast.union, document_type="annual_plan", returning_step=returning, restart_step=restart
        )
    plan = to_committee(cast)
    steps = [("committee_meeting", committee), ("party_approval", party), ("congress_ratification", congress)]
    for step, act in steps:
        if step == returning:
            if act is committee:
                act(plan, cast, committee_members, Resolution.RETURN, "请细化时间表")
            else:
                act(plan, cast, Resolution.RETURN, "请细化时间表")
            break
        act(plan, cast, committee_members) if act is committee else act(plan, cast)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    plan_save(actor=cast.office, plan=plan, sections=full_sections(owner=cast.office))
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
def test_execution_progress_by_the_owner(cast, committee_members):
    plan = to_committee(cast, full_sections(owner=cast.office))
    committee(plan, cast, committee_members)
    party(plan, cast)
    congress(plan, cast)
    plan.refresh_from_db()
    item = plan.current_version.sections.get(area="competitions").items.get()
    plan_progress_record(
        actor=cast.office, plan=plan, item=item, state="on_track", percent=40, note="已完成初赛"
    )
    assert PlanProgress.objects.get().percent == 40


@pytest.mark.django_db
def test_periodic_review_shows_what_slips(cast, committee_members, client):
    """S2.3 execution: a quarterly review records done, on-time and slipping tasks."""
    from django.urls import reverse

    from workflows.plan.models import PlanReview
    from workflows.plan.services import plan_review_record, reviews_due

    plan = to_committee(cast, full_sections(owner=cast.office))
    committee(plan, cast, committee_members)
    party(plan, cast)
    congress(plan, cast)
    plan.refresh_from_db()
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
