"""Playwright: each demo role's day (issue 25's acceptance), at 1280 and 375 px in the run's one browser.

The union chair, the office staff (drafter), the fund audit committee's director, the Party
organisation's secretary, a congress representative, a department supervisor and the provincial
supervisor each walk their day with real clicks: what they must see on the home workbench, the inbox,
the document and the oversight pages, and what they do there, landing on the document they acted on.
Every page visited fits 375 px without a horizontal scroll and shows no username
(tests.e2e.session.page_problems).

Each test builds its scene once and walks both widths, each in a fresh page. Where an action changes
state the scene holds one document per width, so that both widths do the action; signing for the one
report is done at the second width only, the first one looking.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.session import page_problems, screenshot, sign_in

WIDTHS = {"desktop": ({"width": 1280, "height": 800}, False), "phone": ({"width": 375, "height": 812}, True)}
RETURN_OPINION = "请压缩会议费后重新报送"
OPINION = "建议增加职工书屋经费"
REPLY_NUMBER = "机党〔2026〕{n}号"
READ_ONLY = ("只能查看", "仅可查看")  # "you see it read-only", in the words of every kind


# --- scenes --------------------------------------------------------------------------------------------


def _usernames() -> list[str]:
    from core.models import User

    return list(User.objects.values_list("username", flat=True))


def _pending(document, step: str) -> int:
    from tests.scenarios import open_item

    return open_item(document, step).pk


@pytest.fixture
def a1(transactional_db):
    """The union tree and the people of a1 (tests.factories.Cast)."""
    from tests.factories import Cast, ensure_chart_of_accounts, make_tree

    ensure_chart_of_accounts()
    tree = make_tree()
    return tree, Cast(tree)


def _budgets_until(cast, step: str, years=(2027, 2028)):
    """One budget per width, driven until ``step`` is open."""
    from tests.factories import make_budget
    from tests.scenarios import drive, submit_draft

    return [drive(submit_draft(make_budget(cast, year=year), cast), cast, until=step) for year in years]


def _deadline(union, year: int, days: int):
    """The union's S3.3 (budget approved by the congress) for the year, due in ``days`` days."""
    import datetime

    from django.utils import timezone

    from core.statutory import Obligation

    due = timezone.localdate() + datetime.timedelta(days=days)
    return Obligation.objects.create(union=union, code="S3.3", fiscal_year=year, due_date=due)


def _stuck_budget(union, *, year: int = 2027, days: int = 10):
    """A budget of ``union`` out for opinions since ``days`` days, late: stuck (older than a week)
    and, with its S3.3 due in 20 days and its chain still ahead, at risk of missing it."""
    import datetime
    from types import SimpleNamespace

    from django.utils import timezone

    from core.models import Role
    from tests.factories import make_budget, seated
    from tests.scenarios import open_items, submit_draft
    from workflows.models import WorkItem
    from workflows.services.drafting import Recipient

    people = SimpleNamespace(union=union, office=seated(union, Role.OFFICE_STAFF))
    representative = seated(union, Role.REPRESENTATIVE, "congress")
    budget = submit_draft(make_budget(people, year=year), people, [Recipient(representative)])
    now = timezone.now()
    WorkItem.objects.filter(pk__in=[i.pk for i in open_items(budget)]).update(
        created_at=now - datetime.timedelta(days=days), due_at=now - datetime.timedelta(days=days - 7)
    )
    _deadline(union, year, 20)
    (item,) = open_items(budget)
    return {"pk": budget.pk, "title": budget.title, "item": item.pk, "union": union.pk}


# --- pages ---------------------------------------------------------------------------------------------


def _clean(page, scene) -> None:
    """The page fits its width and names nobody by username."""
    assert page_problems(page, scene["usernames"]) == []


