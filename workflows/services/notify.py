"""In-app notifications sent by the approval spine (copy-to observers, signers, mentions, handover)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from notifications.services import notification_create
from workflows.documents import document_url
from workflows.models import CopyTo


def notify_copied(*, process, document, document_type: str, step_title: str, key: str) -> None:
    """抄送: observers hear when the document moves to a new step (one notification per move: the
    occasion ``key`` makes a repeat create nothing)."""
    copies = list(CopyTo.objects.filter(process=process).select_related("person"))
    if not copies:
        return
    url = document_url(document_type, document.pk)
    for copy in copies:
        notification_create(
            recipient=copy.person,
            union=document.union,
            title=_("%(document)s moved to: %(step)s") % {"document": document, "step": step_title},
            url=url,
            dedupe_key=key,
        )


def notify(*, person, union, title: str, url: str = "", body: str = "", key: str | None = None) -> None:
    notification_create(recipient=person, union=union, title=title, body=body, url=url, dedupe_key=key)
