"""A step nobody can take (issue 24): a body's step while the body has no seat in force — a vacancy,
a term ended — would wait for ever with nobody in its inbox. It is flagged at once to the union's
chair and the supervisors of every union above (who can seat new members or move the work on), and
oversight's stuck page marks it "nobody can act" (``oversight.selectors.stuck``).

Flagged when the step is created (``work_item_create``) and when a seat ends leaving its body empty
(``core.signals.seat_ended``, received here). One notification per person and step
(``vacant:<work item>``): a repeat finds it sent.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.models import Body, Role, Seat, User
from core.selectors import union_ancestors
from notifications.services import notification_create
from notifications.services.reminders.recipients import chairs
from workflows.documents import document_url
from workflows.models import WorkItem, WorkItemKind, WorkItemState

# A body's step still waiting: open, or open again once the signer added before the body answers.
WAITING = (WorkItemState.OPEN, WorkItemState.BLOCKED)
TITLE_LENGTH = 200  # Notification.title: a document's title may use it all


def body_seated(*, body_id: int, on: datetime.date | None = None) -> bool:
    """Whether the body has a seat in force on the day (today by default): one EXISTS query."""
    return Seat.objects.in_force(on).filter(body_id=body_id).exists()


def body_seated_exists(*, on: datetime.date, body_ref: str = "body_id") -> Exists:
    """``EXISTS`` a seat in force on the day in the body ``OuterRef(body_ref)``: for annotating or
    filtering many rows in their own query (the stuck page), not one query per row."""
    return Exists(Seat.objects.in_force(on).filter(body_id=OuterRef(body_ref)))


def unseated_bodies(*, on: datetime.date):
    """The ids of the bodies with no seat in force on the day, as a subquery: counting many items
    against it, PostgreSQL builds the set once (a hashed subplan) instead of probing the seats for
    every item (a provincial supervisor's home page at bench full scale: 1.4 s -> 0.6 s)."""
    return Body.objects.exclude(Exists(Seat.objects.in_force(on).filter(body_id=OuterRef("pk")))).values("pk")


def _flaggable(item: WorkItem) -> bool:
    return item.kind == WorkItemKind.BODY and item.body_id is not None and item.state in WAITING


def vacancy_flag(*, item: WorkItem, on: datetime.date | None = None, seated: bool | None = None) -> int:
    """Tell the union's chair and the supervisors above that nobody can take ``item`` when its body
    has no seat in force on the day (today by default). Returns how many were told this time.
    ``seated``: whether the body has a seat in force, when the caller read it with the body."""
    if not _flaggable(item):
        return 0
    if seated if seated is not None else body_seated(body_id=item.body_id, on=on):
        return 0
    return _tell(items=[item], on=on)


def body_vacancy_flag(*, body_id: int, on: datetime.date | None = None) -> int:
    """Flag every step waiting at the body when it has no seat in force on the day (a seat ended)."""
    if body_seated(body_id=body_id, on=on):
        return 0
    items = list(
        WorkItem.objects.filter(body_id=body_id, kind=WorkItemKind.BODY, state__in=WAITING)
        .select_related("union", "body")
        .order_by("id")
    )
    return _tell(items=items, on=on) if items else 0


def seat_ended_received(sender, seat: Seat, **kwargs) -> None:
    """core.signals.seat_ended: the body may be left empty from the day after the seat's last day.
    Told then rather than on that day (there is no daily sweep): in time to seat someone."""
    if seat.body_id is None or seat.end_date is None:
        return
    first_day_without = seat.end_date + datetime.timedelta(days=1)
    body_vacancy_flag(body_id=seat.body_id, on=max(timezone.localdate(), first_day_without))


def _tell(*, items: list[WorkItem], on: datetime.date | None) -> int:
    """Every item belongs to one union (its body's): its people are read once for all of them.
    Returns how many notifications were new."""
    union = items[0].union
    people = _people_to_tell(union=union)
    told = 0
    for item in items:
        title = _title(item=item, on=on)
        url = document_url(item.document_type, item.document_id) or ""
        for person in people:
            # notify()'s call, for its answer: None when this person was told of the step before
            sent = notification_create(
                recipient=person, union=union, title=title, url=url, dedupe_key=f"vacant:{item.pk}"
            )
            told += sent is not None
    return told


def _people_to_tell(*, union) -> list[User]:
    """The chair of the union's union committee (none when that committee is the empty body) and
    the supervisors of every union above it, who see this union's work (core.selectors)."""
    supervisors = (
        Seat.objects.in_force()
        .filter(union__in=union_ancestors(union=union), role=Role.SUPERVISOR, person__is_active=True)
        .select_related("person")
        .order_by("person_id")
    )
    people = {p.pk: p for p in chairs(union) if p.is_active}
    for seat in supervisors:
        people.setdefault(seat.person_id, seat.person)
    return list(people.values())


def _title(*, item: WorkItem, on: datetime.date | None) -> str:
    """Worded in the site's language: it is stored, and whoever's click made it may browse in another."""
    with translation.override(settings.LANGUAGE_CODE):
        return _title_text(item=item, on=on)


def _title_text(*, item: WorkItem, on: datetime.date | None) -> str:
    params = {"document": item.document_title, "step": _(item.step_title), "body": item.body.display_name}
    if on is None or on <= timezone.localdate():
        title = _("Nobody can act on %(document)s at “%(step)s”: the %(body)s has no member in office")
    else:
        title = _(
            "Nobody can act on %(document)s at “%(step)s”: the %(body)s has no member in office from %(day)s"
        )
        params["day"] = date_format(on, "Y-m-d")
    return Truncator(title % params).chars(TITLE_LENGTH)
