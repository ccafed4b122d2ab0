"""The Party organisation's two chains.

A request for instructions (请示, S1.3): the office drafts → the chair signs → the Party organisation
replies in writing (agreed, agreed with instructions, not agreed) → the union records how it was carried
out → filed. A report (报告) is acknowledged, or returned for more, and then filed.

A hearing (S1.2): the office asks for a place on the Party organisation's agenda with the report → the
Party organisation's meeting records the hearing and the problems it decides to solve → heard, which
meets S1.2 for the year.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from core.models import BodyKind
from workflows.flowbase import DocumentFlowMixin, approved, human
from workflows.steps import Actor, StepSpec, steps_by_name

from .models import HearingStatus, RequestKind, RequestStatus

REQUEST_STEPS = steps_by_name(
    StepSpec(
        "draft", _("Draft the request or report"), Actor.DRAFTER, RequestStatus.DRAFT, 7, "起草请示或报告"
    ),
    StepSpec(
        "chair_sign",
        _("Chair's signature"),
        Actor.HOLDER,
        RequestStatus.CHAIR_SIGN,
        3,
        "工会主席签发（一文一事）",
    ),
    StepSpec(
        "party_reply",
        _("The Party organisation's reply"),
        BodyKind.PARTY_ORGANIZATION,
        RequestStatus.AWAITING_REPLY,
        10,
        "同级党组织书面批复或阅知",
    ),
    StepSpec(
        "carry_out",
        _("Record how it was carried out"),
        Actor.DRAFTER,
        RequestStatus.CARRYING_OUT,
        30,
        "记录落实情况后归档",
    ),
    StepSpec(
        "revise", _("Revise the returned request"), Actor.DRAFTER, RequestStatus.RETURNED, 7, "按意见修改"
    ),
)
REQUEST_CHAIN = ["draft", "chair_sign", "party_reply", "carry_out"]
REPORT_CHAIN = ["draft", "chair_sign", "party_reply"]

HEARING_STEPS = steps_by_name(
    StepSpec(
        "draft",
        _("Ask for a place on the agenda"),
        Actor.DRAFTER,
        HearingStatus.DRAFT,
        14,
        "申请列入党组织会议议程并附工作报告",
    ),
    StepSpec(
        "party_hearing",
        _("The Party organisation hears the report"),
        BodyKind.PARTY_ORGANIZATION,
        HearingStatus.ON_AGENDA,
        30,
        "党组织会议听取汇报，研究解决问题",
    ),
    StepSpec(
        "revise", _("Revise the returned report"), Actor.DRAFTER, HearingStatus.RETURNED, 7, "按意见修改"
    ),
)
HEARING_CHAIN = ["draft", "party_hearing"]


def request_chain_for(request) -> list[str]:
    return REQUEST_CHAIN if request.kind == RequestKind.REQUEST else REPORT_CHAIN


class InstructionRequestFlow(DocumentFlowMixin, flow.Flow):
    """Routing only; the work happens in services.py."""

    lock_impl = lock.select_for_update_lock
    process_title = _("Request for instructions or report")

    start = flow.StartHandle(this.start_document).Next(this.draft)
    draft = human(REQUEST_STEPS["draft"]).Next(this.chair_sign)
    chair_sign = human(REQUEST_STEPS["chair_sign"]).Next(this.check_chair)
    check_chair = flow.If(approved("chair_sign")).Then(this.party_reply).Else(this.revise)
    party_reply = human(REQUEST_STEPS["party_reply"]).Next(this.take_reply)
    take_reply = (
        flow.Function(this.reply_taken).Annotation(title=_("The reply recorded")).Next(this.check_reply)
    )
    check_reply = flow.If(approved("party_reply")).Then(this.needs_carrying_out).Else(this.when_refused)
    needs_carrying_out = flow.If(this.is_request).Then(this.carry_out).Else(this.filed)
    when_refused = flow.If(this.is_request).Then(this.disagreed).Else(this.revise)
    carry_out = human(REQUEST_STEPS["carry_out"]).Next(this.filed)
    revise = human(REQUEST_STEPS["revise"]).Next(this.chair_sign)
    filed = flow.Function(this.document_in_force).Annotation(title=_("Filed")).Next(this.end)
    disagreed = flow.Function(this.not_agreed).Annotation(title=_("Not agreed: filed")).Next(this.end)
    end = flow.End()

    def is_request(self, activation) -> bool:
        return self.document(activation).kind == RequestKind.REQUEST

    def reply_taken(self, activation):
        from .services import reply_take

        reply_take(request=self.document(activation))

    def not_agreed(self, activation):
        from .services import request_not_agreed

        request_not_agreed(request=self.document(activation))


class HearingFlow(DocumentFlowMixin, flow.Flow):
    lock_impl = lock.select_for_update_lock
    process_title = _("Hearing of union work")

    start = flow.StartHandle(this.start_document).Next(this.draft)
    draft = human(HEARING_STEPS["draft"]).Next(this.party_hearing)
    party_hearing = human(HEARING_STEPS["party_hearing"]).Next(this.check_hearing)
    check_hearing = flow.If(approved("party_hearing")).Then(this.heard).Else(this.revise)
    revise = human(HEARING_STEPS["revise"]).Next(this.party_hearing)
    heard = flow.Function(this.document_in_force).Annotation(title=_("Heard")).Next(this.end)
    end = flow.End()
