"""S4.1/S4.2: re-electing a union's committees (换届) — the old seats end the day before the new term,
the new ones start on it, rights follow on those days (a re-elected head keeps them throughout), a
leaving recorder's claimed task returns to the committee's queue with its head told; every bad input is
refused; the re-elections due across unions; the pages' scope; the demo."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core.models import Body, BodyUserObjectPermission, Event, Role, Seat, Union
from core.services.permissions import permissions_sync_due
from notifications.models import Notification
from tests.factories import UserFactory, body_of, give_seat
from tests.scenarios import at, to_audit_review, travel
from workflows.models import Meeting, WorkItemState
from workflows.roster import reelection as errors
from workflows.roster.models import ReElection
from workflows.roster.reelection import reelection_record
from workflows.roster.reelection_selectors import reelections_due
from workflows.services.actions import work_item_claim

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 5, 4)
NOON = at(2026, 5, 4, 12, 0)


def may_record(person, body: Body) -> bool:
    """The guardian row that lets a person take the committee's tasks."""
    return BodyUserObjectPermission.objects.filter(
        user=person, content_object=body, permission__codename="record_decision"
    ).exists()


def shown(message, **params) -> str:
    """A message as users read it: in the default language (Chinese)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)


def newcomer(cast, name: str = "林晓岚"):
    """One of the union's people without a seat (registered with the union as home union)."""
    return UserFactory(full_name=name, home_union=cast.union)


def record(cast, body_kind: str = "audit_committee", actor=None, **overrides) -> ReElection:
    values = {
        "actor": actor or cast.office,
        "body": cast.body(body_kind),
        "elected_on": TODAY - datetime.timedelta(days=1),
        "term_start": D(2026, 6, 1),
        "term_end": D(2031, 5, 31),
        "members": [(cast.audit_director, Role.DIRECTOR), (cast.audit_members[0], Role.MEMBER)],
        "meeting_text": "第二届会员代表大会第一次会议",
    }
    values.update(overrides)
    return reelection_record(**values)


# --- recording: seats, rights, handover -----------------------------------------------------------------


def test_S4_1_reelection_ends_old_seats_the_day_before_and_rights_follow_on_the_dates(
    cast, submitted_budget, audit_secretary
):
    audit = cast.body("audit_committee")
    joining = newcomer(cast)
    with travel(NOON):
        # the leaving secretary and the re-elected director each hold a claimed task of the committee
        leaving_task = to_audit_review(submitted_budget(year=2027), cast)
        kept_task = to_audit_review(submitted_budget(year=2028), cast)
        work_item_claim(item=leaving_task, user=audit_secretary)
        work_item_claim(item=kept_task, user=cast.audit_director)

        done = record(
            cast,
            members=[
                (cast.audit_director, Role.DIRECTOR),
                (cast.audit_members[0], Role.MEMBER),
                (joining, Role.SECRETARY),
            ],
        )

        # then: every old seat ends on 31 May, the new ones run 1 June 2026 – 31 May 2031
        old = Seat.objects.filter(body=audit, start_date__lt=D(2026, 6, 1))
        assert set(old.values_list("end_date", flat=True)) == {D(2026, 5, 31)}
        assert old.count() == 4  # director, two members, secretary
        new = Seat.objects.filter(body=audit, start_date=D(2026, 6, 1), end_date=D(2031, 5, 31))
        assert set(new.values_list("person_id", "role")) == {
            (cast.audit_director.pk, Role.DIRECTOR),
            (cast.audit_members[0].pk, Role.MEMBER),
            (joining.pk, Role.SECRETARY),
        }
        audit.refresh_from_db()
        assert (audit.term_start, audit.term_end) == (D(2026, 6, 1), D(2031, 5, 31))
        assert [(m.person_id, m.seat.start_date) for m in done.members.order_by("id")][2] == (
            joining.pk,
            D(2026, 6, 1),
        )
        assert Event.objects.filter(verb="reelection_recorded", subject_id=str(done.pk)).exists()
        assert Event.objects.filter(verb="seat_ended", union=cast.union).count() == 4
        # until the new term, the old committee acts
        assert may_record(audit_secretary, audit) and not may_record(joining, audit)

    with travel(at(2026, 5, 31, 23, 0)):  # the old term's last day
        permissions_sync_due()
        assert may_record(audit_secretary, audit) and not may_record(joining, audit)

    with travel(at(2026, 6, 1, 2, 0)):  # the nightly sync of the first day of the term
        permissions_sync_due()
        assert not may_record(audit_secretary, audit)
        assert may_record(joining, audit) and may_record(cast.audit_director, audit)
        leaving_task.refresh_from_db()
        kept_task.refresh_from_db()
        # the leaver's task is back in the committee's queue, its head told; the director's stays
        assert leaving_task.assignee is None and leaving_task.state == WorkItemState.OPEN
        assert kept_task.assignee == cast.audit_director
        told = Notification.objects.filter(dedupe_key=f"handover:{leaving_task.pk}:{audit_secretary.pk}")
        # (its recorders in force that day: the director and the new secretary)
        assert set(told.values_list("recipient_id", flat=True)) == {cast.audit_director.pk, joining.pk}
        assert not Notification.objects.filter(dedupe_key__startswith=f"handover:{kept_task.pk}:").exists()


