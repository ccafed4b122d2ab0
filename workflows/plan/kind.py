"""The annual plan as a document kind (S2.1–S2.2): registered from PlanConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workflows.models import DocumentType
from workflows.registry import DocumentKind

from .archive import plan_archive_text
from .flows import CHAIN, STEPS, AnnualPlanFlow
from .services import plan_rule_errors

KIND = DocumentKind(
    document_type=DocumentType.ANNUAL_PLAN,
    label=_("annual plan"),
    model="plan.AnnualPlan",
    flow=AnnualPlanFlow,
    steps=STEPS,
    chain=tuple(CHAIN),
    urls="workflows.plan.urls",
    detail_url="plan:detail",
    obligation_code="S2.2",
    rule_errors=lambda plan: plan_rule_errors(version=plan.current_version),
    archive_text=plan_archive_text,  # S5.3
    # S1.3: the chain's Party step is the catalogue's request on the plan (party.selectors.covered_note)
    extra={
        "instruction_matter": "annual_plan",
        "instruction_covered": _(
            "the annual plan's chain has the Party organisation's consent: that step is the request"
        ),
    },
)

KINDS = [KIND]
