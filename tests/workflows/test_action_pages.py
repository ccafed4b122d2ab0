"""The task-action pages through HTTP (issue 5): claim, release, transfer (转交), add a signer (加签),
copy to (抄送), comments with @-mentions, delegation while away (委托), handover at term end, and
two people acting on the same step at the same moment on PostgreSQL with two real connections.

Every refusal is a clear message with 400/403/404/409, keeps what was typed, and is written as an event.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from core import errors as core_errors
from core.models import Body, Event, Role, Seat
from notifications.models import Notification
from tests.factories import UserFactory, give_seat
from tests.pages import already_handled, content, pdf, race, shown
from tests.scenarios import answer_all, audit_meeting, consolidate, open_items
from workflows import errors
from workflows.budget.models import BudgetStatus
from workflows.budget.services import Recipient, budget_submit
from workflows.models import (
    Attachment,
    Comment,
    CopyTo,
    Delegation,
    OpinionAnswer,
    Resolution,
    WorkItem,
    WorkItemState,
    WrittenDecision,
)
from workflows.services.actions import signer_add
from workflows.services.workitems import DocumentBusy

TODAY = timezone.localdate


def flash(response) -> list[tuple[int, str]]:
    return [(m.level, m.message) for m in get_messages(response.wsgi_request)]


def body_name(cast, kind: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return Body.objects.get(union=cast.union, kind=kind).display_name


def url(name: str, item: WorkItem | int) -> str:
    return reverse(f"workflows:{name}", args=[item if isinstance(item, int) else item.pk])


def doc_url(budget) -> str:
    return reverse("budget:detail", args=[budget.pk])


def refusals(user, verb="action_refused") -> int:
    return Event.objects.filter(verb=verb, actor=user).count()


@pytest.fixture
def at_audit(cast, submitted_budget):
    """A budget before the fund audit committee: (budget, the committee's open item)."""

    def _make(**kwargs):
        budget = submitted_budget(**kwargs)
        answer_all(budget, cast)
        consolidate(budget, cast)
        (item,) = open_items(budget)
        assert item.step == "audit_review"
        return budget, item

    return _make


@pytest.fixture
def at_party(cast, at_audit):
    def _make(**kwargs):
        budget, _ = at_audit(**kwargs)
        audit_meeting(budget, cast)
        budget.refresh_from_db()
        assert budget.status == BudgetStatus.PARTY_APPROVAL
        (item,) = open_items(budget)
        return budget, item

    return _make


# --- claim and release --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_recorder_claims_and_releases_from_the_document_page(cast, at_audit, audit_secretary, client):
    budget, item = at_audit()
    client.force_login(cast.audit_director)
    page = content(client.get(doc_url(budget)))
    assert url("claim", item) in page and url("transfer", item) in page and url("add_signer", item) in page
    # when
    response = client.post(url("claim", item))
    # then
    assert response.status_code == 302 and response["Location"] == doc_url(budget)
    assert flash(response)[0][0] == message_levels.SUCCESS
    item.refresh_from_db()
    assert item.assignee == cast.audit_director and item.task.owner == cast.audit_director
    page = content(client.get(doc_url(budget)))
    assert url("release", item) in page and url("claim", item) not in page
    # a colleague sees the claim: no buttons, and a claim is refused with who and when
    colleague = Client()
    colleague.force_login(audit_secretary)
    assert url("claim", item) not in content(colleague.get(doc_url(budget)))
    late = colleague.post(url("claim", item))
    assert late.status_code == 409
    assert already_handled(item) in content(late)
    assert Event.objects.filter(verb="action_refused", actor=audit_secretary).exists()
    # release: back in the queue, the colleague may claim it now
    response = client.post(url("release", item))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.assignee is None and item.task.owner is None
    assert colleague.post(url("claim", item)).status_code == 302


@pytest.mark.django_db
def test_release_by_someone_else_is_refused(cast, at_audit, audit_secretary, client):
    _, item = at_audit()
    client.force_login(cast.audit_director)
    client.post(url("claim", item))
    client.force_login(audit_secretary)
    response = client.post(url("release", item))
    assert response.status_code == 403
    assert shown(errors.RELEASE_NOT_YOURS) in content(response)
    item.refresh_from_db()
    assert item.assignee == cast.audit_director


@pytest.mark.django_db
def test_claiming_without_a_seat_in_force_in_the_body_is_refused_and_logged(cast, at_audit, client):
    _, item = at_audit()
    client.force_login(cast.chair)  # an officer of the union: sees the budget, records nothing for audit
    response = client.post(url("claim", item))
    assert response.status_code == 403
    assert shown(errors.CLAIM_NO_SEAT, body=body_name(cast, "audit_committee")) in content(response)
    assert refusals(cast.chair) == 1
    item.refresh_from_db()
    assert item.assignee is None


@pytest.mark.django_db
def test_claim_is_post_only(cast, at_audit, client):
    _, item = at_audit()
    client.force_login(cast.audit_director)
    assert client.get(url("claim", item)).status_code == 405
    item.refresh_from_db()
    assert item.assignee is None


@pytest.mark.django_db
def test_acting_on_a_finished_task_is_refused_with_who_and_when(cast, at_party, client):
    budget, _ = at_party()
    audit_item = WorkItem.objects.get(process=budget.process, step="audit_review")
    assert audit_item.state == WorkItemState.DONE
    client.force_login(cast.audit_director)
    for response in (
        client.post(url("claim", audit_item)),
        client.get(url("transfer", audit_item)),
        client.post(url("add_signer", audit_item), {"signer_q": "主席候选", "note": "请看"}),
    ):
        assert response.status_code == 409
        assert already_handled(audit_item) in content(response)
    assert 'value="主席候选"' in content(response)  # typed input kept
    assert refusals(cast.audit_director) == 3


@pytest.mark.django_db
def test_document_busy_is_409_and_keeps_the_note(cast, at_audit, audit_secretary, client, monkeypatch):
    _, item = at_audit()
    client.force_login(cast.audit_director)

    def busy(**kwargs):
        raise DocumentBusy

    monkeypatch.setattr("workflows.views_actions.work_item_claim", busy)
    monkeypatch.setattr("workflows.views_actions.work_item_transfer", busy)
    response = client.post(url("claim", item))
    assert response.status_code == 409 and shown(errors.LOCKED) in content(response)
    response = client.post(url("transfer", item), {"to": audit_secretary.pk, "note": "请代为主持"})
    assert response.status_code == 409 and shown(errors.LOCKED) in content(response)
    assert "请代为主持" in content(response)


# --- transfer --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_transfer_to_another_recorder_of_the_body_with_a_note(cast, at_audit, audit_secretary, client):
    budget, item = at_audit()
    client.force_login(cast.audit_director)
    page = client.get(url("transfer", item))
    assert page.status_code == 200
    html = content(page)
    # the body's recorders except me: the secretary and the union's office staff
    assert f'value="{audit_secretary.pk}"' in html and f'value="{cast.office.pk}"' in html
    assert f'value="{cast.audit_director.pk}"' not in html
    assert f'value="{cast.audit_members[0].pk}"' not in html  # a member attends, does not record
    response = client.post(url("transfer", item), {"to": audit_secretary.pk, "note": "请主持本次审查"})
    assert response.status_code == 302 and response["Location"] == doc_url(budget)
    item.refresh_from_db()
    assert item.assignee == audit_secretary and item.note == "请主持本次审查"
    assert Notification.objects.filter(recipient=audit_secretary, title__contains=item.step_title).exists()
    # it is the secretary's now: the director may no longer transfer it
    response = client.get(url("transfer", item))
    assert response.status_code == 409 and already_handled(item) in content(response)


@pytest.mark.django_db
def test_transfer_outside_the_body_is_refused_and_the_note_kept(cast, at_audit, client):
    _, item = at_audit()
    client.force_login(cast.audit_director)
    before = refusals(cast.audit_director)
    # the picker offers only the body's recorders; a chair posted anyway is refused without saying
    # who the id is (issue 25)
    response = client.post(url("transfer", item), {"to": cast.chair.pk, "note": "转给<主席>"})
    assert response.status_code == 400
    assert shown(core_errors.PERSON_NOT_ALLOWED) in content(response)
    assert escape("转给<主席>") in content(response)
    assert refusals(cast.audit_director) == before + 1
    # a forged id of nobody: a form error, nothing changes
    response = client.post(url("transfer", item), {"to": "999999", "note": "x"})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.assignee is None and item.note == ""


# --- add a signer (加签) ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_added_signer_blocks_the_step_until_they_answer(cast, at_audit, client):
    budget, item = at_audit()
    director = client
    director.force_login(cast.audit_director)
    assert director.get(url("add_signer", item)).status_code == 200
    response = director.post(url("add_signer", item), {"signer": cast.chair.pk, "note": "请主席把关：<经费>"})
    assert response.status_code == 302 and response["Location"] == doc_url(budget)
    item.refresh_from_db()
    assert item.state == WorkItemState.BLOCKED and item.assignee == cast.audit_director
    signer_item = WorkItem.objects.get(parent=item)
    assert signer_item.assignee == cast.chair and signer_item.state == WorkItemState.OPEN
    # the original is blocked: no transfer or second signer until the answer
    for response in (director.get(url("transfer", item)), director.get(url("add_signer", item))):
        assert response.status_code == 409 and shown(errors.SIGNER_BLOCKED) in content(response)
    assert director.get(url("signer_answer", signer_item)).status_code == 403
    # the signer sees the document title and the asker's note
    chair = Client()
    chair.force_login(cast.chair)
    assert url("signer_answer", signer_item) in content(chair.get(doc_url(budget)))
    page = chair.get(url("signer_answer", signer_item))
    assert page.status_code == 200
    assert escape(budget.title) in content(page) and escape("请主席把关：<经费>") in content(page)
    # an answer needs words; the choice is kept
    empty = chair.post(url("signer_answer", signer_item), {"answer": "disagree", "text": "  "})
    assert empty.status_code == 400 and shown(errors.COMMENT_EMPTY) in content(empty)
    assert re.search(r'value="disagree"[^>]*checked', content(empty))
    response = chair.post(url("signer_answer", signer_item), {"answer": "agree", "text": "同意提交审查"})
    # the signer lands on the document they answered on (issue 25), not on another form
    assert response.status_code == 302 and response["Location"] == doc_url(budget)
    # then the step is back with the director, with the signer's opinion as a comment on it
    item.refresh_from_db()
    assert item.state == WorkItemState.OPEN and item.assignee == cast.audit_director
    assert item.comments.get().text.endswith("同意提交审查")
    assert Notification.objects.filter(
        recipient=cast.audit_director, dedupe_key__startswith="signed:"
    ).exists()
    again = chair.post(url("signer_answer", signer_item), {"answer": "agree", "text": "再次"})
    assert again.status_code == 409 and already_handled(signer_item) in content(again)
    assert director.get(url("transfer", item)).status_code == 200


@pytest.mark.django_db
def test_signer_who_may_not_see_the_union_is_refused(cast, at_audit, client):
    _, item = at_audit()
    client.force_login(cast.audit_director)
    response = client.post(url("add_signer", item), {"signer": cast.outsider.pk, "note": "请看"})
    assert response.status_code == 400
    assert shown(core_errors.PERSON_NOT_ALLOWED) in content(response) and "请看" in content(response)
    response = client.post(url("add_signer", item), {"signer_q": "nobody-here", "note": "请看"})
    assert response.status_code == 400
    assert shown(core_errors.PERSON_NO_MATCH, value="nobody-here") in content(response)
    assert 'value="nobody-here"' in content(response)
    item.refresh_from_db()
    assert item.state == WorkItemState.OPEN and not WorkItem.objects.filter(parent=item).exists()


# --- copy to (抄送) --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_copied_observer_sees_the_document(cast, at_audit, observer_below, client):
    budget, _ = at_audit()
    observer = observer_below
    watcher = Client()
    watcher.force_login(observer)
    assert watcher.get(doc_url(budget)).status_code == 404
    client.force_login(cast.chair)  # an officer of the union (not the drafter)
    copy_url = reverse("workflows:copy_to", args=["budget", budget.pk])
    assert copy_url in content(client.get(doc_url(budget)))
    response = client.post(copy_url, {"people": [observer.pk, cast.representatives[3].pk]})
    assert response.status_code == 302 and response["Location"] == doc_url(budget) + "#copies"
    assert set(CopyTo.objects.filter(process=budget.process).values_list("person__username", flat=True)) == {
        "a1g2-leader",
        "a1-rep3",
    }
    page = watcher.get(doc_url(budget))
    assert page.status_code == 200 and escape(budget.title) in content(page)
    assert copy_url not in content(page)  # the observer reads; copying is for officers and the drafter
    assert Notification.objects.filter(recipient=observer, dedupe_key__startswith="copy:").exists()


@pytest.mark.django_db
def test_copied_observers_hear_once_when_the_document_moves(cast, at_audit, observer_below, client):
    budget, _ = at_audit()
    observer = observer_below
    client.force_login(cast.chair)
    client.post(
        reverse("workflows:copy_to", args=["budget", budget.pk]),
        {"people": [observer.pk, cast.representatives[3].pk]},
    )
    audit_meeting(budget, cast)  # the audit committee approves: the budget moves to the Party step
    moved = Notification.objects.filter(dedupe_key__startswith="moved-task:")
    assert sorted(moved.values_list("recipient__username", flat=True)) == ["a1-rep3", "a1g2-leader"]
    note = moved.get(recipient=observer)
    assert note.union_id == cast.union.pk and note.url == doc_url(budget)
    assert budget.title in note.title and note.read_at is None and note.created_at is not None
    (item,) = open_items(budget)
    assert note.dedupe_key == f"moved-task:{item.task_id}"
    # the same occasion again (a retried step) creates nothing more
    from workflows.services.notify import notify_copied

    budget.refresh_from_db()
    notify_copied(
        process=budget.process, document=budget, document_type="budget", step_title="x", key=note.dedupe_key
    )
    assert Notification.objects.filter(recipient=observer, dedupe_key=note.dedupe_key).count() == 1


@pytest.mark.django_db
def test_copy_to_an_outsider_or_unknown_name_is_refused_and_the_names_kept(cast, at_audit, client):
    budget, _ = at_audit()
    copy_url = reverse("workflows:copy_to", args=["budget", budget.pk])
    client.force_login(cast.office)  # the drafter
    before = refusals(cast.office)
    response = client.post(copy_url, {"people": [cast.chair.pk, cast.outsider.pk]})
    assert response.status_code == 400
    assert shown(core_errors.PERSON_NOT_ALLOWED) in content(response)
    assert f'value="{cast.chair.pk}" checked' in content(response)  # the allowed choice is kept
    assert refusals(cast.office) == before + 1
    response = client.post(copy_url, {"people_q": "ghost"})
    assert response.status_code == 400
    assert shown(core_errors.PERSON_NO_MATCH, value="ghost") in content(response)
    assert 'value="ghost"' in content(response)
    assert not CopyTo.objects.exists()
    # a participant who only reads (a representative asked for an opinion) may not copy others on it
    participant = cast.representatives[0]
    client.force_login(participant)
    assert client.get(doc_url(budget)).status_code == 200
    response = client.post(copy_url, {"people": [cast.chair.pk]})
    assert response.status_code == 403 and not CopyTo.objects.exists()
    assert refusals(participant) == 1


@pytest.mark.django_db
def test_copy_to_a_sibling_unions_chair_is_refused_and_the_circle_is_accepted(
    cast, tree, at_audit, observer_below, supervisor_of, client
):
    budget, _ = at_audit()
    copy_url = reverse("workflows:copy_to", args=["budget", budget.pk])
    sibling_chair = UserFactory(username="a2-chair", full_name="兄弟工会主席")
    give_seat(sibling_chair, tree["a2"], Role.CHAIR, "union_committee")
    no_seat = UserFactory(username="no-seat", full_name="无任职人员")
    supervisor = supervisor_of(tree["dept_a"])
    client.force_login(cast.office)
    rep3 = cast.representatives[3]
    # the picker never offers them: a sibling union's chair, a person with no seat
    search = {"for": "copy", "ref": f"budget:{budget.pk}", "name": "people"}
    for name in ("兄弟工会主席", "无任职人员"):
        offered = content(client.get(reverse("people_search"), {**search, "people_q": name}))
        assert 'type="checkbox"' not in offered and "没有与" in offered  # "nobody matches"
    # when: outsiders' ids are posted among the others (a forged or stale form)
    posted = [rep3.pk, sibling_chair.pk, no_seat.pk, observer_below.pk]
    response = client.post(copy_url, {"people": posted})
    # then: refused in Chinese without naming them, the allowed choices kept, nothing written
    assert response.status_code == 400
    html = content(response)
    assert "所选人员不在此处的可选范围内，请重新查找并从列表中选择。" in html
    assert "兄弟工会主席" not in html and "无任职人员" not in html
    assert f'value="{rep3.pk}" checked' in html and f'value="{observer_below.pk}" checked' in html
    assert not CopyTo.objects.exists()
    # this union, a union group below it and a supervisor of the department above it are accepted
    response = client.post(copy_url, {"people": [rep3.pk, observer_below.pk, supervisor.pk]})
    assert response.status_code == 302
    copied = set(CopyTo.objects.filter(process=budget.process).values_list("person__username", flat=True))
    assert copied == {"a1-rep3", observer_below.username, supervisor.username}


# --- comments with @-mentions ------------------------------------------------------------------------


@pytest.mark.django_db
def test_comment_with_mention_and_file_notifies_and_refuses_an_outsider(cast, at_audit, client):
    budget, item = at_audit()
    comment_url = reverse("workflows:comment", args=["budget", budget.pk])
    client.force_login(cast.office)
    page = content(client.get(doc_url(budget)))
    assert comment_url in page and f'<option value="{item.pk}" selected>' in page
    # an outsider among the mentions (a forged form): refused, the text kept, nothing written
    response = client.post(
        comment_url,
        {"text": "请审阅 <b>附件</b>", "mentions": [cast.chair.pk, cast.outsider.pk], "step": item.pk},
    )
    assert response.status_code == 400 and shown(core_errors.PERSON_NOT_ALLOWED) in content(response)
    assert escape("请审阅 <b>附件</b>") in content(response) and not Comment.objects.exists()
    response = client.post(
        comment_url,
        {"text": "请审阅 <b>附件</b>", "mentions": cast.chair.pk, "step": item.pk, "files": pdf("说明.pdf")},
    )
    assert response.status_code == 302 and response["Location"] == doc_url(budget) + "#comments"
    assert message_levels.WARNING not in dict(flash(response))
    assert Notification.objects.filter(recipient=cast.chair, title__contains=budget.title).exists()
    assert not Notification.objects.filter(
        recipient=cast.outsider, dedupe_key__startswith="mention:"
    ).exists()
    comment = Comment.objects.get()
    assert comment.work_item == item and comment.attachments.get().name == "说明.pdf"
    assert list(comment.mentions.all()) == [cast.chair]
    # the document page lists it: author, the mention by name, escaped text, attachment, step
    html = content(client.get(doc_url(budget)))
    assert f"@{escape(cast.chair.full_name)}" in html and "a1-chair" not in html
    assert escape("<b>附件</b>") in html and "<b>附件</b>" not in html
    assert "说明.pdf" in html and escape(item.step_title) in html


@pytest.mark.django_db
def test_bad_comment_is_refused_and_the_text_kept(cast, at_audit, client):
    budget, _ = at_audit()
    comment_url = reverse("workflows:comment", args=["budget", budget.pk])
    client.force_login(cast.office)
    empty = client.post(comment_url, {"text": "   "})
    assert empty.status_code == 400 and shown(errors.COMMENT_EMPTY) in content(empty)
    exe = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(comment_url, {"text": "请看附件", "files": [exe]})
    assert response.status_code == 400 and "请看附件" in content(response) and ".exe" in content(response)
    assert not Comment.objects.exists() and not Attachment.objects.exists()


# --- delegation while away (委托) ---------------------------------------------------------------------


@pytest.mark.django_db
def test_delegation_reaches_the_substitute_only_inside_the_dates_and_the_record_shows_it(
    cast, draft_budget, client
):
    away, substitute = cast.representatives[0], cast.representatives[1]
    start, end = TODAY() + datetime.timedelta(days=2), TODAY() + datetime.timedelta(days=5)
    client.force_login(away)
    assert reverse("delegations") in content(client.get(reverse("home")))
    response = client.post(
        reverse("delegations"),
        {"substitute": substitute.pk, "starts_on": start, "ends_on": end, "note": "出差"},
    )
    assert response.status_code == 302
    delegation = Delegation.objects.get(person=away)
    assert (delegation.substitute, delegation.starts_on, delegation.ends_on) == (substitute, start, end)
    page = content(client.get(reverse("delegations")))
    assert escape(str(substitute)) in page and reverse("delegation_revoke", args=[delegation.pk]) in page
    # outside the dates the task reaches the person
    due = timezone.now() + datetime.timedelta(days=20)
    first = draft_budget(year=2027)
    budget_submit(actor=cast.office, budget=first, recipients=[Recipient(away)], due_at=due)
    (outside,) = WorkItem.objects.filter(process=first.process, step="give_opinion")
    assert outside.assignee == away and outside.acting_for is None
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        second = draft_budget(year=2028)
        budget_submit(actor=cast.office, budget=second, recipients=[Recipient(away)], due_at=due)
        (inside,) = WorkItem.objects.filter(process=second.process, step="give_opinion")
        assert inside.assignee == substitute and inside.acting_for == away
        sub = Client()
        sub.force_login(substitute)
        response = sub.post(
            reverse("workflows:opinion_answer", args=[inside.pk]),
            {"answer": OpinionAnswer.NO_OPINION, "text": ""},
        )
        assert response.status_code == 302
    # the record shows who acted for whom, on both sides
    client.force_login(away)
    html = content(client.get(reverse("delegations")))
    assert 'data-testid="acted-for-me"' in html and escape(second.title) in html
    assert escape(str(substitute)) in html
    sub.force_login(substitute)
    html = content(sub.get(reverse("delegations")))
    assert 'data-testid="i-acted-for"' in html and escape(str(away)) in html
    # revoke
    response = client.post(reverse("delegation_revoke", args=[delegation.pk]))
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None


@pytest.mark.django_db
def test_delegating_to_myself_or_to_someone_i_cannot_see_is_refused_and_the_note_kept(cast, client):
    client.force_login(cast.chair)
    data = {"starts_on": TODAY(), "ends_on": TODAY() + datetime.timedelta(days=3), "note": "年假<休>"}
    response = client.post(reverse("delegations"), {**data, "substitute": cast.chair.pk})
    assert response.status_code == 400 and shown(errors.DELEGATE_SELF) in content(response)
    assert escape("年假<休>") in content(response)
    response = client.post(reverse("delegations"), {**data, "substitute": cast.outsider.pk})
    assert response.status_code == 400
    assert shown(core_errors.PERSON_NOT_ALLOWED) in content(response)
    assert escape("年假<休>") in content(response)
    assert refusals(cast.chair) == 2
    past = {
        **data,
        "starts_on": TODAY() - datetime.timedelta(days=5),
        "ends_on": TODAY() - datetime.timedelta(days=1),
    }
    response = client.post(reverse("delegations"), {**past, "substitute": cast.office.pk})
    assert response.status_code == 400 and shown(errors.DELEGATE_PAST) in content(response)
    assert not Delegation.objects.exists()


@pytest.mark.django_db
def test_someone_elses_delegation_cannot_be_revoked(cast, client):
    delegation = Delegation.objects.create(
        person=cast.chair, substitute=cast.office, starts_on=TODAY(), ends_on=TODAY()
    )
    client.force_login(cast.office)
    assert client.post(reverse("delegation_revoke", args=[delegation.pk])).status_code == 404
    delegation.refresh_from_db()
    assert delegation.revoked_at is None
    assert Event.objects.filter(verb="access_denied", actor=cast.office).exists()


# --- handover at term end -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_handover_at_term_end_puts_the_claimed_task_back_and_tells_the_chair(
    cast, at_audit, audit_secretary, client
):
    budget, item = at_audit()
    client.force_login(audit_secretary)
    assert client.post(url("claim", item)).status_code == 302
    seat = Seat.objects.get(person=audit_secretary, body__kind="audit_committee")
    client.force_login(cast.office)  # office staff manage the union's seats
    response = client.post(
        reverse("seat_end", args=[seat.pk]),
        {"end_date": TODAY() - datetime.timedelta(days=1), "confirm": "yes"},  # 结束任期 is confirmed
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.assignee is None and item.state == WorkItemState.OPEN
    assert Notification.objects.filter(
        recipient=cast.audit_director, dedupe_key__startswith="handover:"
    ).exists()
    client.force_login(cast.audit_director)
    assert url("claim", item) in content(client.get(doc_url(budget)))


# --- who is refused ---------------------------------------------------------------------------------------


def action_requests(item, signer_item, budget, delegation):
    """(method, url, data) of every action URL."""
    doc = ["budget", budget.pk]
    return [
        ("post", url("claim", item), {}),
        ("post", url("release", item), {}),
        ("get", url("transfer", item), {}),
        ("post", url("transfer", item), {"to": "1", "note": "x"}),
        ("get", url("add_signer", item), {}),
        ("post", url("add_signer", item), {"signer": "1"}),
        ("get", url("signer_answer", signer_item), {}),
        ("post", url("signer_answer", signer_item), {"answer": "agree", "text": "x"}),
        ("get", reverse("workflows:comment", args=doc), {}),
        ("post", reverse("workflows:comment", args=doc), {"text": "x"}),
        ("get", reverse("workflows:copy_to", args=doc), {}),
        ("post", reverse("workflows:copy_to", args=doc), {"people": "1"}),
        ("post", reverse("delegation_revoke", args=[delegation.pk]), {}),
    ]


@pytest.mark.django_db
def test_outsider_gets_404_on_every_action_url_and_each_is_logged(cast, at_audit, client):
    budget, item = at_audit()
    _, second = at_audit(year=2028)  # a second budget with an added signer, for the signer's page
    signer_item = signer_add(item=second, user=cast.audit_director, signer=cast.chair)
    delegation = Delegation.objects.create(
        person=cast.chair, substitute=cast.office, starts_on=TODAY(), ends_on=TODAY()
    )
    client.force_login(cast.outsider)
    requests = action_requests(item, signer_item, budget, delegation)
    for method, path, data in requests:
        response = getattr(client, method)(path, data)
        assert response.status_code == 404, path
    assert refusals(cast.outsider, "access_denied") == len(requests)
    item.refresh_from_db()
    assert item.assignee is None and not CopyTo.objects.exists() and not Comment.objects.exists()


@pytest.mark.django_db
def test_supervisor_above_sees_but_gets_403_for_actions(cast, tree, at_audit, client, supervisor_of):
    budget, item = at_audit()
    _, second = at_audit(year=2028)
    signer_item = signer_add(item=second, user=cast.audit_director, signer=cast.chair)
    supervisor = supervisor_of(tree["dept_a"])
    client.force_login(supervisor)
    assert client.get(doc_url(budget)).status_code == 200
    page = content(client.get(doc_url(budget)))
    assert (
        url("claim", item) not in page
        and reverse("workflows:copy_to", args=["budget", budget.pk]) not in page
    )
    for method, path, data in [
        ("post", url("claim", item), {}),
        ("post", url("release", item), {}),
        ("get", url("transfer", item), {}),
        ("post", url("transfer", item), {"to": str(cast.office.pk), "note": "督导转交"}),
        ("get", url("add_signer", item), {}),
        ("get", url("signer_answer", signer_item), {}),
        ("post", reverse("workflows:copy_to", args=["budget", budget.pk]), {"people": str(cast.chair.pk)}),
    ]:
        response = getattr(client, method)(path, data)
        assert response.status_code == 403, path
    assert "督导转交" in content(
        client.post(url("transfer", item), {"to": str(cast.office.pk), "note": "督导转交"})
    )
    item.refresh_from_db()
    assert item.assignee is None and not CopyTo.objects.exists()
    assert refusals(supervisor) >= 7


@pytest.mark.django_db
def test_forged_ids_are_404(cast, at_audit, client):
    budget, _ = at_audit()
    client.force_login(cast.audit_director)
    for method, path in [
        ("post", url("claim", 999_999)),
        ("post", url("release", 999_999)),
        ("get", url("transfer", 999_999)),
        ("get", url("add_signer", 999_999)),
        ("get", url("signer_answer", 999_999)),
        ("post", reverse("workflows:comment", args=["budget", 999_999])),
        ("post", reverse("workflows:comment", args=["nonsense", budget.pk])),
        ("post", reverse("workflows:copy_to", args=["budget", 999_999])),
        ("post", reverse("delegation_revoke", args=[999_999])),
    ]:
        assert getattr(client, method)(path).status_code == 404, path
    # a body's item is not an added signer's task
    (item,) = open_items(budget)
    assert client.get(url("signer_answer", item)).status_code == 404
    assert refusals(cast.audit_director, "access_denied") == 10


# --- two people at the same moment, two real connections (PostgreSQL) ------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_recorders_claiming_at_the_same_moment_exactly_one_wins(cast, at_audit, audit_secretary):
    _, item = at_audit()
    responses = race((cast.audit_director, url("claim", item), {}), (audit_secretary, url("claim", item), {}))
    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 409], codes
    item.refresh_from_db()
    winner = item.assignee
    assert winner in (cast.audit_director, audit_secretary)
    loser = next(r for r in responses if r.status_code == 409)
    assert already_handled(item) in content(loser)
    assert item.task.owner == winner
    assert Event.objects.filter(verb="claimed", subject_id=str(item.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_recorders_deciding_in_writing_at_once_exactly_one_succeeds(cast, at_party):
    budget, item = at_party()
    decision_url = reverse("workflows:written_decision", args=[item.pk])

    def data(number):
        return {
            "resolution": Resolution.APPROVE,
            "reference_number": number,
            "decided_on": TODAY().isoformat(),
        }

    responses = race(
        (cast.party_secretary, decision_url, data("机党〔2026〕12号")),
        (cast.office, decision_url, data("机党〔2026〕13号")),
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 409], codes
    decision = WrittenDecision.objects.get()
    loser = next(r for r in responses if r.status_code == 409)
    mine = "机党〔2026〕13号" if decision.reference_number == "机党〔2026〕12号" else "机党〔2026〕12号"
    assert already_handled(item) in content(loser)
    assert f'value="{mine}"' in content(loser)  # what the loser typed is still in the form
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.CONGRESS_RATIFICATION
