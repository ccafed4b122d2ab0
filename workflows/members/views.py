"""The members' register's pages (S5.3 membership): the register (paginated, searched by name or member
number, its figures, the count's mark, the transfers awaiting either way), adding, changing and
leaving, the .xlsx import (all or nothing, every problem listed beside the file's rows) and export.
Who may open each: workflows.members.access."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.http import refuse
from core.security.audit import audit_personal_data_view

from . import errors, imports, selectors, services, xlsx
from .access import NOT_MANAGER, managed_member, register_union
from .forms import ImportForm, LeaveForm, MemberForm

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# a file of more rows than this shows only its rows with problems
SHOW_ALL_ROWS_UP_TO = 200


def apply_refusal(form, exc: ValidationError) -> None:
    """The service's refusal beside the field it names, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, problems in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, exc)


@login_required
@require_GET
def register(request, union_pk: int):
    union, access = register_union(request, union_pk)
    q = request.GET.get("q", "").strip()[:100]
    left = request.GET.get("state") == "left"
    page = Paginator(selectors.members_of_register(union, q=q, left=left), PER_PAGE).get_page(
        request.GET.get("page")
    )
    incoming, outgoing = selectors.open_transfers(union)
    context = {
        "union": union,
        "access": access,
        "page": page,
        "q": q,
        "state": "left" if left else "",
        "figures": selectors.register_figures(union, services.union_today(union)),
        "incoming": incoming,
        "outgoing": outgoing,
    }
    return render(request, "workflows/members/register.html", context)


def _member_page(request, union, form, *, member=None, status=200):
    context = {"union": union, "form": form, "member": member}
    return render(request, "workflows/members/member_form.html", context, status=status)


@login_required
def member_add(request, union_pk: int):
    union, _access = register_union(request, union_pk, manage=True)
    form = MemberForm(request.POST or None, union=union)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_join(actor=request.user, union=union, **form.cleaned_data)
        except PermissionDenied:
            refuse(request, union=union, reason=NOT_MANAGER, status=403)
        except ValidationError as exc:
            apply_refusal(form, exc)
        else:
            messages.success(request, _("%(name)s joined the register.") % {"name": member.name})
            return redirect("members:register", union.pk)
    return _member_page(request, union, form, status=400 if form.is_bound else 200)


def _left_already(request, member):
    messages.error(request, errors.ALREADY_LEFT)
    return redirect("members:register", member.union_id)


@login_required
def member_edit(request, pk: int):
    member = managed_member(request, pk)
    audit_personal_data_view(request, member)  # 等保 2.0: a member's register entry (phone, e-mail) shown
    if member.left_on is not None:
        return _left_already(request, member)
    fields = ("member_number", "name", "group", "joined_on", "phone", "email")
    initial = {f: getattr(member, f) for f in fields}
    form = MemberForm(request.POST or None, union=member.union, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            apply_refusal(form, exc)
        else:
            messages.success(request, _("The member's details are saved."))
            return redirect("members:register", member.union_id)
    return _member_page(request, member.union, form, member=member, status=400 if form.is_bound else 200)


@login_required
def member_leave(request, pk: int):
    member = managed_member(request, pk)
    if member.left_on is not None:
        return _left_already(request, member)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_leave(actor=request.user, member=member, left_on=form.cleaned_data["left_on"])
        except ValidationError as exc:
            apply_refusal(form, exc)
        else:
            messages.success(request, _("%(name)s has left the union.") % {"name": member.name})
            return redirect("members:register", member.union_id)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "workflows/members/leave.html",
        {"union": member.union, "member": member, "form": form},
        status=status,
    )


@login_required
def members_import(request, union_pk: int):
    """Upload the register as .xlsx: every row checked first, nothing written while one has a problem;
    the rows read are shown beside their problems, to correct the file and upload it again."""
    union, _access = register_union(request, union_pk, manage=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    rows: list[imports.ImportRow] = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = xlsx.read_rows(form.cleaned_data["file"])
            result = imports.members_import(actor=request.user, union=union, rows=rows)
        except imports.MembersImportError as exc:
            problems = [_("Nothing was imported. Correct the file and upload it again:"), *exc.errors]
            rows = exc.rows or rows
        except PermissionDenied:
            refuse(request, union=union, reason=NOT_MANAGER, status=403)
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            messages.success(
                request,
                _("The register was imported: %(added)s members added, %(updated)s changed.")
                % {"added": result.added, "updated": result.updated},
            )
            return redirect("members:register", union.pk)
    bad = [r for r in rows if r.problems]
    context = {
        "union": union,
        "form": form,
        "problems": problems,
        "rows": rows if len(rows) <= SHOW_ALL_ROWS_UP_TO else bad,
        "rows_read": len(rows),
        "bad_rows": len(bad),
        "columns": list(imports.COLUMN_HEADERS.values()),
    }
    return render(request, "workflows/members/import.html", context, status=400 if form.is_bound else 200)


@login_required
@require_GET
def members_export(request, union_pk: int):
    union, _access = register_union(request, union_pk)
    response = HttpResponse(xlsx.register_to_xlsx(union), content_type=XLSX)
    title = xlsx.register_title(union)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title + '.xlsx')}"
    return response
