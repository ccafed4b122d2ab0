"""Act where you read (issue 25): every document page carries the step its viewer may take there, the
inbox row opens the document, personal steps are agreed in bulk (批量同意) after one confirmation, the
dangerous actions ask first (server-side, so without script too), and every action lands on the
document, never on a page of further buttons.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core.models import Seat
from tests.factories import (
    make_budget,
    make_final_accounts,
    make_finance_report,
    make_plan,
    make_summary,
    make_work_report,
)
from tests.pages import content, inbox, meeting_data, meeting_url, shown
from tests.scenarios import (
    acknowledged_summary,
    adjustment_submitted,
    at,
    budget_before_congress,
    congress_decides,
    final_accounts_audited,
    open_item,
    plan_at_committee,
    plan_before_congress,
    submit_draft,
    to_audit_review,
    travel,
)
from tests.scenarios import budget_in_force as drive_budget_in_force
from workflows import errors
from workflows.budget.models import BudgetStatus
from workflows.budget.services import Recipient
from workflows.final_accounts.services import final_accounts_submit
from workflows.models import Meeting, OpinionAnswer, OpinionRequest, Resolution, WorkItem, WorkItemState
from workflows.reports.models import ReportStatus, Submission
from workflows.reports.services import summary_submit, work_report_submit
from workflows.services.actions import signer_add
from workflows.services.opinions import opinion_answer

ACTIONS = 'data-testid="document-actions"'


def page_of(client: Client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (user, url, response.status_code)
    return content(response)


def meeting_action(item: WorkItem) -> str:
    """The meeting page opened from the document, with the document on its agenda."""
    return f"{meeting_url(item.body)}?agenda={item.pk}"


# --- the viewer's step on every kind of document page ------------------------------------------------


@dataclass
class AtStep:
    """A document at a step: its page, who may act there and where, who sees the page but may not act."""

    url: str
    actor: object
    action: str
    bystander: object


def budget_at_audit(cast) -> AtStep:
    budget = submit_draft(make_budget(cast, year=2027), cast)
    item = to_audit_review(budget, cast)
    return AtStep(
        reverse("budget:detail", args=[budget.pk]),
        cast.audit_director,
        meeting_action(item),
        cast.audit_members[0],
    )


def plan_at_meeting(cast) -> AtStep:
    plan = plan_at_committee(cast)
    item = open_item(plan, "committee_meeting")
    return AtStep(
        reverse("plan:detail", args=[plan.pk]), cast.chair, meeting_action(item), cast.committee_members[0]
    )


def adjustment_at_audit(cast) -> AtStep:
    with travel(at(2026, 3, 1, 10, 0)):
        budget = drive_budget_in_force(cast, year=2026, carryover_is_estimate=False)
    with travel(at(2026, 6, 1, 9, 0)):
        adjustment = adjustment_submitted(cast, budget)
    item = open_item(adjustment, "audit_review")
    return AtStep(
        reverse("budget_adjustment:detail", args=[adjustment.pk]),
        cast.audit_director,
        meeting_action(item),
        cast.audit_members[0],
    )


def final_accounts_at_audit(cast) -> AtStep:
    with travel(at(2026, 3, 1, 10, 0)):
        drive_budget_in_force(cast, year=2026, carryover_is_estimate=False)
    fa = make_final_accounts(cast, year=2026)
    final_accounts_submit(actor=cast.office, final_accounts=fa)
    item = open_item(fa, "audit_review")
    return AtStep(
        reverse("final_accounts:detail", args=[fa.pk]),
        cast.audit_director,
        meeting_action(item),
        cast.audit_members[0],
    )


def summary_at_party(cast) -> AtStep:
    summary = make_summary(cast)
    summary_submit(actor=cast.office, summary=summary)
    item = open_item(summary, "party_approval")
    # the chair sees the union's documents but does not record for the Party organisation
    return AtStep(
        reverse("reports:summary_detail", args=[summary.pk]),
        cast.party_secretary,
        reverse("workflows:written_decision", args=[item.pk]),
        cast.chair,
    )


def work_report_at_congress(cast) -> AtStep:
    acknowledged_summary(cast)
    plan_before_congress(cast)
    report = make_work_report(cast)
    work_report_submit(actor=cast.office, report=report)
    item = open_item(report, "congress_ratification")
    return AtStep(
        reverse("reports:report_detail", args=[report.pk]),
        cast.congress_chair,
        meeting_action(item),
        cast.representatives[1],
    )


def finance_report_at_congress(cast) -> AtStep:
    with travel(at(2026, 3, 1, 10, 0)):
        drive_budget_in_force(cast, year=2026, carryover_is_estimate=False)
    final_accounts_audited(cast, make_final_accounts(cast, year=2026))
    budget_before_congress(cast, year=2027)
    report = make_finance_report(cast, year=2026)
    work_report_submit(actor=cast.office, report=report)
    item = open_item(report, "congress_ratification")
    return AtStep(
        reverse("reports:report_detail", args=[report.pk]),
        cast.congress_chair,
        meeting_action(item),
        cast.representatives[1],
    )


# The most queries each page may cost its viewer (session, user, union access, the document, its trail,
# who acts, the badge and bell): the step's actions are read from who acts' rows, adding none.
KINDS = {
    "budget": (budget_at_audit, 19),
    "plan": (plan_at_meeting, 21),
    "budget_adjustment": (adjustment_at_audit, 28),
    "final_accounts": (final_accounts_at_audit, 21),
    "year_end_summary": (summary_at_party, 24),
    "work_report": (work_report_at_congress, 28),
    "finance_report": (finance_report_at_congress, 28),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(KINDS))
def test_each_document_page_carries_the_viewers_step_and_no_one_elses(
    kind, cast, client, django_assert_max_num_queries
):
    setup, most_queries = KINDS[kind]
    at_step = setup(cast)
    # the one who acts sees the step, near the top, one tap from the page where it is taken
    client.force_login(at_step.actor)
    with django_assert_max_num_queries(most_queries):
        response = client.get(at_step.url)
    html = content(response)
    assert response.status_code == 200 and ACTIONS in html
    panel = html[html.index(ACTIONS) :]
    panel = panel[: panel.index("</section>")]
    assert f'href="{escape(at_step.action)}"' in panel, kind
    assert html.index(ACTIONS) < html.index('data-testid="history"')
    # a member who reads the document but may not take the step sees none
    assert ACTIONS not in page_of(client, at_step.bystander, at_step.url)
    # an outsider (another union's chair) gets nothing
    client.force_login(cast.outsider)
    assert client.get(at_step.url).status_code == 404


@pytest.mark.django_db
def test_an_opinion_recipient_answers_from_the_budget_page_and_the_drafter_sees_no_such_step(
    cast, submitted_budget, client
):
    budget = submitted_budget()
    item = WorkItem.objects.get(process=budget.process, assignee=cast.representatives[0], state="open")
    url = reverse("budget:detail", args=[budget.pk])
    html = page_of(client, cast.representatives[0], url)
    assert ACTIONS in html and f'href="{reverse("workflows:opinion_answer", args=[item.pk])}"' in html
    # the drafter waits: the page's own buttons are theirs, no step to take here
    assert ACTIONS not in page_of(client, cast.office, url)


@pytest.mark.django_db
def test_the_budget_page_costs_the_same_whatever_the_number_of_open_steps(cast, submitted_budget, client):
    client.force_login(cast.representatives[0])
    counts = []
    for year, recipients in ((2027, 1), (2028, 4)):
        people = [Recipient(p) for p in cast.representatives[:recipients]]
        budget = submitted_budget(recipients=people, year=year)
        client.get(reverse("budget:detail", args=[budget.pk]))  # the caches of the first request warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("budget:detail", args=[budget.pk]))
        assert content(response).count('data-testid="act"') == 1  # only the viewer's own request
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] <= 19, counts


@pytest.mark.django_db
def test_the_meeting_page_opened_from_a_document_has_it_on_the_agenda(cast, submitted_budget, client):
    item = to_audit_review(submitted_budget(), cast)
    html = page_of(client, cast.audit_director, meeting_action(item))
    assert f'name="agenda" value="{item.pk}" id="agenda-{item.pk}" checked' in html


# --- the inbox row opens the document --------------------------------------------------------------


@pytest.mark.django_db
def test_the_inbox_row_title_opens_the_document_and_the_action_stays_one_tap_away(
    cast, submitted_budget, client
):
    budget = submitted_budget()
    item = to_audit_review(budget, cast)
    html = page_of(client, cast.audit_director, inbox())
    row = html[html.index(f'data-testid="work-{item.pk}"') :]
    row = row[: row.index("</li>")]
    doc = reverse("budget:detail", args=[budget.pk])
    assert f'href="{doc}" data-testid="document-link"' in row
    assert f'href="{meeting_url(item.body)}" data-testid="row-action"' in row
    # a body's decision is not agreed in bulk: no box to tick, no bulk button
    assert 'name="item"' not in row and 'data-testid="bulk-agree"' not in html


# --- 批量同意 ------------------------------------------------------------------------------------------


@pytest.fixture
def chairs_personal_steps(cast, submitted_budget):
    """Two opinion requests to the chair (budgets 2027, 2028) and an added-signer step (budget 2029)."""
    first = submitted_budget(recipients=[Recipient(cast.chair)], year=2027)
    second = submitted_budget(recipients=[Recipient(cast.chair)], year=2028)
    asked = to_audit_review(submitted_budget(year=2029), cast)
    signer = signer_add(item=asked, user=cast.audit_director, signer=cast.chair, note="请主席把关")
    opinions = [
        WorkItem.objects.get(process=b.process, assignee=cast.chair, state="open") for b in (first, second)
    ]
    return opinions, signer, asked


@pytest.mark.django_db
def test_bulk_agree_answers_several_personal_steps_after_one_confirmation_and_reports_one_already_handled(
    cast, client, chairs_personal_steps
):
    (first, second), signer, asked = chairs_personal_steps
    # a representative's own opinion request, on the plan: not the chair's to answer
    foreign = open_item(
        submit_draft(make_plan(cast), cast, [Recipient(cast.representatives[0])]), "give_opinion"
    )
    html = page_of(client, cast.chair, inbox())
    for item in (first, second, signer):
        assert f'name="item" value="{item.pk}" form="bulk-agree"' in html
    assert 'id="bulk-agree"' in html and 'data-testid="bulk-agree"' in html
    ticked = {"item": [str(first.pk), str(second.pk), str(signer.pk), str(foreign.pk)]}
    bulk = reverse("workflows:bulk_agree")

    # when: posted without the confirmation, the page lists the three and nothing is answered
    question = client.post(bulk, ticked)
    assert question.status_code == 200 and 'data-testid="confirm-page"' in content(question)
    for item in (first, second, signer):
        assert escape(item.document_title) in content(question)
        assert f'name="item" value="{item.pk}"' in content(question)
    assert not OpinionRequest.objects.filter(
        work_item__in=[first, second, foreign], answered_at__isnull=False
    )
    assert WorkItem.objects.get(pk=signer.pk).state == WorkItemState.OPEN

    # meanwhile the chair answers the first request in another tab
    opinion_answer(work_item=first, actor=cast.chair, answer=OpinionAnswer.OPINION, text="建议压缩会议费")

    # then: confirmed, the others are answered and the inbox says which one was already handled
    response = client.post(bulk, {**ticked, "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == inbox()
    told = [(m.level, m.message) for m in get_messages(response.wsgi_request)]
    assert [level for level, _text in told] == [message_levels.SUCCESS, message_levels.WARNING]
    assert "2" in told[0][1] and second.document_title in told[0][1]
    assert first.document_title in told[1][1]
    second_request = OpinionRequest.objects.get(work_item=second)
    assert second_request.answer == OpinionAnswer.NO_OPINION and second_request.text == ""
    first_request = OpinionRequest.objects.get(work_item=first)
    assert first_request.answer == OpinionAnswer.OPINION and first_request.text == "建议压缩会议费"
    signer.refresh_from_db()
    asked.refresh_from_db()
    assert signer.state == WorkItemState.DONE and signer.outcome == "agree"
    assert asked.state == WorkItemState.OPEN and asked.comments.get().author == cast.chair
    # another person's request was named by a forged id: untouched
    assert WorkItem.objects.get(pk=foreign.pk).state == WorkItemState.OPEN
    # the inbox no longer lists what was answered
    after = page_of(client, cast.chair, inbox())
    for item in (first, second, signer):
        assert f'data-testid="work-{item.pk}"' not in after


@pytest.mark.django_db
def test_bulk_agree_with_nothing_of_mine_ticked_says_so_and_changes_nothing(cast, client, submitted_budget):
    budget = submitted_budget()
    item = to_audit_review(budget, cast)  # a body's step, not agreed in bulk
    client.force_login(cast.audit_director)
    response = client.post(reverse("workflows:bulk_agree"), {"item": [str(item.pk), "x"], "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == inbox()
    (message,) = list(get_messages(response.wsgi_request))
    assert escape(message.message) == shown(errors.BULK_NOTHING_TICKED)
    item.refresh_from_db()
    assert item.state == WorkItemState.OPEN
    client.force_login(cast.outsider)
    assert client.get(reverse("workflows:bulk_agree")).status_code == 405


# --- dangerous actions ask first -------------------------------------------------------------------


@pytest.mark.django_db
def test_ending_a_term_asks_first_then_ends_it(cast, client):
    seat = Seat.objects.get(person=cast.committee_members[0], body__kind="union_committee")
    url = reverse("seat_end", args=[seat.pk])
    end = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    client.force_login(cast.office)
    question = client.post(url, {"end_date": end})
    html = content(question)
    assert question.status_code == 200 and 'data-testid="confirm-page"' in html
    assert escape(str(cast.committee_members[0])) in html and f'name="end_date" value="{end}"' in html
    seat.refresh_from_db()
    assert seat.end_date is None
    response = client.post(url, {"end_date": end, "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "union_detail", args=[cast.union.pk]
    )
    seat.refresh_from_db()
    assert seat.end_date.isoformat() == end
    # whoever may not manage seats is refused without a question
    client.force_login(cast.committee_members[1])
    assert client.post(url, {"end_date": end}).status_code == 403
    assert 'data-confirm="' in page_of(client, cast.office, reverse("union_detail", args=[cast.union.pk]))


@pytest.mark.django_db
def test_withdrawing_asks_first_then_withdraws_and_lands_on_the_document(cast, submitted_budget, client):
    budget = submitted_budget()
    url = reverse("budget:withdraw", args=[budget.pk])
    doc = reverse("budget:detail", args=[budget.pk])
    client.force_login(cast.chair)  # not the drafter: refused, no question
    assert client.post(url).status_code == 403
    client.force_login(cast.office)
    question = client.post(url, {"reason": "重新测算"})
    assert question.status_code == 200 and 'data-testid="confirm-page"' in content(question)
    assert 'name="reason" value="重新测算"' in content(question) and f'href="{doc}"' in content(question)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.SOLICITING
    response = client.post(url, {"reason": "重新测算", "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == doc
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.WITHDRAWN


@pytest.fixture
def report_to_submit_upward(cast):
    acknowledged_summary(cast)
    plan_before_congress(cast)
    report = make_work_report(cast)
    work_report_submit(actor=cast.office, report=report)
    congress_decides(cast, [open_item(report, "congress_ratification")])
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTING
    return report


@pytest.mark.django_db
def test_submitting_upward_asks_first_naming_the_receiver_then_submits(
    cast, tree, client, report_to_submit_upward
):
    report = report_to_submit_upward
    url = reverse("reports:report_submit_upward", args=[report.pk])
    doc = reverse("reports:report_detail", args=[report.pk])
    client.force_login(cast.office)
    question = client.post(url)
    assert question.status_code == 200 and 'data-testid="confirm-page"' in content(question)
    assert escape(tree["dept_a"].name) in content(question)
    assert not Submission.objects.exists()
    client.force_login(cast.chair)  # not the drafter
    assert client.post(url, {"confirm": "yes"}).status_code == 403
    client.force_login(cast.office)
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == doc
    assert Submission.objects.get().to_union == tree["dept_a"]


@pytest.mark.django_db
def test_a_meeting_below_quorum_asks_first_keeping_what_was_typed_then_records(
    cast, submitted_budget, client
):
    budget = submitted_budget()
    item = to_audit_review(budget, cast)
    url = meeting_url(item.body)
    data = meeting_data(attendees=[cast.audit_director], rows=[(item.pk, Resolution.APPROVE, 1, 0, 0, "")])
    client.force_login(cast.audit_director)
    question = client.post(url, data)
    html = content(question)
    assert question.status_code == 200 and 'data-testid="short-of-quorum"' in html
    assert 'name="confirm" value="yes"' in html and 'value="三楼会议室"' in html
    assert not Meeting.objects.exists()
    # with a quorum nobody is asked (see test_decision_pages); confirmed, it is recorded and decides nothing
    response = client.post(url, {**data, "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == reverse("budget:detail", args=[budget.pk])
    assert not Meeting.objects.get().has_quorum
    item.refresh_from_db()
    assert item.state == WorkItemState.OPEN


# --- after an action: the document ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_written_decision_lands_on_the_document(cast, client):
    summary = make_summary(cast)
    summary_submit(actor=cast.office, summary=summary)
    item = open_item(summary, "party_approval")
    client.force_login(cast.party_secretary)
    response = client.post(
        reverse("workflows:written_decision", args=[item.pk]),
        {
            "resolution": Resolution.APPROVE,
            "reference_number": "机党〔2027〕1号",
            "decided_on": timezone.localdate().isoformat(),
            "opinions": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:summary_detail", args=[summary.pk])


@pytest.mark.django_db
def test_a_meeting_deciding_two_documents_lands_in_the_inbox(cast, submitted_budget, client):
    items = [to_audit_review(submitted_budget(year=year), cast) for year in (2027, 2028)]
    client.force_login(cast.audit_director)
    response = client.post(
        meeting_url(items[0].body),
        meeting_data(
            attendees=cast.audit_committee,
            rows=[(item.pk, Resolution.APPROVE, 3, 0, 0, "") for item in items],
        ),
    )
    assert response.status_code == 302 and response["Location"] == inbox()


@pytest.mark.django_db
def test_a_plan_opinion_given_from_its_page_lands_on_the_plan(cast, client):
    plan = submit_draft(make_plan(cast), cast, [Recipient(cast.representatives[0])])
    item = open_item(plan, "give_opinion")
    client.force_login(cast.representatives[0])
    response = client.post(
        reverse("workflows:opinion_answer", args=[item.pk]), {"answer": OpinionAnswer.NO_OPINION, "text": ""}
    )
    assert response.status_code == 302 and response["Location"] == reverse("plan:detail", args=[plan.pk])
