from django.utils.translation import gettext_lazy as _

from workflows.models import DocumentType
from workflows.registry import DocumentKind

from .approval import approval_lines
from .flows import CHAIN, STEPS, ExpenditureFlow, chain_for
from .services import request_paid, request_rule_errors, step_holder

KIND = DocumentKind(
    document_type=DocumentType.EXPENDITURE,
    label=_("expenditure request"),
    model="expenditure.ExpenditureRequest",
    flow=ExpenditureFlow,
    steps=STEPS,
    chain=tuple(CHAIN),
    urls="workflows.expenditure.urls",
    detail_url="expenditure:detail",
    rule_errors=request_rule_errors,
    chain_for=chain_for,
    put_in_force=request_paid,
    step_holder=step_holder,
    end_status="paid",
    approval_lines=approval_lines,
    # S1.3: a major expenditure whose route has no Party step needs an agreed request for instructions
    # (services.request_submit); where the route has one, that approval is the request
    extra={
        "instruction_matter": "major_expenditure",
        "instruction_covered": _(
            "covered when the request's route includes the Party organisation's approval"
        ),
    },
)
