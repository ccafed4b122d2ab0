"""Reading and posting pages as a browser would: messages as the page shows them, the meeting form's
POST data, the inbox's rows and badge, uploads, and two people posting at the same moment."""

from __future__ import annotations

import re
import threading
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from core.models import Body
from workflows.models import WorkItem
from workflows.services.workitems import AlreadyHandled


def content(response) -> str:
    return response.content.decode()


def shown(message, **params) -> str:
    """A message as the page shows it: in the default language (Chinese), HTML-escaped."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message) % params if params else str(message)
    return escape(text)


def already_handled(item: WorkItem) -> str:
    """What a page says to the one who comes second to a work item, as shown."""
    item.refresh_from_db()
    with translation.override(settings.LANGUAGE_CODE):
        return escape(AlreadyHandled(item).messages[0])


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def meeting_url(body: Body) -> str:
    return reverse("workflows:meeting_new", args=[body.pk])


def meeting_data(*, attendees, rows, held_on=None, place="三楼会议室", minutes="审查了预算草案") -> dict:
    """POST data of the meeting page. rows: (work item id, resolution, for, against, abstain, opinions)."""
    data = {
        "held_on": (held_on or timezone.localdate()).isoformat(),
        "place": place,
        "minutes": minutes,
        "attendees": [str(p.pk) for p in attendees],
        "agenda": [str(row[0]) for row in rows],
    }
    for item_id, resolution, votes_for, votes_against, votes_abstain, opinions in rows:
        prefix = f"item-{item_id}-"
        data[prefix + "resolution"] = resolution
        data[prefix + "votes_for"] = str(votes_for)
        data[prefix + "votes_against"] = str(votes_against)
        data[prefix + "votes_abstain"] = str(votes_abstain)
        data[prefix + "opinions"] = opinions
    return data


def inbox(**params) -> str:
    url = reverse("workflows:my_work")
    return f"{url}?{urlencode(params)}" if params else url


def todo_ids(response) -> list[int]:
    """The work items listed to do, in the inbox's order."""
    return [int(pk) for pk in re.findall(r'data-testid="work-(\d+)"', content(response))]


def badge(response) -> int | None:
    """The inbox badge's count in the page's header, if shown."""
    found = re.search(r'data-testid="inbox-count">(\d+)<', content(response))
    return int(found.group(1)) if found else None


def race(*attempts):
    """Run each (user, url, data) POST in its own thread and connection, released together."""
    barrier = threading.Barrier(len(attempts))
    results: dict[int, object] = {}

    def run(index, user, path, data):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait(timeout=10)
            results[index] = client.post(path, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *attempt)) for i, attempt in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return [results[i] for i in range(len(attempts))]
