"""The budget as a document kind (S3.1–S3.3): registered from BudgetConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workflows.models import DocumentType
from workflows.registry import DocumentKind

from .archive import budget_archive_text
from .flows import CHAIN, STEPS, BudgetFlow
from .selectors import budget_opinion_summary
from .services import budget_rule_errors

KIND = DocumentKind(
    document_type=DocumentType.BUDGET,
    label=_("budget"),
    model="budget.Budget",
    flow=BudgetFlow,
    steps=STEPS,
    chain=tuple(CHAIN),
    urls="workflows.budget.urls",
    detail_url="budget:detail",
    obligation_code="S3.3",
    reminds_step_holders=True,  # before the S3.3 deadline, whoever holds the budget's open step
    rule_errors=lambda budget: budget_rule_errors(version=budget.current_version, budget=budget),
    opinion_summary=budget_opinion_summary,
    opinion_summary_template="workflows/_budget_opinion_summary.html",
    archive_text=budget_archive_text,  # S5.3
    # S1.3: the chain's Party step is the catalogue's request on the budget (party.selectors.covered_note)
    extra={
        "instruction_matter": "budget",
        "instruction_covered": _(
            "the budget's chain has the Party organisation's approval: that step is the request"
        ),
    },
)

KINDS = [KIND]
