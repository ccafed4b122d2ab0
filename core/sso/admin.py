"""The people sync in the administration: the runs (read only) and "从人事导出同步人员" — upload the HR/OA
export, read the dry run's report, confirm to apply the same file (kept in the session meanwhile)."""

from __future__ import annotations

import base64
import hashlib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import errors
from .export_format import FORMATS, SyncFileError, format_of, read_export
from .models import SyncRun
from .services import people_sync

PERMISSION = "sso.run_people_sync"
SESSION_KEY = "sso_people_sync_upload"


class SyncUploadForm(forms.Form):
    file = forms.FileField(
        label=_("The HR/OA export"),
        help_text=_(
            "CSV (UTF-8 or GB18030) with the header employee_number, full_name, phone, email, "
            "department_code, status, wecom_userid, dingtalk_userid — or JSON, a list of objects with "
            "those keys. Only employee_number is required; an empty cell changes nothing."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("from the file's name")), *((f, f.upper()) for f in FORMATS)],
        required=False,
    )


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor",
        "file_name",
        "dry_run",
        "refused",
        "rows",
        "created",
        "updated",
        "deactivated",
        "seats_ended",
        "problems",
    ]
    list_filter = ["dry_run", "refused"]
    list_select_related = ["actor"]
    change_list_template = "admin/sso/syncrun/change_list.html"
    actions = ["sync_people"]

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(PERMISSION) or super().has_view_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.sync_view)
        return [path("sync/", view, name="sso_syncrun_sync"), *super().get_urls()]

    @admin.action(description=_("Sync people from the HR export"), permissions=["run_people_sync"])
    def sync_people(self, request, queryset):
        """The action menu's way to the sync page (the export is a file, not the runs chosen)."""
        return redirect("admin:sso_syncrun_sync")

    def has_run_people_sync_permission(self, request) -> bool:
        return request.user.has_perm(PERMISSION)

    def sync_view(self, request):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied(errors.SYNC_NO_RIGHT)
        if request.method == "POST" and "apply" in request.POST:
            return self._apply(request)
        form = SyncUploadForm(request.POST or None, request.FILES or None)
        report, problems = None, []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            fmt = format_of(upload.name, form.cleaned_data["format"])
            try:
                rows = read_export(content, fmt)
            except SyncFileError as exc:
                problems = exc.messages
            else:
                report = people_sync(rows, dry_run=True, actor=request.user, file_name=upload.name)
                request.session[SESSION_KEY] = {
                    "name": upload.name,
                    "format": fmt,
                    "content": base64.b64encode(content).decode(),
                    "digest": hashlib.sha256(content).hexdigest(),
                }
        return self._page(request, form=form, report=report, problems=problems)

    def _apply(self, request):
        kept = request.session.get(SESSION_KEY)
        if not kept or kept.get("digest") != request.POST.get("digest"):
            messages.error(request, errors.SYNC_UPLOAD_GONE)
            return redirect("admin:sso_syncrun_sync")
        rows = read_export(base64.b64decode(kept["content"]), kept["format"])
        report = people_sync(rows, dry_run=False, actor=request.user, file_name=kept["name"])
        if report.applied:
            del request.session[SESSION_KEY]
        return self._page(request, form=SyncUploadForm(), report=report, problems=[])

    def _page(self, request, *, form, report, problems):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Sync people from the HR export"),
            "form": form,
            "report": report,
            "problems": problems or (report.problems if report else []),
            "digest": (request.session.get(SESSION_KEY) or {}).get("digest", ""),
        }
        bad = bool(problems) or (report is not None and not report.ok)
        return TemplateResponse(request, "admin/sso/syncrun/sync.html", context, status=400 if bad else 200)
