"""Playwright: a Party secretary's morning on the workbench (S1.1–S1.3), at 1280 and 375 px.

The secretary of a1's Party organisation opens the home workbench: the Party section lists the request
for instructions whose reply is overdue and the hearing on its agenda. From the section they record the
written reply (agreed, with instructions) and land on the request, which now awaits the union's record
of how it was carried out; then they record the hearing with one problem to solve and land on the
hearing with its action item. Every page fits the width and names nobody by username.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.session import page_problems, screenshot, sign_in

WIDTHS = {"desktop": ({"width": 1280, "height": 800}, False), "phone": ({"width": 375, "height": 812}, True)}
INSTRUCTIONS = "控制会期，节约办会。"


@pytest.fixture
def morning(transactional_db):
    """Per width: a request for instructions sent to the Party organisation five days past its reply time
    limit, and a hearing of the year's union work on its agenda."""
    from django.utils import timezone

    from core.models import User
    from tests.factories import Cast, ensure_chart_of_accounts, make_tree
    from tests.scenarios import open_item
    from workflows.models import Resolution, WorkItem
    from workflows.party.models import CatalogueItem, InstructionRequest
    from workflows.party.services import hearing_create, hearing_submit, request_create, request_submit
    from workflows.services.personal import personal_decide

    ensure_chart_of_accounts()
    cast = Cast(make_tree())
    rows = []
    for n, year in enumerate((2025, 2026), start=1):
        request = request_create(
            actor=cast.office,
            union=cast.union,
            items=[CatalogueItem.objects.get(union=None, matter="congress")],
            title=f"关于召开第{n}次会员代表大会的请示",
            text="拟于明年三月召开。妥否，请批示。",
        )
        request_submit(actor=cast.office, request=request)
        personal_decide(
            work_item=open_item(request, "chair_sign"), actor=cast.chair, resolution=Resolution.APPROVE
        )
        late = timezone.now() - datetime.timedelta(days=5)
        reply = open_item(request, "party_reply")
        WorkItem.objects.filter(pk=reply.pk).update(due_at=late)
        InstructionRequest.objects.filter(pk=request.pk).update(reply_due=timezone.localdate(late))
        hearing = hearing_create(
            actor=cast.office, union=cast.union, year=year, report_kind="year_end", report="一年来工会工作……"
        )
        hearing_submit(actor=cast.office, hearing=hearing)
        rows.append(
            {
                "request": request.pk,
                "request_title": request.title,
                "reply_item": reply.pk,
                "hearing": hearing.pk,
                "hearing_title": hearing.title,
                "hearing_item": open_item(hearing, "party_hearing").pk,
            }
        )
    return {"rows": rows, "usernames": list(User.objects.values_list("username", flat=True))}


def _clean(page, scene) -> None:
    assert page_problems(page, scene["usernames"]) == []


def _home(new_page, base, width, scene):
    viewport, mobile = WIDTHS[width]
    state = scene.get("session")
    page = new_page(viewport=viewport, mobile=mobile, **({"storage_state": state} if state else {}))
    if state:
        page.goto(f"{base}/")
    else:
        sign_in(page, base, "a1-party")
        scene["session"] = page.context.storage_state()
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()
    _clean(page, scene)
    return page


def _go(page, click, url: str, scene) -> None:
    click()
    page.wait_for_url(url)
    _clean(page, scene)


def _reply(page, base, scene, row, n: int) -> None:
    """From the section's list of what awaits the organisation: the written reply, agreed with
    instructions, landing on the request."""
    waiting = page.get_by_test_id("wb-party-awaiting-reply")
    expect(waiting).to_contain_text(row["request_title"])
    expect(waiting.locator("li", has_text=row["request_title"])).to_contain_text("逾期")
    steps = page.get_by_test_id("wb-party-steps").locator("li", has_text=row["request_title"])
    _go(
        page,
        steps.get_by_role("link", name="记录书面决定").click,
        f"{base}/work/{row['reply_item']}/decision/",
        scene,
    )
    page.get_by_label("同意并作出指示").check()
    page.get_by_label("文号").fill(f"机党〔2026〕{n}号")
    page.get_by_label("意见").fill(INSTRUCTIONS)
    _go(
        page,
        page.get_by_role("button", name="记录决定").click,
        f"{base}/party/requests/{row['request']}/",
        scene,
    )
    main = page.get_by_role("main")
    expect(main).to_contain_text("同意并作出指示")
    expect(main).to_contain_text(INSTRUCTIONS)
    expect(main).to_contain_text(f"机党〔2026〕{n}号")


def _hearing(page, base, scene, row) -> None:
    """From the section: the hearing recorded with one problem to solve, landing on the hearing."""
    steps = page.get_by_test_id("wb-party-steps").locator("li", has_text=row["hearing_title"])
    _go(
        page,
        steps.get_by_role("link", name="记录听取汇报").click,
        f"{base}/work/{row['hearing_item']}/hearing/",
        scene,
    )
    page.get_by_label("地点").fill("机关党委会议室")
    page.locator("input[name=attendees]").first.check()  # the secretary, the one seat
    page.get_by_label("研究事项").fill("听取工会年度工作汇报，研究职工活动场地问题。")
    page.get_by_label("需解决的问题 1", exact=True).fill("协调解决职工活动场地")
    page.get_by_label("或责任部门 1", exact=True).fill("机关事务处")
    due = datetime.date.today() + datetime.timedelta(days=30)
    page.get_by_label("完成时限 1", exact=True).fill(due.isoformat())
    _go(page, page.get_by_test_id("record").click, f"{base}/party/hearings/{row['hearing']}/", scene)
    main = page.get_by_role("main")
    expect(main).to_contain_text("协调解决职工活动场地")
    expect(main).to_contain_text("机关事务处")


def test_S1_2_S1_3_a_party_secretarys_morning_at_both_widths(live_server, morning, new_page):
    base, scene = live_server.url, morning
    for n, (width, row) in enumerate(zip(WIDTHS, scene["rows"], strict=True), start=1):
        page = _home(new_page, base, width, scene)
        party = page.get_by_test_id("wb-party")
        expect(party).to_contain_text("党组织工作台")
        expect(page.get_by_test_id("wb-party-steps")).to_contain_text(row["hearing_title"])
        _reply(page, base, scene, row, n)
        _go(page, page.locator(".navbar-brand").click, f"{base}/", scene)
        _hearing(page, base, scene, row)
        screenshot(page, f"party-morning-{width}")
