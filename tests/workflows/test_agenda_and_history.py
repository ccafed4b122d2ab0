"""Issue 25: one congress agenda row per decision (S2.3, S3.5), a history in plain words, the notice and the
refusal a body's member is given, supervisory comments (督导意见). Django client, real PostgreSQL."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.models import Role
from tests.factories import make_budget, make_final_accounts, make_finance_report, seated
from tests.pages import badge, content, inbox, meeting_data, meeting_url, shown, todo_ids
from tests.scenarios import (
    budget_before_congress,
    budget_in_force,
    drive,
    final_accounts_audited,
    open_item,
    submit_draft,
)
from workflows import errors
from workflows.budget.models import BudgetStatus
from workflows.final_accounts.models import FinalAccountsStatus
from workflows.models import Comment, Resolution, WorkItemState
from workflows.reports.models import ReportStatus
from workflows.reports.services import work_report_submit
from workflows.selectors import todo_count
from workflows.services.actions import comment_add, work_item_claim
from workflows.services.decisions import written_decision_record

CONGRESS = "congress_ratification"


@pytest.fixture
def before_congress(cast):
    """a1's audited 2026 final accounts and its 2027 budget bound into the 2026 report on budget and
    final accounts, which is before the congress (S3.5)."""
    budget_in_force(cast, year=2026)
    fa = final_accounts_audited(cast, make_final_accounts(cast, year=2026))
    budget = budget_before_congress(cast, year=2027)
    report = make_finance_report(cast, year=2026)
    work_report_submit(actor=cast.office, report=report)
    report.refresh_from_db()
    return fa, budget, report


def _history(page: str) -> list[str]:
    """The history's rows as read: time, then the words (tags and extra spaces dropped)."""
    section = page.split('data-testid="history"')[1].split("</ol>")[0]
    rows = re.findall(r'<li[^>]*data-testid="history-row">(.*?)</li>', section, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", row)).strip() for row in rows]


# --- the congress agenda: one row per decision ------------------------------------------------------


@pytest.mark.django_db
def test_s3_5_congress_agenda_lists_the_finance_report_with_its_bound_documents_under_it(
    cast, before_congress, client
):
    fa, budget, report = before_congress
    report_item, fa_item, budget_item = (open_item(d, CONGRESS) for d in (report, fa, budget))
    client.force_login(cast.congress_chair)
    page = content(client.get(meeting_url(cast.body("congress"))))
    # one agenda row, the report's; the final accounts and the budget are listed under it
    assert re.findall(r'data-testid="agenda-(\d+)"', page) == [str(report_item.pk)]
    under = page.split(f'data-testid="bound-{report_item.pk}"')[1].split("</ul>")[0]
    assert f'data-testid="bound-item-{fa_item.pk}"' in under and fa.title in under
    assert f'data-testid="bound-item-{budget_item.pk}"' in under and budget.title in under
    assert f'name="agenda" value="{fa_item.pk}"' not in page
    assert f'name="agenda" value="{budget_item.pk}"' not in page

    # recording the report's row decides all three (S3.5)
    data = meeting_data(attendees=cast.congress, rows=[(report_item.pk, Resolution.APPROVE, 6, 0, 0, "")])
    assert client.post(meeting_url(cast.body("congress")), data).status_code == 302
    for document in (fa, budget, report):
        document.refresh_from_db()
    assert fa.status == FinalAccountsStatus.IN_FORCE
    assert budget.status == BudgetStatus.IN_FORCE
    assert report.status == ReportStatus.SUBMITTING
    for item in (report_item, fa_item, budget_item):
        item.refresh_from_db()
        assert item.state == WorkItemState.DONE


@pytest.mark.django_db
def test_the_meeting_page_is_refused_to_an_outsider(cast, before_congress, client):
    client.force_login(cast.outsider)
    assert client.get(meeting_url(cast.body("congress"))).status_code == 404


@pytest.mark.django_db
def test_s3_5_congress_recorders_todo_lists_the_report_not_the_documents_it_binds(
    cast, before_congress, client, django_assert_max_num_queries
):
    fa, budget, report = before_congress
    client.force_login(cast.congress_chair)
    client.get(inbox())  # the first request stamps the session
    with django_assert_max_num_queries(6):
        response = client.get(inbox())
    assert todo_ids(response) == [open_item(report, CONGRESS).pk]
    assert badge(response) == 1 == todo_count(user=cast.congress_chair)
    # the outsider's list has none of it
    client.force_login(cast.outsider)
    assert todo_ids(client.get(inbox())) == []


@pytest.mark.django_db
def test_a_budget_before_the_congress_without_a_report_is_a_task_of_its_own(cast, client):
    budget = budget_before_congress(cast, year=2027)
    client.force_login(cast.congress_chair)
    assert todo_ids(client.get(inbox())) == [open_item(budget, CONGRESS).pk]


@pytest.mark.django_db
def test_s3_5_a_bound_document_on_the_agenda_is_refused_naming_the_finance_report(
    cast, before_congress, client
):
    fa, budget, report = before_congress
    report_item, fa_item = open_item(report, CONGRESS), open_item(fa, CONGRESS)
    client.force_login(cast.congress_chair)
    url = meeting_url(cast.body("congress"))
    # a forged agenda with the report and the final accounts it binds
    rows = [(report_item.pk, Resolution.APPROVE, 6, 0, 0, ""), (fa_item.pk, Resolution.APPROVE, 6, 0, 0, "")]
    page = content(client.post(url, meeting_data(attendees=cast.congress, rows=rows)))
    assert shown(errors.REPORT_BOUND_ON_AGENDA, document=fa.title, report=report.title) in page
    assert "工作报告" not in page.split('data-testid="problems"')[1].split("</div></div>")[0]
    # the budget alone, without its report
    budget_item = open_item(budget, CONGRESS)
    rows = [(budget_item.pk, Resolution.APPROVE, 6, 0, 0, "")]
    response = client.post(url, meeting_data(attendees=cast.congress, rows=rows))
    assert response.status_code == 400
    refusal = shown(errors.DECIDED_THROUGH_REPORT, document=budget.title, report=report.title)
    assert refusal in content(response)
    for item in (report_item, fa_item, budget_item):
        item.refresh_from_db()
        assert item.state == WorkItemState.OPEN


# --- the history in plain words ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_history_reads_in_plain_words_with_names(cast, before_congress, client):
    fa, budget, report = before_congress
    cast.office.full_name, cast.congress_chair.full_name = "李晓梅", "钟红艳"
    cast.office.save(update_fields=["full_name"])
    cast.congress_chair.save(update_fields=["full_name"])
    data = meeting_data(
        attendees=cast.congress, rows=[(open_item(report, CONGRESS).pk, Resolution.APPROVE, 6, 0, 0, "")]
    )
    client.force_login(cast.congress_chair)
    client.post(meeting_url(cast.body("congress")), data)
    congress = cast.body("congress").display_name

    client.force_login(cast.office)
    rows = _history(content(client.get(reverse("reports:report_detail", args=[report.pk]))))
    words = [row.split(" ", 2)[2] for row in rows]  # without the date and the time
    assert words == [
        "李晓梅 创建了经费收支预算决算情况报告",
        "李晓梅 提交了经费收支预算决算情况报告",
        "状态变更为：会员（代表）大会审议中",
        f"钟红艳 代表{congress}记录：同意",
        "状态变更为：待报送上一级工会",
    ]
    # the final accounts, decided through the report, read the same way
    rows = _history(content(client.get(reverse("final_accounts:detail", args=[fa.pk]))))
    assert rows[0].endswith("李晓梅 创建了决算")
    assert rows[-2].endswith(f"钟红艳 代表{congress}记录：同意")
    assert rows[-1].endswith("大会已批准")
    budget_rows = _history(content(client.get(reverse("budget:detail", args=[budget.pk]))))
    party = cast.body("party_organization").display_name
    assert any(row.endswith(f"代表{party}记录：同意") for row in budget_rows)
    for page_rows in (rows, budget_rows):
        for row in page_rows:
            assert not re.search(r"[a-z]+_[a-z]+|a1-", row), row  # no verb code, no username


# --- the notice and the refusal a body's member is given ----------------------------------------------


@pytest.fixture
def budget_at_party(cast):
    """a1's 2027 budget before the Party organisation (after the fund audit committee)."""
    budget = submit_draft(make_budget(cast, year=2027), cast)
    return drive(budget, cast, until="party_approval")


@pytest.fixture
def party_member(cast):
    """A member of a1's Party organisation who is not its secretary: no recorder."""
    return seated(cast.union, Role.MEMBER, "party_organization", username="a1-party-member")


@pytest.mark.django_db
def test_the_party_secretary_is_told_their_body_decides_not_that_they_may_only_look(
    cast, budget_at_party, party_member, client
):
    url = reverse("budget:detail", args=[budget_at_party.pk])
    party = cast.body("party_organization").display_name
    read_only = shown(gettext_lazy("This budget was put before you: you see it read-only."))
    client.force_login(cast.party_secretary)
    page = content(client.get(url))
    assert "只能查看" not in page and read_only not in page
    decides = gettext_lazy("The %(body)s must decide this step, and you record its decision.")
    assert shown(decides, body=party) in page
    # a member who does not record is told who does
    client.force_login(party_member)
    page = content(client.get(url))
    assert "只能查看" not in page and read_only not in page and 'data-testid="body-step"' in page
    assert "书记" in page.split('data-testid="body-step"')[1].split("</div>")[0]
    # once the Party organisation has decided, the step is the congress's: the secretary only looks on
    written_decision_record(
        work_item=open_item(budget_at_party, "party_approval"),
        recorder=cast.party_secretary,
        resolution=Resolution.APPROVE,
        reference_number="机党〔2026〕12号",
        decided_on=timezone.localdate(),
    )
    client.force_login(cast.party_secretary)
    page = content(client.get(url))
    assert read_only in page and 'data-testid="body-step"' not in page
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_party_member_who_does_not_record_is_refused_with_who_records(
    cast, budget_at_party, party_member, client
):
    item = open_item(budget_at_party, "party_approval")
    party = cast.body("party_organization").display_name
    expected = str(errors.NOT_A_RECORDER % {"body": party})
    client.force_login(party_member)
    response = client.get(reverse("workflows:written_decision", args=[item.pk]))
    assert response.status_code == 403
    assert shown(errors.NOT_A_RECORDER, body=party) in content(response)
    with pytest.raises(PermissionDenied) as refused:
        written_decision_record(
            work_item=item,
            recorder=party_member,
            resolution=Resolution.APPROVE,
            reference_number="机党〔2026〕13号",
            decided_on=timezone.localdate(),
        )
    assert str(refused.value) == expected
    with pytest.raises(PermissionDenied) as refused:
        work_item_claim(item=item, user=party_member)
    assert str(refused.value) == expected
    item.refresh_from_db()
    assert item.state == WorkItemState.OPEN and item.assignee_id is None
    # someone with no seat in the body is still told the task is not theirs
    client.force_login(cast.outsider)
    assert client.get(reverse("workflows:written_decision", args=[item.pk])).status_code == 404


# --- supervisory comments -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_supervisors_comment_is_marked_as_a_supervisory_comment(cast, tree, supervisor_of, client):
    budget = submit_draft(make_budget(cast, year=2027), cast)
    supervisor = supervisor_of(tree["dept_a"])
    url = reverse("budget:detail", args=[budget.pk])
    comment_add(document=budget, document_type="budget", author=cast.office, text="已按意见修改")
    mine, _ = comment_add(document=budget, document_type="budget", author=supervisor, text="请核实会议费")
    assert mine.as_supervisor and not Comment.objects.get(text="已按意见修改").as_supervisor
    client.force_login(cast.chair)
    client.get(url)  # the first request stamps the session

    def shown_comments() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            page = content(client.get(url))
        return page.split('data-testid="comments"')[1].split("</ol>")[0], len(queries)

    comments, one = shown_comments()
    marked = comments.split(f'id="comment-{mine.pk}"')[1]
    assert 'data-testid="supervisory"' in marked and shown(gettext_lazy("supervisory comment")) in marked
    assert comments.count('data-testid="supervisory"') == 1
    # set-based: two more supervisory comments cost no query
    for text in ("会议费偏高", "请补充说明"):
        comment_add(document=budget, document_type="budget", author=supervisor, text=text)
    comments, three = shown_comments()
    assert comments.count('data-testid="supervisory"') == 3 and three == one
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
