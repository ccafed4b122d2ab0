"""Playwright: four people's mornings on the home workbench (issue 24), at 1280 and 375 px wide.

The chair sees their union's documents before the congress and the Party organisation; the drafter
sees the document returned to them with the opinion, on the home page and on the document; the
department supervisor sees the report awaiting their signature and signs for it from the to-do list;
the Party secretary sees what awaits their organisation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.session import screenshot, sign_in

WIDTHS = {"desktop": ({"width": 1280, "height": 800}, False), "phone": ({"width": 375, "height": 812}, True)}
RETURN_OPINION = "请压缩会议费后重新报送"


@pytest.fixture
def mornings(transactional_db):
    """A report sent up to the department, a budget before the congress, one before the Party
    organisation and one returned by it to its drafter; read before the browser starts."""
    from core.models import Role
    from tests.factories import Cast, ensure_chart_of_accounts, make_budget, make_tree, seated
    from tests.scenarios import drive, party_reply, submit_draft
    from tests.workflows.test_report_pages import submitted_upward
    from workflows.models import Resolution

    ensure_chart_of_accounts()
    tree = make_tree()
    cast = Cast(tree)
    seated(tree["dept_a"], Role.SUPERVISOR, username="dept-a-supervisor", full_name="钟红艳")
    report, _submission = submitted_upward(cast)
    before_congress = drive(
        submit_draft(make_budget(cast, year=2027), cast), cast, until="congress_ratification"
    )
    before_party = drive(submit_draft(make_budget(cast, year=2028), cast), cast, until="party_approval")
    returned = drive(submit_draft(make_budget(cast, year=2029), cast), cast, until="party_approval")
    party_reply(
        returned, cast, resolution=Resolution.RETURN, opinions=RETURN_OPINION, number="机党〔2026〕13号"
    )
    return {
        "report": report.title,
        "before_congress": before_congress.title,
        "before_party": before_party.title,
        "returned": returned.title,
        "returned_pk": returned.pk,
    }


def _home(new_page, base: str, username: str, width: str):
    viewport, mobile = WIDTHS[width]
    page = new_page(viewport=viewport, mobile=mobile)
    sign_in(page, base, username)
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    return page


def test_the_chairs_morning(live_server, mornings, new_page):
    for width in WIDTHS:
        page = _home(new_page, live_server.url, "a1-chair", width)
        progress = page.get_by_test_id("wb-in-progress")
        for title in (mornings["before_congress"], mornings["before_party"], mornings["returned"]):
            expect(progress).to_contain_text(title)
        expect(progress).to_contain_text("会员（代表）大会")
        expect(progress).to_contain_text("党组织")
        expect(page.get_by_test_id("wb-outcomes")).to_contain_text("退回")
        screenshot(page, f"morning-chair-{width}")


def test_the_drafters_morning(live_server, mornings, new_page):
    for width in WIDTHS:
        page = _home(new_page, live_server.url, "a1-office", width)
        todos = page.get_by_test_id("wb-todos")
        expect(todos).to_contain_text(mornings["returned"])
        outcomes = page.get_by_test_id("wb-outcomes")
        expect(outcomes).to_contain_text(mornings["returned"])
        outcomes.get_by_role("link", name=mornings["returned"]).first.click()
        expect(page.get_by_text(RETURN_OPINION).first).to_be_visible()
        screenshot(page, f"morning-drafter-{width}")


def test_the_department_supervisors_morning(live_server, mornings, new_page):
    for width in WIDTHS:
        page = _home(new_page, live_server.url, "dept-a-supervisor", width)
        supervision = page.get_by_test_id("wb-supervision")
        expect(supervision).to_contain_text("待我签收的报告 1")
        supervision.get_by_role("link", name="待我签收的报告").click()
        expect(page.get_by_text(mornings["report"]).first).to_be_visible()
        page.get_by_role("link", name="签收或退回").first.click()
        expect(page.get_by_text(mornings["report"]).first).to_be_visible()
        screenshot(page, f"morning-supervisor-{width}")


def test_the_party_secretarys_morning(live_server, mornings, new_page):
    for width in WIDTHS:
        page = _home(new_page, live_server.url, "a1-party", width)
        party = page.get_by_test_id("wb-party")
        expect(party).to_contain_text(mornings["before_party"])
        expect(party).not_to_contain_text(mornings["before_congress"])
        screenshot(page, f"morning-party-{width}")
