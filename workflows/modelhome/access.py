"""Who may open the Model Workers' Home pages (S5.1, S5.2).

The applying union's chair and office staff (``can_manage_seats``) prepare and send its application; the
supervisors above — and a supervisor seated in the union — read it; the reviewing department union's and
the evaluating provincial organs union's chair and office staff read it and decide. The standard's pages
are the provincial organs union's: its chair and office staff keep it, its supervisors read it. Anyone
who may not see the union gets 404; those who see it but not the page, or may not act, get 403
(core.http.refuse logs both)."""

from __future__ import annotations

from django.http import Http404

from core.http import refuse, union_for_viewer
from core.models import UnionKind
from core.selectors import UnionAccess, union_access

from . import selectors
from .models import HomeApplication, HomeStandard
from .services import evaluates, reviews

NOT_VISIBLE = "the Model Workers' Home pages are for the union's managers and the supervisors above"
NOT_MANAGER = "only the union's chair and office staff prepare its Model Workers' Home application"
NOT_REVIEWER = "only the reviewing department union's chair and office staff review the application"
NOT_EVALUATOR = "only the evaluating union's chair and office staff evaluate the application"
NOT_KEEPER = "only the provincial organs union's chair and office staff keep the standard"


def may_read(access: UnionAccess) -> bool:
    return access.can_manage_seats or access.supervised or access.is_supervisor_here


def home_union(request, union_pk: int, *, manage: bool = False):
    """(union, access) for the union's overview; refuses as the module says."""
    union, access = union_for_viewer(request, union_pk)
    if not may_read(access):
        refuse(request, union=union, reason=NOT_VISIBLE, status=403)
    if manage and not access.can_manage_seats:
        refuse(request, union=union, reason=NOT_MANAGER, status=403)
    return union, access


def viewed_application(request, pk: int) -> tuple[HomeApplication, UnionAccess]:
    """The application with the user's access to its union, for whoever may read it."""
    application = selectors.application_with_unions(pk)
    if application is None:
        raise Http404
    access = union_access(user=request.user, union=application.union)
    if may_read(access) or reviews(request.user, application) or evaluates(request.user, application):
        return application, access
    refuse(request, union=application.union, reason=NOT_VISIBLE, status=403 if access.can_view else 404)
    raise AssertionError  # refuse raises


def deciding_application(request, pk: int, *, stage: str) -> HomeApplication:
    """The application for its reviewer (``stage`` "review") or evaluator ("evaluate")."""
    application, access = viewed_application(request, pk)
    allowed = reviews if stage == "review" else evaluates
    if not allowed(request.user, application):
        reason = NOT_REVIEWER if stage == "review" else NOT_EVALUATOR
        refuse(request, union=application.union, reason=reason, status=403)
    return application


def standard_union(request, union_pk: int, *, manage: bool = False):
    """The provincial organs union for its standard pages: its keepers edit, its supervisors read."""
    union, access = union_for_viewer(request, union_pk)
    if union.kind != UnionKind.PROVINCIAL:
        raise Http404
    if not (access.can_manage_seats or access.is_supervisor_here):
        refuse(request, union=union, reason=NOT_KEEPER, status=403)
    if manage and not access.can_manage_seats:
        refuse(request, union=union, reason=NOT_KEEPER, status=403)
    return union, access


def viewed_standard(request, pk: int, *, manage: bool = False) -> tuple[HomeStandard, UnionAccess]:
    standard = HomeStandard.objects.filter(pk=pk).select_related("union").first()
    if standard is None:
        raise Http404
    standard.union, access = standard_union(request, standard.union_id, manage=manage)
    return standard, access
