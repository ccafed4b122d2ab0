"""Demo annual plans (S2.1–S2.3), driven through the real services.

fin-office: the 2027 plan in force, with progress recorded on its tasks (one done, one on track, one
slipping); edu-office: the 2027 plan waiting at the union committee meeting; fin-centre: the 2027 plan
whose committee vote did not pass (未通过), back with the drafter for revision. Idempotent: a union
that already has a plan for the year is left alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.models import Body, BodyKind, Seat, Union, User
from workflows.models import OpinionAnswer, Resolution, WorkItem, WorkItemState
from workflows.services.decisions import AgendaVote, meeting_record, written_decision_record
from workflows.services.opinions import opinion_answer

from .models import AnnualPlan, DutyArea, PlanStatus
from .services import (
    ItemInput,
    Recipient,
    SectionInput,
    plan_create,
    plan_progress_record,
    plan_save,
    plan_submit,
)

DEMO_YEAR = 2027
D = datetime.date
FOREWORD = (
    "以习近平新时代中国特色社会主义思想为指导，围绕机关中心工作，"
    "突出政治引领、服务职工、建家强会，扎实推进“五个一”基本工作法。"
)
# duty area → [(task, owner username suffix or "", owner text, from, until)]
TASKS: dict[str, list[tuple[str, str, str, datetime.date, datetime.date]]] = {
    DutyArea.IDEOLOGY: [
        ("组织职工深入学习党的创新理论", "chair", "", D(DEMO_YEAR, 2, 15), D(DEMO_YEAR, 12, 15)),
        ("开展“劳模工匠进机关”宣讲", "", "宣传委员", D(DEMO_YEAR, 4, 1), D(DEMO_YEAR, 5, 31)),
    ],
    DutyArea.COMPETITIONS: [
        ("岗位练兵和业务技能竞赛", "vicechair", "", D(DEMO_YEAR, 3, 1), D(DEMO_YEAR, 10, 31)),
    ],
    DutyArea.TRAINING: [
        ("青年干部公文写作培训班", "office", "办公室", D(DEMO_YEAR, 3, 1), D(DEMO_YEAR, 6, 30)),
    ],
    DutyArea.CULTURE: [
        ("春季职工健步走活动", "committee1", "", D(DEMO_YEAR, 3, 15), D(DEMO_YEAR, 4, 30)),
        ("迎国庆职工文艺汇演", "committee2", "", D(DEMO_YEAR, 8, 1), D(DEMO_YEAR, 9, 30)),
    ],
    DutyArea.RIGHTS: [
        ("困难职工帮扶和“送温暖”", "women", "女职工委员会", D(DEMO_YEAR, 1, 10), D(DEMO_YEAR, 12, 31)),
    ],
    DutyArea.ORGANISATION: [
        ("创建模范职工之家", "chair", "", D(DEMO_YEAR, 3, 1), D(DEMO_YEAR, 11, 30)),
    ],
    DutyArea.FUNDS: [
        ("编制年度经费预算并按季度分析执行", "finance", "财务", D(DEMO_YEAR, 1, 1), D(DEMO_YEAR, 12, 31)),
    ],
}
# S1.2 planning together: task → the reference of the Party organisation's document deploying it with
# Party building (一起研究、一起部署)
WITH_PARTY = {"组织职工深入学习党的创新理论": f"机党发〔{DEMO_YEAR}〕2号"}
# union code → the step its demo plan stops at
PLANS = {"fin-office": "in_force", "edu-office": "committee_meeting", "fin-centre": "not_passed"}
# (area, task index, state, percent, note) recorded on the fin-office plan in force
PROGRESS = [
    (DutyArea.IDEOLOGY, 0, "on_track", 40, "已开展专题学习4次。"),
    (DutyArea.CULTURE, 0, "done", 100, "健步走活动已完成，参与职工126人。"),
    (DutyArea.TRAINING, 0, "slipping", 20, "培训场地未落实，计划顺延。"),
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _open(plan: AnnualPlan, step: str) -> list[WorkItem]:
    return list(
        WorkItem.objects.filter(process=plan.process, state=WorkItemState.OPEN, step=step).order_by("id")
    )


def _members(union: Union, kind: str) -> list[User]:
    body = Body.objects.get(union=union, kind=kind)
    return [s.person for s in Seat.objects.in_force().filter(body=body).select_related("person")]


def _sections(code: str) -> list[SectionInput]:
    sections = []
    for area in DutyArea:
        items = [
            ItemInput(
                title,
                starts,
                ends,
                owner=_user(f"{code}-{suffix}") if suffix else None,
                owner_text=text,
                with_party=title in WITH_PARTY,
                party_reference=WITH_PARTY.get(title, ""),
            )
            for title, suffix, text, starts, ends in TASKS[area]
        ]
        sections.append(SectionInput(area.value, items))
    return sections


def _recipients(union: Union) -> list[Recipient]:
    reps = (
        Seat.objects.in_force()
        .filter(union=union, body__kind=BodyKind.CONGRESS, role="representative")
        .select_related("person")
        .order_by("person_id")[:3]
    )
    recipients = [Recipient(s.person) for s in reps]
    groups = Seat.objects.in_force().filter(union__parent=union, role="chair", body__isnull=True)
    recipients += [Recipient(s.person, s.union) for s in groups.select_related("person", "union")]
    return recipients


def _meeting(union: Union, kind: str, recorder: User, item: WorkItem, place: str, minutes: str) -> None:
    members = _members(union, kind)
    meeting_record(
        body=Body.objects.get(union=union, kind=kind),
        recorder=recorder,
        held_on=timezone.localdate(),
        place=place,
        attendee_ids=[p.pk for p in members],
        votes=[AgendaVote(item.pk, Resolution.APPROVE, votes_for=len(members))],
        minutes=minutes,
    )


@transaction.atomic
def seed_demo_plans(*, write: Callable[[str], object] = print) -> None:
    made = []
    for code, goal in PLANS.items():
        union = Union.objects.get(code=code)
        if (
            AnnualPlan.objects.filter(union=union, year=DEMO_YEAR)
            .exclude(status=PlanStatus.WITHDRAWN)
            .exists()
        ):
            continue
        office = _user(f"{code}-office")
        plan = _plan_consolidated(union, office)
        if goal == "committee_meeting":
            made.append(f"{union.name} {DEMO_YEAR}: 待工会委员会集体研究")
            continue
        if goal == "not_passed":
            _plan_not_passed(union, plan)
            made.append(f"{union.name} {DEMO_YEAR}: 工会委员会表决未通过，退回办公室修改")
            continue
        _plan_approved(union, office, plan)
        _progress_recorded(plan, office)
        made.append(f"{union.name} {DEMO_YEAR}: 已生效，{len(PROGRESS)}项任务已报进度")
    for line in made:
        write(f"  demo plan: {line}")


def _plan_consolidated(union: Union, office: User) -> AnnualPlan:
    """The demo year's plan, drafted, sent for opinions (one recipient gives one, the others none)
    and consolidated: it waits at the union committee's meeting."""
    plan = plan_create(actor=office, union=union, year=DEMO_YEAR, foreword=FOREWORD)
    plan_save(actor=office, plan=plan, sections=_sections(union.code), foreword=FOREWORD)
    plan_submit(
        actor=office,
        plan=plan,
        recipients=_recipients(union),
        due_at=timezone.now() + datetime.timedelta(days=5),
    )
    for index, item in enumerate(_open(plan, "give_opinion")):
        if index == 0:
            opinion_answer(
                work_item=item,
                actor=item.assignee,
                answer=OpinionAnswer.OPINION,
                text="建议增加职工心理健康讲座。",
            )
        else:
            opinion_answer(work_item=item, actor=item.assignee, answer=OpinionAnswer.NO_OPINION)
    plan_submit(actor=office, plan=plan)  # the opinions are consolidated
    return plan


