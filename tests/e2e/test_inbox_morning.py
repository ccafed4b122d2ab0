"""Playwright: a chair's morning (issue 5). The audit committee's director opens the inbox on a
phone, sees the badge, filters overdue, taps the one overdue task, records the meeting, and comes
back to one task fewer."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.session import screenshot, sign_in


@pytest.fixture
def morning(transactional_db):
    """Three audit items waiting for the director, one of them overdue; read before the browser starts."""
    from django.urls import reverse
    from django.utils import timezone

    from core.models import Body
    from tests.factories import Cast, ensure_chart_of_accounts, make_budget, make_tree
    from tests.scenarios import drive, open_item, submit_draft
    from workflows.models import WorkItem

    ensure_chart_of_accounts()
    cast = Cast(make_tree())
    items = []
    for year in (2027, 2028, 2029):
        budget = submit_draft(make_budget(cast, year=year), cast)
        drive(budget, cast, until="audit_review")
        items.append(open_item(budget, "audit_review"))
    overdue = items[1]
    WorkItem.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - datetime.timedelta(days=2))
    return {
        "overdue": overdue.pk,
        "title": overdue.document_title,
        "document_url": reverse("budget:detail", args=[overdue.document_id]),
        "items": [i.pk for i in items],
        "union": cast.union.pk,
        "attendees": len(cast.audit_committee),
        "body": Body.objects.get(union=cast.union, kind="audit_committee").pk,
    }


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_chairs_morning(live_server, morning, new_page):
    base = live_server.url
    page = new_page(viewport={"width": 390, "height": 844}, mobile=True)
    sign_in(page, base, "a1-audit")

    # the badge in the navigation: three tasks
    page.locator(".navbar-toggler").click()
    expect(page.get_by_test_id("inbox-count")).to_have_text("3")
    page.get_by_test_id("nav-my-work").click()
    page.wait_for_url(f"{base}/work/")
    expect(page.locator("[data-testid=my-work] > li")).to_have_count(3)
    # overdue first
    expect(page.locator("[data-testid=my-work] > li").first).to_have_attribute(
        "data-testid", f"work-{morning['overdue']}"
    )
    assert no_horizontal_scroll(page)

    # filter overdue: exactly the overdue row
    page.select_option("#id_due", "overdue")
    page.get_by_test_id("filter").click()
    page.wait_for_url("**/work/?*due=overdue*")
    rows = page.locator("[data-testid=my-work] > li")
    expect(rows).to_have_count(1)
    row = page.get_by_test_id(f"work-{morning['overdue']}")
    expect(row).to_contain_text(morning["title"])
    expect(row.get_by_test_id("overdue")).to_have_text("已逾期")

    # the row's title opens the budget; its button, one tap, the task form: the audit committee's meeting
    expect(row.get_by_test_id("document-link")).to_have_attribute("href", morning["document_url"])
    row.get_by_test_id("row-action").tap()
    page.wait_for_url(f"**/bodies/{morning['body']}/meetings/new/")
    page.fill("#id_place", "工会会议室")
    for box in page.locator("input[name=attendees]").all():
        box.check()
    page.check(f"input[name=agenda][value='{morning['overdue']}']")
    page.fill(f"input[name='item-{morning['overdue']}-votes_for']", str(morning["attendees"]))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{morning['document_url']}")  # back on the budget decided (issue 25)

    # back to the inbox: one task fewer, none overdue
    page.goto(f"{base}/work/")
    expect(page.locator("[data-testid=my-work] > li")).to_have_count(2)
    expect(page.get_by_test_id(f"work-{morning['overdue']}")).to_have_count(0)
    expect(page.get_by_test_id("tab-todo")).to_contain_text("2")
    page.locator(".navbar-toggler").click()
    expect(page.get_by_test_id("inbox-count")).to_have_text("2")

    # what was decided is under "Done"; every tab fits a 375 px screen
    page.set_viewport_size({"width": 375, "height": 812})
    for tab in ("todo", "watching", "done"):
        page.goto(f"{base}/work/?tab={tab}")
        assert no_horizontal_scroll(page), tab
    expect(page.get_by_test_id(f"done-{morning['overdue']}")).to_be_visible()
    screenshot(page, "inbox-done-375px")
