"""Playwright: a committee member logs a contact on a phone (S4.4).

On a 375×812 touch screen the member signs in, opens "my contacts", where the member representative
they keep is overdue (assigned last year, never contacted), taps the log button, fills the day, the way
(a phone call), what was raised, and a follow-up with its owner and due date, saves, and is back on
"my contacts" with the contact marked contacted this period. No page scrolls sideways or shows a
username.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.session import page_problems, screenshot, sign_in

PHONE = {"width": 375, "height": 812}
RAISED = "希望单位食堂增加晚餐供应。"


@pytest.fixture
def member_with_contact(transactional_db):
    """Read before the browser starts (ORM calls under Playwright's loop use their own connection)."""
    from django.utils import timezone

    from core.models import User
    from tests.factories import Cast, ensure_chart_of_accounts, make_tree
    from workflows.contacts.models import ContactKind
    from workflows.contacts.services import contact_assign

    ensure_chart_of_accounts()
    cast = Cast(make_tree())
    member = cast.committee_members[0]
    contact = contact_assign(
        actor=cast.chair,
        union=cast.union,
        member=member,
        kind=ContactKind.MEMBER_REPRESENTATIVE,
        name="孙丽华",
        unit="人事处",
        phone="13900003333",
        assigned_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    return {
        "username": member.username,
        "contact": contact.pk,
        "today": timezone.localdate().isoformat(),
        "usernames": list(User.objects.values_list("username", flat=True)),
    }


def test_S4_4_committee_member_logs_a_contact_on_a_phone(live_server, member_with_contact, new_page):
    scene = member_with_contact
    base = live_server.url
    page = new_page(viewport=PHONE, mobile=True)
    sign_in(page, base, scene["username"])
    page.goto(f"{base}/contacts/mine/")
    row = page.get_by_test_id(f"contact-{scene['contact']}")
    expect(row.get_by_test_id("state")).to_have_text("已逾期")
    assert page_problems(page, scene["usernames"]) == []

    row.get_by_test_id(f"log-{scene['contact']}").click()
    page.wait_for_url(f"{base}/contacts/{scene['contact']}/log/")
    expect(page.locator("h1")).to_contain_text("孙丽华")
    assert page.locator("#id_contacted_on").input_value() == scene["today"]
    page.get_by_label("电话", exact=True).check()
    page.fill("#id_raised", RAISED)
    page.fill("#id_follow_up", "向后勤服务中心反映")
    page.fill("#id_follow_up_owner_name", "工会办公室")
    page.fill("#id_follow_up_due", scene["today"])
    assert page_problems(page, scene["usernames"]) == []
    screenshot(page, "contact-log-375px")
    page.get_by_test_id("save-log").click()

    page.wait_for_url(f"{base}/contacts/mine/")
    expect(page.get_by_role("alert")).to_contain_text("已记录与孙丽华的联系")
    row = page.get_by_test_id(f"contact-{scene['contact']}")
    expect(row.get_by_test_id("state")).to_have_text("本期已联系")
    assert page_problems(page, scene["usernames"]) == []
    # the record shows the log with its follow-up
    row.get_by_role("link", name="孙丽华").click()
    expect(page.get_by_test_id("logs")).to_contain_text(RAISED)
    expect(page.get_by_test_id("logs")).to_contain_text("工会办公室")
    assert page_problems(page, scene["usernames"]) == []
