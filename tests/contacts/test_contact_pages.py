"""S4.4, the contact pages: who reads a record of a worker in difficulty (and that each view is logged),
the coverage page in names and in counts, the member's own list and log form, bad input refused in
Chinese with the input kept, and the outsider refused everywhere."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from core.models import Event
from tests.factories import seated
from workflows.contacts import errors, services
from workflows.contacts.models import Contact, ContactKind, ContactLog, DifficultyViewer, Way

pytestmark = pytest.mark.django_db
WORKER = "赵秀英"
FIGURE = "王晓明"


def shown(message, **params) -> str:
    """A message as the page shows it: in the default language (Chinese), HTML-escaped."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message) % params if params else str(message)
    return escape(text)


@pytest.fixture
def scene(cast):
    """a1's committee member keeps a worker in difficulty and an advanced figure; the chair names a
    representative to read the records of workers in difficulty."""
    member = cast.committee_members[0]
    today = timezone.localdate()
    worker = services.contact_assign(
        actor=cast.chair,
        union=cast.union,
        member=member,
        kind=ContactKind.WORKER_IN_DIFFICULTY,
        name=WORKER,
        unit="综合处",
        phone="13900002222",
    )
    services.contact_log(
        actor=member, contact=worker, contacted_on=today, way=Way.VISIT, raised="医疗费用负担较重"
    )
    figure = services.contact_assign(
        actor=cast.office, union=cast.union, member=member, kind=ContactKind.ADVANCED_FIGURE, name=FIGURE
    )
    named = cast.representatives[0]
    services.difficulty_viewer_add(actor=cast.chair, union=cast.union, person=named)
    return {"member": member, "worker": worker, "figure": figure, "named": named}


def test_S4_4_worker_in_difficulty_named_only_to_member_chair_and_named_reader_each_view_logged(
    cast, scene, login, supervisor_of, tree
):
    worker = scene["worker"]
    detail = reverse("contacts:detail", args=[worker.pk])
    coverage = reverse("contacts:coverage", args=[cast.union.pk])
    readers = {"member": scene["member"], "chair": cast.chair, "named reader": scene["named"]}
    for who, person in readers.items():
        response = login(person).get(detail)
        assert response.status_code == 200, who
        assert WORKER in response.content.decode() and "医疗费用负担较重" in response.content.decode()
    logged = Event.objects.filter(verb="difficulty_record_viewed", subject_id=str(worker.pk)).all
    assert set(logged().values_list("actor_id", flat=True)) == {p.pk for p in readers.values()}
    assert all(e.detail == {"page": "detail"} and e.union_id == cast.union.pk for e in logged())
    # the coverage page names it to the chair, and logs that view too
    before = logged().count()
    page = login(cast.chair).get(coverage).content.decode()
    assert WORKER in page and FIGURE in page and logged().count() == before + 1
    # the others who see the union: counts, never the name, and nothing to log
    supervisor = supervisor_of(tree["dept_a"])
    others = {
        "other committee member": cast.committee_members[1],
        "office staff not named": cast.office,
        "upper union supervisor": supervisor,
    }
    before = logged().count()
    for who, person in others.items():
        client = login(person)
        assert client.get(detail).status_code == 403, who
        assert client.get(reverse("contacts:log", args=[worker.pk])).status_code == 403, who
        response = client.get(coverage)
        assert response.status_code == 200, who
        assert WORKER not in response.content.decode(), who
        assert f'data-testid="hidden-{scene["member"].pk}"' in response.content.decode(), who
    assert logged().count() == before
    # the office staff names the other contacts; the officer and the supervisor see counts only
    assert FIGURE in login(cast.office).get(coverage).content.decode()
    assert 'data-testid="counts-only"' in login(supervisor).get(coverage).content.decode()
    assert FIGURE not in login(supervisor).get(coverage).content.decode()
    figure = reverse("contacts:detail", args=[scene["figure"].pk])
    assert login(cast.committee_members[1]).get(figure).status_code == 200
    # a representative not named sees the union, not this page; the outsider sees nothing
    assert login(cast.representatives[1]).get(coverage).status_code == 403
    outsider = login(cast.outsider)
    assert outsider.get(coverage).status_code == 404 and outsider.get(detail).status_code == 404
    # once the chair takes the reader off, the record is closed to them
    viewer = DifficultyViewer.objects.get(person=scene["named"])
    assert login(cast.chair).post(reverse("contacts:viewer_remove", args=[viewer.pk])).status_code == 302
    assert login(scene["named"]).get(detail).status_code == 403


