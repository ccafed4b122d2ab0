"""The approval sheet's button (打印审批单) on a document's page: whoever may see the page prints the
sheet as of now, and is sent back to the page, where it is listed with the other printed documents. An
outsider gets 404 through core.http.refuse (logged), as on the page itself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import refuse
from workflows import registry
from workflows.documents import document_visible_to
from workflows.outputs.approval import make_approval_sheet


@login_required
@require_POST
def approval_sheet_make(request, document_type: str, document_id: int):
    kind = registry.kind_or_none(document_type)
    if kind is None or not kind.detail_url:
        raise Http404
    document = kind.document_model().objects.select_related("union").filter(pk=document_id).first()
    if document is None:
        raise Http404
    if not document_visible_to(user=request.user, document_type=document_type, document=document):
        refuse(request, union=document.union, reason="approval sheet of a document not shown to you")
    try:
        make_approval_sheet(document_type=document_type, document_id=document.pk, actor=request.user)
    except PermissionDenied:
        refuse(request, union=document.union, reason="approval sheet of a document not shown to you")
    messages.success(request, _("The approval sheet is printed: it is listed under the printed documents."))
    return redirect(kind.url(document.pk))
