"""The cached to-do page (workflows/inbox_cache.py): served only while PostgreSQL's change log says
nothing on the person's list changed, whatever wrote the change.

Transactional tests: the cache is used only in autocommit requests, as in production (a request inside
a test's transaction renders every time), and the change log's rows carry real committed transactions.
"""

from __future__ import annotations

import datetime
import re
import threading

import pytest
from django.core.cache import caches
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from core.models import Body, BodyKind, BodyUserObjectPermission, Role
from notifications.models import Notification
from notifications.selectors import unread_count
from tests.factories import give_seat, pile_up
from tests.pages import badge, content, inbox, todo_ids
from workflows import inbox_cache
from workflows.budget.services import Recipient
from workflows.models import OpinionAnswer, WorkItem, WorkItemKind, WorkItemState
from workflows.services.actions import work_item_claim
from workflows.services.opinions import opinion_answer
from workflows.views import DUE_SOON

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    caches[inbox_cache.CACHE_ALIAS].clear()
    yield
    caches[inbox_cache.CACHE_ALIAS].clear()


def _renders(monkeypatch) -> list[int]:
    """Counts the to-do pages actually rendered (cache misses)."""
    from workflows import views

    calls: list[int] = []
    original = views._todo_context

    def counting(request):
        calls.append(request.user.pk)
        return original(request)

    monkeypatch.setattr(views, "_todo_context", counting)
    return calls


def bell(response) -> int | None:
    found = re.search(r'data-testid="bell-count">(\d+)<', content(response))
    return int(found.group(1)) if found else None


def test_a_repeat_costs_3_queries_and_shows_the_same_page(
    cast, client, monkeypatch, django_assert_num_queries
):
    director = cast.audit_director
    pile_up(director, union=cast.union, n=3, acting_for=cast.chair)
    Notification.objects.bulk_create(
        [
            Notification(recipient=director, union=cast.union, title="未读", body="", url=""),
            Notification(recipient=director, union=cast.union, title="未读2", body="", url=""),
            Notification(
                recipient=director, union=cast.union, title="已读", body="", url="", read_at=timezone.now()
            ),
            Notification(recipient=cast.chair, union=cast.union, title="别人的", body="", url=""),
        ]
    )
    client.force_login(director)
    # another page first: the first request after a login stamps the session (and shows the bell)
    assert bell(client.get(reverse("notifications:list"))) == 2
    rendered = _renders(monkeypatch)
    with django_assert_num_queries(5):  # a miss: session, user, snapshot and bell, summary, page
        first = client.get(inbox())
    assert first.status_code == 200 and len(todo_ids(first)) == 6 and badge(first) == 6
    # the bell the check query counts is the one every other page shows
    assert bell(first) == unread_count(user=director) == 2
    # a repeat: session, user, the change-log check (with the bell); no work-item query at all
    with django_assert_num_queries(3) as captured:
        second = client.get(inbox())
    assert rendered == [director.pk]
    assert todo_ids(second) == todo_ids(first) and badge(second) == 6 and bell(second) == 2
    assert any("workflows_inboxchange" in q["sql"] for q in captured.captured_queries)
    assert not any("workflows_workitem" in q["sql"] for q in captured.captured_queries)


def test_an_answered_opinion_leaves_the_list_at_once(cast, submitted_budget, client, monkeypatch):
    budget = submitted_budget(recipients=[Recipient(cast.representatives[0])], year=2031)
    rep = cast.representatives[0]
    client.force_login(rep)
    rendered = _renders(monkeypatch)
    item = WorkItem.objects.get(assignee=rep, state=WorkItemState.OPEN, process=budget.process)
    assert todo_ids(client.get(inbox())) == [item.pk]
    assert todo_ids(client.get(inbox())) == [item.pk] and len(rendered) == 1  # served from the cache
    # when: the representative answers through the flow (viewflow finishes the task, the item closes)
    opinion_answer(work_item=item, actor=rep, answer=OpinionAnswer.NO_OPINION)
    # then: the next page is rendered again and the item is gone, badge included
    after = client.get(inbox())
    assert todo_ids(after) == [] and badge(after) is None and len(rendered) == 2
    assert 'data-testid="my-work-empty"' in content(after)


