"""Playwright: a budget from draft to congress ratification, switching users in the browser (issue 4)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.session import Session, screenshot, status_of


@pytest.fixture
def chain_setup(transactional_db):
    """Everything the browser needs, read before Playwright's event loop starts."""
    from core.models import Body
    from tests.factories import Cast, ensure_chart_of_accounts, make_tree

    ensure_chart_of_accounts()
    cast = Cast(make_tree())
    bodies = {b.kind: b.pk for b in Body.objects.filter(union=cast.union)}
    return {"cast": cast, "union_pk": cast.union.pk, "bodies": bodies}


def test_budget_from_draft_to_congress_ratification(live_server, chain_setup, new_page):
    cast, union_pk, bodies = chain_setup["cast"], chain_setup["union_pk"], chain_setup["bodies"]
    s = Session(new_page, live_server.url)

    # The office staff drafts the budget and asks a representative for an opinion.
    page = s.as_user("a1-office")
    page.goto(f"{live_server.url}/unions/{union_pk}/budgets/new/")
    page.fill("#id_year", "2027")
    page.fill("#id_carryover", "20000")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/edit/")
    page.fill("#id_amount_401", "120,000")
    page.fill("#id_amount_402", "300000")
    page.fill("#id_amount_50101", "150000")
    page.fill("#id_amount_50102", "200000")
    page.click("button[name=save_and_submit]")
    page.wait_for_url("**/submit/")
    page.check(f"input[name=recipients][value=r{cast.representatives[0].pk}]")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/budgets/*/")
    assert status_of(page) == "征求意见中"
    budget_url = page.url

    # The representative answers from their work list.
    page = s.as_user("a1-rep0")
    page = s.open_first_work_item()
    page.check("input[name=answer][value=no_opinion]")
    page.click("main form button[type=submit]")
    page.wait_for_url(budget_url)  # back on the budget (issue 25)

    # The drafter consolidates and sends it to the audit committee.
    page = s.as_user("a1-office")
    page.goto(budget_url)
    assert status_of(page) == "汇总意见中"
    page.get_by_test_id("submit").click()
    page.wait_for_url("**/submit/")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/budgets/*/")
    assert status_of(page) == "经审会审查中"

    # The audit committee's director records the meeting.
    page = s.as_user("a1-audit")
    page.goto(f"{live_server.url}/bodies/{bodies['audit_committee']}/meetings/new/")
    page.fill("#id_place", "工会会议室")
    for box in page.locator("input[name=attendees]").all():
        box.check()
    page.locator("input[name=agenda]").first.check()
    page.locator("input[name$=votes_for]").first.fill("3")
    page.click("main form button[type=submit]")
    page.wait_for_url(budget_url)
    page.goto(budget_url)
    assert status_of(page) == "党组织审定中"

    # The Party organisation's secretary records its written reply.
    page = s.as_user("a1-party")
    page = s.open_first_work_item()
    page.fill("#id_reference_number", "机党〔2026〕12号")
    page.click("main form button[type=submit]")
    page.wait_for_url(budget_url)

    # The congress's chair records the congress.
    page = s.as_user("a1-congress-chair")
    page.goto(f"{live_server.url}/bodies/{bodies['congress']}/meetings/new/")
    page.fill("#id_place", "机关礼堂")
    for box in page.locator("input[name=attendees]").all():
        box.check()
    page.locator("input[name=agenda]").first.check()
    page.locator("input[name$=votes_for]").first.fill("6")
    page.click("main form button[type=submit]")
    page.wait_for_url(budget_url)
    page.goto(budget_url)
    assert status_of(page) == "已生效"
    expect(page.get_by_test_id("decisions")).to_contain_text("机党〔2026〕12号")
    assert page.get_by_test_id("current-step").count() == 0
    screenshot(page, "budget-in-force")
