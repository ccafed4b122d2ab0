"""Playwright at 375 px: an expenditure request from draft to payment (S3.1, S5.3). The office staff
requests it from the union's page and sends it, seeing its route first; the finance officer checks it
and the chair approves it from the request's page; the finance officer records the payment there,
and the line's figures move from remaining to paid."""

from __future__ import annotations

import pytest
import time_machine
from playwright.sync_api import expect

from tests.e2e.session import page_problems, screenshot, sign_in
from tests.scenarios import at

PHONE = {"viewport": {"width": 375, "height": 812}, "mobile": True}
USERNAMES = ("a1-office", "a1-finance", "a1-chair")


@pytest.fixture
def scene(transactional_db):
    with time_machine.travel(at(2026, 12, 6, 10, 0), tick=True):
        yield _scene()


def _scene():
    """a1's 2026 budget in force (line 50101: ¥150,000) and its finance officer."""
    from core.models import Role
    from tests.factories import Cast, ensure_chart_of_accounts, make_tree, seated
    from tests.scenarios import budget_in_force, travel

    ensure_chart_of_accounts()
    tree = make_tree()
    cast = Cast(tree)
    seated(cast.union, Role.FINANCE_OFFICER, username="a1-finance", full_name="财务李")
    with travel(at(2026, 3, 1, 10, 0)):
        budget_in_force(cast, year=2026, carryover_is_estimate=False)
    return {"union": cast.union.pk}


def _as(new_page, base: str, username: str):
    page = new_page(**PHONE)
    sign_in(page, base, username)
    return page


def _clean(page) -> None:
    assert not page_problems(page, USERNAMES), page_problems(page, USERNAMES)


def _approve(page, base: str, request_url: str, step: str) -> None:
    """From the home page to the request through the to-do list, then its action: approve."""
    page.goto(f"{base}/work/")
    page.get_by_role("link", name="职工春季健步走活动", exact=False).first.click()
    page.wait_for_url(request_url)
    panel = page.get_by_test_id("document-actions")
    expect(panel).to_contain_text(step)
    panel.get_by_test_id("act").click()
    page.get_by_label("同意").check()
    page.get_by_role("button", name="提交审批意见").click()
    page.wait_for_url(request_url)
    expect(page.locator(".alert-success")).to_contain_text("您的审批意见已记录")
    _clean(page)


def test_an_expenditure_request_from_draft_to_payment_at_375_px(live_server, scene, new_page):
    base = live_server.url
    office = _as(new_page, base, "a1-office")
    office.goto(f"{base}/unions/{scene['union']}/")
    office.get_by_test_id("expenditure-link").click()
    expect(office.get_by_test_id("ledger-50101").get_by_test_id("remaining")).to_have_text("150,000.00")
    _clean(office)
    office.get_by_test_id("new-request").click()
    office.get_by_label("预算明细").select_option("50101")
    office.get_by_label("金额（元）").fill("0")
    office.get_by_label("用途").fill("职工春季健步走活动")
    office.get_by_label("活动日期").fill("2026-12-20")
    office.get_by_role("button", name="保存").click()
    expect(office.get_by_test_id("problems")).to_be_visible()  # zero is refused, what was typed stays
    expect(office.get_by_label("用途")).to_have_value("职工春季健步走活动")
    office.get_by_label("金额（元）").fill("3000")
    office.get_by_role("button", name="保存").click()
    expect(office.get_by_test_id("route")).to_have_text("财务审核，主席审批")
    request_url = office.url
    _clean(office)
    office.get_by_test_id("submit").click()
    expect(office.get_by_test_id("status")).to_have_text("财务审核中")

    _approve(_as(new_page, base, "a1-finance"), base, request_url, "财务审核")
    _approve(_as(new_page, base, "a1-chair"), base, request_url, "主席审批")

    finance = _as(new_page, base, "a1-finance")
    finance.goto(request_url)
    form = finance.get_by_test_id("payment-form")
    form.get_by_label("凭证号").fill("记-12-031")
    form.get_by_role("button", name="登记支付").click()
    expect(finance.get_by_test_id("status")).to_have_text("已支付")
    expect(finance.get_by_test_id("line-figures")).to_contain_text("147,000.00")
    _clean(finance)
    screenshot(finance, "expenditure-paid-375")
