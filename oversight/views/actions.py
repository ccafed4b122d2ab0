"""The actions of the stuck approvals page: urge every stuck task of a union, reassign a body's task."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from core import errors as core_errors
from core.forms_people import NOT_ALLOWED, PersonField
from core.http import refuse
from core.models import Union
from core.people import PeopleScope
from oversight.selectors.scope import OversightScope, oversight_scope
from oversight.selectors.stuck import DEFAULT_OLDER_THAN_DAYS, StuckFilters, stuck_items
from oversight.services import body_seat_holders, may_reassign, union_urge_all, work_item_reassign
from oversight.views.common import (
    MAX_OLDER_THAN_DAYS,
    back,
    int_or_none,
    render_page,
    scope_or_refuse,
)
from workflows.documents import document_url, has_page
from workflows.models import WorkItem
from workflows.services.actions import refused
from workflows.services.workitems import DocumentBusy


@login_required
@require_POST
def urge_union(request):
    """催办 every stuck task of one union (supervisors above it only)."""
    scope = scope_or_refuse(request)
    union_id = int_or_none(request.POST.get("union"))
    if union_id is None or not scope.supervises(union_id):
        refuse(request, union=None, reason="urge a union outside the scope", status=403)
    union = Union.objects.get(pk=union_id)
    older_than = int_or_none(request.POST.get("older_than"))
    if older_than is None or not 0 <= older_than <= MAX_OLDER_THAN_DAYS:
        older_than = DEFAULT_OLDER_THAN_DAYS
    items = stuck_items(
        scope=scope, filters=StuckFilters(older_than=older_than, union_id=union_id), now=timezone.now()
    )
    try:
        result = union_urge_all(union=union, user=request.user, items=items)
    except PermissionDenied:
        refuse(request, union=union, reason="urge all not allowed", status=403)
    messages.success(
        request,
        _("%(union)s: %(urged)s tasks urged, %(skipped)s skipped (urged less than 24 hours ago).")
        % {"union": union.name, "urged": result.urged, "skipped": result.too_soon},
    )
    return back(request, reverse("oversight:stuck"))


def _item_in_scope(request, pk: int) -> tuple[WorkItem, OversightScope]:
    item = WorkItem.objects.select_related("union", "body", "assignee").filter(pk=pk).first()
    scope = oversight_scope(user=request.user, asked=[item.union_id] if item else [])
    if scope.is_empty:
        refuse(request, union=None, reason="not a supervisor or chair", status=403)
    if item is None or not scope.covers(item.union_id):
        refuse(request, union=item.union if item else None, reason="work item outside the scope")
    return item, scope


def reassign_scope(item: WorkItem) -> PeopleScope:
    """The seat holders of the item's body, but its present holder (work_item_reassign says why not)."""
    return PeopleScope(
        allowed=body_seat_holders(item=item),
        not_offered=frozenset({item.assignee_id} - {None}),
        near_union_id=item.union_id,
        near_body_id=item.body_id,
    )


class ReassignForm(forms.Form):
    to = PersonField(action="reassign", browse=True, label=_lazy("Seat holder who takes the task over"))
    note = forms.CharField(
        label=_lazy("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def __init__(self, *args, item: WorkItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].set_scope(reassign_scope(item), ref=str(item.pk))


@login_required
def reassign(request, pk: int):
    """Reassign a stuck body task to another seat holder of the same body (chair or supervisor)."""
    item, _scope = _item_in_scope(request, pk)
    if not may_reassign(user=request.user, union=item.union):
        refuse(request, union=item.union, reason="reassign not allowed", status=403)
    form = ReassignForm(request.POST or None, item=item)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            if form.has_error("to", NOT_ALLOWED):
                exc = ValidationError(core_errors.PERSON_NOT_ALLOWED)
                refused(actor=request.user, item=item, reason="reassign to a person not allowed", exc=exc)
            problems, status = [_("Please correct the errors below.")], 400
        else:
            to, note = form.cleaned_data["to"], form.cleaned_data["note"]
            try:
                work_item_reassign(item=item, user=request.user, to=to, note=note.strip())
            except ValidationError as exc:
                problems, status = list(exc.messages), 400
            except PermissionDenied:
                refuse(request, union=item.union, reason="reassign not allowed", status=403)
            except DocumentBusy as exc:
                problems, status = [str(exc.message)], 409
            else:
                messages.success(request, _("The task was reassigned to %(person)s.") % {"person": to})
                return back(request, reverse("oversight:stuck"))
    return render_page(
        request,
        "oversight/reassign.html",
        {
            "item": item,
            "form": form,
            "problems": problems,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "url": document_url(item.document_type, item.document_id) if has_page(item.document_type) else "",
            "tab": "stuck",
        },
        status=status,
    )
