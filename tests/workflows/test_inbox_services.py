"""Inbox selectors and task actions through services (issue 5)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import Event, Role, Seat
from core.services.seats import seat_end
from notifications.models import Notification
from tests.factories import UserFactory, give_seat
from tests.scenarios import to_audit_review
from workflows import errors
from workflows.budget.services import budget_submit
from workflows.models import CopyTo, OpinionAnswer, WorkItem, WorkItemState
from workflows.selectors import done_page, todo_count, todo_page, watching
from workflows.services.actions import (
    _outside_copy_circle,  # the copy rule's one query
    comment_add,
    copy_to_add,
    delegation_create,
    signer_add,
    signer_answer,
    work_item_claim,
    work_item_release,
    work_item_transfer,
)
from workflows.services.opinions import opinion_answer
from workflows.services.workitems import AlreadyHandled, user_may_act


@pytest.mark.django_db
def test_claim_is_compare_and_set_and_the_loser_is_told_who(cast, submitted_budget, audit_secretary):
    item = to_audit_review(submitted_budget(), cast)
    work_item_claim(item=item, user=cast.audit_director)
    with pytest.raises(AlreadyHandled) as exc:
        work_item_claim(item=WorkItem.objects.get(pk=item.pk), user=audit_secretary)
    assert str(cast.audit_director) in exc.value.messages[0]
    assert not user_may_act(user=audit_secretary, work_item=WorkItem.objects.get(pk=item.pk))
    assert item.task.owner == cast.audit_director
    work_item_release(item=item, user=cast.audit_director)
    item.refresh_from_db()
    assert item.assignee is None and item.task.owner is None
    assert user_may_act(user=audit_secretary, work_item=item)


@pytest.mark.django_db
def test_claim_refused_without_a_seat_and_logged(cast, submitted_budget):
    item = to_audit_review(submitted_budget(), cast)
    with pytest.raises(PermissionDenied):
        work_item_claim(item=item, user=cast.audit_members[0])  # a member attends; does not record
    assert Event.objects.filter(verb="action_refused", actor=cast.audit_members[0]).exists()


@pytest.mark.django_db
def test_transfer_to_another_recorder_not_outside_the_body(cast, submitted_budget, audit_secretary):
    item = to_audit_review(submitted_budget(), cast)
    with pytest.raises(ValidationError):
        work_item_transfer(item=item, user=cast.audit_director, to=cast.chair)
    work_item_transfer(item=item, user=cast.audit_director, to=audit_secretary, note="请主持本次审查")
    item.refresh_from_db()
    assert item.assignee == audit_secretary and item.note == "请主持本次审查"
    assert Notification.objects.filter(recipient=audit_secretary, title__contains=item.step_title).exists()


@pytest.mark.django_db
def test_added_signer_blocks_the_step_until_they_answer(cast, submitted_budget):
    item = to_audit_review(submitted_budget(), cast)
    signer_item = signer_add(item=item, user=cast.audit_director, signer=cast.chair, note="请主席把关")
    item.refresh_from_db()
    assert item.state == WorkItemState.BLOCKED
    assert signer_item in todo_page(user=cast.chair)[0]
    assert item not in todo_page(user=cast.audit_director)[0]
    signer_answer(signer_item=signer_item, user=cast.chair, agree=True, text="同意提交")
    item.refresh_from_db()
    assert item.state == WorkItemState.OPEN and item.assignee == cast.audit_director
    assert item in todo_page(user=cast.audit_director)[0]
    assert item.comments.get().text.endswith("同意提交")


@pytest.mark.django_db
def test_copied_observer_sees_and_hears_when_the_document_moves(cast, submitted_budget, observer_below):
    from workflows.budget.selectors import budget_visible_to

    budget = submitted_budget()
    observer = observer_below
    assert not budget_visible_to(user=observer, budget=budget)
    copy_to_add(document=budget, document_type="budget", user=cast.office, people=[observer])
    assert budget_visible_to(user=observer, budget=budget)
    to_audit_review(budget, cast)
    titles = list(Notification.objects.filter(recipient=observer).values_list("title", flat=True))
    assert any("经费审查委员会" in t for t in titles), titles
    assert [w.reason for w in watching(user=observer)] == ["copied"]
    with pytest.raises(ValidationError):
        copy_to_add(document=budget, document_type="budget", user=cast.office, people=[cast.outsider])


@pytest.mark.django_db
def test_copy_to_names_only_this_union_the_unions_below_and_the_supervisors_above(
    cast, tree, submitted_budget, observer_below, supervisor_of, django_assert_num_queries
):
    budget = submitted_budget()
    circle = [
        cast.representatives[3],
        observer_below,
        supervisor_of(tree["dept_a"]),
        supervisor_of(tree["prov"]),
    ]
    sibling_chair = UserFactory(username="a2-chair", full_name="兄弟工会主席")
    give_seat(sibling_chair, tree["a2"], Role.CHAIR, "union_committee")
    dept_officer = UserFactory(username="dept-a-officer")  # a seat above, but no supervisor
    give_seat(dept_officer, tree["dept_a"], Role.OFFICE_STAFF)
    ended = UserFactory(username="a1-former-rep")  # a seat here, but its term is over
    give_seat(
        ended, cast.union, Role.REPRESENTATIVE, "congress", end=timezone.localdate() - datetime.timedelta(1)
    )
    outside = [
        sibling_chair,
        cast.outsider,
        supervisor_of(tree["dept_b"]),
        dept_officer,
        ended,
        UserFactory(),
    ]
    # outsiders: each refused by display name, with an insider beside them, and nobody is copied
    for person in outside:
        with pytest.raises(ValidationError) as exc:
            copy_to_add(document=budget, document_type="budget", user=cast.office, people=[circle[0], person])
        assert exc.value.messages == [errors.COPY_OUTSIDE % {"person": person.full_name}]
        assert person.username not in exc.value.messages[0]
    assert not CopyTo.objects.exists()
    assert Event.objects.filter(verb="action_refused", detail__reason="copy outside").count() == len(outside)
    # the rule is one query however many are named
    with django_assert_num_queries(1):
        assert _outside_copy_circle(union=cast.union, people=circle + outside) == outside
    # this union, a union below it, the supervisors of the department and of the province above it
    made = copy_to_add(document=budget, document_type="budget", user=cast.office, people=circle)
    assert [c.person for c in made] == circle


@pytest.mark.django_db
def test_mention_notifies_only_people_who_may_see(cast, submitted_budget):
    budget = submitted_budget()
    comment, skipped = comment_add(
        document=budget,
        document_type="budget",
        author=cast.office,
        text="请审阅",
        mentions=[cast.chair, cast.outsider, cast.office],
    )
    assert Notification.objects.filter(recipient=cast.chair, title__contains=budget.title).exists()
    assert (
        not Notification.objects.filter(recipient=cast.outsider).exclude(dedupe_key="demo-welcome").exists()
    )
    assert skipped == [cast.outsider, cast.office]  # may not see it; wrote it
    assert list(comment.mentions.all()) == [cast.chair]


@pytest.mark.django_db
def test_delegation_routes_tasks_created_inside_the_range(cast, draft_budget):
    from workflows.budget.services import Recipient

    today = timezone.localdate()
    delegation_create(
        person=cast.representatives[0],
        substitute=cast.representatives[1],
        starts_on=today + datetime.timedelta(days=2),
        ends_on=today + datetime.timedelta(days=5),
    )
    due = timezone.now() + datetime.timedelta(days=20)
    first = draft_budget(year=2027)
    budget_submit(
        actor=cast.office, budget=first, recipients=[Recipient(cast.representatives[0])], due_at=due
    )
    (outside,) = WorkItem.objects.filter(process=first.process, step="give_opinion")
    assert outside.assignee == cast.representatives[0] and outside.acting_for is None
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        second = draft_budget(year=2028)
        budget_submit(
            actor=cast.office, budget=second, recipients=[Recipient(cast.representatives[0])], due_at=due
        )
        (inside,) = WorkItem.objects.filter(process=second.process, step="give_opinion")
        assert inside.assignee == cast.representatives[1] and inside.acting_for == cast.representatives[0]
        opinion_answer(work_item=inside, actor=cast.representatives[1], answer=OpinionAnswer.NO_OPINION)
    inside.refresh_from_db()
    assert inside.finished_by == cast.representatives[1] and inside.acting_for == cast.representatives[0]


@pytest.mark.django_db
def test_a_new_task_goes_to_the_newest_active_substitute_and_is_written_with_its_owner(cast, draft_budget):
    from workflows.budget.services import Recipient

    today = timezone.localdate()
    person, older, newer = cast.representatives[0], cast.representatives[1], cast.representatives[2]
    delegation_create(person=person, substitute=older, starts_on=today, ends_on=today)
    delegation_create(person=person, substitute=newer, starts_on=today, ends_on=today)
    due = timezone.now() + datetime.timedelta(days=20)
    first = draft_budget(year=2027)
    budget_submit(actor=cast.office, budget=first, recipients=[Recipient(person)], due_at=due)
    (item,) = WorkItem.objects.select_related("task").filter(process=first.process, step="give_opinion")
    assert (item.assignee, item.acting_for) == (newer, person)
    # viewflow's task carries the same holder: it was saved once, with its owner
    assert (item.task.owner_id, item.task.status) == (newer.pk, "ASSIGNED")

    # the newest substitute can no longer sign in: the task stays with the person, not the older one
    newer.is_active = False
    newer.save(update_fields=["is_active"])
    second = draft_budget(year=2028)
    budget_submit(actor=cast.office, budget=second, recipients=[Recipient(person)], due_at=due)
    (item,) = WorkItem.objects.select_related("task").filter(process=second.process, step="give_opinion")
    assert (item.assignee, item.acting_for, item.task.owner_id) == (person, None, person.pk)


@pytest.mark.django_db
def test_delegating_to_self_or_a_stranger_is_refused(cast):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        delegation_create(person=cast.chair, substitute=cast.chair, starts_on=today, ends_on=today)
    with pytest.raises(ValidationError):
        delegation_create(person=cast.chair, substitute=cast.outsider, starts_on=today, ends_on=today)
    assert Event.objects.filter(verb="action_refused", actor=cast.chair).count() == 2


@pytest.mark.django_db
def test_handover_at_term_end_returns_claimed_tasks_and_tells_the_chair(
    cast, submitted_budget, audit_secretary
):
    item = to_audit_review(submitted_budget(), cast)
    work_item_claim(item=item, user=audit_secretary)
    seat = Seat.objects.get(person=audit_secretary, body__kind="audit_committee")
    seat_end(actor=None, seat=seat, end_date=timezone.localdate() - datetime.timedelta(days=1))
    item.refresh_from_db()
    assert item.assignee is None and item.state == WorkItemState.OPEN
    assert Notification.objects.filter(
        recipient=cast.audit_director, dedupe_key__startswith="handover:"
    ).exists()
    assert item in todo_page(user=cast.audit_director)[0]


@pytest.mark.django_db
def test_supervisor_above_gets_no_task_of_the_union(cast, tree, submitted_budget, supervisor_of):
    to_audit_review(submitted_budget(), cast)
    assert todo_count(user=supervisor_of(tree["dept_a"])) == 0


@pytest.mark.django_db
def test_done_tab_lists_what_i_acted_on(cast, submitted_budget):
    budget = submitted_budget()
    to_audit_review(budget, cast)
    rows, _ = done_page(user=cast.office)
    assert [r.step for r in rows] == ["consolidate", "draft"]


@pytest.mark.django_db
def test_inbox_one_query_at_two_sizes(cast, draft_budget, django_assert_num_queries):
    from workflows.budget.services import Recipient

    rep = cast.representatives[0]
    due = timezone.now() + datetime.timedelta(days=5)
    budget_submit(actor=cast.office, budget=draft_budget(year=2027), recipients=[Recipient(rep)], due_at=due)
    with django_assert_num_queries(1):
        rows, _ = todo_page(user=rep)
    assert len(rows) == 1
    for year in range(2028, 2040):
        budget_submit(
            actor=cast.office, budget=draft_budget(year=year), recipients=[Recipient(rep)], due_at=due
        )
    with django_assert_num_queries(1):
        rows, cursor = todo_page(user=rep, size=10)
    assert len(rows) == 10 and cursor is not None
    with django_assert_num_queries(1):
        more, _ = todo_page(user=rep, size=10, after=cursor)
    assert len(more) == 3 and not {r.pk for r in rows} & {r.pk for r in more}


@pytest.mark.django_db
def test_union_all_selectors_agree_with_the_or_of_todo_queryset(cast, submitted_budget, audit_secretary):
    """The summary, badge and page read the two kinds of items as a UNION ALL (covering indexes);
    they must give what the single OR query gives: items assigned to me, and unclaimed body items."""
    from workflows.selectors import InboxFilters, todo_groups, todo_queryset

    first = submitted_budget()
    to_audit_review(first, cast)  # an unclaimed audit body item for the audit recorders
    claimed = to_audit_review(submitted_budget(year=first.year + 1), cast)
    work_item_claim(item=claimed, user=cast.audit_director)  # now assigned to one of them
    people = [cast.audit_director, audit_secretary, cast.office, cast.chair]
    assert any(todo_queryset(user=p).exists() for p in people)
    for person in people:
        expected = list(todo_queryset(user=person).order_by("due_at", "id").values_list("id", flat=True))
        assert todo_count(user=person) == len(expected)
        groups = todo_groups(user=person)
        assert sum(g[3] for g in groups) == len(expected)
        assert {(g[0], g[2]) for g in groups} == set(
            todo_queryset(user=person).values_list("union_id", "step").distinct()
        )
        rows, _cursor = todo_page(user=person, size=1)
        assert [r.pk for r in rows] == expected[:1]
        step = groups[0][2] if groups else "nothing"
        filtered = todo_queryset(user=person, filters=InboxFilters(step=step))
        assert [r.pk for r in todo_page(user=person, filters=InboxFilters(step=step))[0]] == list(
            filtered.order_by("due_at", "id").values_list("id", flat=True)
        )
