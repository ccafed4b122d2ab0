"""The expenditure request's chain (S3.1, S5.3): draft → the budget checks → the finance officer's
check → by route: the chair (and a countersigning committee member), or the union committee at a
meeting → the money committed on the budget line → the finance officer pays → paid. Any approver
may return the request to its requester; the revised request goes through the whole route again.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from core.models import BodyKind
from workflows.flowbase import DocumentFlowMixin, approved, human
from workflows.steps import Actor, StepSpec, steps_by_name

from .models import ExpenditureStatus, Route

STEPS = steps_by_name(
    StepSpec(
        "draft", _("Draft the expenditure request"), Actor.DRAFTER, ExpenditureStatus.DRAFT, 7, "填写支出申请"
    ),
    StepSpec(
        "finance_check",
        _("Finance officer's check"),
        Actor.HOLDER,
        ExpenditureStatus.FINANCE_CHECK,
        2,
        "财务人员审核：预算科目、金额、票据",
    ),
    StepSpec(
        "chair_approval",
        _("Chair's approval"),
        Actor.HOLDER,
        ExpenditureStatus.CHAIR_APPROVAL,
        2,
        "工会主席审批",
    ),
    StepSpec(
        "countersign",
        _("Countersigning by a committee member"),
        Actor.HOLDER,
        ExpenditureStatus.COUNTERSIGN,
        2,
        "工会委员会委员会签",
    ),
    StepSpec(
        "committee_approval",
        _("Union committee decision"),
        BodyKind.UNION_COMMITTEE,
        ExpenditureStatus.COMMITTEE_APPROVAL,
        14,
        "工会委员会集体研究决定（重大支出）",
    ),
    StepSpec(
        "party_approval",
        _("Same-level Party organisation approval"),
        BodyKind.PARTY_ORGANIZATION,
        ExpenditureStatus.PARTY_APPROVAL,
        14,
        "同级党组织审批（按经费审批制度）",
    ),
    StepSpec(
        "pay",
        _("Record the payment"),
        Actor.HOLDER,
        ExpenditureStatus.APPROVED,
        7,
        "财务人员支付并登记凭证号",
        decides=False,
    ),
    StepSpec(
        "revise",
        _("Revise the returned request"),
        Actor.DRAFTER,
        ExpenditureStatus.RETURNED,
        7,
        "按退回意见修改",
    ),
)

CHAINS = {
    Route.CHAIR: ["draft", "finance_check", "chair_approval", "pay"],
    Route.COUNTERSIGN: ["draft", "finance_check", "chair_approval", "countersign", "pay"],
    Route.COLLECTIVE: ["draft", "finance_check", "committee_approval", "pay"],
}
WITH_PARTY = ["draft", "finance_check", "committee_approval", "party_approval", "pay"]


def chain_for(request) -> list[str]:
    """The request's chain: its route's, with the Party organisation's approval where the rules add it."""
    return WITH_PARTY if request.with_party else CHAINS.get(request.route, CHAIN)


CHAIN = CHAINS[Route.CHAIR]


def route_is(route: str):
    def condition(activation) -> bool:
        return activation.process.artifact.route == route

    return condition


class ExpenditureFlow(DocumentFlowMixin, flow.Flow):
    """Routing only; the work happens in services.py."""

    lock_impl = lock.select_for_update_lock
    process_title = _("Expenditure request")

    start = flow.StartHandle(this.start_document).Annotation(title=_("Start a request")).Next(this.draft)
    draft = human(STEPS["draft"]).Next(this.check_rules)
    check_rules = (
        flow.If(this.rules_pass)
        .Annotation(title=_("Check the budget line"), description="规则校验：预算内支出、余额充足")
        .Then(this.finance_check)
        .Else(this.draft)
    )
    finance_check = human(STEPS["finance_check"]).Next(this.check_finance)
    check_finance = flow.If(approved("finance_check")).Then(this.by_route).Else(this.revise)
    by_route = (
        flow.Switch()
        .Annotation(title=_("Route by amount"))
        .Case(this.committee_approval, route_is(Route.COLLECTIVE))
        .Default(this.chair_approval)
    )
    chair_approval = human(STEPS["chair_approval"]).Next(this.check_chair)
    check_chair = flow.If(approved("chair_approval")).Then(this.needs_countersign).Else(this.revise)
    needs_countersign = flow.If(route_is(Route.COUNTERSIGN)).Then(this.countersign).Else(this.commit)
    countersign = human(STEPS["countersign"]).Next(this.check_countersign)
    check_countersign = flow.If(approved("countersign")).Then(this.commit).Else(this.revise)
    committee_approval = human(STEPS["committee_approval"]).Next(this.check_committee)
    check_committee = flow.If(approved("committee_approval")).Then(this.needs_party).Else(this.revise)
    needs_party = flow.If(this.party_approves).Then(this.party_approval).Else(this.commit)
    party_approval = human(STEPS["party_approval"]).Next(this.check_party)
    check_party = flow.If(approved("party_approval")).Then(this.commit).Else(this.revise)
    commit = (
        flow.Function(this.commit_to_ledger).Annotation(title=_("Commit on the budget line")).Next(this.pay)
    )
    pay = human(STEPS["pay"]).Next(this.paid)
    paid = flow.Function(this.document_in_force).Annotation(title=_("Paid")).Next(this.end)
    revise = human(STEPS["revise"]).Next(this.check_rules)
    end = flow.End()

    def party_approves(self, activation) -> bool:
        return self.document(activation).with_party

    def commit_to_ledger(self, activation):
        from .services import request_commit

        request_commit(request=self.document(activation))
