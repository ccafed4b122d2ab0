"""Demo year-end summary and work report (S2.3), driven through the real services.

edu-exam: the 2026 summary reported to and acknowledged in writing by the Party organisation; the
2027 plan taken through opinions, the union committee and the Party organisation's consent to the
congress step; the 2026 work report binding both, approved by the congress (which thereby approves
the plan), and submitted to the department union "edu", where it waits for acknowledgement (the
edu-supervisor sees it in the received reports). Idempotent: once edu-exam has its 2026 summary,
nothing is done.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.models import Body, BodyKind, Seat, Union, User
from workflows.models import OpinionAnswer, Resolution, WorkItem, WorkItemState
from workflows.plan.demo import FOREWORD, TASKS
from workflows.plan.models import AnnualPlan, DutyArea, PlanStatus
from workflows.plan.services import ItemInput, SectionInput, plan_create, plan_save, plan_submit
from workflows.services.decisions import AgendaVote, meeting_record, written_decision_record
from workflows.services.drafting import Recipient
from workflows.services.opinions import opinion_answer

from .models import SummaryStatus, YearEndSummary
from .services import (
    report_submit_upward,
    summary_create,
    summary_submit,
    work_report_create,
    work_report_submit,
)

CODE = "edu-exam"
SUMMARY_YEAR = 2026
PLAN_YEAR = SUMMARY_YEAR + 1
SUMMARY_TEXT = """省教育考试院基层工会2026年度工作总结

一、政治引领。组织职工集中学习党的创新理论6次，开展“劳模工匠进机关”宣讲1场。
二、建功立业。围绕高考、研考组织服务保障，开展岗位练兵和业务技能竞赛，评选岗位能手8名。
三、教育培训。举办青年干部公文写作培训班1期，参训42人。
四、文体活动。组织春季健步走、迎国庆文艺汇演，参与职工300余人次。
五、维权服务。走访慰问困难职工12人，落实职工体检和疗休养。
六、自身建设。完成模范职工之家创建自评，工会委员会按季度召开会议。
七、经费管理。严格执行年度预算，按半年开展预算执行分析，经费收支平衡。
"""


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _open(document, step: str) -> list[WorkItem]:
    return list(
        WorkItem.objects.filter(process=document.process, state=WorkItemState.OPEN, step=step).order_by("id")
    )


def _seated(union: Union, kind: str) -> tuple[Body, list[User]]:
    body = Body.objects.get(union=union, kind=kind)
    seats = Seat.objects.in_force().filter(body=body).select_related("person").order_by("person_id")
    people = list({s.person_id: s.person for s in seats}.values())
    return body, people


def _meeting(union: Union, kind: str, recorder: User, item: WorkItem, place: str, minutes: str) -> None:
    body, people = _seated(union, kind)
    meeting_record(
        body=body,
        recorder=recorder,
        held_on=timezone.localdate(),
        place=place,
        attendee_ids=[p.pk for p in people],
        votes=[AgendaVote(item.pk, Resolution.APPROVE, votes_for=len(people))],
        minutes=minutes,
    )


def _sections() -> list[SectionInput]:
    def owner(suffix: str) -> User | None:
        return User.objects.filter(username=f"{CODE}-{suffix}").first() if suffix else None

    return [
        SectionInput(
            area.value,
            [
                ItemInput(title, starts, ends, owner=owner(suffix), owner_text=text)
                for title, suffix, text, starts, ends in TASKS[area]
            ],
        )
        for area in DutyArea
    ]


def _plan_before_congress(union: Union, office: User, chair: User, party: User) -> AnnualPlan:
    """The 2027 plan: opinions of three representatives, the union committee, the Party organisation."""
    plan = plan_create(actor=office, union=union, year=PLAN_YEAR, foreword=FOREWORD)
    plan_save(actor=office, plan=plan, sections=_sections(), foreword=FOREWORD)
    _body, reps = _seated(union, BodyKind.CONGRESS)
    plan_submit(
        actor=office,
        plan=plan,
        recipients=[Recipient(person) for person in reps[:3]],
        due_at=timezone.now() + datetime.timedelta(days=5),
    )
    for index, item in enumerate(_open(plan, "give_opinion")):
        if index == 0:
            opinion_answer(
                work_item=item,
                actor=item.assignee,
                answer=OpinionAnswer.OPINION,
                text="建议增加考务人员心理疏导。",
            )
        else:
            opinion_answer(work_item=item, actor=item.assignee, answer=OpinionAnswer.NO_OPINION)
    plan_submit(actor=office, plan=plan)  # the opinions are consolidated
    (committee_item,) = _open(plan, "committee_meeting")
    _meeting(
        union,
        BodyKind.UNION_COMMITTEE,
        chair,
        committee_item,
        "工会会议室",
        "工会委员会集体研究了2027年度工作计划（草案），同意报同级党组织。",
    )
    (party_item,) = _open(plan, "party_approval")
    written_decision_record(
        work_item=party_item,
        recorder=party,
        resolution=Resolution.APPROVE,
        reference_number="考院党〔2026〕41号",
        decided_on=timezone.localdate(),
    )
    plan.refresh_from_db()
    return plan


@transaction.atomic
def seed_demo_reports(*, write: Callable[[str], object] | None = None) -> list[str]:
    union = Union.objects.filter(code=CODE).first()
    if union is None or YearEndSummary.objects.filter(union=union, year=SUMMARY_YEAR).exists():
        return []
    if AnnualPlan.objects.filter(union=union, year=PLAN_YEAR).exclude(status=PlanStatus.WITHDRAWN).exists():
        return []  # somebody else's demo plan: leave the union alone
    office, chair, party = (_user(f"{CODE}-{suffix}") for suffix in ("office", "chair", "party"))

    summary = summary_create(actor=office, union=union, year=SUMMARY_YEAR, text=SUMMARY_TEXT)
    summary_submit(actor=office, summary=summary)
    (acknowledgement,) = _open(summary, "party_approval")
    written_decision_record(
        work_item=acknowledgement,
        recorder=party,
        resolution=Resolution.APPROVE,
        reference_number="考院党〔2026〕45号",
        decided_on=timezone.localdate(),
        opinions="已阅。同意工会年度工作总结。",
    )
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.IN_FORCE

    plan = _plan_before_congress(union, office, chair, party)
    report = work_report_create(actor=office, union=union, year=SUMMARY_YEAR)
    work_report_submit(actor=office, report=report)
    # the office staff records the congress on its behalf; the report's resolution decides the plan too
    (congress_item,) = _open(report, "congress_ratification")
    _meeting(
        union,
        BodyKind.CONGRESS,
        office,
        congress_item,
        "考试院报告厅",
        "会员代表大会审议通过了2026年度工作报告和2027年度工作计划。",
    )
    (submission,) = report_submit_upward(actor=office, report=report)
    plan.refresh_from_db()
    line = (
        f"{union.name} {SUMMARY_YEAR}: 年度工作总结已经同级党组织书面认可；工作报告（含{PLAN_YEAR}年度计划，"
        f"计划{plan.get_status_display()}）经会员代表大会审议通过，已报送{submission.to_union.name}，待确认"
    )
    if write is not None:
        write(f"  demo report: {line}")
    return [line]


demo_seeders.register("reports", seed_demo_reports, order=50)