def test_S4_1_reelection_recorded_after_the_term_began_hands_over_at_once_and_keeps_the_reelected(
    cast, submitted_budget, audit_secretary
):
    audit = cast.body("audit_committee")
    with travel(NOON):
        leaving_task = to_audit_review(submitted_budget(year=2027), cast)
        kept_task = to_audit_review(submitted_budget(year=2028), cast)
        work_item_claim(item=leaving_task, user=audit_secretary)
        work_item_claim(item=kept_task, user=cast.audit_director)

        # elected and in office since 1 May, recorded on 4 May
        record(cast, elected_on=D(2026, 5, 1), term_start=D(2026, 5, 1), term_end=D(2031, 4, 30))

        assert not may_record(audit_secretary, audit)
        assert may_record(cast.audit_director, audit)  # re-elected: never without the right
        leaving_task.refresh_from_db()
        kept_task.refresh_from_db()
        assert leaving_task.assignee is None
        assert kept_task.assignee == cast.audit_director
        assert Notification.objects.filter(
            recipient=cast.audit_director, dedupe_key=f"handover:{leaving_task.pk}:{audit_secretary.pk}"
        ).exists()
        # the committee was renewed, never empty: no "nobody can act" flag
        assert not Notification.objects.filter(dedupe_key__startswith="vacant:").exists()


# --- every bad input --------------------------------------------------------------------------------------


def refused(cast, body_kind: str = "audit_committee", **overrides) -> dict[str, list[str]]:
    before = (Seat.objects.count(), ReElection.objects.count())
    with pytest.raises(ValidationError) as exc:
        record(cast, body_kind, **overrides)
    assert (Seat.objects.count(), ReElection.objects.count()) == before
    return exc.value.message_dict


def _meeting(body: Body, held_on: D, recorder) -> Meeting:
    return Meeting.objects.create(
        body=body,
        held_on=held_on,
        place="礼堂",
        seats_in_force=6,
        attendee_count=6,
        has_quorum=True,
        recorded_by=recorder,
    )