def test_a_claim_by_a_colleague_through_compare_and_set_update_leaves_my_list(cast, client, monkeypatch):
    director, member = cast.audit_director, cast.audit_members[0]
    give_seat(member, cast.union, Role.SECRETARY, BodyKind.AUDIT_COMMITTEE)  # a second recorder
    items = pile_up(director, union=cast.union, n=2, acting_for=cast.chair)
    unclaimed = [i for i in items if i.kind == WorkItemKind.BODY]
    client.force_login(director)
    rendered = _renders(monkeypatch)
    before = todo_ids(client.get(inbox()))
    assert {i.pk for i in unclaimed} <= set(before)
    # when: a fellow member claims one (WorkItem.objects.filter(...).update(...), no save())
    work_item_claim(item=unclaimed[0], user=member)
    # then
    after = todo_ids(client.get(inbox()))
    assert unclaimed[0].pk not in after and unclaimed[1].pk in after and len(rendered) == 2
    # and the member, who now holds it, sees it as claimed
    client.force_login(member)
    assert unclaimed[0].pk in todo_ids(client.get(inbox()))


def test_a_bulk_created_item_in_my_body_appears(cast, client, monkeypatch):
    director = cast.audit_director
    pile_up(director, union=cast.union, n=1, acting_for=cast.chair)
    client.force_login(director)
    assert len(todo_ids(client.get(inbox()))) == 2
    assert len(todo_ids(client.get(inbox()))) == 2
    pile_up(cast.audit_members[0], union=cast.union, n=1, acting_for=None, start=1)  # another audit item
    assert len(todo_ids(client.get(inbox()))) == 3


def test_a_seat_that_ends_takes_the_bodys_items_away(cast, client, monkeypatch):
    director = cast.audit_director
    pile_up(cast.audit_members[0], union=cast.union, n=2, acting_for=None)
    client.force_login(director)
    assert len(todo_ids(client.get(inbox()))) == 2
    assert len(todo_ids(client.get(inbox()))) == 2
    # when: the director's body permissions go (the rows the seat derived are deleted)
    rows = BodyUserObjectPermission.objects.filter(user=director, content_object=cast.body("audit_committee"))
    deleted, _ = rows.delete()
    assert deleted > 0
    # then: none of the audit committee's unclaimed items is offered any more
    assert todo_ids(client.get(inbox())) == []


def test_a_renamed_body_shows_its_new_name(cast, client):
    director = cast.audit_director
    pile_up(cast.audit_members[0], union=cast.union, n=1, acting_for=None)
    client.force_login(director)
    body = cast.body("audit_committee")
    assert body.display_name in content(client.get(inbox()))
    Body.objects.filter(pk=body.pk).update(name="第二届经费审查委员会")
    assert "第二届经费审查委员会" in content(client.get(inbox()))


def test_an_entry_is_not_served_past_the_moment_a_row_turns_due_soon(cast, client, monkeypatch):
    import time_machine

    director = cast.audit_director
    pile_up(director, union=cast.union, n=1, acting_for=cast.chair)
    soon = timezone.now() + DUE_SOON + datetime.timedelta(minutes=30)
    WorkItem.objects.filter(assignee=director, state=WorkItemState.OPEN).update(due_at=soon)
    client.force_login(director)
    rendered = _renders(monkeypatch)
    assert 'data-testid="due-soon"' not in content(client.get(inbox()))
    client.get(inbox())
    assert len(rendered) == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31), tick=True):
        client.force_login(director)  # the idle timeout of the session would end it otherwise
        assert 'data-testid="due-soon"' in content(client.get(inbox()))
    assert len(rendered) == 2


def test_each_person_and_language_has_its_own_entry_and_outsiders_see_nothing(cast, client, monkeypatch):
    director = cast.audit_director
    pile_up(director, union=cast.union, n=2, acting_for=cast.chair)
    client.force_login(director)
    mine = todo_ids(client.get(inbox()))
    assert len(mine) == 4
    client.force_login(cast.outsider)
    assert todo_ids(client.get(inbox())) == []
    assert todo_ids(client.get(inbox())) == []
    client.force_login(director)
    zh = content(client.get(inbox()))
    client.cookies["django_language"] = "en"
    en = content(client.get(inbox()))
    tab = re.compile(r'data-testid="tab-todo"[^>]*>([^<]+)')
    assert tab.search(zh).group(1).strip() == "待办"
    assert tab.search(en).group(1).strip() == "To do"


