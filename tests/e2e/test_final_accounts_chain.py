"""Playwright: S3.5 from the draft to the submission upward, switching users in the browser: the drafter
starts the 2026 final accounts and enters the actual amounts, the fund audit committee's director
attaches the audit report and records the committee's meeting, the drafter binds the final accounts and
the 2027 budget into the report on budget and final accounts, the congress's chair records the congress
(which approves all three), and the drafter submits the report to the department union and the
provincial organs union."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests.e2e.session import Session, screenshot, status_of
from tests.factories import ACTUALS


@pytest.fixture
def chain_setup(transactional_db):
    """Everything the browser needs, made and read before Playwright's event loop starts."""
    from django.conf import settings

    from core.models import Body
    from tests.factories import Cast, ensure_chart_of_accounts, make_tree
    from tests.scenarios import budget_before_congress, budget_in_force
    from workflows.budget.models import BudgetStatus
    from workflows.final_accounts.models import FinalAccountsStatus
    from workflows.reports.models import ReportStatus

    ensure_chart_of_accounts()
    tree = make_tree()
    cast = Cast(tree)
    budget_in_force(cast, year=2026)
    next_budget = budget_before_congress(cast, year=2027)
    with translation.override(settings.LANGUAGE_CODE):
        labels = {
            "audit": str(FinalAccountsStatus.AUDIT_REVIEW.label),
            "before_congress": str(FinalAccountsStatus.CONGRESS_RATIFICATION.label),
            "approved": str(FinalAccountsStatus.IN_FORCE.label),
            "report_before_congress": str(ReportStatus.CONGRESS_RATIFICATION.label),
            "submitting": str(ReportStatus.SUBMITTING.label),
            "submitted": str(ReportStatus.IN_FORCE.label),
            "budget_in_force": str(BudgetStatus.IN_FORCE.label),
        }
    return {
        "union_pk": cast.union.pk,
        "audit_pk": Body.objects.get(union=cast.union, kind="audit_committee").pk,
        "congress_pk": Body.objects.get(union=cast.union, kind="congress").pk,
        "fa_title": f"{cast.union.name}2026年度经费收支决算",
        "report_title": f"{cast.union.name}2026年度经费收支决算和2027年度预算情况报告",
        "budget_pk": next_budget.pk,
        "dept_name": tree["dept_a"].name,
        "prov_name": tree["prov"].name,
        "labels": labels,
    }


def _record_meeting(page, base, body_pk: int, title: str, votes: int) -> None:
    page.goto(f"{base}/bodies/{body_pk}/meetings/new/")
    page.fill("#id_place", "工会会议室")
    for box in page.locator("input[name=attendees]").all():
        box.check()
    card = page.locator("[data-testid^=agenda-]").filter(has_text=title)
    card.locator("input[name=agenda]").check()
    card.locator("input[name$=votes_for]").fill(str(votes))
    page.click("main form button[type=submit]")


def test_final_accounts_from_draft_to_submission_upward(live_server, chain_setup, new_page):
    setup, labels = chain_setup, chain_setup["labels"]
    base = live_server.url
    s = Session(new_page, base)

    # The office staff starts the 2026 final accounts from the union's page and enters the actuals.
    page = s.as_user("a1-office")
    page.goto(f"{base}/unions/{setup['union_pk']}/")
    page.get_by_test_id("final-accounts-link").click()
    page.get_by_test_id("new-final-accounts").click()
    page.select_option("#id_year", "2026")
    page.get_by_test_id("start").click()
    page.wait_for_url("**/final-accounts/*/edit/")
    edit_url = page.url
    # one figure typed wrong: the page says so on its line and keeps everything typed
    for code, amount in ACTUALS.items():
        page.fill(f"#id_actual_{code}", "abc" if code == "50102" else str(amount))
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("problems")).to_be_visible()
    expect(page.locator("#id_actual_401")).to_have_value(str(ACTUALS["401"]))
    expect(page.locator("#id_actual_50102")).to_have_value("abc")
    page.fill("#id_actual_50102", "１９５，０００")  # full-width, as typed on a Chinese keyboard
    page.get_by_test_id("save-and-submit").click()
    page.wait_for_url("**/final-accounts/*/")
    fa_url = page.url
    assert fa_url != edit_url
    expect(page.get_by_test_id("status")).to_have_text(labels["audit"])
    expect(page.get_by_test_id("closing")).to_have_text("45,000.00")

    # The fund audit committee's director attaches the audit report and records the meeting.
    page = s.as_user("a1-audit")
    page.goto(fa_url)
    page.set_input_files(
        "#id_audit_file",
        files=[{"name": "审查报告.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}],
    )
    page.get_by_test_id("attach-audit-report").click()
    expect(page.get_by_test_id("audit-reports")).to_contain_text("审查报告.pdf")
    _record_meeting(page, base, setup["audit_pk"], setup["fa_title"], 3)
    page.wait_for_url(fa_url)  # the recorder lands on the final accounts decided (issue 25)
    page.goto(fa_url)
    assert status_of(page) == labels["before_congress"]

    # The drafter binds the final accounts and the 2027 budget into the finance report.
    page = s.as_user("a1-office")
    page.goto(f"{base}/unions/{setup['union_pk']}/final-accounts/")
    page.get_by_test_id("new-finance-report").click()
    page.fill("#id_year", "2026")
    page.get_by_test_id("start").click()
    page.wait_for_url("**/reports/*/")
    report_url = page.url
    expect(page.get_by_test_id("bound-final_accounts")).to_contain_text(setup["fa_title"])
    expect(page.get_by_test_id("bound-budget")).to_be_visible()
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_have_text(labels["report_before_congress"])

    # The congress's chair records the congress with the finance report on the agenda.
    page = s.as_user("a1-congress-chair")
    _record_meeting(page, base, setup["congress_pk"], setup["report_title"], 6)
    page.wait_for_url(report_url)

    # All three are approved; the drafter submits the report to both upper-level unions.
    page = s.as_user("a1-office")
    page.goto(fa_url)
    assert status_of(page) == labels["approved"]
    page.goto(f"{base}/budgets/{setup['budget_pk']}/")
    assert status_of(page) == labels["budget_in_force"]
    page.goto(report_url)
    assert status_of(page) == labels["submitting"]
    page.once("dialog", lambda dialog: dialog.accept())  # 报送 asks first (issue 25)
    page.get_by_test_id("submit-upward").click()
    expect(page.get_by_test_id("status")).to_have_text(labels["submitted"])
    submissions = page.get_by_test_id("submissions")
    expect(submissions).to_contain_text(setup["dept_name"])
    expect(submissions).to_contain_text(setup["prov_name"])
    expect(submissions.locator("li")).to_have_count(2)
    screenshot(page, "finance-report-submitted")
