"""The daily digest: on working days at 09:00, each person's open tasks and nearest deadlines."""

from __future__ import annotations

from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from core.statutory import is_working_day
from notifications.models import ChannelPreference, Notification


def digest_send(*, now=None) -> int:
    moment = now or timezone.now()
    today = timezone.localtime(moment).date()
    if not is_working_day(today):
        return 0
    from workflows.models import WorkItem, WorkItemState

    rows = (
        WorkItem.objects.filter(state=WorkItemState.OPEN, assignee__isnull=False)
        .values("assignee_id")
        .annotate(count=Count("id"), nearest=Min("due_at"))
    )
    opted_out = set(ChannelPreference.objects.filter(daily_digest=False).values_list("user_id", flat=True))
    notes = []
    for row in rows:
        if row["assignee_id"] in opted_out:
            continue
        nearest = timezone.localtime(row["nearest"]).date().isoformat() if row["nearest"] else "—"
        notes.append(
            Notification(
                recipient_id=row["assignee_id"],
                title=_("Today: %(count)s open tasks; the nearest is due %(due)s")
                % {"count": row["count"], "due": nearest},
                url="/work/",
                dedupe_key=f"digest:{today.isoformat()}",
            )
        )
    Notification.objects.bulk_create(notes, ignore_conflicts=True)
    return len(notes)