def _home(new_page, base: str, username: str, width: str, scene):
    """The person's home in a fresh page of the width. Signed in once per test: the second width's page
    starts with the first one's cookies (a password check costs a second under load)."""
    viewport, mobile = WIDTHS[width]
    sessions = scene.setdefault("sessions", {})
    if username in sessions:
        page = new_page(viewport=viewport, mobile=mobile, storage_state=sessions[username])
        page.goto(f"{base}/")
    else:
        page = new_page(viewport=viewport, mobile=mobile)
        sign_in(page, base, username)
        sessions[username] = page.context.storage_state()
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()
    _clean(page, scene)
    return page


def _go(page, click, url: str, scene, heading: str | None = None) -> None:
    """Click, wait for ``url`` (a glob or an exact address), then check the page."""
    click()
    page.wait_for_url(url)
    if heading:
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    _clean(page, scene)


def _budget_url(base: str, pk: int) -> str:
    return f"{base}/budgets/{pk}/"


def _inbox_to_document(page, base: str, scene, *, item: int, title: str, pk: int) -> None:
    """From home: the to-do list, then the document from its row."""
    _go(page, page.get_by_role("link", name="打开我的待办").click, f"{base}/work/", scene)
    row = page.get_by_test_id(f"work-{item}")
    expect(row).to_contain_text(title)
    _go(page, row.get_by_test_id("document-link").click, _budget_url(base, pk), scene, title)


def _action(page, label: str):
    """The click on the step's button in the document's actions panel ("your step on this document")."""
    actions = page.get_by_test_id("document-actions")
    expect(actions).to_contain_text("您在本文件上的待办")
    return actions.get_by_role("link", name=label).click


def _back_home(page, base: str, scene) -> None:
    """The brand in the menu bar, there at both widths."""
    _go(page, page.locator(".navbar-brand").click, f"{base}/", scene, "工作台")


def _success(page, text: str) -> None:
    expect(page.locator(".alert-success", has_text=text)).to_be_visible()


# --- 1. the union chair --------------------------------------------------------------------------------


@pytest.fixture
def chairs_day(a1):
    """A budget before the Party organisation (the audit committee approved it) and its S3.3 due in
    30 days."""
    tree, cast = a1
    (budget,) = _budgets_until(cast, "party_approval", years=(2027,))
    _deadline(cast.union, 2027, 30)
    return {"pk": budget.pk, "title": budget.title, "usernames": _usernames()}


def test_the_union_chairs_day(live_server, chairs_day, new_page):
    base, scene = live_server.url, chairs_day
    for width in WIDTHS:
        page = _home(new_page, base, "a1-chair", width, scene)
        progress = page.get_by_test_id("wb-in-progress")
        expect(progress).to_contain_text("本工会在办文件")
        expect(progress).to_contain_text(scene["title"])
        expect(progress).to_contain_text("同级党组织审定")
        deadlines = page.get_by_test_id("wb-deadlines")
        expect(deadlines).to_contain_text("会员（代表）大会审议批准经费预算")
        expect(deadlines).to_contain_text("30 天后")
        url = _budget_url(base, scene["pk"])
        link = progress.get_by_role("link", name=scene["title"])
        _go(page, link.click, url, scene, scene["title"])
        expect(page.get_by_test_id("current-step")).to_contain_text("同级党组织")
        history = page.get_by_test_id("history")
        expect(page.get_by_role("heading", name="办理记录")).to_be_visible()
        expect(history).to_contain_text("创建了预算")
        expect(history).to_contain_text("提交了预算")
        expect(history).to_contain_text("代表经费审查委员会记录：同意")
        # plain words: no event verb, state or step code
        expect(history).not_to_contain_text(re.compile(r"[a-z]+_[a-z]+"))
        expect(page.get_by_test_id("document-actions")).to_have_count(0)  # nothing for the chair to do
        screenshot(page, f"day-chair-{width}")


# --- 2. the office staff: a returned budget revised and submitted again ----------------------------------


@pytest.fixture
def drafters_day(a1):
    """Two budgets returned by the Party organisation with its opinion, one per width."""
    from tests.scenarios import party_reply
    from workflows.models import Resolution

    tree, cast = a1
    budgets = _budgets_until(cast, "party_approval")
    for n, budget in enumerate(budgets, start=20):
        number = REPLY_NUMBER.format(n=n)
        party_reply(budget, cast, resolution=Resolution.RETURN, opinions=RETURN_OPINION, number=number)
    return {
        "budgets": [{"pk": b.pk, "title": b.title} for b in budgets],
        "usernames": _usernames(),
    }


