"""The Party organisation's chains (S1.1–S1.3) through their services: a request for instructions and a
report along their routes, the hearing meeting S1.2 with its action items, and an organ Party committee
acting for the unions it leads."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import Body, BodyKind, Role
from core.services.permissions import party_link_set
from core.services.statutory import obligations_generate
from core.statutory import Obligation
from notifications.models import Notification, Reminder
from notifications.services.reminders import reminders_send_due
from tests.factories import seated
from tests.scenarios import open_item, open_items
from workflows.models import Resolution
from workflows.party import hearings
from workflows.party.models import CatalogueItem, Hearing, HearingStatus, Matter, Reply, RequestStatus
from workflows.party.reminders import action_items_remind
from workflows.party.services import (
    Problem,
    carried_out_record,
    hearing_create,
    hearing_submit,
    request_create,
    request_submit,
    request_withdraw,
)
from workflows.services.decisions import written_decision_record
from workflows.services.personal import personal_decide
from workflows.services.workitems import AlreadyHandled

pytestmark = pytest.mark.django_db


def catalogue(matter: str) -> CatalogueItem:
    return CatalogueItem.objects.get(union__isnull=True, matter=matter)


def drafted(cast, matter=Matter.CONGRESS, title="关于召开第三次会员代表大会的请示"):
    return request_create(
        actor=cast.office, union=cast.union, items=[catalogue(matter)], title=title, text="拟于明年三月召开。"
    )


def signed(cast, request):
    request_submit(actor=cast.office, request=request)
    item = open_item(request, "chair_sign")
    personal_decide(work_item=item, actor=cast.chair, resolution=Resolution.APPROVE)
    request.refresh_from_db()
    return request


def reply(cast, request, choice=Resolution.APPROVE, opinions="", recorder=None):
    return written_decision_record(
        work_item=open_item(request, "party_reply"),
        recorder=recorder or cast.party_secretary,
        resolution=choice,
        reference_number="机党〔2026〕7号",
        decided_on=timezone.localdate(),
        opinions=opinions,
    )


def test_S1_3_request_agreed_with_instructions_is_carried_out_then_filed(cast):
    request = signed(cast, drafted(cast))
    assert request.status == RequestStatus.AWAITING_REPLY
    item = open_item(request, "party_reply")
    assert item.body.kind == BodyKind.PARTY_ORGANIZATION
    assert request.reply_due == (timezone.localdate() + datetime.timedelta(days=10))
    reply(cast, request, opinions="控制会期，节约办会。")
    request.refresh_from_db()
    assert (request.reply, request.reply_reference) == (Reply.AGREE_WITH_INSTRUCTIONS, "机党〔2026〕7号")
    assert request.status == RequestStatus.CARRYING_OUT
    carried_out_record(actor=cast.office, request=request, text="会期压缩为半天，已按要求办理。")
    request.refresh_from_db()
    assert request.status == RequestStatus.FILED
    assert not open_items(request)


def test_S1_3_a_request_not_agreed_is_filed_as_such(cast):
    request = signed(cast, drafted(cast))
    reply(cast, request, Resolution.RETURN, opinions="时机不成熟。")
    request.refresh_from_db()
    assert (request.status, request.reply) == (RequestStatus.DISAGREED, Reply.DISAGREE)
    assert not open_items(request)


def test_S1_3_a_report_is_acknowledged_and_filed(cast):
    report = signed(cast, drafted(cast, Matter.ACTIVITY, "关于举办职工运动会的报告"))
    assert report.kind == "report"
    reply(cast, report)
    report.refresh_from_db()
    assert (report.status, report.reply) == (RequestStatus.FILED, Reply.ACKNOWLEDGED)


def test_S1_3_one_matter_per_request(cast):
    with pytest.raises(ValidationError) as refused:
        request_create(
            actor=cast.office,
            union=cast.union,
            items=[catalogue(Matter.CONGRESS), catalogue(Matter.ELECTION)],
            title="关于召开大会和换届选举的请示",
            text="两件事。",
        )
    assert "一文一事" in " ".join(refused.value.messages)


def test_S1_3_only_a_recorder_of_that_party_organisation_replies(cast):
    request = signed(cast, drafted(cast))
    member = seated(cast.union, Role.MEMBER, BodyKind.PARTY_ORGANIZATION, username="a1-party-member")
    for stranger in (member, cast.outsider, cast.chair):
        with pytest.raises(PermissionDenied):
            reply(cast, request, recorder=stranger)


def test_S1_3_no_reply_to_a_withdrawn_request(cast):
    request = signed(cast, drafted(cast))
    item = open_item(request, "party_reply")
    request_withdraw(actor=cast.office, request=request, reason="事项取消")
    with pytest.raises((ValidationError, PermissionDenied, AlreadyHandled)):
        written_decision_record(
            work_item=item,
            recorder=cast.party_secretary,
            resolution=Resolution.APPROVE,
            reference_number="机党〔2026〕8号",
            decided_on=timezone.localdate(),
        )


def heard_request(cast, year=2026):
    hearing = hearing_create(
        actor=cast.office, union=cast.union, year=year, report_kind="year_end", report="一年来工会工作……"
    )
    hearing_submit(actor=cast.office, hearing=hearing)
    return hearing


def test_S1_2_the_hearing_recorded_meets_S1_2_and_opens_action_items(cast):
    obligations_generate(fiscal_year=2026)
    hearing = heard_request(cast)
    item = open_item(hearing, "party_hearing")
    due = timezone.localdate() + datetime.timedelta(days=30)
    hearings.hearing_record(
        recorder=cast.party_secretary,
        work_item=item,
        held_on=timezone.localdate(),
        place="机关党委会议室",
        attendee_ids=[cast.party_secretary.pk],
        matters_studied="听取工会年度工作汇报，研究职工之家建设。",
        problems=[
            Problem("职工活动场地不足", cast.chair.pk, "", due),
            Problem("经费保障", None, "机关财务处", due),
        ],
    )
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.HEARD
    assert hearing.meeting.has_quorum and hearing.action_items.count() == 2
    ob = Obligation.objects.get(union=cast.union, code="S1.2", fiscal_year=2026)
    assert ob.met_on == timezone.localdate() and ob.met_by == f"hearing:{hearing.pk}"


def test_S1_2_a_hearing_without_quorum_or_with_an_incomplete_problem_is_refused(cast):
    hearing = heard_request(cast)
    item = open_item(hearing, "party_hearing")
    second = seated(cast.union, Role.MEMBER, BodyKind.PARTY_ORGANIZATION, username="a1-party-2")
    seated(cast.union, Role.MEMBER, BodyKind.PARTY_ORGANIZATION, username="a1-party-3")
    common = dict(recorder=cast.party_secretary, work_item=item, held_on=timezone.localdate(), place="会议室")
    with pytest.raises(ValidationError) as refused:
        hearings.hearing_record(**common, attendee_ids=[cast.party_secretary.pk], matters_studied="汇报")
    assert "应到3人，实到1人" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError) as refused:
        hearings.hearing_record(
            **common,
            attendee_ids=[cast.party_secretary.pk, second.pk],
            matters_studied="汇报",
            problems=[Problem("活动场地", None, "", None)],
        )
    text = " ".join(refused.value.messages)
    assert "第1项问题：请指定责任人或责任部门" in text and "第1项问题：请填写完成时限" in text
    assert Hearing.objects.get(pk=hearing.pk).status == HearingStatus.ON_AGENDA


def test_S1_2_action_items_remind_their_owner_and_the_chair_then_close(cast):
    hearing = heard_request(cast)
    due = timezone.localdate() + datetime.timedelta(days=7)
    hearings.hearing_record(
        recorder=cast.party_secretary,
        work_item=open_item(hearing, "party_hearing"),
        held_on=timezone.localdate(),
        place="会议室",
        attendee_ids=[cast.party_secretary.pk],
        matters_studied="听取汇报",
        problems=[Problem("职工书屋改造", cast.office.pk, "", due)],
    )
    assert action_items_remind() == 2  # the owner and the chair, seven days before
    assert action_items_remind() == 0  # once per occasion
    late = timezone.localdate() + datetime.timedelta(days=14)
    assert action_items_remind(today=late) == 2  # a week overdue
    action = hearing.action_items.get()
    with pytest.raises(PermissionDenied):
        hearings.action_item_close(actor=cast.outsider, item=action, note="完成")
    with pytest.raises(ValidationError):
        hearings.action_item_close(actor=cast.office, item=action, note=" ")
    hearings.action_item_close(actor=cast.office, item=action, note="书屋已改造开放。")
    assert action_items_remind(today=late + datetime.timedelta(days=7)) == 0


def test_S1_1_an_organ_party_committee_acts_for_each_union_it_leads(cast, tree):
    leader = Body.objects.get(union=tree["b1"], kind=BodyKind.PARTY_ORGANIZATION)
    secretary = seated(tree["b1"], Role.SECRETARY, BodyKind.PARTY_ORGANIZATION, username="organ-party")
    request = signed(cast, drafted(cast))
    with pytest.raises(PermissionDenied):
        reply(cast, request, recorder=secretary)
    party_link_set(body=cast.body("party_organization"), led_by=leader)
    reply(cast, request, recorder=secretary)
    request.refresh_from_db()
    assert request.reply == Reply.AGREE


def test_S1_3_an_overdue_reply_reminds_the_party_organisations_recorders(cast):
    """Time moved through the reply's reminders: before the due date and after it the Party secretary
    (the recorder) is told; once it is late the union's chair is told too."""
    request = signed(cast, drafted(cast))
    item = open_item(request, "party_reply")
    until = item.due_at + datetime.timedelta(days=3)
    for _ in range(20):
        pending = (
            Reminder.objects.filter(subject_kind="work_item", subject_id=item.pk, state="pending")
            .order_by("fire_at")
            .first()
        )
        if pending is None or pending.fire_at > until:
            break
        reminders_send_due(now=pending.fire_at + datetime.timedelta(minutes=1))
    told = Notification.objects.filter(recipient=cast.party_secretary, url__contains=str(request.pk))
    assert told.filter(created_at__gt=item.due_at).exists(), "an overdue reply reminds its recorder"
    assert told.filter(created_at__lt=item.due_at).exists()  # before it too
    assert Notification.objects.filter(recipient=cast.chair, created_at__gt=item.due_at).exists()  # escalated
