"""Writes of the oversight pages: urge a union's stuck tasks, urge the unions that have not
submitted a report, reassign a stuck body task. Each change is an event row in its transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core.models import Role, Seat, Union, User
from core.selectors import union_access
from core.services.events import event_record
from oversight import errors
from workflows.documents import document_url
from workflows.models import WorkItem, WorkItemKind, WorkItemState
from workflows.reports.models import CongressReport
from workflows.reports.selectors import submission_rates
from workflows.services.notify import notify
from workflows.services.urge import work_item_urge
from workflows.services.workitems import AlreadyHandled, process_lock

URGE_ALL_LIMIT = 500  # one click urges at most this many tasks; the page says how many remain


@dataclass
class UrgeResult:
    urged: int = 0
    too_soon: int = 0
    notified: int = 0
    skipped: list[str] = field(default_factory=list)


def union_urge_all(*, union: Union, user: User, items) -> UrgeResult:
    """催办 every stuck task of one union (``items``: the stuck list filtered to it). The 24-hour
    rule of workflows.services.urge applies per task: a task urged less than 24 hours ago is
    skipped and counted, not urged again."""
    if not union_access(user=user, union=union).supervised:
        raise PermissionDenied(errors.URGE_UNION_NOT_SUPERVISED)
    result = UrgeResult()
    for item in items.filter(union=union).order_by("created_at", "id")[:URGE_ALL_LIMIT]:
        _urge_counted(item=item, user=user, result=result)
    event_record(
        verb="union_urged",
        actor=user,
        subject=union,
        union=union,
        detail={"urged": result.urged, "skipped_too_soon": result.too_soon},
    )
    return result


def report_urge_missing(*, receiver: Union, user: User, kind: str, year: int) -> UrgeResult:
    """催办 every union below ``receiver`` that owes report ``kind`` of ``year`` and has not submitted it
    (S2.3, S3.5; the non-submitters of the submission rate). A union whose report is under way has
    its open steps urged (24-hour rule per task); a union that has not started is told through its
    chair and office staff, once per day."""
    if not union_access(user=user, union=receiver).is_supervisor_here:
        raise PermissionDenied(errors.URGE_REPORT_NOT_SUPERVISOR)
    row = next((r for r in submission_rates(receiver) if r.kind == kind and r.year == year), None)
    if row is None:
        raise ValidationError(errors.URGE_REPORT_UNKNOWN)
    missing = [m["union"] for m in row.missing]
    result = UrgeResult()
    open_items = _open_report_items(unions=missing, kind=kind, year=year)
    title = _("%(receiver)s urges: %(kind)s %(year)s has not been submitted") % {
        "receiver": receiver.name,
        "kind": row.kind_label,
        "year": year,
    }
    today = timezone.localdate()
    for union in missing:
        items = open_items.get(union.pk, [])
        for item in items:
            _urge_counted(item=item, user=user, result=result)
        if not items:
            key = f"report-urge:{receiver.pk}:{kind}:{year}:{union.pk}"
            result.notified += _tell_to_start(union=union, title=title, key=key, today=today)
    event_record(
        verb="report_urged",
        actor=user,
        subject=receiver,
        union=receiver,
        detail={
            "kind": kind,
            "year": year,
            "unions": [u.pk for u in missing],
            "urged": result.urged,
            "notified": result.notified,
            "skipped_too_soon": result.too_soon,
        },
    )
    return result


def _open_report_items(*, unions: list[Union], kind: str, year: int) -> dict[int, list[WorkItem]]:
    """Per union, the open top-level steps of its report ``kind`` of ``year`` (two queries)."""
    reports = dict(
        CongressReport.objects.filter(union__in=unions, kind=kind, year=year)
        .exclude(status="withdrawn")
        .values_list("union_id", "id")
    )
    open_items: dict[int, list[WorkItem]] = {}
    for item in WorkItem.objects.filter(
        document_type="finance_report" if kind == "finance_report" else "work_report",
        document_id__in=list(reports.values()),
        state=WorkItemState.OPEN,
        parent__isnull=True,
    ).select_related("union"):
        open_items.setdefault(item.union_id, []).append(item)
    return open_items


def _urge_counted(*, item: WorkItem, user: User, result: UrgeResult) -> None:
    """Urge one task; one urged less than 24 hours ago (or already handled) is counted as skipped."""
    try:
        work_item_urge(item=item, user=user)
    except (ValidationError, AlreadyHandled):
        result.too_soon += 1
    else:
        result.urged += 1


def _tell_to_start(*, union: Union, title: str, key: str, today) -> int:
    """Notify the chair and office staff of a union that has not started its report, once per day
    (the notification key ends with the person and the day). Returns how many were told."""
    people = (
        Seat.objects.in_force()
        .filter(union=union, role__in=[Role.CHAIR, Role.OFFICE_STAFF])
        .select_related("person")
    )
    told = 0
    for seat in people:
        notify(
            person=seat.person,
            union=union,
            title=title,
            url=f"/unions/{union.pk}/reports/",
            key=f"{key}:{seat.person_id}:{today}",
        )
        told += 1
    return told


def may_reassign(*, user: User, union: Union) -> bool:
    """The union's chair (chair seat in force in its union committee) or a supervisor above."""
    access = union_access(user=user, union=union)
    if access.supervised:
        return True
    return (
        Seat.objects.in_force()
        .filter(person=user, union=union, role=Role.CHAIR, body__kind="union_committee")
        .exists()
    )