def test_the_office_staffs_day(live_server, drafters_day, new_page):
    base, scene = live_server.url, drafters_day
    for width, budget in zip(WIDTHS, scene["budgets"], strict=True):
        page = _home(new_page, base, "a1-office", width, scene)
        expect(page.get_by_test_id("wb-todos")).to_contain_text(budget["title"])
        outcomes = page.get_by_test_id("wb-outcomes")
        expect(outcomes).to_contain_text("近期结果")
        returned = outcomes.get_by_role("listitem").filter(has_text=budget["title"])
        expect(returned.filter(has_text="同级党组织退回修改")).to_have_count(1)
        url = _budget_url(base, budget["pk"])
        link = outcomes.get_by_role("link", name=budget["title"]).first
        _go(page, link.click, url, scene, budget["title"])
        returned = page.get_by_test_id("returned")
        expect(returned).to_contain_text("退回修改")
        expect(page.get_by_test_id("return-opinion")).to_have_text(RETURN_OPINION)

        _go(page, page.get_by_test_id("submit").click, f"{url}submit/", scene, budget["title"])
        expect(page.get_by_text("修改退回的预算")).to_be_visible()
        submit = page.get_by_role("main").get_by_role("button", name="提交", exact=True)
        _go(page, submit.click, url, scene, budget["title"])  # the document, not a page of buttons
        _success(page, "已提交。")
        expect(page.get_by_test_id("status")).not_to_have_text("已退回修改")
        expect(page.get_by_test_id("submit")).to_have_count(0)
        expect(page.get_by_test_id("history")).to_contain_text("提交了预算")
        screenshot(page, f"day-drafter-{width}")


# --- 3. the fund audit committee's director: a meeting recorded from the document -----------------------


@pytest.fixture
def audit_day(a1):
    """Two budgets before the fund audit committee, one per width."""
    from core.models import BodyKind
    from tests.factories import body_of

    tree, cast = a1
    budgets = _budgets_until(cast, "audit_review")
    return {
        "budgets": [{"pk": b.pk, "title": b.title, "item": _pending(b, "audit_review")} for b in budgets],
        "body": body_of(cast.union, BodyKind.AUDIT_COMMITTEE).pk,
        "usernames": _usernames(),
    }


def test_the_audit_committee_directors_day(live_server, audit_day, new_page):
    base, scene = live_server.url, audit_day
    for width, budget in zip(WIDTHS, scene["budgets"], strict=True):
        page = _home(new_page, base, "a1-audit", width, scene)
        expect(page.get_by_test_id("wb-todos")).to_contain_text("经费审查委员会审查同意")
        _inbox_to_document(page, base, scene, item=budget["item"], title=budget["title"], pk=budget["pk"])
        expect(page.get_by_test_id("body-step")).to_contain_text("由您录入其决定")
        for words in READ_ONLY:
            expect(page.get_by_role("main")).not_to_contain_text(words)

        meeting = f"{base}/bodies/{scene['body']}/meetings/new/?agenda={budget['item']}"
        _go(page, _action(page, "记录会议"), meeting, scene, "记录经费审查委员会会议")
        agenda = page.get_by_test_id(f"agenda-{budget['item']}")
        expect(agenda.get_by_role("checkbox", name="列入议程")).to_be_checked()
        page.get_by_label("地点").fill("工会会议室")
        attendees = page.locator("input[name=attendees]")
        expect(attendees).to_have_count(3)
        for box in attendees.all():
            box.check()
        agenda.get_by_label("赞成").fill("3")
        url = _budget_url(base, budget["pk"])
        _go(page, page.get_by_test_id("record").click, url, scene, budget["title"])
        _success(page, "会议已记录：对 1 份文件作出决定。")
        expect(page.get_by_test_id("status")).to_have_text("党组织审定中")
        expect(page.get_by_test_id("decisions")).to_contain_text("工会会议室")
        expect(page.get_by_test_id("history")).to_contain_text("代表经费审查委员会记录：同意")
        expect(page.get_by_test_id("document-actions")).to_have_count(0)
        screenshot(page, f"day-audit-{width}")


