"""The document trail (workflows.trail) on every document page: what it shows, and the page's queries.

Each page is counted twice from the same viewer (the drafter), once on a document that has just reached
a step and once on a document at the same kind of step after a longer route (more opinions, meetings,
returns and revisions, comments with files, people copied, attachments): the two counts are the same,
so a page's queries do not grow with its trail."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_budget, make_execution_review, make_final_accounts, make_summary
from tests.scenarios import (
    adjustment_submitted,
    at,
    audit_meeting,
    budget_in_force,
    committee_meeting,
    consolidate,
    drive,
    open_items,
    party_reply,
    plan_at_committee,
    plan_in_force,
    submit_draft,
    travel,
)
from workflows.budget.services import Recipient, budget_submit
from workflows.execution.services import review_save_actuals
from workflows.models import DocumentType, Resolution
from workflows.reports.services import summary_submit, work_report_create, work_report_submit
from workflows.services.actions import comment_add, copy_to_add
from workflows.trail import document_trail, last_return


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def page_queries(client, url: str) -> tuple[int, str]:
    client.get(url)  # the first page after logging in also saves the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries), response.content.decode()


def banner(page: str) -> str:
    """The returned document's banner on its page ("" when there is none)."""
    start = page.find('data-testid="returned"')
    return page[start : page.find("</div>\n</div>", start)] if start >= 0 else ""


def lengthen(document, document_type: str, cast, *, comments: int = 3) -> None:
    """More entries of every sort the trail reads: comments with files on steps, people copied."""
    steps = document_trail(document=document, document_type=document_type).steps
    for n in range(comments):
        comment_add(
            document=document,
            document_type=document_type,
            author=cast.office,
            text=f"第{n + 1}条说明",
            work_item=list(steps.values())[n % len(steps)],
            files=[pdf(f"说明{n + 1}.pdf"), pdf(f"附表{n + 1}.pdf")],
        )
    copy_to_add(
        document=document,
        document_type=document_type,
        user=cast.office,
        people=[cast.chair, *cast.committee_members],
    )


@pytest.mark.django_db
def test_trail_reads_a_long_route_in_six_queries_with_every_file_in_its_place(cast, client):
    budget = budget_in_force(cast, year=2026)
    lengthen(budget, DocumentType.BUDGET, cast)
    with CaptureQueriesContext(connection) as queries:
        trail = document_trail(document=budget, document_type=DocumentType.BUDGET)
        assert [o.recipient for o in trail.opinions] == [cast.representatives[0]]
        assert [m.record.meeting.body.kind for m in trail.meetings] == ["audit_committee", "congress"]
        assert [w.record.reference_number for w in trail.written] == ["机党〔2026〕12号"]
        assert [[f.name for f in c.files] for c in trail.comments] == [
            [f"说明{n}.pdf", f"附表{n}.pdf"] for n in (1, 2, 3)
        ]
        assert all(c.record.work_item.step_title for c in trail.comments)
        assert {c.person for c in trail.copies} == {cast.chair, *cast.committee_members}
        # a comment's files are the document's files too (the budget page lists them)
        assert len(trail.attachments) == 6 and trail.events[0].verb == "budget_created"
        assert not trail.open_items and "congress_ratification" in trail.done_steps
    assert len(queries) == 6


@pytest.mark.django_db
def test_budget_page_queries_are_the_same_for_a_fresh_budget_and_one_in_force(cast, client):
    fresh = submit_draft(make_budget(cast), cast, [Recipient(cast.group_leader, cast.group)])
    done = budget_in_force(cast, year=2026)
    lengthen(done, DocumentType.BUDGET, cast)
    client.force_login(cast.office)
    client.post(reverse("budget:attach", args=[done.pk]), {"file": pdf("预算说明.pdf"), "note": "说明"})

    fresh_count, _page = page_queries(client, reverse("budget:detail", args=[fresh.pk]))
    done_count, page = page_queries(client, reverse("budget:detail", args=[done.pk]))

    assert fresh_count == done_count <= 14  # + the printed outputs (公文与表单), one query
    assert 'data-testid="decisions"' in page and "机党〔2026〕12号" in page and "预算说明.pdf" in page
    assert page.count('data-testid="current-step"') == 0 and "附表3.pdf" in page


