"""Attachments are downloaded here and nowhere else: the same right as the document page they
belong to (officers of the document's union, supervisors above, participants); an outsider gets
404, a visitor who is not signed in the sign-in page.

A meeting's files (minutes, sign-in sheets) belong to every document on its agenda: whoever may see
one of them may see the minutes. A written decision's scan belongs to the decided document.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from core.files import file_response
from core.http import refuse
from workflows.documents import document_model, document_visible_to
from workflows.models import Attachment, WorkItem


def _documents_of(attachment: Attachment) -> list[tuple[str, int]]:
    if attachment.document_type and attachment.document_id:
        return [(attachment.document_type, attachment.document_id)]
    items = WorkItem.objects.none()
    if attachment.meeting_id:
        items = WorkItem.objects.filter(meeting_items__meeting_id=attachment.meeting_id)
    elif attachment.written_decision_id:
        items = WorkItem.objects.filter(written_decision__pk=attachment.written_decision_id)
    return sorted(set(items.values_list("document_type", "document_id")))


def any_document_visible(*, user, documents: list[tuple[str, int]]) -> bool:
    """Whether the user may see one of these (document type, id): a file hanging on a meeting belongs to
    every document on its agenda."""
    for document_type, document_id in documents:
        document = (
            document_model(document_type).objects.select_related("union").filter(pk=document_id).first()
        )
        if document is not None and document_visible_to(
            user=user, document_type=document_type, document=document
        ):
            return True
    return False


def attachment_visible(*, user, attachment: Attachment) -> bool:
    return any_document_visible(user=user, documents=_documents_of(attachment))


@login_required
@require_GET
def attachment_download(request, pk: int):
    attachment = Attachment.objects.select_related("union").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    if not attachment_visible(user=request.user, attachment=attachment):
        refuse(
            request, union=attachment.union, reason="the attachment belongs to a document not shown to you"
        )
    return file_response(attachment.file, name=attachment.name)
