"""The budget adjustment as a document kind (S3.4): registered from BudgetAdjustmentConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workflows.models import DocumentType
from workflows.registry import DocumentKind

from .flows import CHAIN_CONGRESS, STEPS, BudgetAdjustmentFlow, chain_for
from .services import adjustment_decision_check, adjustment_put_in_force, adjustment_rule_errors

KIND = DocumentKind(
    document_type=DocumentType.BUDGET_ADJUSTMENT,
    label=_("budget adjustment"),
    model="budget_adjustment.BudgetAdjustment",
    flow=BudgetAdjustmentFlow,
    steps=STEPS,
    chain=tuple(CHAIN_CONGRESS),
    chain_for=chain_for,  # the union's rules name the last body: the congress or the union committee
    urls="workflows.budget_adjustment.urls",
    detail_url="budget_adjustment:detail",
    obligation_code="S3.4-adjustment",
    rule_errors=lambda adjustment: adjustment_rule_errors(adjustment=adjustment),
    put_in_force=lambda adjustment: adjustment_put_in_force(adjustment=adjustment),
    decision_check=adjustment_decision_check,  # S3.4: decided only until 30 September
    # S1.3: the chain's Party step is the catalogue's request on the budget (party.selectors.covered_note)
    extra={
        "instruction_matter": "budget",
        "instruction_covered": _(
            "a budget adjustment's chain has the Party organisation's approval: that step is the request"
        ),
    },
)

KINDS = [KIND]