def body_seat_holders(*, item: WorkItem) -> QuerySet[User]:
    """Who may take a body's task over (work_item_reassign): the people with a seat in force in that
    body. The reassign page's people picker offers them (oversight.people)."""
    if item.body_id is None:
        return User.objects.none()
    people = Seat.objects.in_force().filter(body_id=item.body_id).values("person_id")
    return User.objects.filter(pk__in=people, is_active=True)


def work_item_reassign(*, item: WorkItem, user: User, to: User | None, note: str = "") -> WorkItem:
    """Reassign a stuck body task to another seat holder of the same body (chair or supervisor only).
    The new holder finds it in their inbox (it is assigned to them) and is notified; the change is
    written as an event."""
    if not may_reassign(user=user, union=item.union):
        raise PermissionDenied(errors.REASSIGN_NOT_ALLOWED)
    if item.kind != WorkItemKind.BODY or item.body_id is None or item.parent_id is not None:
        raise ValidationError(errors.REASSIGN_PERSON_TASK)
    if to is None:
        raise ValidationError(errors.REASSIGN_NO_PERSON)
    if item.assignee_id == to.pk:
        raise ValidationError(errors.REASSIGN_SAME_PERSON, params={"person": str(to)})
    if not to.is_active or not Seat.objects.in_force().filter(person=to, body_id=item.body_id).exists():
        raise ValidationError(
            errors.REASSIGN_OUTSIDE_BODY, params={"person": str(to), "body": item.body.display_name}
        )
    with process_lock(item.process_id):
        previous = item.assignee_id
        now = timezone.now()
        moved = WorkItem.objects.filter(pk=item.pk, state=WorkItemState.OPEN).update(
            assignee=to, claimed_at=now, note=note
        )
        item.refresh_from_db()
        if moved != 1:
            raise ValidationError(errors.REASSIGN_NOT_OPEN)
        if item.task_id is not None:
            task = Task.objects.select_for_update().get(pk=item.task_id)
            task.owner = to
            task.status = STATUS.ASSIGNED
            task.save(update_fields=["owner", "status"])
        event_record(
            verb="reassigned",
            actor=user,
            subject=item,
            union=item.union,
            detail={"from": previous, "to": to.pk, "note": note, "step": item.step},
        )
        notify(
            person=to,
            union=item.union,
            title=_("%(person)s reassigned a task to you: %(document)s · %(step)s")
            % {"person": user, "document": item.document_title, "step": item.step_title},
            body=note,
            url=document_url(item.document_type, item.document_id),
            key=f"reassign:{item.pk}:{to.pk}:{now.isoformat()}",
        )
    return item