# --- 4. the Party organisation: its written reply recorded from the document ----------------------------


@pytest.fixture
def party_day(a1):
    """Two budgets before the Party organisation, one per width, and a member of it who does not
    record its decisions."""
    from core.models import Role
    from tests.factories import seated

    tree, cast = a1
    seated(cast.union, Role.MEMBER, "party_organization", username="a1-party-member", full_name="周立平")
    budgets = _budgets_until(cast, "party_approval")
    return {
        "budgets": [{"pk": b.pk, "title": b.title, "item": _pending(b, "party_approval")} for b in budgets],
        "usernames": _usernames(),
    }


def _party_member_sees_the_step(new_page, base: str, width: str, scene, budget) -> None:
    """A member of the Party organisation is told it must decide, and who records it: not read-only."""
    page = _home(new_page, base, "a1-party-member", width, scene)
    expect(page.get_by_test_id("wb-party")).to_contain_text(budget["title"])
    link = page.get_by_test_id("wb-in-progress").get_by_role("link", name=budget["title"])
    _go(page, link.click, _budget_url(base, budget["pk"]), scene, budget["title"])
    expect(page.get_by_test_id("body-step")).to_contain_text("您是其成员")
    for words in READ_ONLY:
        expect(page.get_by_role("main")).not_to_contain_text(words)
    expect(page.get_by_test_id("document-actions")).to_have_count(0)


def test_the_party_organisations_day(live_server, party_day, new_page):
    base, scene = live_server.url, party_day
    for n, (width, budget) in enumerate(zip(WIDTHS, scene["budgets"], strict=True), start=30):
        if width == "phone":  # once is enough: the member's page is the recorder's without the button
            _party_member_sees_the_step(new_page, base, width, scene, budget)
        page = _home(new_page, base, "a1-party", width, scene)
        party = page.get_by_test_id("wb-party")
        expect(party).to_contain_text("待本级党组织办理")
        expect(party).to_contain_text(budget["title"])
        _inbox_to_document(page, base, scene, item=budget["item"], title=budget["title"], pk=budget["pk"])
        expect(page.get_by_test_id("body-step")).to_contain_text("由您录入其决定")
        for words in READ_ONLY:
            expect(page.get_by_role("main")).not_to_contain_text(words)

        decision = f"{base}/work/{budget['item']}/decision/"
        _go(page, _action(page, "记录书面决定"), decision, scene, "同级党组织书面决定")
        number = REPLY_NUMBER.format(n=n)
        page.get_by_label("文号").fill(number)
        url = _budget_url(base, budget["pk"])
        _go(page, page.get_by_role("button", name="记录决定").click, url, scene, budget["title"])
        _success(page, f"已记录书面决定 {number}：同意。")
        expect(page.get_by_test_id("decisions")).to_contain_text(number)
        expect(page.get_by_test_id("history")).to_contain_text("代表同级党组织记录：同意")
        expect(page.get_by_test_id("body-step")).to_have_count(0)
        screenshot(page, f"day-party-{width}")


# --- 5. a congress representative: an opinion from the document, and 批量同意 from the inbox ----------


@pytest.fixture
def representatives_day(a1):
    """Four budgets asking the representative for an opinion: per width, one answered on its form and
    one agreed to with 批量同意."""
    from tests.factories import make_budget
    from tests.scenarios import submit_draft

    tree, cast = a1
    budgets = [submit_draft(make_budget(cast, year=year), cast) for year in (2027, 2028, 2029, 2030)]
    rows = [{"pk": b.pk, "title": b.title, "item": _pending(b, "give_opinion")} for b in budgets]
    return {"opinions": rows[:2], "bulk": rows[2:], "usernames": _usernames()}