@pytest.mark.django_db
def test_plan_page_queries_do_not_grow_after_a_return_and_a_second_round(cast, client):
    fresh = plan_at_committee(cast, year=2027)
    returned = plan_at_committee(cast, year=2028)
    committee_meeting(returned, cast, Resolution.RETURN, opinions="请细化文体活动安排")
    consolidate(returned, cast)  # the drafter revises and sends it back to the committee
    lengthen(returned, DocumentType.ANNUAL_PLAN, cast)
    client.force_login(cast.office)

    fresh_count, _page = page_queries(client, reverse("plan:detail", args=[fresh.pk]))
    returned_count, page = page_queries(client, reverse("plan:detail", args=[returned.pk]))

    assert fresh_count == returned_count <= 17  # + the printed outputs
    assert "请细化文体活动安排" in page and 'data-testid="opinions"' in page


@pytest.mark.django_db
def test_plan_in_force_page_is_bounded(cast, client):
    plan = plan_in_force(cast)
    lengthen(plan, DocumentType.ANNUAL_PLAN, cast)
    client.force_login(cast.office)
    count, page = page_queries(client, reverse("plan:detail", args=[plan.pk]))
    # the trail, the versions, the areas and their tasks, the progress and the reviews
    assert count <= 19 and 'data-testid="execution"' in page  # + the printed outputs


@pytest.mark.django_db
def test_summary_page_queries_do_not_grow_after_a_return(cast, client):
    fresh = make_summary(cast, year=2026)
    summary_submit(actor=cast.office, summary=fresh)
    returned = make_summary(cast, year=2025)
    summary_submit(actor=cast.office, summary=returned)
    party_reply(
        returned, cast, Resolution.RETURN, opinions="请补充职工之家建设情况", number="机党〔2026〕3号"
    )
    summary_submit(actor=cast.office, summary=returned)
    lengthen(returned, DocumentType.YEAR_END_SUMMARY, cast)
    client.force_login(cast.office)

    fresh_count, _page = page_queries(client, reverse("reports:summary_detail", args=[fresh.pk]))
    returned_count, page = page_queries(client, reverse("reports:summary_detail", args=[returned.pk]))

    assert fresh_count == returned_count <= 15  # + the printed outputs
    assert "机党〔2026〕3号" in page and "请补充职工之家建设情况" in page


@pytest.mark.django_db
def test_final_accounts_page_queries_do_not_grow_after_a_return(cast, client):
    budget_in_force(cast, year=2025)
    budget_in_force(cast, year=2026)
    fresh = make_final_accounts(cast, year=2026)
    consolidate(fresh, cast)
    returned = make_final_accounts(cast, year=2025)
    consolidate(returned, cast)
    audit_meeting(returned, cast, Resolution.RETURN, opinions="请核对文体活动支出")
    consolidate(returned, cast)
    lengthen(returned, DocumentType.FINAL_ACCOUNTS, cast)
    client.force_login(cast.office)

    fresh_count, _page = page_queries(client, reverse("final_accounts:detail", args=[fresh.pk]))
    returned_count, page = page_queries(client, reverse("final_accounts:detail", args=[returned.pk]))

    assert fresh_count == returned_count <= 18  # + what the expenditure ledger paid; + the printed outputs
    assert "请核对文体活动支出" in page and 'data-testid="audit-report-missing"' in page


@pytest.mark.django_db
def test_adjustment_page_queries_do_not_grow_after_a_return(cast, client):
    with travel(at(2026, 3, 1, 10, 0)):
        budget = budget_in_force(cast, year=2026)
    with travel(at(2026, 6, 1, 9, 0)):
        fresh = adjustment_submitted(cast, budget)
        audit_meeting(fresh, cast, Resolution.RETURN, opinions="请说明资金来源")
        consolidate(fresh, cast)
        lengthen(fresh, DocumentType.BUDGET_ADJUSTMENT, cast)
        client.force_login(cast.office)
        url = reverse("budget_adjustment:detail", args=[fresh.pk])
        returned_count, page = page_queries(client, url)
        # the same page with one more round of comments and copies
        lengthen(fresh, DocumentType.BUDGET_ADJUSTMENT, cast, comments=5)
        longer_count, _page = page_queries(client, url)

    assert returned_count == longer_count <= 24  # + the printed outputs
    assert "请说明资金来源" in page


