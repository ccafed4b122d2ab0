"""Outcome notices and signing for a report (issue 24): the drafter and the union chair hear when a
body approves or returns their document, when it is in force, and when the upper union signs for it
or returns it; the upper union's supervisors find a 待签收 item in their to-do list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Delivery, Notification
from tests.pages import content
from tests.scenarios import audit_meeting, congress_meeting, drive, party_reply
from tests.workflows.test_report_pages import submitted_upward
from workflows.models import Resolution, WorkItem, WorkItemState
from workflows.reports.services import submission_acknowledge, submission_return
from workflows.services.outcomes import Outcome, outcome_notify
from workflows.steps import SIGN_FOR_STEP


def notices(person, key_prefix: str = "outcome:"):
    return list(Notification.objects.filter(recipient=person, dedupe_key__startswith=key_prefix))


@pytest.mark.django_db
def test_the_drafter_and_the_chair_hear_that_a_body_approved_their_document(cast, submitted_budget):
    budget = submitted_budget(year=2027)
    drive(budget, cast, until="audit_review")
    audit_meeting(budget, cast)
    for person in (cast.office, cast.chair):
        (notice,) = notices(person)
        assert budget.title in notice.title and "经费审查委员会" in notice.title
        assert notice.url == reverse("budget:detail", args=[budget.pk])
    assert notices(cast.audit_director) == []  # who decided is not told
    assert notices(cast.outsider) == []


@pytest.mark.django_db
def test_a_return_is_told_with_its_opinion(cast, submitted_budget):
    budget = submitted_budget(year=2027)
    drive(budget, cast, until="party_approval")
    party_reply(budget, cast, resolution=Resolution.RETURN, opinions="请压缩会议费")
    (notice,) = [n for n in notices(cast.office) if "退回" in n.title]
    assert notice.body == "请压缩会议费"


@pytest.mark.django_db
def test_putting_a_document_in_force_is_told_once_and_by_email_to_who_chose_it(cast, submitted_budget):
    cast.office.email = "office@example.org"
    cast.office.save(update_fields=["email"])
    budget = submitted_budget(year=2027)
    drive(budget, cast, until="congress_ratification")
    congress_meeting(budget, cast)
    in_force = [n for n in notices(cast.office) if "已生效" in n.title]
    assert len(in_force) == 1
    assert Delivery.objects.filter(notification=in_force[0], target="office@example.org").exists()
    # a repeat of the same occasion tells nobody again
    assert (
        outcome_notify(
            document=budget,
            document_type="budget",
            outcome=Outcome.IN_FORCE,
            occasion=f"in-force:{budget.process_id}",
        )
        == []
    )


@pytest.mark.django_db
def test_a_submitted_report_waits_in_the_supervisors_to_do_list_until_one_signs_for_it(
    cast, tree, supervisor_of, login
):
    first, second = supervisor_of(tree["dept_a"]), supervisor_of(tree["dept_a"])
    report, submission = submitted_upward(cast)
    items = WorkItem.objects.filter(step=SIGN_FOR_STEP, state=WorkItemState.OPEN)
    assert sorted(items.values_list("assignee_id", flat=True)) == sorted([first.pk, second.pk])
    # the inbox row opens the received-reports page, where the report is signed for
    page = content(login(first).get(reverse("workflows:my_work")))
    assert report.title in page
    assert reverse("reports:received", args=[tree["dept_a"].pk]) in page
    assert report.title not in content(login(cast.outsider).get(reverse("workflows:my_work")))

    submission_acknowledge(user=first, submission=submission)
    assert items.count() == 0
    assert WorkItem.objects.get(assignee=first, step=SIGN_FOR_STEP).state == WorkItemState.DONE
    assert WorkItem.objects.get(assignee=second, step=SIGN_FOR_STEP).state == WorkItemState.CANCELED
    (notice,) = notices(cast.office, "outcome:receipt:")
    assert "签收" in notice.title


@pytest.mark.django_db
def test_a_report_returned_by_the_upper_union_is_told_with_the_opinion(cast, tree, supervisor_of):
    supervisor = supervisor_of(tree["dept_a"])
    report, submission = submitted_upward(cast)
    submission_return(user=supervisor, submission=submission, opinions="请补充会员满意度数据")
    (notice,) = notices(cast.office, "outcome:receipt:")
    assert "退回" in notice.title and notice.body == "请补充会员满意度数据"
    assert not WorkItem.objects.filter(step=SIGN_FOR_STEP, state=WorkItemState.OPEN).exists()
