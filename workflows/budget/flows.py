"""The budget (draft) chain, S3.3: draft → rule checks → solicit opinions → consolidate →
audit committee review and consent → Party organisation final approval (审定) → congress approval →
in force. Any reviewing body may return the budget to its drafter; the revision restarts where the
union's return rules say (by default at the body that returned it).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from core.models import BodyKind
from workflows.flowbase import DocumentFlowMixin, SolicitingFlowMixin, approved, human, restart_at
from workflows.nodes import DynamicSplit
from workflows.steps import Actor, StepSpec, steps_by_name

from .models import BudgetStatus

STEPS = steps_by_name(
    StepSpec(
        "draft",
        _("Draft the budget"),
        Actor.DRAFTER,
        BudgetStatus.DRAFT,
        14,
        "编制预算草案：录入收支科目，选择征求意见对象",
    ),
    StepSpec(
        "give_opinion",
        _("Give an opinion on the budget draft"),
        Actor.RECIPIENT,
        BudgetStatus.SOLICITING,
        7,
        "提出意见或无意见",
    ),
    StepSpec(
        "consolidate",
        _("Consolidate the opinions"),
        Actor.DRAFTER,
        BudgetStatus.CONSOLIDATING,
        7,
        "汇总意见，修改草案",
    ),
    StepSpec(
        "audit_review",
        _("Fund audit committee review and consent"),
        BodyKind.AUDIT_COMMITTEE,
        BudgetStatus.AUDIT_REVIEW,
        14,
        "经费审查委员会审查同意",
    ),
    StepSpec(
        "party_approval",
        _("Same-level Party organisation final approval"),
        BodyKind.PARTY_ORGANIZATION,
        BudgetStatus.PARTY_APPROVAL,
        14,
        "同级党组织审定",
    ),
    StepSpec(
        "congress_ratification",
        _("Congress review and approval"),
        BodyKind.CONGRESS,
        BudgetStatus.CONGRESS_RATIFICATION,
        30,
        "会员（代表）大会审议批准",
    ),
    StepSpec(
        "revise",
        _("Revise the returned budget"),
        Actor.DRAFTER,
        BudgetStatus.RETURNED,
        7,
        "按退回意见修改，形成新版本",
    ),
)

# The chain in order, for the document page's diagram and the order rule (S3.3).
CHAIN = ["draft", "give_opinion", "consolidate", "audit_review", "party_approval", "congress_ratification"]


class BudgetFlow(DocumentFlowMixin, SolicitingFlowMixin, flow.Flow):
    """S3.1–S3.3: the budget's route. Routing only; the work happens in services.py."""

    lock_impl = lock.select_for_update_lock
    process_title = _("Budget")

    start = flow.StartHandle(this.start_document).Annotation(title=_("Start a budget")).Next(this.draft)
    draft = human(STEPS["draft"]).Next(this.check_rules)
    check_rules = (
        flow.If(this.rules_pass)
        .Annotation(title=_("Check S3.1 and S3.2"), description="规则校验：科目在册、收支平衡")
        .Then(this.solicit_opinions)
        .Else(this.draft)
    )
    solicit_opinions = (
        DynamicSplit()
        .Annotation(title=_("Solicit opinions"), description="征求意见：下级工会、工会小组和会员代表并行答复")
        .Next(this.give_opinion, data_source=this.opinion_recipients)
    )
    give_opinion = human(STEPS["give_opinion"]).Next(this.join_opinions)
    join_opinions = flow.Join().Annotation(title=_("All opinions in")).Next(this.consolidate)
    consolidate = human(STEPS["consolidate"]).Next(this.audit_review)
    audit_review = human(STEPS["audit_review"]).Next(this.check_audit_review)
    check_audit_review = flow.If(approved("audit_review")).Then(this.party_approval).Else(this.revise)
    party_approval = human(STEPS["party_approval"]).Next(this.check_party_approval)
    check_party_approval = (
        flow.If(approved("party_approval")).Then(this.congress_ratification).Else(this.revise)
    )
    congress_ratification = human(STEPS["congress_ratification"]).Next(this.check_congress_ratification)
    check_congress_ratification = (
        flow.If(approved("congress_ratification")).Then(this.put_in_force).Else(this.revise)
    )
    revise = human(STEPS["revise"]).Next(this.check_restart)
    # Return targets are explicit edges: the union's return rules choose among them.
    check_restart = (
        flow.Switch()
        .Annotation(title=_("Restart where the rules say"))
        .Case(this.solicit_opinions, restart_at("give_opinion"))
        .Case(this.party_approval, restart_at("party_approval"))
        .Case(this.congress_ratification, restart_at("congress_ratification"))
        .Default(this.audit_review)
    )
    put_in_force = flow.Function(this.document_in_force).Annotation(title=_("Put in force")).Next(this.end)
    end = flow.End()