@pytest.mark.django_db
def test_report_page_shows_the_trail_with_its_meeting_and_files(cast, client):
    plan = plan_at_committee(cast, year=2027)
    drive(plan, cast, until="congress_ratification")
    summary = make_summary(cast, year=2026)
    summary_submit(actor=cast.office, summary=summary)
    party_reply(summary, cast, number="机党〔2027〕1号")
    report = work_report_create(actor=cast.office, union=cast.union, year=2026)
    work_report_submit(actor=cast.office, report=report)
    client.force_login(cast.office)
    url = reverse("reports:report_detail", args=[report.pk])
    short_count, _page = page_queries(client, url)
    lengthen(report, DocumentType.WORK_REPORT, cast, comments=4)
    long_count, page = page_queries(client, url)

    assert short_count == long_count <= 20  # + the printed outputs, + whether the viewer may sign and issue
    assert 'data-testid="bound"' in page and "附表4.pdf" in page


@pytest.mark.django_db
def test_execution_page_shows_its_history_without_a_route(cast, client):
    budget = budget_in_force(cast, year=2026)
    with travel(at(2026, 7, 10, 9, 0)):
        review = make_execution_review(cast, budget)
        client.force_login(cast.office)
        url = reverse("execution:detail", args=[review.pk])
        short_count, _page = page_queries(client, url)
        for _n in range(3):
            review_save_actuals(actor=cast.office, review=review, actuals={"401": D("60000.00")})
        long_count, page = page_queries(client, url)

    assert short_count == long_count <= 10  # + what the expenditure ledger paid, one query
    assert 'data-testid="history"' in page and 'id="comments"' not in page


def test_a_returned_budget_shows_who_returned_it_and_why_until_it_is_resubmitted(cast, client):
    budget = submit_draft(make_budget(cast), cast, [Recipient(cast.group_leader, cast.group)])
    drive(budget, cast, until="party_approval")
    party_reply(budget, cast, resolution=Resolution.RETURN, opinions="请压缩会议费，增加职工书屋经费。")
    client.force_login(cast.office)
    url = reverse("budget:detail", args=[budget.pk])
    count, page = page_queries(client, url)
    assert count <= 14  # the banner reads the trail the page has already read
    assert "请压缩会议费，增加职工书屋经费。" in banner(page)
    assert cast.body("party_organization").display_name in banner(page)  # who returned it
    # the diagram marks the step that returned it and where the revision goes on (the same step here)
    assert page.count('data-testid="returned-step"') == 1 and page.count('data-testid="restart-step"') == 1
    # so does the edit page where the drafter revises it
    edit = client.get(reverse("budget:edit", args=[budget.pk])).content.decode()
    assert "请压缩会议费，增加职工书屋经费。" in banner(edit)
    # the drafter's inbox row says why it came back
    todo = client.get(reverse("workflows:my_work")).content.decode()
    assert 'data-testid="return-opinion"' in todo and "请压缩会议费，增加职工书屋经费。" in todo
    returned = document_trail(document=budget, document_type=DocumentType.BUDGET).last_return
    assert returned.opinions == "请压缩会议费，增加职工书屋经费。" and returned.item.step == "party_approval"
    # resubmitted: the revision goes back to the Party organisation, and the banner is gone
    budget_submit(actor=cast.office, budget=budget)
    assert open_items(budget)[0].step == "party_approval"
    page = client.get(url).content.decode()
    assert banner(page) == "" and 'data-testid="returned-step"' not in page


def test_a_meeting_that_returns_a_plan_gives_its_opinion_to_the_drafters_revise_step(cast):
    plan = plan_at_committee(cast)
    committee_meeting(plan, cast, resolution=Resolution.RETURN, opinions="第三方面缺少时间表。")
    (revise,) = open_items(plan)
    assert revise.step == "revise" and revise.note == "第三方面缺少时间表。"
    returned = document_trail(document=plan, document_type=DocumentType.ANNUAL_PLAN).last_return
    assert returned.by == cast.body("union_committee").display_name
    assert returned.opinions == "第三方面缺少时间表。"
    assert last_return(document=plan) == returned  # what the edit pages read, in two queries
