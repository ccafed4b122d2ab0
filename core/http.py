"""What every app's views share when a request may not see or do something: refuse it, with an event."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.models import Union
from core.security.audit import audit_record
from core.selectors import UnionAccess, union_access
from core.services.events import event_record


def refuse(request, *, union: Union | None, reason: str, status: int = 404):
    """Log the refusal as an event, then answer 404 (cannot see) or 403 (may see, may not act)."""
    event_record(
        verb="access_denied",
        actor=request.user,
        union=union,
        detail={"path": request.path[:300], "method": request.method, "reason": reason},
    )
    audit_record(kind="refusal", request=request, object=str(union or "")[:300], detail={"reason": reason})
    if status == 403:
        raise PermissionDenied(reason)
    raise Http404(reason)


def union_for_viewer(request, pk: int) -> tuple[Union, UnionAccess]:
    """The union and what the user may do in it; 404 (logged) when the user may not see it."""
    union = Union.objects.filter(pk=pk).select_related("parent").first()
    if union is None:
        raise Http404
    access = union_access(user=request.user, union=union)
    if not access.can_view:
        refuse(request, union=union, reason="union not visible")
    return union, access