def test_S4_4_member_logs_a_contact_on_the_phone_form_and_sees_it_contacted(
    cast, scene, login, django_assert_max_num_queries
):
    figure = scene["figure"]
    client = login(scene["member"])
    with django_assert_max_num_queries(14):
        mine = client.get(reverse("contacts:mine"))
    html = mine.content.decode()
    assert mine.status_code == 200 and WORKER in html and FIGURE in html
    assert reverse("contacts:log", args=[figure.pk]) in html
    assert client.get(reverse("contacts:log", args=[figure.pk])).status_code == 200
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("contacts:log", args=[figure.pk]),
        {
            "contacted_on": today,
            "way": Way.TALK,
            "raised": "劳模工作室需要场地",
            "for_plan": "on",
            "follow_up": "协调场地",
            "follow_up_owner_q": cast.office.full_name,
            "follow_up_due": today,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("contacts:mine")
    entry = ContactLog.objects.get(contact=figure)
    assert (entry.way, entry.follow_up_owner, entry.for_plan) == (Way.TALK, cast.office, True)
    page = client.get(reverse("contacts:mine")).content.decode()
    assert f'data-testid="contact-{figure.pk}"' in page and "本期已联系" in page
    # the follow-up is closed from the record; the chair's coverage page stays within its queries
    detail = reverse("contacts:detail", args=[figure.pk])
    assert client.post(reverse("contacts:close_follow_up", args=[entry.pk])).status_code == 302
    entry.refresh_from_db()
    assert entry.follow_up_closed_on == timezone.localdate()
    assert f'data-testid="close-{entry.pk}"' not in client.get(detail).content.decode()
    for i in range(4):
        services.contact_assign(
            actor=cast.office,
            union=cast.union,
            member=cast.audit_members[i % 2],
            kind=ContactKind.MEMBER_REPRESENTATIVE,
            name=f"会员代表{i}",
        )
    chair = login(cast.chair)
    with django_assert_max_num_queries(22):
        assert chair.get(reverse("contacts:coverage", args=[cast.union.pk])).status_code == 200


def test_S4_4_bad_input_is_refused_in_chinese_with_the_input_kept(cast, scene, login):
    figure = scene["figure"]
    today = timezone.localdate()
    url = reverse("contacts:log", args=[figure.pk])
    data = {"contacted_on": today.isoformat(), "way": Way.CALL, "raised": "食堂菜品单一"}
    # a log for a contact not assigned to the user: the chair reads it, may not log it
    chair = login(cast.chair)
    assert 'data-testid="log-form"' not in chair.get(url).content.decode()
    response = chair.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert shown(errors.NOT_ASSIGNED, person=scene["member"].full_name) in html and "食堂菜品单一" in html
    member = login(scene["member"])
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    response = member.post(url, {**data, "contacted_on": tomorrow})
    html = response.content.decode()
    assert response.status_code == 400 and shown(errors.CONTACT_IN_FUTURE) in html
    assert "不能晚于今天" in html and f'value="{tomorrow}"' in html and "食堂菜品单一" in html
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    response = member.post(url, {**data, "follow_up": "反馈后勤", "follow_up_due": yesterday})
    html = response.content.decode()
    assert response.status_code == 400 and shown(errors.FOLLOW_UP_BEFORE_CONTACT) in html
    assert "反馈后勤" in html and f'value="{yesterday}"' in html
    assert not ContactLog.objects.filter(contact=figure).exists()
    # assigned to someone with no seat on the three committees of the union
    response = login(cast.chair).post(
        reverse("contacts:assign", args=[cast.union.pk]),
        {
            "member": str(cast.representatives[1].pk),
            "kind": ContactKind.MEMBER_REPRESENTATIVE,
            "name": "孙丽华",
            "unit": "人事处",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400 and shown(errors.MEMBER_NOT_ON_COMMITTEE) in html
    assert 'value="孙丽华"' in html and 'value="人事处"' in html
    # the office staff, not named, may not record a worker in difficulty
    response = login(cast.office).post(
        reverse("contacts:assign", args=[cast.union.pk]),
        {"member": str(scene["member"].pk), "kind": ContactKind.WORKER_IN_DIFFICULTY, "name": "周敏"},
    )
    assert response.status_code == 400 and shown(errors.DIFFICULTY_RESERVED) in response.content.decode()
    assert Contact.objects.count() == 2


def test_S4_4_managers_assign_reassign_and_end_and_only_the_chair_names_readers(cast, scene, login):
    office = login(cast.office)
    response = office.post(
        reverse("contacts:assign", args=[cast.union.pk]),
        {"member": str(cast.audit_director.pk), "kind": "union_group", "contact_union": cast.group.pk},
    )
    assert response.status_code == 302
    group = Contact.objects.get(kind=ContactKind.UNION_GROUP)
    assert (group.contact_union, group.member) == (cast.group, cast.audit_director)
    url = reverse("contacts:reassign", args=[group.pk])
    assert office.post(url, {"member": str(cast.representatives[0].pk)}).status_code == 400
    assert office.post(url, {"member": str(cast.committee_members[1].pk)}).status_code == 302
    group.refresh_from_db()
    assert group.member == cast.committee_members[1]
    end = reverse("contacts:end", args=[group.pk])
    assert office.post(end, {"ended_on": "2999-01-01"}).status_code == 400
    assert office.post(end, {"ended_on": timezone.localdate().isoformat()}).status_code == 302
    # the office staff manages the contacts, not who reads the records of workers in difficulty
    readers = reverse("contacts:viewer_add", args=[cast.union.pk])
    assert office.post(readers, {"person": str(cast.office.pk)}).status_code == 403
    worker_end = reverse("contacts:end", args=[scene["worker"].pk])
    assert office.post(worker_end, {"ended_on": "2026-01-01"}).status_code == 403
    chair = login(cast.chair)
    response = chair.post(readers, {"person": str(scene["named"].pk)})
    assert response.status_code == 400  # named already
    assert chair.post(readers, {"person": str(cast.office.pk)}).status_code == 302
    assert login(cast.office).get(reverse("contacts:detail", args=[scene["worker"].pk])).status_code == 200
    # an officer who may not manage: 403 on the managers' actions
    auditor = login(cast.audit_director)
    assert auditor.post(reverse("contacts:assign", args=[cast.union.pk]), {}).status_code == 403
    assert auditor.post(reverse("contacts:reassign", args=[scene["figure"].pk]), {}).status_code == 403
    assert Event.objects.filter(verb="difficulty_viewer_added", union=cast.union).count() == 2


def test_S4_4_outsider_gets_404_on_every_page_and_changes_nothing(cast, scene, login):
    entry = ContactLog.objects.get(contact=scene["worker"])
    viewer = DifficultyViewer.objects.get()
    client = login(cast.outsider)
    union = cast.union.pk
    gets = [
        reverse("contacts:coverage", args=[union]),
        reverse("contacts:detail", args=[scene["figure"].pk]),
        reverse("contacts:log", args=[scene["figure"].pk]),
    ]
    posts = [
        reverse("contacts:assign", args=[union]),
        reverse("contacts:viewer_add", args=[union]),
        reverse("contacts:viewer_remove", args=[viewer.pk]),
        reverse("contacts:log", args=[scene["worker"].pk]),
        reverse("contacts:reassign", args=[scene["worker"].pk]),
        reverse("contacts:end", args=[scene["worker"].pk]),
        reverse("contacts:close_follow_up", args=[entry.pk]),
        reverse("contacts:mark_for_plan", args=[entry.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"for_plan": "1", "ended_on": "2026-01-01"}).status_code == 404, url
    mine = client.get(reverse("contacts:mine"))
    assert mine.status_code == 200 and WORKER not in mine.content.decode()
    assert Event.objects.filter(verb="access_denied", actor=cast.outsider).count() == len(gets) + len(posts)
    assert not Event.objects.filter(verb="difficulty_record_viewed", actor=cast.outsider).exists()
    entry.refresh_from_db()
    assert DifficultyViewer.objects.exists() and not entry.for_plan
    assert Contact.objects.filter(ended_on__isnull=True).count() == 2


def test_S4_4_a_member_who_left_the_committees_no_longer_lists_the_contacts(cast, scene, login):
    from core.models import Seat

    seat = Seat.objects.get(person=scene["member"], union=cast.union)
    Seat.objects.filter(pk=seat.pk).update(end_date=timezone.localdate() - datetime.timedelta(days=1))
    page = login(scene["member"]).get(reverse("contacts:mine")).content.decode()
    assert 'data-testid="no-contacts"' in page
    coverage = login(cast.chair).get(reverse("contacts:coverage", args=[cast.union.pk])).content.decode()
    assert 'data-testid="not-seated"' in coverage
    other = seated(cast.union, "member", "women_committee")
    services.contact_reassign(actor=cast.chair, contact=scene["worker"], member=other)
    assert WORKER in login(other).get(reverse("contacts:mine")).content.decode()