def _agree_in_bulk(page, base: str, scene, budget) -> None:
    _go(page, page.get_by_role("link", name="打开我的待办").click, f"{base}/work/", scene)
    page.get_by_test_id(f"bulk-{budget['item']}").check()
    confirm = f"{base}/work/agree/"
    _go(page, page.get_by_test_id("bulk-agree").click, confirm, scene, "确定一次同意以下 1 项吗？")
    expect(page.get_by_role("main")).to_contain_text(budget["title"])
    _go(page, page.get_by_test_id("confirm").click, f"{base}/work/", scene)
    _success(page, f"已办理 1 项：{budget['title']}。")
    expect(page.get_by_test_id(f"work-{budget['item']}")).to_have_count(0)


def test_the_representatives_day(live_server, representatives_day, new_page):
    base, scene = live_server.url, representatives_day
    for width, budget, other in zip(WIDTHS, scene["opinions"], scene["bulk"], strict=True):
        page = _home(new_page, base, "a1-rep0", width, scene)
        expect(page.get_by_test_id("wb-todos")).to_contain_text("对预算草案提出意见")
        _inbox_to_document(page, base, scene, item=budget["item"], title=budget["title"], pk=budget["pk"])
        body = page.inner_text("body")  # their own step is open: never told they only read it
        assert not any(words in body for words in READ_ONLY), body
        opinion = f"{base}/work/{budget['item']}/opinion/"
        _go(page, _action(page, "提出意见"), opinion, scene, budget["title"])
        page.get_by_label("有意见").check()
        page.get_by_label("意见", exact=True).fill(OPINION)
        url = _budget_url(base, budget["pk"])
        _go(page, page.get_by_role("button", name="提交答复").click, url, scene, budget["title"])
        _success(page, "您的答复已记录，谢谢。")
        expect(page.get_by_test_id("opinions")).to_contain_text(OPINION)
        expect(page.get_by_test_id("history")).to_contain_text("提出意见")
        expect(page.get_by_test_id("document-actions")).to_have_count(0)
        _back_home(page, base, scene)
        _agree_in_bulk(page, base, scene, other)
        screenshot(page, f"day-representative-{width}")


# --- 6. a department supervisor: a report signed for, the stuck approvals of the unions below -----------


@pytest.fixture
def department_day(a1):
    """a1's work report sent up to department A, awaiting its supervisor's signature (待签收); stuck
    budgets in a1 and a2 (below department A) and in b1 (below department B)."""
    from django.utils import timezone

    from core.models import Role
    from tests.factories import seated
    from tests.workflows.test_report_pages import submitted_upward

    tree, cast = a1
    seated(tree["dept_a"], Role.SUPERVISOR, username="dept-a-supervisor", full_name="钟红艳")
    report, submission = submitted_upward(cast)
    year = timezone.localdate().year
    stuck = {name: _stuck_budget(tree[name], year=year) for name in ("a1", "a2", "b1")}
    return {
        "report": report.title,
        "report_pk": report.pk,
        "submission": submission.pk,
        "dept_a": tree["dept_a"].pk,
        "stuck": stuck,
        "usernames": _usernames(),
    }


def _sign_for(page, base: str, scene, *, act: bool) -> None:
    """From home: the reports awaiting my signature, then the received reports' page; ``act``: sign."""
    supervision = page.get_by_test_id("wb-supervision")
    expect(supervision).to_contain_text("我指导的下级工会")
    expect(supervision).to_contain_text("待我签收的报告 1")
    link = supervision.get_by_role("link", name="待我签收的报告")
    _go(page, link.click, f"{base}/work/?step=sign_for", scene)
    expect(page.get_by_test_id("my-work")).to_contain_text(scene["report"])
    received = f"{base}/unions/{scene['dept_a']}/received-reports/"
    _go(page, page.get_by_role("link", name="签收或退回").first.click, received, scene, "收到的报告")
    submission = page.get_by_test_id(f"submission-{scene['submission']}")
    expect(submission).to_contain_text(scene["report"])
    expect(submission.get_by_test_id("submission-state")).to_have_text("待确认")
    if not act:
        return
    # signed for: on the report's page, where its submission now shows it (not the page of buttons)
    report = f"{base}/reports/{scene['report_pk']}/"
    _go(page, submission.get_by_test_id("acknowledge").click, report, scene, scene["report"])
    _success(page, f"已确认收到“{scene['report']}”。")
    expect(submission.get_by_test_id("submission-state")).to_have_text("已确认")


