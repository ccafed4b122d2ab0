"""Playwright: S2.3 from the acknowledged year-end summary and next year's plan before the congress to
the work report acknowledged by the upper-level union, switching users in the browser: the drafter
starts the report and puts it before the congress, the congress's chair records the congress (which
approves the plan with it), the drafter submits it upward, the department's supervisor acknowledges it
on the received reports page."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.e2e.session import Session, screenshot, status_of


@pytest.fixture
def chain_setup(transactional_db):
    """Everything the browser needs, made and read before Playwright's event loop starts."""
    from django.conf import settings

    from core.models import Body, Role
    from tests.factories import Cast, UserFactory, ensure_chart_of_accounts, give_seat, make_tree
    from tests.scenarios import acknowledged_summary, plan_before_congress
    from workflows.plan.models import PlanStatus
    from workflows.reports.models import ReportStatus, SubmissionState

    ensure_chart_of_accounts()
    tree = make_tree()
    cast = Cast(tree)
    supervisor = UserFactory(username="dept-a-supervisor")
    give_seat(supervisor, tree["dept_a"], Role.SUPERVISOR)
    summary = acknowledged_summary(cast)
    plan = plan_before_congress(cast)
    with translation.override(settings.LANGUAGE_CODE):
        labels = {
            "before_congress": str(ReportStatus.CONGRESS_RATIFICATION.label),
            "submitting": str(ReportStatus.SUBMITTING.label),
            "in_force": str(ReportStatus.IN_FORCE.label),
            "plan_in_force": str(PlanStatus.IN_FORCE.label),
            "acknowledged": str(SubmissionState.ACKNOWLEDGED.label),
            "submitted": gettext("awaiting acknowledgement"),
        }
    return {
        "union_pk": cast.union.pk,
        "dept_pk": tree["dept_a"].pk,
        "dept_name": tree["dept_a"].name,
        "a2_name": tree["a2"].name,
        "congress_pk": Body.objects.get(union=cast.union, kind="congress").pk,
        "summary_title": summary.title,
        "plan_pk": plan.pk,
        "plan_version": plan.current_version.number,
        "report_title": f"{cast.union.name}2026年度工作报告",
        "labels": labels,
    }


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_work_report_from_the_summary_and_plan_to_the_upper_level_union(live_server, chain_setup, new_page):
    setup, labels = chain_setup, chain_setup["labels"]
    base = live_server.url
    s = Session(new_page, base)

    # The office staff starts the work report from the union's summaries and reports.
    page = s.as_user("a1-office")
    page.goto(f"{base}/unions/{setup['union_pk']}/")
    page.get_by_test_id("reports-link").click()
    page.get_by_test_id("new-report").click()
    page.wait_for_url("**/work-reports/new/")
    page.fill("#id_year", "2026")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/reports/*/")
    report_url = page.url
    bound = page.get_by_test_id("bound")
    expect(bound.get_by_test_id("bound-year_end_summary")).to_contain_text(setup["summary_title"])
    expect(bound.get_by_test_id("bound-year_end_summary")).to_contain_text("v1")
    expect(bound.get_by_test_id("bound-annual_plan")).to_contain_text(f"v{setup['plan_version']}")
    assert no_horizontal_scroll(page)
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_have_text(labels["before_congress"])

    # The congress's chair records the congress with the work report on the agenda.
    page = s.as_user("a1-congress-chair")
    page.goto(f"{base}/bodies/{setup['congress_pk']}/meetings/new/")
    page.fill("#id_place", "机关礼堂")
    for box in page.locator("input[name=attendees]").all():
        box.check()
    card = page.locator("[data-testid^=agenda-]").filter(has_text=setup["report_title"])
    card.locator("input[name=agenda]").check()
    card.locator("input[name$=votes_for]").fill("6")
    page.click("main form button[type=submit]")
    page.wait_for_url(report_url)  # the recorder lands on the report decided (issue 25)

    # The drafter finds the report approved (and the plan with it) and submits it upward.
    page = s.as_user("a1-office")
    page.goto(f"{base}/plans/{setup['plan_pk']}/")
    assert status_of(page) == labels["plan_in_force"]
    page.goto(report_url)
    assert status_of(page) == labels["submitting"]
    expect(page.get_by_test_id("decisions")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())  # 报送 asks first (issue 25)
    page.get_by_test_id("submit-upward").click()
    expect(page.get_by_test_id("status")).to_have_text(labels["in_force"])
    expect(page.get_by_test_id("submissions")).to_contain_text(setup["dept_name"])
    expect(page.get_by_test_id("submissions").get_by_test_id("submission-state")).to_have_text(
        labels["submitted"]
    )

    # The department's supervisor acknowledges it on the received reports page.
    page = s.as_user("dept-a-supervisor")
    page.goto(f"{base}/unions/{setup['dept_pk']}/")
    page.get_by_test_id("received-reports-link").click()
    page.wait_for_url("**/received-reports/")
    rate = page.get_by_test_id("rate-work_report-2026")
    expect(rate.get_by_test_id("rate")).to_contain_text("1")
    expect(rate.get_by_test_id("non-submitters")).to_contain_text(setup["a2_name"])
    row = page.get_by_test_id("received").locator("li").filter(has_text=setup["report_title"])
    expect(row.get_by_test_id("submission-state")).to_have_text(labels["submitted"])
    assert no_horizontal_scroll(page)
    row.get_by_test_id("acknowledge").click()
    # signed for, the supervisor lands on the report itself (issue 25: never back on a page of buttons)
    page.wait_for_url(report_url)
    expect(page.get_by_test_id("submission-state")).to_have_text(labels["acknowledged"])
    page.goto(f"{base}/unions/{setup['dept_pk']}/received-reports/")
    row = page.get_by_test_id("received").locator("li").filter(has_text=setup["report_title"])
    expect(row.get_by_test_id("submission-state")).to_have_text(labels["acknowledged"])
    expect(row.get_by_test_id("acknowledge")).to_have_count(0)
    screenshot(page, "work-report-acknowledged")