def _plan_approved(union: Union, office: User, plan: AnnualPlan) -> None:
    """The union committee, the Party organisation and the congress approve the plan: it is in force."""
    code = union.code
    (committee_item,) = _open(plan, "committee_meeting")
    _meeting(
        union,
        BodyKind.UNION_COMMITTEE,
        _user(f"{code}-chair"),
        committee_item,
        "工会会议室",
        "工会委员会集体研究了年度工作计划（草案），同意报同级党组织。",
    )
    (party_item,) = _open(plan, "party_approval")
    written_decision_record(
        work_item=party_item,
        recorder=_user(f"{code}-party"),
        resolution=Resolution.APPROVE,
        reference_number="机党〔2026〕52号",
        decided_on=timezone.localdate(),
    )
    (congress_item,) = _open(plan, "congress_ratification")
    _meeting(
        union,
        BodyKind.CONGRESS,
        office,
        congress_item,
        "机关礼堂",
        "会员代表大会审议批准了年度工作计划。",
    )


def _plan_not_passed(union: Union, plan: AnnualPlan) -> None:
    """The union committee votes on the plan and the approval falls short (fewer than half of the
    members vote for): it is recorded as not passed and the plan goes back to its drafter to revise."""
    members = _members(union, BodyKind.UNION_COMMITTEE)
    votes_for = len(members) // 2  # the committee passes with more than half of all its members
    votes_against = max(len(members) - votes_for - 1, 0)
    (committee_item,) = _open(plan, "committee_meeting")
    meeting_record(
        body=Body.objects.get(union=union, kind=BodyKind.UNION_COMMITTEE),
        recorder=_user(f"{union.code}-chair"),
        held_on=timezone.localdate(),
        place="工会会议室",
        attendee_ids=[p.pk for p in members],
        votes=[
            AgendaVote(
                committee_item.pk,
                Resolution.APPROVE,
                votes_for=votes_for,
                votes_against=votes_against,
                votes_abstain=len(members) - votes_for - votes_against,
            )
        ],
        minutes="工会委员会集体研究了年度工作计划（草案），部分委员认为困难职工帮扶措施不够具体，表决未通过。",
    )


def _progress_recorded(plan: AnnualPlan, office: User) -> None:
    """The owners (the office for an item without one) report PROGRESS on the plan in force."""
    plan.refresh_from_db()
    sections = {
        s.area: list(s.items.order_by("starts_on", "id")) for s in plan.current_version.sections.all()
    }
    for area, index, state, percent, note in PROGRESS:
        item = sections[area][index]
        plan_progress_record(
            actor=item.owner or office, plan=plan, item=item, state=state, percent=percent, note=note
        )


demo_seeders.register("plans", seed_demo_plans, order=40)