def _stuck_below(page, base: str, scene, *, shown: list[str], hidden: list[str]) -> None:
    """From home: the stuck approvals, listing the unions of ``shown`` and none of ``hidden``."""
    link = page.get_by_test_id("wb-supervision").get_by_role("link", name="积压审批")
    _go(page, link.click, f"{base}/oversight/stuck/", scene, "积压审批")
    for name in shown:
        budget = scene["stuck"][name]
        expect(page.get_by_test_id(f"union-{budget['union']}")).to_be_visible()
        expect(page.get_by_test_id(f"stuck-{budget['item']}")).to_contain_text(budget["title"])
    for name in hidden:
        budget = scene["stuck"][name]
        expect(page.get_by_test_id(f"union-{budget['union']}")).to_have_count(0)
        expect(page.get_by_test_id(f"stuck-{budget['item']}")).to_have_count(0)


def test_the_department_supervisors_day(live_server, department_day, new_page):
    base, scene = live_server.url, department_day
    # the report is signed for once: the phone only looks, the desktop signs
    for width in ("phone", "desktop"):
        page = _home(new_page, base, "dept-a-supervisor", width, scene)
        _sign_for(page, base, scene, act=width == "desktop")
        _back_home(page, base, scene)
        signed = "待我签收的报告 0" if width == "desktop" else "待我签收的报告 1"
        expect(page.get_by_test_id("wb-supervision")).to_contain_text(signed)
        _stuck_below(page, base, scene, shown=["a1", "a2"], hidden=["b1"])
        expect(page.locator("#id_department")).to_have_count(0)  # one department: no choice of it
        screenshot(page, f"day-department-{width}")


# --- 7. the provincial supervisor: stuck approvals and deadline risk across departments -----------------


@pytest.fixture
def provincial_day(a1):
    """Stuck budgets at risk of missing their S3.3 in a1 (below department A) and b1 (below B)."""
    from django.utils import timezone

    from core.models import Role
    from tests.factories import seated

    tree, cast = a1
    seated(tree["prov"], Role.SUPERVISOR, username="prov-supervisor", full_name="王建国")
    year = timezone.localdate().year
    stuck = {name: _stuck_budget(tree[name], year=year) for name in ("a1", "b1")}
    return {
        "stuck": stuck,
        "departments": [tree["dept_a"].name, tree["dept_b"].name],
        "usernames": _usernames(),
    }


def test_the_provincial_supervisors_day(live_server, provincial_day, new_page):
    base, scene = live_server.url, provincial_day
    for width in WIDTHS:
        page = _home(new_page, base, "prov-supervisor", width, scene)
        supervision = page.get_by_test_id("wb-supervision")
        expect(supervision).to_contain_text("我指导的下级工会")
        # a1's and b1's budgets, below two departments
        expect(supervision.get_by_role("link", name="积压审批")).to_have_text(re.compile(r"^积压审批\s*2$"))
        expect(supervision.get_by_role("link", name="超期环节")).to_have_text(re.compile(r"^超期环节\s*2$"))
        _stuck_below(page, base, scene, shown=["a1", "b1"], hidden=[])
        departments = page.locator("#id_department option")
        for name in scene["departments"]:
            expect(departments.filter(has_text=name)).to_have_count(1)

        risk = page.get_by_test_id("oversight-tabs").get_by_role("link", name="到期风险")
        _go(page, risk.click, f"{base}/oversight/risk/", scene, "到期风险")
        for budget in scene["stuck"].values():
            row = page.get_by_test_id(f"risk-budget-{budget['pk']}")
            expect(row).to_contain_text(budget["title"])
            expect(row).to_contain_text("预计")
        screenshot(page, f"day-provincial-{width}")
