"""Official outputs are downloaded here only, with the right to what they were made from: the
document's page for a document's output, any document on the agenda for a meeting's papers. An
outsider gets 404 (through core.http.refuse, which audits it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from core.files import file_response
from core.http import refuse
from workflows.models import WorkItem
from workflows.outputs.models import OfficialOutput
from workflows.views_files import any_document_visible


def _documents_of(output: OfficialOutput) -> list[tuple[str, int]]:
    if output.document_type and output.document_id:
        return [(output.document_type, output.document_id)]
    if output.meeting_id:
        items = WorkItem.objects.filter(meeting_items__meeting_id=output.meeting_id)
        return sorted(set(items.values_list("document_type", "document_id")))
    return []


def output_visible(*, user, output: OfficialOutput) -> bool:
    return any_document_visible(user=user, documents=_documents_of(output))


@login_required
@require_GET
def output_download(request, pk: int):
    output = OfficialOutput.objects.select_related("union").filter(pk=pk).first()
    if output is None:
        raise Http404
    if not output_visible(user=request.user, output=output):
        refuse(request, union=output.union, reason="the output belongs to a document not shown to you")
    return file_response(output.file, name=f"{output.title}.pdf")
