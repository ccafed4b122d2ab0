"""S4.4, the contact system: cadences met and missed as time moves, nearest-wins cadences, the daily
reminders (once only), opinions carried into next year's plan (S2.2), the coverage counts of many unions in
bounded queries, and the services' refusals."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from core.models import Role
from notifications.models import Notification
from tests.factories import seated
from tests.scenarios import at, travel
from workflows.contacts import errors, selectors, services, tasks
from workflows.contacts.models import Contact, ContactCadence, ContactKind, ContactLog, Way
from workflows.contacts.reminders import overdue_contacts_remind
from workflows.contacts.selectors import Status

pytestmark = pytest.mark.django_db
D = datetime.date
FEB_10 = D(2026, 2, 10)


def assign(cast, member, kind=ContactKind.MEMBER_REPRESENTATIVE, *, on=FEB_10, actor=None, **fields):
    fields.setdefault("name", "李建国")
    return services.contact_assign(
        actor=actor or cast.chair, union=cast.union, member=member, kind=kind, assigned_on=on, **fields
    )


def log(contact, on, **fields) -> ContactLog:
    fields.setdefault("way", Way.VISIT)
    return services.contact_log(actor=contact.member, contact=contact, contacted_on=on, today=on, **fields)


def state(member, pk, on) -> str:
    return next(c.state for c in selectors.my_contacts(member, on=on) if c.pk == pk)


def test_S4_4_cadence_met_and_missed_as_time_moves(cast):
    member = cast.committee_members[0]
    with travel(at(2026, 5, 4, 10, 0)):
        quarterly = assign(cast, member)
        monthly = assign(cast, member, ContactKind.WORKER_IN_DIFFICULTY, on=D(2026, 5, 4), name="赵秀英")
        # assigned in Q1 and never contacted: the quarter was missed
        assert selectors.my_contacts(member)[0].pk == quarterly.pk  # overdue first
        assert state(member, quarterly.pk, D(2026, 5, 4)).status == Status.OVERDUE
        assert state(member, monthly.pk, D(2026, 5, 4)).status == Status.DUE  # assigned this month
        log(quarterly, D(2026, 5, 4))
        log(monthly, D(2026, 5, 4))
        mine = {c.pk: c.state for c in selectors.my_contacts(member)}
        assert mine[quarterly.pk].status == mine[monthly.pk].status == Status.CONTACTED
        ends = (mine[quarterly.pk].period_end, mine[monthly.pk].period_end)
        assert ends == (D(2026, 6, 30), D(2026, 5, 31))
        assert selectors.coverage_counts([cast.union.pk])[cast.union.pk].contacted == 2
    with travel(at(2026, 6, 10, 9, 0)):  # a new month: the worker in difficulty is due again
        mine = {c.pk: c.state for c in selectors.my_contacts(member)}
        assert (mine[quarterly.pk].status, mine[monthly.pk].status) == (Status.CONTACTED, Status.DUE)
    with travel(at(2026, 7, 2, 9, 0)):  # June passed without contact; Q3 has just begun
        mine = {c.pk: c.state for c in selectors.my_contacts(member)}
        assert (mine[quarterly.pk].status, mine[monthly.pk].status) == (Status.DUE, Status.OVERDUE)
        counts = selectors.coverage_counts([cast.union.pk])[cast.union.pk]
        assert (counts.due, counts.contacted, counts.overdue, counts.not_contacted) == (2, 0, 1, 2)
    with travel(at(2026, 10, 1, 9, 0)):  # Q3 passed without contact
        assert state(member, quarterly.pk, D(2026, 10, 1)).status == Status.OVERDUE
    # counts as of a past day read that day's logs only
    assert selectors.coverage_counts([cast.union.pk], on=D(2026, 5, 3))[cast.union.pk].contacted == 0


def test_S4_4_nearest_cadence_wins(cast, tree):
    assert selectors.cadence_for(cast.union) == selectors.Cadence(3, 1)  # built in: quarterly, monthly
    ContactCadence.objects.create(union=None, every_months=6, difficulty_every_months=2)
    ContactCadence.objects.create(union=tree["dept_a"], every_months=2, difficulty_every_months=1)
    assert selectors.cadence_for(tree["b1"]) == selectors.Cadence(6, 2)
    assert selectors.cadence_for(tree["a2"]) == selectors.Cadence(2, 1)
    assert selectors.cadence_for(cast.union) == selectors.Cadence(2, 1)
    ContactCadence.objects.create(union=cast.union, every_months=12, difficulty_every_months=3)
    assert selectors.cadence_for(cast.union) == selectors.Cadence(12, 3)
    # a yearly cadence: contacted in January, still met in November
    contact = assign(cast, cast.committee_members[0], on=D(2026, 1, 5))
    log(contact, D(2026, 1, 20))
    assert state(contact.member, contact.pk, D(2026, 11, 30)).status == Status.CONTACTED


def test_S4_4_overdue_contacts_and_late_follow_ups_remind_the_member_once(cast):
    member = cast.committee_members[0]
    with travel(at(2026, 5, 4, 10, 0)):
        missed = assign(cast, member)
        worker = assign(cast, member, ContactKind.WORKER_IN_DIFFICULTY, on=D(2026, 4, 1), name="赵秀英")
        entry = log(worker, D(2026, 4, 20), follow_up="申请困难帮扶", follow_up_due=D(2026, 4, 30))
        assign(cast, cast.committee_members[1], name="王晓明", on=D(2026, 5, 1))  # due, not overdue
        # then the reminders, rerun the same day: nothing new
        assert tasks.remind_overdue_contacts() == 2
        assert overdue_contacts_remind() == 0
    notices = Notification.objects.filter(recipient=member).order_by("dedupe_key")
    assert [n.dedupe_key for n in notices] == [
        f"contact-follow-up:{entry.pk}:2026-04-30",
        f"contact-overdue:{missed.pk}:2026-04-01",
    ]
    # a record of a worker in difficulty is never named in a notice (it may leave by e-mail)
    assert all("赵秀英" not in n.title + n.body for n in notices)
    assert "李建国" in notices[1].title
    assert not Notification.objects.filter(recipient=cast.committee_members[1]).exists()
    # the next quarter, still not contacted: told again, once; the worker in difficulty missed June and
    # the other member's contact, assigned in May, missed the second quarter
    assert overdue_contacts_remind(today=D(2026, 7, 2)) == 3
    assert overdue_contacts_remind(today=D(2026, 7, 3)) == 0
    # a closed follow-up and a contact logged remind no more
    services.follow_up_close(actor=member, log=entry, today=D(2026, 7, 3))
    log(missed, D(2026, 7, 3))
    log(worker, D(2026, 7, 3))
    assert overdue_contacts_remind(today=D(2026, 8, 3)) == 0
    assert Notification.objects.filter(recipient=cast.committee_members[1]).count() == 1


def test_S4_4_opinions_carried_into_next_years_plan_with_their_source(cast):
    member = cast.committee_members[0]
    group = assign(cast, member, ContactKind.UNION_GROUP, contact_union=cast.group, name="")
    worker = assign(cast, member, ContactKind.WORKER_IN_DIFFICULTY, name="赵秀英")
    log(group, D(2026, 3, 2), raised="增加职工书屋藏书", for_plan=True)
    late = log(worker, D(2026, 3, 9), raised="希望开展心理疏导")
    log(group, D(2026, 3, 10), raised="不带入计划")
    assert selectors.opinions_for_plan(cast.union, 2027)[0].source == cast.group.name
    services.log_mark_for_plan(actor=cast.chair, log=late, for_plan=True)  # the chair reads it
    opinions = selectors.opinions_for_plan(cast.union, 2027)
    assert [(o.raised, o.contacted_on) for o in opinions] == [
        ("增加职工书屋藏书", D(2026, 3, 2)),
        ("希望开展心理疏导", D(2026, 3, 9)),
    ]
    assert opinions[1].source == "" and opinions[1].member == member.full_name  # no name of the worker
    assert selectors.opinions_for_plan(cast.union, 2026) == []
    html = render_to_string("workflows/contacts/_plan_opinions.html", {"opinions": opinions})
    assert "增加职工书屋藏书" in html and cast.group.name in html and "赵秀英" not in html
    # taken back; an office staff member not named may not touch a record of a worker in difficulty
    services.log_mark_for_plan(actor=member, log=late, for_plan=False)
    assert len(selectors.opinions_for_plan(cast.union, 2027)) == 1
    with pytest.raises(PermissionDenied):
        services.log_mark_for_plan(actor=cast.office, log=late, for_plan=True)


def test_S4_4_coverage_counts_costs_the_same_queries_for_one_union_or_three(cast, tree):
    unions = [cast.union, tree["a2"], tree["b1"]]
    for union in unions:
        members = [seated(union, Role.MEMBER, kind) for kind in ("union_committee", "women_committee")]
        for i, member in enumerate(members):
            services.contact_assign(
                actor=cast.chair if union == cast.union else seated(union, Role.OFFICE_STAFF),
                union=union,
                member=member,
                kind=ContactKind.ADVANCED_FIGURE,
                name=f"先进人物{i}",
                assigned_on=D(2026, 1, 5),
            )
    contact = Contact.objects.filter(union=cast.union).first()
    log(contact, D(2026, 5, 4))
    with CaptureQueriesContext(connection) as one:
        single = selectors.coverage_counts([cast.union.pk], on=D(2026, 5, 4))
    with CaptureQueriesContext(connection) as three:
        many = selectors.coverage_counts([u.pk for u in unions], on=D(2026, 5, 4))
    assert len(one) == len(three) <= 3
    assert single[cast.union.pk] == many[cast.union.pk] == selectors.Coverage(cast.union.pk, 2, 1, 1, 0)
    assert many[tree["b1"].pk] == selectors.Coverage(tree["b1"].pk, 2, 0, 2, 0)
    assert selectors.coverage_counts([]) == {}


def test_S4_4_services_refuse_bad_input(cast, tree):
    member = cast.committee_members[0]
    # assigned to someone with no seat on the three committees (a representative, another union's chair)
    for person in (cast.representatives[0], cast.outsider):
        with pytest.raises(ValidationError) as exc:
            assign(cast, person)
        assert list(exc.value.message_dict) == ["member"]
    with pytest.raises(ValidationError) as exc:  # a group of another union
        assign(cast, member, ContactKind.UNION_GROUP, contact_union=tree["b1"], name="")
    assert exc.value.message_dict["contact_union"] == [str(errors.UNION_NOT_BELOW)]
    # the office staff, not named, records no worker in difficulty
    with pytest.raises(ValidationError) as exc:
        assign(cast, member, ContactKind.WORKER_IN_DIFFICULTY, actor=cast.office)
    assert exc.value.message_dict["kind"] == [str(errors.DIFFICULTY_RESERVED)]
    with pytest.raises(PermissionDenied):  # an officer who may not manage the seats
        assign(cast, member, actor=cast.audit_director)
    contact = assign(cast, member)
    today = D(2026, 5, 4)
    with pytest.raises(ValidationError) as exc:  # logged by someone else than the member keeping it
        services.contact_log(actor=cast.chair, contact=contact, contacted_on=today, way=Way.CALL, today=today)
    assert member.full_name in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        services.contact_log(
            actor=member,
            contact=contact,
            contacted_on=today + datetime.timedelta(days=1),
            way=Way.CALL,
            follow_up="回访",
            follow_up_due=today,
            today=today,
        )
    problems = exc.value.message_dict
    assert problems["contacted_on"] == [str(errors.CONTACT_IN_FUTURE)]
    assert problems["follow_up_due"] == [str(errors.FOLLOW_UP_BEFORE_CONTACT)]
    with pytest.raises(ValidationError) as exc:
        services.contact_log(
            actor=member, contact=contact, contacted_on=today, way=Way.CALL, follow_up_due=today, today=today
        )
    assert exc.value.message_dict["follow_up"] == [str(errors.FOLLOW_UP_WHAT)]
    assert not ContactLog.objects.exists()
    with pytest.raises(ValidationError):  # reassigned to the same member, or off the committees
        services.contact_reassign(actor=cast.chair, contact=contact, member=member)
    with pytest.raises(ValidationError):
        services.contact_reassign(actor=cast.chair, contact=contact, member=cast.party_secretary)
    services.contact_reassign(actor=cast.office, contact=contact, member=cast.audit_director)
    services.contact_end(actor=cast.office, contact=contact, ended_on=today, today=today)
    with pytest.raises(ValidationError):
        services.contact_end(actor=cast.office, contact=contact, ended_on=today, today=today)
    with pytest.raises(ValidationError):  # an ended contact is logged no more
        services.contact_log(actor=cast.audit_director, contact=contact, contacted_on=today, way=Way.CALL)
