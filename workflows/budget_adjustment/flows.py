"""The budget adjustment chain, S3.4: draft with a reason → S3.1/S3.2 checks on the adjusted totals →
fund audit committee review and consent → same-level Party organisation final approval → congress
approval (or the union committee's, where the union's rules say so) → the adjusted version is in
force. Any reviewing body may return it to the drafter; the revision restarts where the union's
return rules say (by default at the body that returned it). Approval only until 30 September
(services.adjustment_window_check guards every decision; the lapse sweep closes what stays open).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from core.models import BodyKind
from workflows.documents import flow_document
from workflows.flowbase import DocumentFlowMixin, approved, human, restart_at
from workflows.steps import Actor, StepSpec, steps_by_name

from .models import AdjustmentStatus, FinalBody

STEPS = steps_by_name(
    StepSpec(
        "draft",
        _("Draft the budget adjustment"),
        Actor.DRAFTER,
        AdjustmentStatus.DRAFT,
        7,
        description="编制预算调整方案：调整科目金额，说明理由",
    ),
    StepSpec(
        "audit_review",
        _("Fund audit committee review and consent"),
        BodyKind.AUDIT_COMMITTEE,
        AdjustmentStatus.AUDIT_REVIEW,
        14,
        description="经费审查委员会审查同意",
    ),
    StepSpec(
        "party_approval",
        _("Same-level Party organisation final approval"),
        BodyKind.PARTY_ORGANIZATION,
        AdjustmentStatus.PARTY_APPROVAL,
        14,
        description="同级党组织审定",
    ),
    StepSpec(
        "congress_ratification",
        _("Congress review and approval"),
        BodyKind.CONGRESS,
        AdjustmentStatus.CONGRESS_RATIFICATION,
        30,
        description="会员（代表）大会审议批准",
    ),
    StepSpec(
        "committee_approval",
        _("Union committee approval"),
        BodyKind.UNION_COMMITTEE,
        AdjustmentStatus.COMMITTEE_APPROVAL,
        14,
        description="工会委员会审议批准（按工会规定）",
    ),
    StepSpec(
        "revise",
        _("Revise the returned adjustment"),
        Actor.DRAFTER,
        AdjustmentStatus.RETURNED,
        7,
        description="按退回意见修改，形成新版本",
    ),
)

# The chain in order for each final body (the document page's diagram and the order rule).
CHAIN_CONGRESS = ["draft", "audit_review", "party_approval", "congress_ratification"]
CHAIN_COMMITTEE = ["draft", "audit_review", "party_approval", "committee_approval"]


def chain_for(adjustment) -> list[str]:
    return CHAIN_COMMITTEE if adjustment.final_body == FinalBody.UNION_COMMITTEE else CHAIN_CONGRESS


def _final_by_committee(activation) -> bool:
    return flow_document(activation, "artifact").final_body == FinalBody.UNION_COMMITTEE


class BudgetAdjustmentFlow(DocumentFlowMixin, flow.Flow):
    """S3.4: the adjustment's route. Routing only; the work happens in services.py."""

    lock_impl = lock.select_for_update_lock
    process_title = _("Budget adjustment")

    start = (
        flow.StartHandle(this.start_document)
        .Annotation(title=_("Start a budget adjustment"))
        .Next(this.draft)
    )
    draft = human(STEPS["draft"]).Next(this.check_rules)
    check_rules = (
        flow.If(this.rules_pass)
        .Annotation(title=_("Check S3.1 and S3.2"), description="规则校验：科目在册、调整后收支平衡")
        .Then(this.audit_review)
        .Else(this.draft)
    )
    audit_review = human(STEPS["audit_review"]).Next(this.check_audit_review)
    check_audit_review = flow.If(approved("audit_review")).Then(this.party_approval).Else(this.revise)
    party_approval = human(STEPS["party_approval"]).Next(this.check_party_approval)
    check_party_approval = flow.If(approved("party_approval")).Then(this.check_final_body).Else(this.revise)
    # The union's rules (fixed when the adjustment started) name the last body (S3.4).
    check_final_body = (
        flow.Switch()
        .Annotation(title=_("Congress or union committee, as the rules say"))
        .Case(this.committee_approval, _final_by_committee)
        .Default(this.congress_ratification)
    )
    congress_ratification = human(STEPS["congress_ratification"]).Next(this.check_congress_ratification)
    check_congress_ratification = (
        flow.If(approved("congress_ratification")).Then(this.put_in_force).Else(this.revise)
    )
    committee_approval = human(STEPS["committee_approval"]).Next(this.check_committee_approval)
    check_committee_approval = (
        flow.If(approved("committee_approval")).Then(this.put_in_force).Else(this.revise)
    )
    revise = human(STEPS["revise"]).Next(this.check_restart)
    check_restart = (
        flow.Switch()
        .Annotation(title=_("Restart where the rules say"))
        .Case(this.party_approval, restart_at("party_approval"))
        .Case(this.congress_ratification, restart_at("congress_ratification"))
        .Case(this.committee_approval, restart_at("committee_approval"))
        .Default(this.audit_review)
    )
    put_in_force = (
        flow.Function(this.document_in_force).Annotation(title=_("Adjusted budget in force")).Next(this.end)
    )
    end = flow.End()
