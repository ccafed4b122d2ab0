"""S4.2: the roster of the people who do union work, the staffing rule (nearest wins), the gaps, the
contract end reminders and the roster page's scope."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from notifications.models import Notification
from tests.factories import seated
from workflows.roster import errors, selectors, services
from workflows.roster.models import Category, RosterEntry, StaffingRule
from workflows.roster.reminders import contract_ends_remind

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 4)


def _social_worker(cast, *, end: datetime.date, name: str = "陈晓雯") -> RosterEntry:
    return services.roster_entry_add(
        actor=cast.chair,
        union=cast.union,
        category=Category.SOCIAL_WORKER,
        name=name,
        contract_start=end - datetime.timedelta(days=365),
        contract_end=end,
        tasks="会员信息管理",
    )


def _full_time_chair(cast) -> RosterEntry:
    return services.roster_entry_add(
        actor=cast.office,
        union=cast.union,
        category=Category.FULL_TIME_OFFICER,
        person=cast.chair,
        is_chair=True,
    )


def _messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


# --- entries ----------------------------------------------------------------------------------------


def test_s4_2_entries_are_added_and_ended(cast):
    entry = services.roster_entry_add(
        actor=cast.office, union=cast.union, category=Category.ACTIVIST, person=cast.representatives[0]
    )
    worker = _social_worker(cast, end=TODAY + datetime.timedelta(days=100))
    assert set(selectors.roster_of(cast.union)) == {worker, entry}

    services.roster_entry_end(actor=cast.chair, entry=entry, left_on=TODAY, today=TODAY)

    assert list(selectors.roster_of(cast.union)) == [worker]
    entry.refresh_from_db()
    assert entry.active_until == TODAY
    with pytest.raises(ValidationError):
        services.roster_entry_end(actor=cast.chair, entry=entry, left_on=TODAY, today=TODAY)


def test_s4_2_entry_is_updated(cast):
    entry = services.roster_entry_add(
        actor=cast.office, union=cast.union, category=Category.PART_TIME_OFFICER, person=cast.chair
    )
    services.roster_entry_update(
        actor=cast.office, entry=entry, category=Category.FULL_TIME_OFFICER, is_chair=True
    )
    entry.refresh_from_db()
    assert (entry.category, entry.is_chair) == (Category.FULL_TIME_OFFICER, True)


def test_s4_2_social_worker_without_contract_dates_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        services.roster_entry_add(
            actor=cast.chair, union=cast.union, category=Category.SOCIAL_WORKER, name="王芳"
        )
    assert str(errors.CONTRACT_NEEDED) in _messages(exc.value)
    assert not RosterEntry.objects.exists()


def test_s4_2_contract_ending_before_it_starts_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        services.roster_entry_add(
            actor=cast.chair,
            union=cast.union,
            category=Category.SOCIAL_WORKER,
            name="王芳",
            contract_start=TODAY,
            contract_end=TODAY - datetime.timedelta(days=1),
        )
    assert exc.value.message_dict["contract_end"] == [str(errors.CONTRACT_END_BEFORE_START)]


def test_s4_2_person_of_another_union_and_leaving_in_future_are_refused(cast):
    with pytest.raises(ValidationError) as exc:
        services.roster_entry_add(
            actor=cast.chair, union=cast.union, category=Category.ACTIVIST, person=cast.outsider
        )
    assert "person" in exc.value.message_dict
    worker = _social_worker(cast, end=TODAY + datetime.timedelta(days=100))
    with pytest.raises(ValidationError) as exc:
        services.roster_entry_end(
            actor=cast.chair, entry=worker, left_on=TODAY + datetime.timedelta(days=1), today=TODAY
        )
    assert exc.value.message_dict["left_on"] == [str(errors.LEFT_IN_FUTURE)]


def test_s4_2_only_chair_or_office_changes_the_roster(cast):
    vice = seated(cast.union, Role.VICE_CHAIR, "union_committee")  # drafts documents, does not manage seats
    with pytest.raises(PermissionDenied):
        services.roster_entry_add(actor=vice, union=cast.union, category=Category.ACTIVIST, name="王芳")


# --- staffing rule and gaps ---------------------------------------------------------------------------


def test_s4_2_gap_for_a_union_of_200_without_full_time_chair_closes_when_one_is_added(cast):
    cast.union.member_count = 200
    cast.union.save(update_fields=["member_count"])
    small = cast.union.parent  # the department union, 0 members: no gap

    gaps = selectors.staffing_gaps([cast.union.pk, small.pk])
    assert set(gaps) == {cast.union.pk}
    assert gaps[cast.union.pk].full_time_chair_from_members == 200

    _full_time_chair(cast)

    assert selectors.staffing_gaps([cast.union.pk]) == {}


def test_s4_2_nearest_staffing_rule_wins(cast, tree):
    cast.union.member_count = 150
    cast.union.save(update_fields=["member_count"])
    StaffingRule.objects.create(union=None, full_time_chair_from_members=300)
    StaffingRule.objects.create(union=tree["dept_a"], full_time_chair_from_members=250)
    assert selectors.staffing_rule_for(tree["b1"]) == 300
    assert selectors.staffing_rule_for(cast.union) == 250
    assert selectors.staffing_gaps([cast.union.pk]) == {}

    StaffingRule.objects.create(union=cast.union, full_time_chair_from_members=100)

    assert selectors.staffing_rule_for(cast.union) == 100
    assert set(selectors.staffing_gaps([cast.union.pk, tree["a2"].pk])) == {cast.union.pk}


def test_s4_2_built_in_default_is_200(tree):
    assert selectors.staffing_rule_for(tree["a1"]) == 200


# --- contract end reminders -----------------------------------------------------------------------------


@pytest.mark.parametrize("days", [30, 7, 1])
def test_s4_2_chair_is_reminded_before_a_contract_ends_once_per_occasion(cast, days):
    end = TODAY + datetime.timedelta(days=days)
    worker = _social_worker(cast, end=end)

    assert contract_ends_remind(today=TODAY) == 1
    assert contract_ends_remind(today=TODAY) == 0  # a rerun the same day

    notice = Notification.objects.get(dedupe_key=f"roster-contract:{worker.pk}:before-{days}")
    assert notice.recipient == cast.chair
    assert "陈晓雯" in notice.title


def test_s4_2_no_reminder_on_other_days_or_after_leaving(cast):
    worker = _social_worker(cast, end=TODAY + datetime.timedelta(days=20))
    assert contract_ends_remind(today=TODAY) == 0
    services.roster_entry_end(actor=cast.chair, entry=worker, left_on=TODAY, today=TODAY)
    assert contract_ends_remind(today=TODAY + datetime.timedelta(days=13)) == 0
    assert selectors.contracts_ending(30, today=TODAY).count() == 0


# --- the page ---------------------------------------------------------------------------------------


def test_s4_2_roster_page_shows_categories_gap_and_ending_soon(
    cast, login, supervisor_of, tree, django_assert_max_num_queries
):
    cast.union.member_count = 250
    cast.union.save(update_fields=["member_count"])
    _social_worker(cast, end=timezone.localdate() + datetime.timedelta(days=20))
    for i in range(5):
        services.roster_entry_add(
            actor=cast.chair, union=cast.union, category=Category.ACTIVIST, name=f"积极分子{i}"
        )
    client = login(cast.chair)
    url = reverse("roster:roster", args=[cast.union.pk])
    with django_assert_max_num_queries(20):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="gap"' in body and 'data-testid="ending-soon"' in body
    assert 'data-testid="add-form"' in body

    response = login(supervisor_of(tree["dept_a"])).get(url)  # the upper union sees the gap too
    assert response.status_code == 200 and 'data-testid="gap"' in response.content.decode()
    assert 'data-testid="add-form"' not in response.content.decode()


def test_s4_2_outsider_gets_404_on_the_page_and_posts(cast, login):
    entry = _social_worker(cast, end=TODAY + datetime.timedelta(days=100))
    client = login(cast.outsider)
    assert client.get(reverse("roster:roster", args=[cast.union.pk])).status_code == 404
    assert (
        client.post(
            reverse("roster:add", args=[cast.union.pk]), {"category": "activist", "name": "x"}
        ).status_code
        == 404
    )
    assert client.post(reverse("roster:end", args=[entry.pk]), {"left_on": "2026-01-01"}).status_code == 404
    assert client.get(reverse("roster:edit", args=[entry.pk])).status_code == 404
    assert RosterEntry.objects.count() == 1


def test_s4_2_member_without_right_gets_403(cast, login):
    entry = _social_worker(cast, end=TODAY + datetime.timedelta(days=100))
    client = login(cast.audit_director)  # an officer: sees the roster, may not change it
    assert client.get(reverse("roster:roster", args=[cast.union.pk])).status_code == 200
    assert (
        client.post(
            reverse("roster:add", args=[cast.union.pk]), {"category": "activist", "name": "x"}
        ).status_code
        == 403
    )
    assert client.post(reverse("roster:end", args=[entry.pk]), {"left_on": "2026-01-01"}).status_code == 403
    rep = login(cast.representatives[0])  # sees the union, not its officers' pages
    assert rep.get(reverse("roster:roster", args=[cast.union.pk])).status_code == 403


def test_s4_2_bad_input_on_the_page_is_refused_in_chinese_with_input_kept(cast, login):
    client = login(cast.chair)
    response = client.post(
        reverse("roster:add", args=[cast.union.pk]),
        {
            "category": "social_worker",
            "name": "王芳临",
            "tasks": "职工服务站值守",
            "contract_start": "2026-05-01",
            "contract_end": "2026-04-01",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "合同" in body and "王芳临" in body and "职工服务站值守" in body and "2026-05-01" in body
    assert not RosterEntry.objects.exists()


def test_s4_2_added_and_ended_through_the_page(cast, login):
    client = login(cast.office)
    response = client.post(
        reverse("roster:add", args=[cast.union.pk]),
        {"category": "full_time_officer", "person": str(cast.chair.pk), "is_chair": "on", "position": "主席"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = RosterEntry.objects.get()
    assert entry.is_chair and entry.person == cast.chair
    response = client.post(reverse("roster:end", args=[entry.pk]), {"left_on": "2999-01-01"})
    assert response.status_code == 400
    response = client.post(reverse("roster:end", args=[entry.pk]), {"left_on": "2026-01-01"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.active_until == datetime.date(2026, 1, 1)


def test_s4_2_people_picker_offers_the_unions_people_to_the_managers_only(cast, login):
    url = reverse("people_search")
    params = {
        "for": "roster_person",
        "ref": str(cast.union.pk),
        "name": "person",
        "q": cast.audit_director.full_name,
    }
    response = login(cast.chair).get(url, params)
    assert response.status_code == 200 and cast.audit_director.full_name in response.content.decode()
    assert login(cast.audit_director).get(url, params).status_code == 403
    assert login(cast.outsider).get(url, params).status_code == 404
