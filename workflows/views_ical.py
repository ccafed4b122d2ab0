"""A person's iCal feed of deadlines: the open tasks they may act on and the unmet obligations of the
unions whose documents they keep. It lives here, above core and notifications, because it reads all
three: the work items, the obligations and the person's calendar address (a channel preference)."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from core.models import UnionUserObjectPermission
from core.statutory import Obligation
from notifications.models import ChannelPreference
from workflows.documents import document_url, has_page
from workflows.selectors import todo_queryset


def _all_day_event(*, uid: str, day: datetime.date, summary: str, url: str, description: str = "", stamp):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("url", url)
    if description:
        event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def _work_item_events(request, user, stamp) -> list[Event]:
    items = (
        todo_queryset(user=user).filter(due_at__isnull=False).select_related("union").order_by("due_at", "id")
    )
    events = []
    for item in items:
        path = (
            document_url(item.document_type, item.document_id)
            if has_page(item.document_type)
            else reverse("workflows:my_work")
        )
        events.append(
            _all_day_event(
                uid=f"work-item-{item.pk}@wuyi",
                day=timezone.localtime(item.due_at, item.union.tz).date(),
                summary=f"{item.document_title} · {_(item.step_title)}",
                url=request.build_absolute_uri(path),
                description=str(item.union),
                stamp=stamp,
            )
        )
    return events


def _obligation_events(request, user, stamp) -> list[Event]:
    this_year = timezone.localdate().year
    officer_of = UnionUserObjectPermission.objects.filter(
        user=user, permission__codename="view_union_documents"
    ).values("content_object_id")
    unmet = (
        Obligation.objects.filter(
            union_id__in=officer_of, fiscal_year__in=[this_year, this_year + 1], met_on__isnull=True
        )
        .select_related("union")
        .order_by("due_date", "union_id", "code")
    )
    events = []
    for obligation in unmet:
        what = f"{obligation.get_code_display()} {obligation.fiscal_year}"
        if obligation.period:
            what += f" {obligation.period}"
        path = f"{reverse('obligations', args=[obligation.union_id])}?year={obligation.fiscal_year}"
        events.append(
            _all_day_event(
                uid=f"obligation-{obligation.pk}@wuyi",
                day=obligation.due_date,
                summary=f"{obligation.union}: {what}",
                url=request.build_absolute_uri(path),
                stamp=stamp,
            )
        )
    return events


@require_GET
def ical_feed(request, token: str):
    """A person's deadlines for a phone calendar. No login: the secret token in the address is the
    key (a new address from the preferences page ends the old one). Three queries, whatever the size."""
    preference = (
        ChannelPreference.objects.select_related("user")
        .filter(ical_token=token, user__is_active=True)
        .first()
    )
    if preference is None:
        raise Http404("unknown calendar address")
    stamp = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//Wuyi//deadlines//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Wuyi deadlines"))
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    calendar.add("x-published-ttl", "PT1H")
    for event in _work_item_events(request, preference.user, stamp):
        calendar.add_component(event)
    for event in _obligation_events(request, preference.user, stamp):
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="wuyi.ics"'
    # the address is a secret: keep it out of shared caches and search engines
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