def test_S4_1_bad_dates_and_electing_meetings_are_refused_and_nothing_changes(cast):
    congress_meeting = _meeting(cast.body("congress"), D(2026, 4, 28), cast.congress_chair)
    audit_meeting = _meeting(cast.body("audit_committee"), D(2026, 5, 3), cast.audit_director)
    with travel(NOON):
        assert refused(cast, elected_on=D(2026, 5, 5))["elected_on"] == [shown(errors.ELECTED_IN_FUTURE)]
        assert refused(cast, term_start=D(2026, 5, 2))["term_start"] == [shown(errors.TERM_BEFORE_ELECTION)]
        assert refused(cast, term_end=D(2026, 6, 1))["term_end"] == [shown(errors.TERM_END_NOT_AFTER_START)]
        assert refused(cast, meeting_text=" ")["meeting"] == [shown(errors.ELECTED_BY_NEEDED)]
        assert refused(cast, meeting=audit_meeting)["meeting"] == [shown(errors.MEETING_OTHER)]
        assert refused(cast, meeting=congress_meeting)["elected_on"] == [
            shown(errors.MEETING_DATE, date="2026-04-28")
        ]
        # a seat of the committee starting after the new term starts
        late = newcomer(cast, "晚到委员")
        give_seat(late, cast.union, Role.MEMBER, "audit_committee", start=D(2026, 7, 1))
        assert refused(cast)["term_start"] == [
            shown(errors.SEAT_STARTS_LATER, person=str(late), date="2026-07-01")
        ]
        Seat.objects.filter(person=late).delete()
        # the congress meeting of the election day is accepted; then the same term again is refused
        assert record(cast, elected_on=D(2026, 4, 28), meeting=congress_meeting, meeting_text="")
        assert refused(cast)["term_start"] == [shown(errors.TERM_NOT_AFTER_CURRENT, date="2026-06-01")]
        # only whoever manages the union's seats records
        for actor in (cast.committee_members[0], cast.outsider):
            with pytest.raises(PermissionDenied):
                record(cast, actor=actor, term_start=D(2027, 1, 1))
    assert ReElection.objects.count() == 1


def test_S4_1_bad_members_and_bodies_are_refused_and_nothing_changes(cast):
    audit, women = cast.body("audit_committee"), cast.body("women_committee")
    director, member = cast.audit_director, cast.audit_members[0]
    inactive = newcomer(cast, "停用人员")
    inactive.is_active = False
    inactive.save()
    label = audit.display_name
    with travel(NOON):
        assert refused(cast, members=[])["members"] == [shown(errors.NO_MEMBERS)]
        assert refused(cast, members=[(director, Role.CHAIR)])["members"] == [
            shown(errors.ROLE_NOT_ADMITTED, person=str(director), body=label, role=shown(Role.CHAIR.label)),
            shown(errors.ONE_HEAD, body=label, role=shown(Role.DIRECTOR.label)),
        ]
        assert refused(cast, members=[(director, Role.DIRECTOR), (member, Role.DIRECTOR)])["members"] == [
            shown(errors.ONE_HEAD, body=label, role=shown(Role.DIRECTOR.label))
        ]
        twice = [(director, Role.DIRECTOR), (director, Role.SECRETARY)]
        assert refused(cast, members=twice)["members"] == [shown(errors.PERSON_TWICE, person=str(director))]
        assert refused(cast, members=[(director, Role.DIRECTOR), (inactive, Role.MEMBER)])["members"] == [
            shown(errors.PERSON_INACTIVE, person=str(inactive))
        ]
        outside = [(director, Role.DIRECTOR), (cast.outsider, Role.MEMBER)]
        assert refused(cast, members=outside)["members"] == [
            shown(errors.PERSON_OUTSIDE, person=str(cast.outsider))
        ]
        assert refused(cast, "congress", members=[(director, Role.REPRESENTATIVE)])["body"] == [
            shown(errors.NOT_A_COMMITTEE)
        ]
        Body.objects.filter(pk=women.pk).update(is_single_person=True)
        two = [(director, Role.DIRECTOR), (member, Role.MEMBER)]
        assert refused(cast, "women_committee", members=two)["members"] == [
            shown(errors.SINGLE_PERSON, body=women.display_name)
        ]
        # a single-person body: its one member, no head required
        assert record(cast, "women_committee", members=[(member, Role.MEMBER)]).members.count() == 1
    assert ReElection.objects.count() == 1


# --- due and overdue ------------------------------------------------------------------------------------


def _terms(union: Union, ends: dict[str, D]) -> None:
    for kind, end in ends.items():
        Body.objects.filter(union=union, kind=kind).update(term_start=D(2021, 6, 1), term_end=end)


