"""The archive's pages (S5.3 档案管理), under ``/unions/<id>/archive/`` and ``/archive/<id>/``.

Who: the archive is read with the right to the union's documents — its officers and the supervisors
above (and, once records are transferred, the upper union's readers); its chair and office staff keep it
(file now, delete after retention, transfer). Anyone who may not see the union gets 404; those who see
it but not its archive, or may not change it, 403 — every refusal through core.http.refuse, which logs it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.files import file_response
from core.http import refuse, union_for_viewer
from core.selectors import union_access

from . import dossier, filing, selectors, services
from .forms import SearchForm, YearForm
from .models import ArchiveRecord

NOT_READER = "the archive is read by the union's officers and the supervisors above"
NOT_KEEPER = "only the union's chair and office staff keep its archive"
TEMPLATES = "workflows/archive/"


def _archive_union(request, union_pk: int, *, keep: bool = False):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_view_documents:
        refuse(request, union=union, reason=NOT_READER, status=403)
    if keep and not access.can_manage_seats:
        refuse(request, union=union, reason=NOT_KEEPER, status=403)
    return union, access


def _record(request, pk: int, *, keep: bool = False) -> ArchiveRecord:
    record = (
        ArchiveRecord.objects.filter(pk=pk)
        .select_related("union", "transferred_to", "transferred_by", "deleted_by")
        .first()
    )
    if record is None:
        raise Http404
    if not selectors.record_readable(user=request.user, record=record):
        seen = union_access(user=request.user, union=record.union).can_view
        refuse(request, union=record.union, reason=NOT_READER, status=403 if seen else 404)
    if keep and not union_access(user=request.user, union=record.union).can_manage_seats:
        refuse(request, union=record.union, reason=NOT_KEEPER, status=403)
    return record


def _list(request, union_pk: int, *, received: bool):
    union, access = _archive_union(request, union_pk)
    form = SearchForm(request.GET or None)
    filters = form.filters()
    records, more = selectors.search_page(
        union=union,
        filters=filters,
        received=received,
        after=selectors.parse_cursor(request.GET.get("after")),
    )
    next_query = ""
    if more:
        query = {k: v for k, v in request.GET.items() if k != "after"}
        next_query = urlencode({**query, "after": f"{records[-1].year}_{records[-1].pk}"})
    context = {
        "union": union,
        "form": form,
        "records": records,
        "next_query": next_query,
        "received": received,
        "can_keep": access.can_manage_seats,
    }
    return render(request, TEMPLATES + "search.html", context)


@login_required
@require_GET
def search(request, union_pk: int):
    """S5.3: the union's archive, searched by full text, title, number, year and category."""
    return _list(request, union_pk, received=False)


@login_required
@require_GET
def received(request, union_pk: int):
    """S5.3 移交: what the unions below transferred to this union's archive."""
    return _list(request, union_pk, received=True)


@login_required
@require_POST
def file_now(request, union_pk: int):
    union, _access = _archive_union(request, union_pk, keep=True)
    filed = filing.file_union(union=union, actor=request.user)
    messages.success(request, _("%(count)s records filed.") % {"count": filed})
    return redirect("archive:search", union.pk)


@login_required
@require_GET
def record_detail(request, pk: int):
    record = _record(request, pk)
    access = union_access(user=request.user, union=record.union)
    today = services.union_today(record.union)
    context = {
        "record": record,
        "union": record.union,
        "can_keep": access.can_manage_seats and record.deleted_at is None,
        "deletion_problem": services.deletion_problem(record=record, today=today),
        "may_transfer": record.union.parent_id is not None and record.transferred_to_id is None,
    }
    return render(request, TEMPLATES + "record.html", context)


@login_required
@require_GET
def record_file(request, pk: int):
    record = _record(request, pk)
    if not record.file:
        raise Http404
    return file_response(record.file, name=record.file_name or record.title)


@login_required
@require_POST
def record_delete(request, pk: int):
    record = _record(request, pk, keep=True)
    try:
        services.record_delete(actor=request.user, record=record, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The record is deleted; its deletion is in the audit log."))
    return redirect("archive:record", record.pk)


@login_required
@require_POST
def record_transfer(request, pk: int):
    record = _record(request, pk, keep=True)
    try:
        services.record_transfer(actor=request.user, record=record)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The record is transferred to the upper union's archive."))
    return redirect("archive:record", record.pk)


@login_required
@require_POST
def year_transfer(request, union_pk: int):
    union, _access = _archive_union(request, union_pk, keep=True)
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the year to transfer."))
        return redirect("archive:search", union.pk)
    try:
        moved = services.year_transfer(actor=request.user, union=union, year=form.cleaned_data["year"])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("%(count)s records transferred to the upper union's archive.") % {"count": moved}
        )
    return redirect("archive:search", union.pk)


@login_required
@require_GET
def year_dossier(request, union_pk: int):
    """S5.3: the year's dossier as one .zip with its index, streamed as it is written."""
    union, _access = _archive_union(request, union_pk)
    form = YearForm(request.GET)
    if not form.is_valid():
        raise Http404("no year")
    year = form.cleaned_data["year"]
    records = list(selectors.dossier_records(union=union, year=year))
    response = StreamingHttpResponse(dossier.stream(records), content_type="application/zip")
    name = _("%(union)s archive %(year)s.zip") % {"union": union.name, "year": year}
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response
