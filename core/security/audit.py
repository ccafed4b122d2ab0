"""Writing the audit log (等保 2.0 安全审计): sign-ins and failures, refusals, administrators' actions,
views of protected personal data, every use of the installation account, the auditor's own reads.

One INSERT per entry into the month's partition; nothing here reads. Entries are written in the
caller's transaction, like core's events: what was rolled back did not happen.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.db import models

from core.security.models import AuditEntry, AuditKind


def client_ip(request) -> str | None:
    """The address the request came from (REMOTE_ADDR, as the front server sets it), if valid."""
    if request is None:
        return None
    value = (request.META.get("REMOTE_ADDR") or "").strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _actor_name(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    # the name as the rest of Wuyi shows it (no username on screen); actor_id tells namesakes apart
    return str(actor)[:200]


def audit_record(
    *,
    kind: str,
    actor=None,
    request=None,
    object: str = "",
    detail: dict[str, Any] | None = None,
    actor_name: str = "",
) -> AuditEntry:
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        kind=kind,
        actor_id=actor.pk if authenticated else None,
        actor_name=(actor_name or _actor_name(actor))[:200],
        ip=client_ip(request),
        path=(request.path[:300] if request is not None else ""),
        object=object[:300],
        detail=detail or {},
    )
    entry.save(force_insert=True)
    return entry


def audit_personal_data_view(request, subject: models.Model | str, **detail: Any) -> AuditEntry:
    """Log that the signed-in person was shown a person's protected record (a member's register entry,
    the contact record of a worker in difficulty). Call it from the view that shows it."""
    if isinstance(subject, models.Model):
        label = f"{subject._meta.label_lower}:{subject.pk}"
    else:
        label = str(subject)
    return audit_record(
        kind=AuditKind.PERSONAL_DATA_VIEW, request=request, object=label, detail=detail or None
    )
