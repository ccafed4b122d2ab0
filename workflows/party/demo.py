"""Demo: the Party organisation's leadership (S1.1–S1.3), through the real services.

The finance department's organ Party committee leads the Party organisations of its two grassroots
unions (S1.1). At the first of them: this year's hearing heard, with one action item open and one
overdue (S1.2); a request for instructions awaiting its reply, one whose reply is overdue, and a report
acknowledged (S1.3). At the second: this year's hearing asked for and on the Party organisation's
agenda. Idempotent: once the unions have hearings, nothing more is made.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.models import Body, BodyKind, Seat, Union, User
from core.services.permissions import party_link_set
from workflows.models import Resolution, WorkItem, WorkItemState
from workflows.services.decisions import written_decision_record
from workflows.services.personal import personal_decide

from . import hearings, services
from .models import ActionItem, CatalogueItem, Hearing, InstructionRequest, Matter

LEADER, LED = "fin", ("fin-centre", "fin-office")


def _user(code: str, suffix: str) -> User:
    return User.objects.get(username=f"{code}-{suffix}")


def _open(document, step: str) -> WorkItem:
    return WorkItem.objects.get(process_id=document.process_id, step=step, state=WorkItemState.OPEN)


def _link_leader() -> None:
    """S1.1: the department's organ Party committee leads its grassroots unions' Party organisations."""
    leader = Body.objects.filter(union__code=LEADER, kind=BodyKind.PARTY_ORGANIZATION).first()
    for body in Body.objects.filter(union__code__in=LED, kind=BodyKind.PARTY_ORGANIZATION, led_by=None):
        if leader is not None:
            party_link_set(body=body, led_by=leader)


def _sent(union: Union, matter: str, title: str, text: str) -> InstructionRequest:
    code = union.code
    request = services.request_create(
        actor=_user(code, "office"),
        union=union,
        items=[CatalogueItem.objects.get(union=None, matter=matter)],
        title=title,
        text=text,
    )
    services.request_submit(actor=_user(code, "office"), request=request)
    personal_decide(
        work_item=_open(request, "chair_sign"), actor=_user(code, "chair"), resolution=Resolution.APPROVE
    )
    request.refresh_from_db()
    return request


def _overdue(request: InstructionRequest, days: int) -> None:
    """As if sent ``days`` past its time limit: the reply's due date moved into the past."""
    due = timezone.now() - datetime.timedelta(days=days)
    WorkItem.objects.filter(
        process_id=request.process_id, step="party_reply", state=WorkItemState.OPEN
    ).update(due_at=due, created_at=due - datetime.timedelta(days=request.item.reply_days))
    InstructionRequest.objects.filter(pk=request.pk).update(reply_due=timezone.localdate(due))


def _requests(union: Union) -> list[InstructionRequest]:
    waiting = _sent(
        union,
        Matter.CONGRESS,
        "关于召开第二届会员大会第三次会议的请示",
        "拟于明年一月召开会员大会，审议年度工作报告和经费预算。妥否，请批示。",
    )
    late = _sent(
        union,
        Matter.ELECTION,
        "关于增补工会委员会委员的请示",
        "因人员调动，拟增补工会委员会委员一名，候选人建议名单附后。妥否，请批示。",
    )
    _overdue(late, days=5)
    report = _sent(union, Matter.ACTIVITY, "关于举办迎新春职工趣味运动会的报告", "活动方案附后，特此报告。")
    written_decision_record(
        work_item=_open(report, "party_reply"),
        recorder=_user(union.code, "party"),
        resolution=Resolution.APPROVE,
        reference_number="",
        decided_on=timezone.localdate(),
        opinions="注意活动安全。",
    )
    return [waiting, late, report]


def _heard(union: Union, year: int) -> Hearing:
    code = union.code
    hearing = services.hearing_create(
        actor=_user(code, "office"),
        union=union,
        year=year,
        report_kind="year_end",
        report="一年来，工会围绕中心、服务大局，建家活动扎实开展……存在的问题：活动场地不足、经费保障有待加强。",
    )
    services.hearing_submit(actor=_user(code, "office"), hearing=hearing)
    item = _open(hearing, "party_hearing")
    meets = hearings.meeting_body(item)  # the organ Party committee that leads it (S1.1)
    secretary = _user(meets.union.code, "party")
    today = timezone.localdate()
    held_on = today - datetime.timedelta(days=30)
    hearings.hearing_record(
        recorder=secretary,
        work_item=item,
        held_on=held_on,
        place="机关党委会议室",
        attendee_ids=list(
            Seat.objects.filter(body=meets).in_force(held_on).values_list("person_id", flat=True)
        ),
        matters_studied="听取工会年度工作汇报；研究职工活动场地和经费保障问题。",
        problems=[
            services.Problem(
                "协调解决职工活动场地", _user(code, "chair").pk, "", today + datetime.timedelta(days=20)
            ),
            services.Problem("落实工会经费拨缴", None, "机关财务处", today - datetime.timedelta(days=3)),
        ],
    )
    return hearing


@transaction.atomic
def seed_demo_party(*, write=print) -> list[str]:
    _link_leader()
    unions = [u for code in LED if (u := Union.objects.filter(code=code).first()) is not None]
    if not unions or Hearing.objects.filter(union__in=unions).exists():
        return []
    first, *others = unions
    made = [r.title for r in _requests(first)]
    made.append(_heard(first, timezone.localdate().year).title)
    for union in others:
        hearing = services.hearing_create(
            actor=_user(union.code, "office"),
            union=union,
            year=timezone.localdate().year,
            report_kind="year_end",
            report="本年度工会工作总结及下一年度工作打算。",
        )
        services.hearing_submit(actor=_user(union.code, "office"), hearing=hearing)
        made.append(hearing.title)
    open_items = ActionItem.objects.filter(union__in=unions, closed_on__isnull=True).count()
    if write:
        write(f"Party organisation: {len(made)} documents, {open_items} open action items")
    return made


demo_seeders.register("party organisation", seed_demo_party, order=88)
