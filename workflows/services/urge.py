"""催办: the initiator or a supervisor urges the current approvers."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.selectors import union_access
from core.services.events import event_record
from notifications import errors as notification_errors
from notifications.models import Notification
from notifications.services.delivery import deliveries_for, enqueue_after_commit
from workflows.documents import document_for, document_url
from workflows.models import Urge, WorkItem, WorkItemState
from workflows.reminders import actors_of
from workflows.services.workitems import AlreadyHandled

URGE_INTERVAL = datetime.timedelta(hours=24)


@transaction.atomic
def work_item_urge(*, item: WorkItem, user) -> list[Notification]:
    item = (
        WorkItem.objects.select_for_update(of=("self",))
        .select_related("union", "assignee", "body")
        .get(pk=item.pk)
    )
    if item.state != WorkItemState.OPEN:
        raise AlreadyHandled(item)
    document = document_for(item)
    initiator = getattr(document, "drafter_id", None) == user.pk
    if not (initiator or union_access(user=user, union=item.union).supervised):
        raise PermissionDenied(notification_errors.URGE_NOT_ALLOWED)
    last = item.urges.order_by("-at").first()
    now = timezone.now()
    if last is not None and now - last.at < URGE_INTERVAL:
        raise ValidationError(
            notification_errors.URGE_TOO_SOON,
            params={"when": date_format(timezone.localtime(last.at), "Y-m-d H:i")},
        )
    urge = Urge.objects.create(work_item=item, by=user, at=now)
    notes = [
        Notification(
            recipient=person,
            union=item.union,
            title=_("%(person)s urges: %(document)s · %(step)s")
            % {"person": user, "document": item.document_title, "step": item.step_title},
            url=document_url(item.document_type, item.document_id),
            dedupe_key=f"urge:{urge.pk}",
        )
        for person in actors_of(item)
    ]
    Notification.objects.bulk_create(notes, ignore_conflicts=True)
    stored = list(Notification.objects.filter(dedupe_key=f"urge:{urge.pk}").select_related("recipient"))
    enqueue_after_commit(deliveries_for(stored))
    event_record(
        verb="urged",
        actor=user,
        subject=document,
        union=item.union,
        detail={"work_item": item.pk, "recipients": len(stored)},
    )
    return stored
