"""The rules' chain (S4.1, S5.3): the office (or the chair) drafts from the type's template → the approving
body's meeting decides → in force, superseding the version in force; a return goes back to the drafter.

Which body decides is the document's ``approver``, fixed when it is sent (services.approver_kind): a
committee's working rules go to that committee's own meeting, a single-person body's duty statement and
every institution to the union committee's. Each body has its own step, whose actor is that body's kind:
the work item belongs to that body of the union, and a meeting decides only its own body's open items
(workflows.services.decisions), so a meeting of another committee cannot approve them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from core.models import BodyKind
from workflows.documents import flow_document
from workflows.flowbase import DocumentFlowMixin, approved, human
from workflows.steps import Actor, StepSpec, steps_by_name

from .models import RulesStatus

STEPS = steps_by_name(
    StepSpec("draft", _("Draft the rules"), Actor.DRAFTER, RulesStatus.DRAFT, 14, "按模板起草规章制度"),
    StepSpec(
        "union_committee_approval",
        _("Union committee meeting approves the rules"),
        BodyKind.UNION_COMMITTEE,
        RulesStatus.UNION_COMMITTEE,
        30,
        "工会委员会会议审议通过",
    ),
    StepSpec(
        "audit_committee_approval",
        _("Fund audit committee meeting approves its working rules"),
        BodyKind.AUDIT_COMMITTEE,
        RulesStatus.AUDIT_COMMITTEE,
        30,
        "经费审查委员会会议审议通过本委员会工作规则",
    ),
    StepSpec(
        "women_committee_approval",
        _("Women workers' committee meeting approves its working rules"),
        BodyKind.WOMEN_COMMITTEE,
        RulesStatus.WOMEN_COMMITTEE,
        30,
        "女职工委员会会议审议通过本委员会工作规则",
    ),
    StepSpec("revise", _("Revise the returned rules"), Actor.DRAFTER, RulesStatus.RETURNED, 7, "按意见修改"),
)

# the approving body's step (the document's ``approver``)
APPROVAL_STEP: dict[str, str] = {
    BodyKind.UNION_COMMITTEE: "union_committee_approval",
    BodyKind.AUDIT_COMMITTEE: "audit_committee_approval",
    BodyKind.WOMEN_COMMITTEE: "women_committee_approval",
}


def chain_for(document) -> list[str]:
    return ["draft", APPROVAL_STEP[document.approver]]


def _approver_is(kind: str):
    def condition(activation) -> bool:
        return flow_document(activation, "rules_document").approver == kind

    return condition


class RulesFlow(DocumentFlowMixin, flow.Flow):
    """Routing only; the work happens in services.py."""

    lock_impl = lock.select_for_update_lock
    process_title = _("Working rules or institution")

    start = flow.StartHandle(this.start_document).Next(this.draft)
    draft = human(STEPS["draft"]).Next(this.to_approver)
    to_approver = (
        flow.Switch()
        .Annotation(title=_("The body that approves these rules"))
        .Case(this.audit_committee_approval, _approver_is(BodyKind.AUDIT_COMMITTEE))
        .Case(this.women_committee_approval, _approver_is(BodyKind.WOMEN_COMMITTEE))
        .Default(this.union_committee_approval)
    )
    union_committee_approval = human(STEPS["union_committee_approval"]).Next(this.check_union_committee)
    check_union_committee = (
        flow.If(approved("union_committee_approval")).Then(this.put_in_force).Else(this.revise)
    )
    audit_committee_approval = human(STEPS["audit_committee_approval"]).Next(this.check_audit_committee)
    check_audit_committee = (
        flow.If(approved("audit_committee_approval")).Then(this.put_in_force).Else(this.revise)
    )
    women_committee_approval = human(STEPS["women_committee_approval"]).Next(this.check_women_committee)
    check_women_committee = (
        flow.If(approved("women_committee_approval")).Then(this.put_in_force).Else(this.revise)
    )
    revise = human(STEPS["revise"]).Next(this.to_approver)
    put_in_force = flow.Function(this.document_in_force).Annotation(title=_("In force")).Next(this.end)
    end = flow.End()
