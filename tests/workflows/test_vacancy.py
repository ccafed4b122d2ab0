"""A step nobody can take (issue 24): a body's step while the body has no seat in force is flagged at
once to the union's chair and the supervisors of the unions above, once (workflows.services.vacancy)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from core.models import Role, Seat
from core.services.seats import seat_end
from notifications.models import Notification
from tests.factories import make_budget, seated
from tests.scenarios import submit_draft, to_audit_review
from workflows.documents import document_url
from workflows.models import WorkItem, WorkItemKind, WorkItemState
from workflows.services.vacancy import body_seated, body_vacancy_flag, vacancy_flag


@pytest.fixture
def watchers(tree, cast):
    """Who should hear (a1's chair, the supervisors of dept A and of the province) and who should not
    (a supervisor of dept B, b1's chair, a2's chair, the audit committee's own members)."""
    return {
        "told": {
            cast.chair,
            seated(tree["dept_a"], Role.SUPERVISOR, username="dept-a-supervisor"),
            seated(tree["prov"], Role.SUPERVISOR, username="prov-supervisor"),
        },
        "not_told": {
            seated(tree["dept_b"], Role.SUPERVISOR, username="dept-b-supervisor"),
            cast.outsider,
            seated(tree["a2"], Role.CHAIR, "union_committee", username="a2-chair"),
            cast.office,
            *cast.audit_committee,
        },
    }


def end_seats(body, *, on: datetime.date) -> None:
    for seat in Seat.objects.in_force().filter(body=body).order_by("id"):
        seat_end(actor=None, seat=seat, end_date=on)


def vacancy_notices(item) -> list[Notification]:
    return list(Notification.objects.filter(dedupe_key=f"vacant:{item.pk}").select_related("recipient"))


@pytest.mark.django_db
def test_a_body_step_created_with_no_seat_in_force_tells_the_chair_and_the_supervisors_above_once(
    cast, watchers
):
    # given: the fund audit committee's term ended yesterday, nobody re-elected
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    end_seats(cast.body("audit_committee"), on=yesterday)
    budget = submit_draft(make_budget(cast), cast)
    # when: the budget reaches the committee (S3.3's audit review), the drafter browsing in English
    with translation.override("en"):
        item = to_audit_review(budget, cast)
    # then
    notices = vacancy_notices(item)
    assert {n.recipient for n in notices} == watchers["told"]
    assert not {n.recipient for n in notices} & watchers["not_told"]
    assert len(notices) == len(watchers["told"])
    title = notices[0].title  # stored in the site's language, whoever's click made it
    assert "无人可办理" in title and budget.title in title and "没有在任成员" in title
    assert notices[0].url == document_url("budget", budget.pk)
    # a repeat (another seat change, a retry) tells nobody again
    assert vacancy_flag(item=item) == 0
    assert body_vacancy_flag(body_id=item.body_id) == 0
    assert len(vacancy_notices(item)) == len(watchers["told"])


@pytest.mark.django_db
def test_a_body_step_with_a_member_in_office_tells_nobody_for_one_query(
    cast, watchers, django_assert_num_queries
):
    budget = submit_draft(make_budget(cast), cast)
    item = to_audit_review(budget, cast)
    assert not Notification.objects.filter(dedupe_key__startswith="vacant:").exists()
    with django_assert_num_queries(1):
        assert vacancy_flag(item=item) == 0
    # a person's step is never a vacancy, and costs nothing
    with django_assert_num_queries(0):
        assert vacancy_flag(item=WorkItem(kind=WorkItemKind.PERSON, state=WorkItemState.OPEN)) == 0


@pytest.mark.django_db
def test_ending_the_last_seat_of_a_body_with_an_open_step_flags_it(cast, watchers):
    # given: the budget waits at the fund audit committee, whose three members are in office
    budget = submit_draft(make_budget(cast), cast)
    item = to_audit_review(budget, cast)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    seats = list(Seat.objects.in_force().filter(body=cast.body("audit_committee")).order_by("id"))
    # when: two leave, nobody is told (one member can still act) …
    for seat in seats[:2]:
        seat_end(actor=None, seat=seat, end_date=yesterday)
    assert vacancy_notices(item) == []
    # … and the last one leaves: the step is flagged
    seat_end(actor=None, seat=seats[2], end_date=yesterday)
    assert not body_seated(body_id=item.body_id)
    assert {n.recipient for n in vacancy_notices(item)} == watchers["told"]


@pytest.mark.django_db
def test_a_term_ending_later_is_flagged_now_with_the_first_day_nobody_can_act(cast, watchers):
    budget = submit_draft(make_budget(cast), cast)
    item = to_audit_review(budget, cast)
    last_day = timezone.localdate() + datetime.timedelta(days=10)
    end_seats(cast.body("audit_committee"), on=last_day)
    notices = vacancy_notices(item)
    assert {n.recipient for n in notices} == watchers["told"]
    first_day = (last_day + datetime.timedelta(days=1)).isoformat()
    assert first_day in notices[0].title and "起没有在任成员" in notices[0].title


@pytest.mark.django_db
def test_a_seat_ending_with_a_successor_in_office_the_next_day_flags_nothing(cast, watchers):
    budget = submit_draft(make_budget(cast), cast)
    item = to_audit_review(budget, cast)
    last_day = timezone.localdate() + datetime.timedelta(days=10)
    successor = seated(cast.union, Role.MEMBER, "audit_committee", username="a1-audit-successor")
    Seat.objects.filter(person=successor).update(start_date=last_day + datetime.timedelta(days=1))
    end_seats(cast.body("audit_committee"), on=last_day)
    assert vacancy_notices(item) == []


@pytest.mark.django_db
def test_a_seat_ending_in_another_union_touches_nothing_here(tree, cast, watchers):
    budget = submit_draft(make_budget(cast), cast)
    item = to_audit_review(budget, cast)
    other = seated(tree["a2"], Role.DIRECTOR, "audit_committee", username="a2-audit")
    seat_end(actor=None, seat=other.seats.get(), end_date=timezone.localdate() - datetime.timedelta(days=1))
    assert vacancy_notices(item) == []
    assert not Notification.objects.filter(dedupe_key__startswith="vacant:").exists()
