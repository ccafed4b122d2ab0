"""The annual plan chain, S2.2: draft → S2.1 check → solicit opinions (subordinate unions, union
groups and member representatives, in parallel) → consolidate → union committee meeting (集体研究)
→ Party organisation consent → congress approval → in force. Any body may return the plan."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from core.models import BodyKind
from workflows.flowbase import DocumentFlowMixin, SolicitingFlowMixin, approved, human, restart_at
from workflows.nodes import DynamicSplit
from workflows.steps import Actor, StepSpec, steps_by_name

from .models import PlanStatus

STEPS = steps_by_name(
    StepSpec(
        "draft",
        _("Draft the annual plan"),
        Actor.DRAFTER,
        PlanStatus.DRAFT,
        14,
        description="制定年度计划：七个方面的工作任务、责任人和时间表",
    ),
    StepSpec(
        "give_opinion", _("Give an opinion on the plan draft"), Actor.RECIPIENT, PlanStatus.SOLICITING, 7
    ),
    StepSpec("consolidate", _("Consolidate the opinions"), Actor.DRAFTER, PlanStatus.CONSOLIDATING, 7),
    StepSpec(
        "committee_meeting",
        _("Union committee meeting (collective study)"),
        BodyKind.UNION_COMMITTEE,
        PlanStatus.COMMITTEE_MEETING,
        14,
        description="工会委员会会议集体研究",
    ),
    StepSpec(
        "party_approval",
        _("Same-level Party organisation consent"),
        BodyKind.PARTY_ORGANIZATION,
        PlanStatus.PARTY_CONSENT,
        14,
        description="报同级党组织同意",
    ),
    StepSpec(
        "congress_ratification",
        _("Congress review and approval"),
        BodyKind.CONGRESS,
        PlanStatus.CONGRESS_RATIFICATION,
        30,
        description="会员（代表）大会审议批准",
    ),
    StepSpec("revise", _("Revise the returned plan"), Actor.DRAFTER, PlanStatus.RETURNED, 7),
)
CHAIN = [
    "draft",
    "give_opinion",
    "consolidate",
    "committee_meeting",
    "party_approval",
    "congress_ratification",
]


class AnnualPlanFlow(DocumentFlowMixin, SolicitingFlowMixin, flow.Flow):
    """S2.1–S2.2: the annual plan's route. Routing only; the work happens in services.py."""

    lock_impl = lock.select_for_update_lock
    process_title = _("Annual plan")

    start = flow.StartHandle(this.start_document).Annotation(title=_("Start an annual plan")).Next(this.draft)
    draft = human(STEPS["draft"]).Next(this.check_sections)
    check_sections = (
        flow.If(this.rules_pass)
        .Annotation(title=_("Check S2.1"), description="规则校验：空缺的方面须说明理由")
        .Then(this.solicit_opinions)
        .Else(this.draft)
    )
    solicit_opinions = (
        DynamicSplit()
        .Annotation(title=_("Solicit opinions"), description="广泛征求下级工会、工会小组和会员代表意见")
        .Next(this.give_opinion, data_source=this.opinion_recipients)
    )
    give_opinion = human(STEPS["give_opinion"]).Next(this.join_opinions)
    join_opinions = flow.Join().Annotation(title=_("All opinions in")).Next(this.consolidate)
    consolidate = human(STEPS["consolidate"]).Next(this.committee_meeting)
    committee_meeting = human(STEPS["committee_meeting"]).Next(this.check_committee_meeting)
    check_committee_meeting = (
        flow.If(approved("committee_meeting")).Then(this.party_approval).Else(this.revise)
    )
    party_approval = human(STEPS["party_approval"]).Next(this.check_party_approval)
    check_party_approval = (
        flow.If(approved("party_approval")).Then(this.congress_ratification).Else(this.revise)
    )
    congress_ratification = human(STEPS["congress_ratification"]).Next(this.check_congress_ratification)
    check_congress_ratification = (
        flow.If(approved("congress_ratification")).Then(this.put_in_force).Else(this.revise)
    )
    revise = human(STEPS["revise"]).Next(this.check_restart)
    check_restart = (
        flow.Switch()
        .Annotation(title=_("Restart where the rules say"))
        .Case(this.solicit_opinions, restart_at("give_opinion"))
        .Case(this.party_approval, restart_at("party_approval"))
        .Case(this.congress_ratification, restart_at("congress_ratification"))
        .Default(this.committee_meeting)
    )
    put_in_force = flow.Function(this.document_in_force).Annotation(title=_("Put in force")).Next(this.end)
    end = flow.End()
