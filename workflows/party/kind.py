"""The Party organisation's document kinds (S1.2, S1.3), registered from PartyConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from workflows.models import DocumentType, Resolution
from workflows.registry import DocumentKind

from .flows import (
    HEARING_CHAIN,
    HEARING_STEPS,
    REQUEST_CHAIN,
    REQUEST_STEPS,
    HearingFlow,
    InstructionRequestFlow,
    request_chain_for,
)
from .models import RequestKind
from .official import official_text
from .services import hearing_heard, request_filed, step_due, step_holder


def written_form(request) -> dict:
    """The Party organisation's reply on the shared written-decision page, in its own words: a request
    is agreed, agreed with instructions (which need the instructions) or not agreed; a report is
    acknowledged (no reference number needed) or returned for more."""
    if request.kind == RequestKind.REPORT:
        return {
            "choices": [
                ("approve", _("Acknowledged"), Resolution.APPROVE, None),
                ("return", _("Returned for more"), Resolution.RETURN, True),
            ],
            "reference_required": False,
        }
    return {
        "choices": [
            ("approve", _("Agreed"), Resolution.APPROVE, False),
            ("instructions", _("Agreed, with instructions"), Resolution.APPROVE, True),
            ("return", _("Not agreed"), Resolution.RETURN, True),
        ],
        "reference_required": True,
    }


INSTRUCTION = DocumentKind(
    document_type=DocumentType.INSTRUCTION,
    label=_("request for instructions or report"),
    model="party.InstructionRequest",
    flow=InstructionRequestFlow,
    steps=REQUEST_STEPS,
    chain=tuple(REQUEST_CHAIN),
    urls="workflows.party.urls",
    detail_url="party:request_detail",
    chain_for=request_chain_for,
    put_in_force=request_filed,
    step_holder=step_holder,
    step_due=step_due,
    written_form=written_form,
    end_status="filed",
    official_text=official_text,
)

HEARING = DocumentKind(
    document_type=DocumentType.PARTY_HEARING,
    label=_("hearing of union work"),
    model="party.Hearing",
    flow=HearingFlow,
    steps=HEARING_STEPS,
    chain=tuple(HEARING_CHAIN),
    urls="workflows.party.urls",
    detail_url="party:hearing_detail",
    # S1.2: met when the Party organisation's meeting has heard the report on the year's union work
    obligation_code="S1.2",
    steps_fit_deadline=False,
    put_in_force=hearing_heard,
    step_pages={"party_hearing": ("party:hearing_record", _("Record the hearing"), "item")},
    end_status="heard",
)

KINDS = [INSTRUCTION, HEARING]