def test_S4_1_reelections_due_within_90_days_or_overdue_in_bounded_queries(cast, tree):
    for union in (tree["a1"], tree["a2"], tree["b1"]):
        _terms(
            union,
            {
                "union_committee": TODAY + datetime.timedelta(days=30),  # due
                "audit_committee": TODAY - datetime.timedelta(days=5),  # overdue
                "women_committee": TODAY + datetime.timedelta(days=200),  # not due
                "congress": TODAY,  # not a committee re-elected here
            },
        )
    with CaptureQueriesContext(connection) as one:
        due = reelections_due([tree["a1"].pk], on=TODAY)
    assert [(d.body.kind, d.days_left, d.overdue) for d in due] == [
        ("audit_committee", -5, True),
        ("union_committee", 30, False),
    ]
    with CaptureQueriesContext(connection) as three:
        due3 = reelections_due([tree[k].pk for k in ("a1", "a2", "b1")], on=TODAY)
        assert {d.body.union.name for d in due3} == {tree[k].name for k in ("a1", "a2", "b1")}
    assert len(due3) == 6
    assert len(one.captured_queries) == len(three.captured_queries) == 1
    assert reelections_due([tree["a1"].pk], within_days=10, on=TODAY)[0].overdue
    assert len(reelections_due([tree["a1"].pk], within_days=10, on=TODAY)) == 1

    # recording the re-election takes the committee off the list
    with travel(NOON):
        record(cast, elected_on=D(2026, 4, 30), term_start=D(2026, 4, 30), term_end=D(2031, 4, 29))
    assert [d.body.kind for d in reelections_due([tree["a1"].pk], on=TODAY)] == ["union_committee"]


# --- the pages ------------------------------------------------------------------------------------------


