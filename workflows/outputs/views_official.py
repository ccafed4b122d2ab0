"""签发 and revoke on a document's page (templates/outputs/_official_actions.html): the union committee's
chair signs and issues the document's official document, or the letter submitting it upward, and may
revoke one. Both ask first (core/confirm.py: a number is given once and stays). A refusal of the
document's state or set-up is told on the page; whoever may see the page but not sign gets 403, an
outsider 404 (both through core.http.refuse, logged)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.confirm import confirmation_page, confirmed
from core.http import refuse
from workflows import registry
from workflows.documents import document_visible_to
from workflows.outputs.models import IssuedNumber, OutputKind
from workflows.outputs.official import ISSUED_KINDS, issue_official, may_issue, revoke_official


def _document_or_refuse(request, document_type: str, document_id: int):
    kind = registry.kind_or_none(document_type)
    if kind is None or not kind.detail_url or kind.official_text is None:
        raise Http404
    document = kind.document_model().objects.select_related("union").filter(pk=document_id).first()
    if document is None:
        raise Http404
    if not document_visible_to(user=request.user, document_type=document_type, document=document):
        refuse(request, union=document.union, reason="official document of a document not shown to you")
    if not may_issue(user=request.user, union=document.union):
        refuse(request, union=document.union, reason="only the chair signs and issues", status=403)
    return kind, document


def _chosen_kind(request) -> str:
    kind = request.POST.get("kind", "")
    return kind if kind in ISSUED_KINDS else ""


@login_required
@require_POST
def official_issue(request, document_type: str, document_id: int):
    kind, document = _document_or_refuse(request, document_type, document_id)
    output_kind = _chosen_kind(request)
    if output_kind and not confirmed(request):
        return confirmation_page(
            request,
            question=_("Sign and issue %(what)s of “%(title)s”?")
            % {"what": OutputKind(output_kind).label, "title": document.title},
            details=[
                _("It gets the next document number, which stays with it even if it is revoked later."),
                _("The PDF is made now from the recorded text and cannot be changed afterwards."),
            ],
            answer=_("Sign and issue"),
            cancel_url=kind.url(document.pk),
        )
    try:
        issued = issue_official(
            actor=request.user, document_type=document_type, document=document, kind=output_kind
        )
    except PermissionDenied:
        refuse(request, union=document.union, reason="only the chair signs and issues", status=403)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Signed and issued as %(number)s.") % {"number": issued.number})
    return redirect(kind.url(document.pk))


@login_required
@require_POST
def official_revoke(request, document_type: str, document_id: int):
    kind, document = _document_or_refuse(request, document_type, document_id)
    output_kind = _chosen_kind(request)
    issued = IssuedNumber.objects.filter(
        document_type=document_type, document_id=document.pk, kind=output_kind
    ).first()
    if issued is None:
        messages.error(request, _("There is no signed and issued document of this kind to revoke."))
        return redirect(kind.url(document.pk))
    if not confirmed(request):
        return confirmation_page(
            request,
            question=_("Revoke the document %(number)s?") % {"number": issued.number},
            details=[_("It stays on record as revoked; its number is never given to another document.")],
            answer=_("Revoke"),
            cancel_url=kind.url(document.pk),
        )
    try:
        revoke_official(actor=request.user, issued=issued)
    except PermissionDenied:
        refuse(request, union=document.union, reason="only the chair revokes", status=403)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The document %(number)s is revoked.") % {"number": issued.number})
    return redirect(kind.url(document.pk))
