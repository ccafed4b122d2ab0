"""The inbox page (issue 5): to do, watching and done through HTTP, and what each costs.

The query budget is the issue's: at most 6 queries per inbox page, session, user, badge and bell
included, the same with 2 or 60 tasks and with a seat's few object permissions or 200 more.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape

from core.models import (
    Body,
    BodyKind,
    BodyUserObjectPermission,
    Union,
    UnionKind,
    UnionUserObjectPermission,
)
from tests.factories import pile_up
from tests.pages import badge, content, inbox, todo_ids
from tests.scenarios import answer_all, audit_meeting, consolidate
from workflows.budget.services import Recipient
from workflows.models import OpinionAnswer, WorkItem, WorkItemState
from workflows.services.actions import copy_to_add, delegation_create, signer_add, work_item_claim
from workflows.services.opinions import opinion_answer
from workflows.views import item_document_url


def done_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="done-(\d+)"', content(response))]


def next_url(response) -> str | None:
    found = re.search(r'href="([^"]*)" data-testid="next-page"', content(response))
    return found.group(1).replace("&amp;", "&") if found else None


def grant_many(user, *, parent: Union, n: int) -> None:
    """n more body permissions (and n union permissions) for the user, on bulk-created unions."""
    unions = Union.objects.bulk_create(
        [
            Union(name=f"小工会{i}", code=f"perm-{user.pk}-{i}", kind=UnionKind.GRASSROOTS, parent=parent)
            for i in range(n // len(BodyKind.values))
        ]
    )
    bodies = Body.objects.bulk_create([Body(union=u, kind=kind) for u in unions for kind in BodyKind.values])
    record = Permission.objects.get(codename="record_decision", content_type__app_label="core")
    view = Permission.objects.get(codename="view_union_documents", content_type__app_label="core")
    BodyUserObjectPermission.objects.bulk_create(
        [BodyUserObjectPermission(user=user, permission=record, content_object=b) for b in bodies]
    )
    UnionUserObjectPermission.objects.bulk_create(
        [UnionUserObjectPermission(user=user, permission=view, content_object=u) for u in unions]
    )
    # a task in a few of them, so the union filter offers more than one union
    pile_up(user, union=unions[0], n=1, acting_for=None, start=900)


# --- what a page costs ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("tab", ["todo", "watching", "done"])
def test_each_tab_costs_the_same_6_queries_with_2_or_60_tasks_and_few_or_200_permissions(
    tab, cast, client, django_assert_max_num_queries
):
    director = cast.audit_director
    url = inbox(tab=tab)
    client.force_login(director)
    client.get(url)  # the first request stamps the session

    def measure() -> tuple[int, str]:
        with django_assert_max_num_queries(6) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), content(response)

    # given: 2 tasks (an unclaimed audit item, an opinion acting for a colleague), 1 copy, 1 done
    pile_up(director, union=cast.union, n=1, acting_for=cast.chair)
    few, html = measure()
    if tab == "todo":
        assert html.count('data-testid="work-') == 2
    # when: 60 tasks
    pile_up(director, union=cast.union, n=29, acting_for=cast.chair, start=1)
    many, html = measure()
    if tab == "todo":
        assert html.count('data-testid="work-') == 25 and 'data-testid="next-page"' in html
    # and 200 more object permissions
    before = BodyUserObjectPermission.objects.filter(user=director).count()
    grant_many(director, parent=cast.union.parent, n=200)
    assert BodyUserObjectPermission.objects.filter(user=director).count() == before + 200
    permissions, html = measure()
    # then
    assert few == many == permissions <= 6
    if tab == "todo":
        assert "小工会0" in html  # the new union with a task is among the filter's choices


# --- to do ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_todo_row_opens_its_task_form_in_one_tap(cast, draft_budget, submitted_budget, client):
    # given: the office staff has a draft, an opinion to give, an audit meeting and a Party reply
    draft = draft_budget(year=2030)
    opinion = submitted_budget(recipients=[Recipient(cast.office)], year=2031)
    audit = submitted_budget(year=2032)
    answer_all(audit, cast)
    consolidate(audit, cast)
    party = submitted_budget(year=2033)
    answer_all(party, cast)
    consolidate(party, cast)
    audit_meeting(party, cast)
    mine = {
        "draft": WorkItem.objects.get(process=draft.process, state="open"),
        "give_opinion": WorkItem.objects.get(process=opinion.process, state="open", assignee=cast.office),
        "audit_review": WorkItem.objects.get(process=audit.process, state="open"),
        "party_approval": WorkItem.objects.get(process=party.process, state="open"),
    }
    client.force_login(cast.office)
    # when
    html = content(client.get(inbox()))
    # then
    links = {
        "draft": item_document_url(mine["draft"]),
        "give_opinion": reverse("workflows:opinion_answer", args=[mine["give_opinion"].pk]),
        "audit_review": reverse("workflows:meeting_new", args=[mine["audit_review"].body_id]),
        "party_approval": reverse("workflows:written_decision", args=[mine["party_approval"].pk]),
    }
    for step, item in mine.items():
        row = html[html.index(f'data-testid="work-{item.pk}"') :]
        row = row[: row.index("</li>")]
        assert f'href="{links[step]}"' in row, step
        assert "stretched-link" in row  # the whole row is the tap target
        assert escape(item.document_title) in row
    assert 'data-testid="unclaimed"' in html
    assert html.count('data-testid="overdue"') == 0


@pytest.mark.django_db
def test_todo_rows_say_claimed_acting_for_signer_and_urgency(cast, submitted_budget, client):
    # given: the audit director claims one audit item and asks the chair to sign before them
    first, second = submitted_budget(year=2027), submitted_budget(year=2028)
    for budget in (first, second):
        answer_all(budget, cast)
        consolidate(budget, cast)
    claimed = WorkItem.objects.get(process=first.process, state="open")
    work_item_claim(item=claimed, user=cast.audit_director)
    asked = WorkItem.objects.get(process=second.process, state="open")
    signer_item = signer_add(item=asked, user=cast.audit_director, signer=cast.chair, note="请把关")
    WorkItem.objects.filter(pk=claimed.pk).update(due_at=timezone.now() + datetime.timedelta(days=2))
    # a representative away: the task reaches a colleague, who acts for them
    delegation_create(
        person=cast.representatives[0],
        substitute=cast.representatives[1],
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    delegated = submitted_budget(recipients=[Recipient(cast.representatives[0])], year=2029)
    # when / then
    client.force_login(cast.audit_director)
    html = content(client.get(inbox()))
    assert todo_ids(client.get(inbox())) == [claimed.pk]  # the blocked item waits for the signer
    assert 'data-testid="claimed"' in html and 'data-testid="due-soon"' in html
    client.force_login(cast.chair)
    html = content(client.get(inbox()))
    assert todo_ids(client.get(inbox())) == [signer_item.pk]
    try:
        expected = reverse("workflows:signer_answer", args=[signer_item.pk])
    except NoReverseMatch:
        expected = item_document_url(signer_item)
    assert f'href="{expected}"' in html
    client.force_login(cast.representatives[1])
    response = client.get(inbox())
    (item,) = WorkItem.objects.filter(process=delegated.process, assignee=cast.representatives[1])
    assert todo_ids(response) == [item.pk]
    assert 'data-testid="acting-for"' in content(response)
    assert escape(str(cast.representatives[0])) in content(response)


@pytest.mark.django_db
def test_filters_by_due_union_type_and_step(cast, tree, submitted_budget, client):
    # given: two opinion tasks and an audit item in a1, a task in a2, one a1 opinion overdue
    director = cast.audit_director
    audit = submitted_budget(recipients=[Recipient(director)], year=2027)
    (opinion,) = WorkItem.objects.filter(process=audit.process, assignee=director)
    later = submitted_budget(recipients=[Recipient(director)], year=2028)
    (soon,) = WorkItem.objects.filter(process=later.process, assignee=director)
    WorkItem.objects.filter(pk=opinion.pk).update(due_at=timezone.now() - datetime.timedelta(days=1))
    WorkItem.objects.filter(pk=soon.pk).update(due_at=timezone.now() + datetime.timedelta(days=5))
    third = submitted_budget(year=2029)
    answer_all(third, cast)
    consolidate(third, cast)
    (audit_item,) = WorkItem.objects.filter(process=third.process, state="open")
    WorkItem.objects.filter(pk=audit_item.pk).update(due_at=timezone.now() + datetime.timedelta(days=30))
    elsewhere = pile_up(director, union=tree["a2"], n=1, acting_for=None)[1]  # the person's task
    client.force_login(director)
    everything = todo_ids(client.get(inbox()))
    assert everything[0] == opinion.pk  # overdue first
    assert set(everything) == {opinion.pk, soon.pk, audit_item.pk, elsewhere.pk}
    # when / then
    overdue = client.get(inbox(due="overdue"))
    assert todo_ids(overdue) == [opinion.pk]
    assert content(overdue).count('data-testid="overdue"') == 1
    assert '<option value="overdue" selected>' in content(overdue)
    assert todo_ids(client.get(inbox(due="week"))) == [soon.pk]
    by_union = client.get(inbox(union=tree["a2"].pk))
    assert todo_ids(by_union) == [elsewhere.pk]
    assert f'<option value="{tree["a2"].pk}" selected>{tree["a2"].name}</option>' in content(by_union)
    assert f'<option value="{cast.union.pk}">{cast.union.name}</option>' in content(by_union)
    assert set(todo_ids(client.get(inbox(union=cast.union.pk)))) == {opinion.pk, soon.pk, audit_item.pk}
    assert todo_ids(client.get(inbox(step="audit_review"))) == [audit_item.pk]
    assert len(todo_ids(client.get(inbox(type="budget")))) == 4
    assert todo_ids(client.get(inbox(type="annual_plan"))) == []
    assert 'data-testid="my-work-empty"' in content(client.get(inbox(type="annual_plan")))
    # the union choices are the unions of my tasks, and no other
    html = content(client.get(inbox()))
    assert f'<option value="{tree["a2"].pk}">' in html and f'<option value="{cast.union.pk}">' in html
    assert f'<option value="{tree["b1"].pk}">' not in html


@pytest.mark.django_db
def test_todo_keyset_pages_do_not_overlap(cast, client):
    director = cast.audit_director
    items = pile_up(director, union=cast.union, n=30, acting_for=cast.chair)
    expected = {i.pk for i in items if i.state == WorkItemState.OPEN}
    client.force_login(director)
    seen: list[int] = []
    url = inbox(due="")
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        page = todo_ids(response)
        assert not set(page) & set(seen)
        seen += page
        pages += 1
        url = next_url(response)
        if url and pages == 1:
            assert 'data-testid="first-page"' not in content(response)
    assert pages == 3 and len(seen) == 60 and set(seen) == expected
    assert 'data-testid="first-page"' in content(response)
    due = dict(WorkItem.objects.filter(pk__in=seen).values_list("pk", "due_at"))
    assert [due[pk] for pk in seen] == sorted(due[pk] for pk in seen)


@pytest.mark.django_db
def test_done_keyset_pages_do_not_overlap(cast, client):
    director = cast.audit_director
    items = pile_up(director, union=cast.union, n=30, acting_for=cast.chair)
    client.force_login(director)
    first = client.get(inbox(tab="done"))
    assert "无意见" in content(first) or "no opinion" in content(first)  # the outcome, in words
    second = client.get(next_url(first))
    assert next_url(second) is None
    assert len(done_ids(first)) == 25 and len(done_ids(second)) == 5
    assert not set(done_ids(first)) & set(done_ids(second))
    assert set(done_ids(first)) | set(done_ids(second)) == {i.pk for i in items if i.state == "done"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"after": "garbage"},
        {"after": "2026-13-45T99:00:00Z_5"},
        {"after": "2026-01-01T00:00:00_5"},  # naive time
        {"after": "none_abc"},
        {"after": "none_99999999999999999999999"},
        {"after": "_"},
        {"union": "abc"},
        {"union": "99999999999999999999999"},
        {"union": "-3"},
        {"type": "zzz"},
        {"step": "<script>"},
        {"due": "yesterday"},
        {"tab": "nonsense"},
        {"tab": "done", "before": "none_5"},
        {"tab": "done", "before": "xyz_1"},
    ],
)
def test_bad_parameters_give_the_unfiltered_page(params, cast, client):
    director = cast.audit_director
    pile_up(director, union=cast.union, n=2, acting_for=cast.chair)
    client.force_login(director)
    tab = params.get("tab") if params.get("tab") == "done" else "todo"
    plain = client.get(inbox(tab=tab))
    response = client.get(inbox(**params))
    assert response.status_code == 200
    if tab == "todo":
        assert todo_ids(response) == todo_ids(plain) and len(todo_ids(plain)) == 4
    else:
        assert done_ids(response) == done_ids(plain) and len(done_ids(plain)) == 2


# --- who sees what ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_outsider_sees_nothing_of_a1_on_any_tab(cast, submitted_budget, client):
    budget = submitted_budget()
    answer_all(budget, cast)
    pile_up(cast.audit_director, union=cast.union, n=2, acting_for=cast.chair)
    client.force_login(cast.outsider)
    for params in ({}, {"tab": "watching"}, {"tab": "done"}, {"union": cast.union.pk}):
        response = client.get(inbox(**params))
        assert response.status_code == 200
        html = content(response)
        assert escape(cast.union.name) not in html and "堆积预算" not in html
        assert escape(budget.title) not in html
        assert not todo_ids(response) and badge(response) is None


@pytest.mark.django_db
def test_the_supervisor_above_gets_none_of_a1s_tasks(cast, tree, submitted_budget, supervisor_of, client):
    budget = submitted_budget()
    answer_all(budget, cast)
    consolidate(budget, cast)
    client.force_login(supervisor_of(tree["dept_a"]))
    response = client.get(inbox())
    assert not todo_ids(response) and 'data-testid="my-work-empty"' in content(response)
    assert badge(response) is None


@pytest.mark.django_db
def test_the_badge_counts_my_tasks_on_every_page(cast, submitted_budget, client):
    for year in (2027, 2028):
        budget = submitted_budget(year=year)
        answer_all(budget, cast)
        consolidate(budget, cast)
    client.force_login(cast.audit_director)
    for url in (reverse("home"), reverse("union_list"), reverse("notifications:list"), inbox(tab="done")):
        assert badge(client.get(url)) == 2, url
    client.force_login(cast.audit_members[0])  # attends the meetings; records nothing
    assert badge(client.get(reverse("home"))) is None


# --- watching and done ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_watching_lists_what_i_started_and_what_i_am_copied_on(
    cast, submitted_budget, observer_below, client
):
    budget = submitted_budget()
    observer = observer_below
    copy_to_add(document=budget, document_type="budget", user=cast.office, people=[observer])
    document_page = reverse("budget:detail", args=[budget.pk])
    for user, reason in ((cast.office, "started"), (observer, "copied")):
        client.force_login(user)
        html = content(client.get(inbox(tab="watching")))
        row = html[html.index(f'data-testid="watch-{budget.process_id}"') :]
        assert f'href="{document_page}"' in row and f'data-testid="{reason}"' in row
        assert escape(budget.title) in row and escape(cast.union.name) in row
        assert "对预算草案提出意见" in row or "Give an opinion on the budget draft" in row
    client.force_login(cast.outsider)
    assert 'data-testid="watching-empty"' in content(client.get(inbox(tab="watching")))


@pytest.mark.django_db
def test_done_lists_what_i_acted_on_newest_first(cast, submitted_budget, client):
    budget = submitted_budget()
    (item,) = WorkItem.objects.filter(process=budget.process, assignee=cast.representatives[0])
    opinion_answer(work_item=item, actor=cast.representatives[0], answer=OpinionAnswer.NO_OPINION)
    client.force_login(cast.representatives[0])
    response = client.get(inbox(tab="done"))
    assert done_ids(response) == [item.pk]
    html = content(response)
    assert escape(budget.title) in html and "无意见" in html
    assert todo_ids(client.get(inbox())) == []
