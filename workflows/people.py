"""The people pickers of the task actions, for the search endpoint (core.views_people): each resolver
checks, as the action's own page does, that the viewer may act on ``ref``, and gives the action's
circle (workflows.circles). Found by core.people's autodiscovery of ``<app>.people`` modules.

ref: a work item's id (transfer, signer), a document as "type:id" (copy, mention), nothing (delegate).
"""

from __future__ import annotations

from core.http import refuse
from core.people import PeopleScope, register_scope
from workflows.circles import copy_scope, delegation_scope, mention_scope, signer_scope, transfer_scope
from workflows.models import WorkItemKind, WorkItemState
from workflows.services.workitems import user_may_act
from workflows.views_actions import _document_for_viewer, item_for_viewer, may_copy


def _item(request, ref: str):
    if not ref.isdigit() or len(ref) > 18:
        refuse(request, union=None, reason="no such task")
    item, _document = item_for_viewer(request, int(ref))
    if item.state != WorkItemState.OPEN or not user_may_act(user=request.user, work_item=item):
        refuse(request, union=item.union, reason="may not act on the task", status=403)
    return item


def _document(request, ref: str):
    document_type, _sep, document_id = ref.partition(":")
    if not document_id.isdigit() or len(document_id) > 18:
        refuse(request, union=None, reason="no such document")
    return document_type, _document_for_viewer(request, document_type, int(document_id))


def transfer(request, ref: str) -> PeopleScope:
    item = _item(request, ref)
    if item.kind != WorkItemKind.BODY:
        refuse(request, union=item.union, reason="transfer person task", status=403)
    return transfer_scope(item=item, user=request.user)


def signer(request, ref: str) -> PeopleScope:
    item = _item(request, ref)
    if item.parent_id is not None:
        refuse(request, union=item.union, reason="signer adds signer", status=403)
    return signer_scope(item=item, user=request.user)


def copy(request, ref: str) -> PeopleScope:
    _type, document = _document(request, ref)
    if not may_copy(user=request.user, document=document):
        refuse(request, union=document.union, reason="may not copy", status=403)
    return copy_scope(document=document, user=request.user)


def mention(request, ref: str) -> PeopleScope:
    _type, document = _document(request, ref)
    return mention_scope(document=document, user=request.user)


def delegate(request, ref: str) -> PeopleScope:
    return delegation_scope(user=request.user)


register_scope("transfer", transfer)
register_scope("signer", signer)
register_scope("copy", copy)
register_scope("mention", mention)
register_scope("delegate", delegate)