def test_S4_1_pages_show_terms_due_marks_and_history_and_record_through_the_form(
    cast, login, supervisor_of, tree, django_assert_max_num_queries
):
    _terms(cast.union, {"union_committee": D(2026, 6, 30), "audit_committee": D(2026, 4, 30)})
    audit = cast.body("audit_committee")
    joining = newcomer(cast)
    client = login(cast.office)
    with travel(NOON):
        list_url = reverse("roster:reelections", args=[cast.union.pk])
        with django_assert_max_num_queries(20):
            page = client.get(list_url).content.decode()
        assert 'data-testid="due"' in page and 'data-testid="overdue"' in page
        assert f'data-testid="record-{audit.pk}"' in page and 'data-testid="no-history"' in page

        new_url = reverse("roster:reelection_new", args=[cast.union.pk]) + f"?body={audit.pk}"
        with django_assert_max_num_queries(25):
            form_page = client.get(new_url)
        assert form_page.status_code == 200
        body = form_page.content.decode()
        # the members in force are filled in, the next term suggested (as long as the current one)
        assert cast.audit_director.full_name in body and 'value="2026-05-01"' in body
        assert 'value="2031-04-30"' in body

        data = {
            "elected_on": "2026-05-03",
            "meeting_text": "第二届会员代表大会第一次会议",
            "term_start": "2026-05-03",
            "term_end": "2031-05-02",
            "person_0": str(cast.audit_director.pk),
            "role_0": Role.DIRECTOR,
            "person_1": str(cast.audit_members[0].pk),
            "role_1": "not_elected",  # leaves
            "person_2": "",
            "person_2_q": joining.full_name,  # typed, not chosen: the one person of that name
            "role_2": Role.MEMBER,
        }
        response = client.post(new_url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        in_force = Seat.objects.in_force().filter(body=audit)
        assert set(in_force.values_list("person_id", "role")) == {
            (cast.audit_director.pk, Role.DIRECTOR),
            (joining.pk, Role.MEMBER),
        }
        page = client.get(list_url).content.decode()
        done = ReElection.objects.get()
        assert f'data-testid="reelection-{done.pk}"' in page and joining.full_name in page
        assert 'data-testid="overdue"' not in page  # the audit committee's term moved on

        # the upper union reads the page, may not record
        upper = login(supervisor_of(tree["dept_a"]))
        assert upper.get(list_url).status_code == 200
        assert upper.get(new_url).status_code == 403


def test_S4_1_bad_input_on_the_form_is_refused_in_chinese_with_the_input_kept(cast, login):
    audit = cast.body("audit_committee")
    client = login(cast.chair)
    new_url = reverse("roster:reelection_new", args=[cast.union.pk]) + f"?body={audit.pk}"
    with travel(NOON):
        response = client.post(
            new_url,
            {
                "elected_on": "2026-05-03",
                "meeting_text": "会员大会（女职工）补选会议",
                "term_start": "2026-06-01",
                "term_end": "2026-05-01",
                "person_0": str(cast.audit_members[0].pk),
                "role_0": Role.MEMBER,
                "person_1": str(cast.audit_members[1].pk),
                "role_1": "",
            },
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    body = response.content.decode()
    assert response.status_code == 400
    assert escape(shown(errors.ROLE_NEEDED)) in body  # the row without a role, beside it
    assert ReElection.objects.count() == 0
    # the service's reasons once the rows parse: the term, and no director
    with travel(NOON):
        response = client.post(
            new_url,
            {
                "elected_on": "2026-05-03",
                "meeting_text": "会员大会（女职工）补选会议",
                "term_start": "2026-06-01",
                "term_end": "2026-05-01",
                "person_0": str(cast.audit_members[0].pk),
                "role_0": Role.MEMBER,
            },
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    body = response.content.decode()
    assert response.status_code == 400
    assert escape(shown(errors.TERM_END_NOT_AFTER_START)) in body
    label = audit.display_name
    assert escape(shown(errors.ONE_HEAD, body=label, role=shown(Role.DIRECTOR.label))) in body
    assert "任期" in body and "会员大会（女职工）补选会议" in body and 'value="2026-05-01"' in body
    assert cast.audit_members[0].full_name in body
    assert ReElection.objects.count() == 0


def test_S4_1_pages_refuse_other_unions_and_those_who_may_not_record(cast, login, supervisor_of, tree):
    audit = cast.body("audit_committee")
    list_url = reverse("roster:reelections", args=[cast.union.pk])
    new_url = reverse("roster:reelection_new", args=[cast.union.pk]) + f"?body={audit.pk}"
    post = {
        "elected_on": "2026-05-03",
        "meeting_text": "x",
        "term_start": "2026-06-01",
        "term_end": "2031-05-31",
    }
    post |= {"person_0": str(cast.audit_director.pk), "role_0": Role.DIRECTOR}
    for outsider in (cast.outsider, supervisor_of(tree["dept_b"])):  # b1's chair, the sibling department
        client = login(outsider)
        assert client.get(list_url).status_code == 404
        assert client.get(new_url).status_code == 404
        assert client.post(new_url, post).status_code == 404
    member = login(cast.committee_members[0])  # an officer: reads the page, may not record
    assert member.get(list_url).status_code == 200
    assert member.get(new_url).status_code == 403
    assert member.post(new_url, post).status_code == 403
    rep = login(cast.representatives[0])  # sees the union, not its officers' pages
    assert rep.get(list_url).status_code == 403
    assert rep.post(new_url, post).status_code == 403
    # the chair: a body of another union, or no committee, is not found
    chair = login(cast.chair)
    other = body_of(tree["b1"], "audit_committee")
    assert (
        chair.get(reverse("roster:reelection_new", args=[cast.union.pk]) + f"?body={other.pk}").status_code
        == 404
    )
    congress = cast.body("congress")
    assert (
        chair.get(reverse("roster:reelection_new", args=[cast.union.pk]) + f"?body={congress.pk}").status_code
        == 404
    )
    assert chair.get(reverse("roster:reelection_new", args=[cast.union.pk])).status_code == 404
    assert ReElection.objects.count() == 0
    assert Event.objects.filter(verb="access_denied", union=cast.union).count() >= 8


# --- the demo -------------------------------------------------------------------------------------------


def test_S4_1_demo_records_a_past_reelection_and_a_committee_due_once():
    from core.demo import seed_demo
    from workflows.roster.demo import seed_demo_reelections

    seed_demo()
    made = seed_demo_reelections(write=None)

    assert len(made) == 2
    assert seed_demo_reelections(write=None) == []
    office = Union.objects.get(code="fin-office")
    done = ReElection.objects.get(union=office)
    assert done.body.kind == "audit_committee" and done.members.count() == 2
    audit2 = Seat.objects.get(person__username="fin-office-audit2", body=done.body)
    assert audit2.end_date == done.term_start - datetime.timedelta(days=1)
    due = [(d.body.kind, d.days_left) for d in reelections_due([office.pk])]
    assert ("women_committee", 60) in due and "audit_committee" not in {kind for kind, _days in due}
