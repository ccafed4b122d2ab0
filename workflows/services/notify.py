"""In-app notifications sent by the approval spine (copy-to observers, signers, mentions, handover)."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from core import writebehind
from notifications.models import Notification
from notifications.services import notification_create
from workflows.documents import document_url


def notify_copied(*, process, document, document_type: str, step_title: str, key: str) -> None:
    """抄送: observers hear when the document moves to a new step (one notification per move).

    One ``INSERT … SELECT`` over the process's copy-to rows, sent with the step's other writes
    (``core.writebehind``): the step does not read the observers (issue 10, P6). The occasion key
    makes a repeat create nothing, as ``notification_create`` does."""
    conn = connections[DEFAULT_DB_ALIAS]
    title = _("%(document)s moved to: %(step)s") % {"document": document, "step": step_title}
    created_at = Notification._meta.get_field("created_at").get_db_prep_save(timezone.now(), connection=conn)
    writebehind.execute(
        "INSERT INTO notifications_notification"
        " (recipient_id, union_id, title, body, url, dedupe_key, created_at)"
        " SELECT person_id, %s, %s, '', %s, %s, %s FROM workflows_copyto WHERE process_id = %s"
        " ON CONFLICT DO NOTHING",
        (
            document.union_id,
            title[:200],
            document_url(document_type, document.pk),
            key,
            created_at,
            process.pk,
        ),
        tables=[Notification._meta.db_table],
    )


def notify(*, person, union, title: str, url: str = "", body: str = "", key: str | None = None) -> None:
    notification_create(recipient=person, union=union, title=title, body=body, url=url, dedupe_key=key)
