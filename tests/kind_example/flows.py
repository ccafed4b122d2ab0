"""The notice's chain: draft → union committee approval → in force; a return goes back to the drafter."""

from viewflow import this
from viewflow.workflow import flow, lock

from core.models import BodyKind
from workflows.flowbase import DocumentFlowMixin, approved, human
from workflows.steps import Actor, StepSpec, steps_by_name

from .models import NoticeStatus

STEPS = steps_by_name(
    StepSpec("draft", "起草通知", Actor.DRAFTER, NoticeStatus.DRAFT, 7),
    StepSpec(
        "committee_approval",
        "工会委员会审议通知",
        BodyKind.UNION_COMMITTEE,
        NoticeStatus.COMMITTEE_APPROVAL,
        7,
    ),
    StepSpec("revise", "修改退回的通知", Actor.DRAFTER, NoticeStatus.RETURNED, 7),
)
CHAIN = ["draft", "committee_approval"]


class NoticeFlow(DocumentFlowMixin, flow.Flow):
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_document).Next(this.draft)
    draft = human(STEPS["draft"]).Next(this.committee_approval)
    committee_approval = human(STEPS["committee_approval"]).Next(this.check_committee_approval)
    check_committee_approval = (
        flow.If(approved("committee_approval")).Then(this.put_in_force).Else(this.revise)
    )
    revise = human(STEPS["revise"]).Next(this.committee_approval)
    put_in_force = flow.Function(this.document_in_force).Next(this.end)
    end = flow.End()
