"""Playwright: a member joins the members' pages on a phone (S5.4).

On a 375×812 touch screen a member of union a1 opens the one-time link the union handed out, chooses a
password, lands on the union's open-affairs page and reads the budget in force by category. Opening the
link again after signing out is refused. No page scrolls sideways or shows a username.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.session import page_problems, screenshot

PHONE = {"width": 375, "height": 812}
PASSWORD = "Zhong-hua-2026!"


@pytest.fixture
def invited_member(transactional_db):
    """Read before the browser starts (ORM calls under Playwright's loop use their own connection)."""
    import datetime

    from core.models import User
    from tests.factories import Cast, ensure_chart_of_accounts, make_tree
    from tests.scenarios import at, budget_in_force, travel
    from workflows.memberpages.services import invitations_issue
    from workflows.members.models import Member

    ensure_chart_of_accounts()
    cast = Cast(make_tree())
    with travel(at(2026, 3, 1, 10, 0)):
        budget_in_force(cast, year=2026, carryover_is_estimate=False)
    member = Member.objects.create(
        union=cast.union, name="林小雨", member_number="A1-0042", joined_on=datetime.date(2019, 5, 1)
    )
    (issued,) = invitations_issue(actor=cast.office, union=cast.union, member_ids=[member.pk])
    return {
        "link": f"/join/{issued.token}/",
        "member": member.pk,
        "union": cast.union.name,
        "usernames": list(User.objects.values_list("username", flat=True)),
    }


def test_S5_4_member_opens_the_link_on_a_phone_and_reads_open_affairs(live_server, invited_member, new_page):
    scene = invited_member
    base = live_server.url
    page = new_page(viewport=PHONE, mobile=True)
    page.goto(base + scene["link"])
    expect(page.get_by_test_id("welcome")).to_contain_text("林小雨")
    assert page_problems(page, scene["usernames"]) == []
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password_again", PASSWORD)
    screenshot(page, "member-join-375px")
    page.get_by_test_id("set-password").click()

    page.wait_for_url(f"{base}/my-union/")
    expect(page.locator("h1")).to_have_text(scene["union"])
    expect(page.get_by_test_id("member-number")).to_have_text("A1-0042")
    budget = page.get_by_test_id("published-budget")
    expect(budget).to_contain_text("2026-03-01")
    expect(budget.get_by_test_id("expenditure-categories")).to_contain_text("501 职工活动支出")
    expect(budget.get_by_test_id("expenditure-categories")).to_contain_text("350,000.00")

    from workflows.members.models import Member

    account = Member.objects.select_related("person").get(pk=scene["member"]).person
    assert page_problems(page, [*scene["usernames"], account.username]) == []
    screenshot(page, "member-open-affairs-375px")

    # signed out, the same link is refused: it was used
    page.context.clear_cookies()
    response = page.goto(base + scene["link"])
    assert response.status == 410
    expect(page.get_by_test_id("problem")).to_be_visible()
