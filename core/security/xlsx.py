"""The auditor's export: the search as an .xlsx workbook (openpyxl, write-only), Chinese headers."""

from __future__ import annotations

import io
import json

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.security.models import AuditKind
from core.security.selectors import audit_export_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def audit_workbook_response(*, filters: dict) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("audit log"))
    headers = ["time", "kind", "who", "address", "address requested", "object", "detail"]
    sheet.append([_(header) for header in headers])
    kinds = dict(AuditKind.choices)
    for entry in audit_export_rows(filters=filters, limit=settings.AUDIT_EXPORT_MAX_ROWS):
        sheet.append(
            [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                str(kinds.get(entry.kind, entry.kind)),
                entry.actor_name,
                entry.ip or "",
                entry.path,
                entry.object,
                json.dumps(entry.detail, ensure_ascii=False) if entry.detail else "",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
    return response
