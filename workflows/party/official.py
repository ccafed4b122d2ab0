"""A request for instructions or a report to the Party organisation (S1.3) as an official document
(GB/T 9704-2012; workflows/outputs/official.py): up-going, to the same-level Party organisation (or the
organ Party committee that leads it, S1.1), once the chair has signed it for sending."""

from __future__ import annotations

from pathlib import PurePath

from core.models import Body, BodyKind
from workflows.models import Attachment, DocumentType
from workflows.outputs.models import NumberSeries
from workflows.outputs.official import OfficialText, Paragraph, paragraphs_from_text

from .models import InstructionRequest, RequestKind, RequestStatus

# signed by the chair and sent: awaiting the reply, or replied to
ISSUABLE = (
    RequestStatus.AWAITING_REPLY,
    RequestStatus.CARRYING_OUT,
    RequestStatus.FILED,
    RequestStatus.DISAGREED,
)
# the closing words of a 请示 and of a 报告 (the standard's customary endings)
CLOSING = {RequestKind.REQUEST: "妥否，请批示。", RequestKind.REPORT: "特此报告。"}


def _party_organisation(request: InstructionRequest) -> str:
    body = (
        Body.objects.filter(union_id=request.union_id, kind=BodyKind.PARTY_ORGANIZATION)
        .select_related("led_by")
        .first()
    )
    if body is None:
        return ""
    return (body.led_by or body).display_name


def official_text(request: InstructionRequest) -> OfficialText | None:
    """The request as the chair signed it, its files as the attachments; None before it is sent."""
    if request.status not in ISSUABLE:
        return None
    paragraphs = paragraphs_from_text(request.text)
    closing = CLOSING[RequestKind(request.kind)]
    if not paragraphs or closing not in paragraphs[-1].text:
        paragraphs += (Paragraph(closing),)
    files = Attachment.objects.filter(document_type=DocumentType.INSTRUCTION, document_id=request.pk)
    names = files.order_by("uploaded_at", "id")
    # 附件名称后不加标点符号: the file's name without its extension
    attachments = tuple(PurePath(name).stem for name in names.values_list("name", flat=True))
    return OfficialText(
        title=request.title,
        addressee=_party_organisation(request),
        paragraphs=paragraphs,
        attachments=attachments,
        up_going=True,
        series=NumberSeries.REQUEST,
    )