def test_a_change_committed_while_the_page_renders_is_caught_by_the_next_request(cast, client, monkeypatch):
    """The snapshot is taken before the content is read: a change that lands in between is not in the
    snapshot, so the next request renders again instead of serving a page without it."""
    from workflows import views

    director = cast.audit_director
    pile_up(director, union=cast.union, n=1, acting_for=cast.chair)
    client.force_login(director)
    original = views._todo_context
    done = threading.Event()

    def slow(request):
        def other_writer():
            # another request's transaction, on its own connection, commits a new audit item now
            try:
                pile_up(cast.audit_members[0], union=cast.union, n=1, acting_for=None, start=7)
            finally:
                connections.close_all()
                done.set()

        threading.Thread(target=other_writer).start()
        assert done.wait(20)
        return original(request)

    monkeypatch.setattr(views, "_todo_context", slow)
    first = todo_ids(client.get(inbox()))
    monkeypatch.setattr(views, "_todo_context", original)
    second = todo_ids(client.get(inbox()))
    assert len(first) == 3 and len(second) == 3  # the rendering saw it, and so does the next page
    # an uncommitted change is invisible to both the page and the check; once committed, it shows
    from django.db import transaction

    assert len(todo_ids(client.get(inbox()))) == 3
    with transaction.atomic():
        pile_up(cast.audit_members[0], union=cast.union, n=1, acting_for=None, start=9)
    assert len(todo_ids(client.get(inbox()))) == 4


def test_prune_keeps_what_a_live_entry_needs_and_drops_what_every_entry_has_seen(cast, client):
    director = cast.audit_director
    pile_up(director, union=cast.union, n=1, acting_for=cast.chair)
    client.force_login(director)
    assert len(todo_ids(client.get(inbox()))) == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM workflows_inboxchange")
        (rows_before,) = cursor.fetchone()
    assert rows_before > 0
    # a prune now records a horizon but deletes nothing: no horizon is old enough yet
    assert inbox_cache.prune() == 0
    # a change after the entry was rendered
    pile_up(cast.audit_members[0], union=cast.union, n=1, acting_for=None, start=3)
    # the horizons recorded so far predate that change; make them old enough to be used
    with connection.cursor() as cursor:
        cursor.execute("UPDATE workflows_inboxhorizon SET taken_at = taken_at - interval '1 day'")
    deleted = inbox_cache.prune()
    assert deleted >= rows_before - 1  # what came before the horizon
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM workflows_inboxchange")
        (left,) = cursor.fetchone()
    assert left >= 1  # the newer change survives, and the cached page is still caught out by it
    assert len(todo_ids(client.get(inbox()))) == 3


def test_a_due_filter_is_never_cached(cast, client, monkeypatch):
    director = cast.audit_director
    pile_up(director, union=cast.union, n=1, acting_for=cast.chair)
    client.force_login(director)
    rendered = _renders(monkeypatch)
    client.get(inbox(due="week"))
    client.get(inbox(due="week"))
    assert len(rendered) == 2


def test_requests_inside_a_transaction_render(cast, client, monkeypatch):
    from django.db import transaction

    director = cast.audit_director
    pile_up(director, union=cast.union, n=1, acting_for=cast.chair)
    client.force_login(director)
    rendered = _renders(monkeypatch)
    with transaction.atomic():
        client.get(inbox())
        client.get(inbox())
    assert len(rendered) == 2
    with override("en"):
        assert inbox_cache.enabled()


def test_a_shared_redis_cache_serves_the_same_way(cast, client, monkeypatch, settings):
    """INBOX_CACHE_URL: one cache for every web process, on the real Redis (db 9)."""
    settings.CACHES = {
        **settings.CACHES,
        "inbox": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/9",
        },
    }
    caches[inbox_cache.CACHE_ALIAS].clear()
    director = cast.audit_director
    pile_up(director, union=cast.union, n=2, acting_for=cast.chair)
    client.force_login(director)
    rendered = _renders(monkeypatch)
    first = todo_ids(client.get(inbox()))
    assert todo_ids(client.get(inbox())) == first and len(first) == 4 and len(rendered) == 1
    assert any(
        key.startswith(b":1:todo:") for key in caches[inbox_cache.CACHE_ALIAS]._cache.get_client().keys()
    )
    pile_up(cast.audit_members[0], union=cast.union, n=1, acting_for=None, start=5)
    assert len(todo_ids(client.get(inbox()))) == 5 and len(rendered) == 2
    caches[inbox_cache.CACHE_ALIAS].clear()
