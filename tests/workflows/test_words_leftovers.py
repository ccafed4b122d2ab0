"""Words and forms, the leftovers of issue 25: error texts say the rule in words in both languages (its
seed clause only in the small 依据 tooltip), the plan and report pages show that tooltip beside their
rules, the budget adjustment form keeps running totals while the drafter types (the budget form's
script), the execution analysis page carries the document actions panel, and signing for or returning
a report lands the supervisor on the report with a message. Every page refuses an outsider."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise

from core.statutory import ObligationCode
from tests.factories import (
    make_adjustment,
    make_execution_review,
    make_plan,
    make_work_report,
    plan_sections,
)
from tests.pages import content, shown
from tests.scenarios import (
    acknowledged_summary,
    at,
    congress_decides,
    open_item,
    open_items,
    plan_before_congress,
    travel,
)
from workflows import errors
from workflows.budget.services import LineInput
from workflows.budget_adjustment import errors as adjustment_errors
from workflows.document_pages import ViewerAction
from workflows.execution import errors as execution_errors
from workflows.final_accounts import errors as final_accounts_errors
from workflows.plan.models import DutyArea
from workflows.plan.services import plan_create, plan_save
from workflows.reports import errors as report_errors
from workflows.reports.models import SubmissionState
from workflows.reports.services import report_submit_upward, work_report_submit

ROOT = Path(__file__).resolve().parents[2]
RULE_CODE = re.compile(r"S[1-5]\.\d")
LEADING_RULE_CODE = re.compile(r"^\s*S[1-5]\.\d")
ERROR_MODULES = (errors, execution_errors, report_errors, final_accounts_errors, adjustment_errors)
ACTIONS = 'data-testid="document-actions"'
TOTALS = 'data-testid="budget-totals"'


def text_outside_tooltips(html: str) -> str:
    """The page as read: its visible text without the title attributes and the data-rule markers."""
    html = re.sub(r'\s(title|data-rule|data-code)="[^"]*"', "", html)
    return re.sub(r"<[^>]+>", " ", html)


def says_rule_in_words(html: str, *codes: str) -> None:
    """The page names no clause in its text and shows each one in a 依据 tooltip."""
    assert not RULE_CODE.search(text_outside_tooltips(html))
    for code in codes:
        assert re.search(rf'data-rule="[^"]*{re.escape(code)}', html), code


def page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return content(response)


def refused_to_outsider(client, cast, url: str) -> bool:
    client.force_login(cast.outsider)
    return client.get(url).status_code == 404


# --- 1. error texts: the rule in words, no seed clause, in either language ---------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_error_text_of_the_flows_names_a_rule_code(language):
    messages = {
        f"{module.__name__}.{name}": value
        for module in ERROR_MODULES
        for name, value in vars(module).items()
        if isinstance(value, Promise)
    }
    assert "workflows.errors.BUDGET_DEFICIT" in messages and len(messages) > 80
    with translation.override(language):
        coded = {name: str(text) for name, text in messages.items() if RULE_CODE.search(str(text))}
    assert not coded


def test_the_only_msgids_that_begin_with_a_rule_code_are_the_obligation_labels_pages_strip():
    """Obligation labels keep their clause for the admin; pages show them through obligation_words."""
    catalogue = polib.pofile(str(ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    coded = {e.msgid for e in catalogue if not e.obsolete and LEADING_RULE_CODE.match(e.msgid)}
    with translation.override("en"):
        labels = {str(label) for label in ObligationCode.labels}
    assert coded == labels


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_s3_2_refusal_on_the_budget_page_is_in_words_with_the_clause_in_the_tooltip(
    language, cast, draft_budget, client
):
    budget = draft_budget(lines=[LineInput("401", Decimal("100000")), LineInput("50101", Decimal("130000"))])
    url = reverse("budget:submit", args=[budget.pk])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = page(client, cast.office, url)
    with translation.override(language):
        deficit = str(errors.BUDGET_DEFICIT).split("%")[0].strip()  # "Total expenditure" / "支出合计"
    problems = html[html.index('data-testid="rule-problems"') :].split("</a>")[0]
    assert deficit in problems and "130,000.00" in problems
    says_rule_in_words(html, "S3.1", "S3.2")
    assert refused_to_outsider(client, cast, url)


@pytest.mark.django_db
def test_s2_1_empty_area_refusal_on_the_plan_submit_page_is_in_words(cast, client):
    plan = make_plan(cast, sections=plan_sections(owner=cast.office, leave_empty="culture"))
    url = reverse("plan:submit", args=[plan.pk])
    html = page(client, cast.office, url)
    assert shown(errors.PLAN_AREA_EMPTY, area=DutyArea.CULTURE.label) in html
    assert "方面没有任务，请添加任务或写明空缺原因" in html
    says_rule_in_words(html, "S2.1")
    assert refused_to_outsider(client, cast, url)


# --- 2. the budget adjustment form: running totals while typing, the budget form's script -----------------


def totals_of(html: str) -> str:
    return html[html.index(TOTALS) :].split("</section>")[0]


@pytest.mark.django_db
def test_the_adjustment_form_shows_the_totals_as_saved_and_marks_its_inputs_for_the_script(
    cast, budget_in_force, client
):
    with travel(at(2026, 6, 1, 9, 0)):
        adjustment = make_adjustment(cast, budget_in_force)
        url = reverse("budget_adjustment:edit", args=[adjustment.pk])
        html = page(client, cast.office, url)
    # the inputs wuyi.js adds up: every line by its kind, and the carryover
    assert 'data-budget-amount="income"' in html and 'data-budget-amount="expenditure"' in html
    assert re.search(r'<input[^>]*name="carryover"[^>]*data-budget-carryover', html) or re.search(
        r'<input[^>]*data-budget-carryover[^>]*name="carryover"', html
    )
    # as saved: income 120,000 + 300,000 + 10,000; expenditure 150,000 + 210,000 + 60,000; carryover 20,000
    totals = totals_of(html)
    for kind, figure in (
        ("income", "430,000.00"),
        ("carryover", "20,000.00"),
        ("expenditure", "420,000.00"),
        ("balance", "30,000.00"),
    ):
        assert f'data-budget-total="{kind}">{figure}<' in totals, kind
    assert re.search(r"<section[^>]*data-budget-totals[^>]*" + TOTALS, html)  # what wuyi.js keeps current
    assert "结余滚存下年" in totals and "data-deficit=" in totals
    assert 'data-rule="S3.2"' in totals
    # the one script of the site does it (Content-Security-Policy: no inline script)
    assert "/js/wuyi" in html and "<script>" not in html
    assert refused_to_outsider(client, cast, url)


@pytest.mark.django_db
def test_the_adjustment_totals_follow_what_was_typed_when_a_figure_is_refused(cast, budget_in_force, client):
    with travel(at(2026, 6, 1, 9, 0)):
        adjustment = make_adjustment(cast, budget_in_force)
        client.force_login(cast.office)
        data = {
            "reason": "运动会",
            "carryover": "２０,０００",
            "amount_401": "100000",
            "amount_50101": "150000",
            "amount_402": "x",
            "save": "1",
        }
        response = client.post(reverse("budget_adjustment:edit", args=[adjustment.pk]), data)
    assert response.status_code == 400
    html = content(response)
    totals = totals_of(html)
    assert 'data-budget-total="income">100,000.00<' in totals
    assert 'data-budget-total="carryover">20,000.00<' in totals
    assert 'data-budget-total="balance">-30,000.00<' in totals
    assert "支出超过收入与上年结转之和" in totals
    assert 'value="x"' in html  # what was typed is kept


@pytest.fixture
def adjustment_in_browser(transactional_db):
    """A draft adjustment of next year's budget in force (its window is open until 30 September of next
    year, whatever day the tests run), read before Playwright's event loop starts."""
    from tests.factories import Cast, ensure_chart_of_accounts, make_tree
    from tests.scenarios import budget_in_force

    ensure_chart_of_accounts()
    cast = Cast(make_tree())
    budget = budget_in_force(cast, year=timezone.localdate().year + 1, carryover_is_estimate=False)
    adjustment = make_adjustment(cast, budget)
    return reverse("budget_adjustment:edit", args=[adjustment.pk])


def test_the_adjustment_totals_change_while_the_drafter_types(live_server, adjustment_in_browser, new_page):
    from tests.e2e.session import screenshot, sign_in

    page_ = new_page(viewport={"width": 375, "height": 740}, mobile=True)
    sign_in(page_, live_server.url, "a1-office")
    page_.goto(live_server.url + adjustment_in_browser)
    box = page_.get_by_test_id("budget-totals")

    def total(kind: str) -> str:
        return box.locator(f'[data-budget-total="{kind}"]').inner_text()

    assert (total("income"), total("expenditure"), total("balance")) == (
        "430,000.00",
        "420,000.00",
        "30,000.00",
    )
    page_.fill("#id_amount_50102", "250,000")  # 40,000 more for culture and sports: a deficit
    assert (total("expenditure"), total("balance")) == ("460,000.00", "-10,000.00")
    assert "支出超过收入与上年结转之和" in box.locator("[data-budget-verdict]").inner_text()
    page_.fill("#id_carryover", "３００００")  # full-width digits, read as the server reads them
    assert (total("carryover"), total("balance")) == ("30,000.00", "0.00")
    assert "收支平衡" in box.locator("[data-budget-verdict]").inner_text()
    assert page_.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page_, "adjustment-running-totals-375px")


# --- 3. the plan and report pages: the rule in words, the 依据 tooltip beside it ---------------------------


@pytest.mark.django_db
def test_the_plan_pages_state_their_rules_in_words_with_the_tooltip(cast, client):
    plan = make_plan(cast, sections=plan_sections(owner=cast.office, leave_empty="culture"))
    edit = page(client, cast.office, reverse("plan:edit", args=[plan.pk]))
    says_rule_in_words(edit, "S2.1")
    rule = edit[edit.index('data-testid="rule"') :].split("</p>")[0]
    assert "没有任务的须写明理由" in rule and "依据" in rule
    submit = page(client, cast.office, reverse("plan:submit", args=[plan.pk]))
    says_rule_in_words(submit, "S2.1")
    assert "任务或空缺理由" in submit  # the check column, in words
    detail = page(client, cast.office, reverse("plan:detail", args=[plan.pk]))
    says_rule_in_words(detail, "S2.1")
    assert "尚无任务，也未说明理由" in detail
    # with the area explained the check passes, said in words
    sections = plan_sections(owner=cast.office, leave_empty="culture", reason="由机关统一组织")
    plan_save(actor=cast.office, plan=plan, sections=sections)
    passed = page(client, cast.office, reverse("plan:submit", args=[plan.pk]))
    assert "校验通过" in passed
    says_rule_in_words(passed, "S2.1")
    for name in ("plan:edit", "plan:submit", "plan:detail"):
        assert refused_to_outsider(client, cast, reverse(name, args=[plan.pk])), name


@pytest.mark.django_db
def test_the_report_pages_state_their_rules_in_words_with_the_tooltip(cast, client):
    union_pk = cast.union.pk
    urls = {
        "list": (reverse("reports:list", args=[union_pk]), "S2.3"),
        "new work report": (reverse("reports:report_new", args=[union_pk]), "S2.3"),
        "new finance report": (reverse("reports:finance_report_new", args=[union_pk]), "S3.5"),
    }
    for name, (url, code) in urls.items():
        html = page(client, cast.office, url)
        assert 'data-testid="rule"' in html, name
        says_rule_in_words(html, code)
    # a work report whose plan is not before the congress yet: the refusal in words, S2.3 in the tooltip
    acknowledged_summary(cast)
    plan_create(actor=cast.office, union=cast.union, year=2027)
    report = make_work_report(cast)
    url = reverse("reports:report_detail", args=[report.pk])
    html = page(client, cast.office, url)
    assert shown(errors.REPORT_PLAN_NOT_BEFORE_CONGRESS, year=2027) in html
    problems = html[html.index('data-testid="rule-problems"') :].split("</div></div>")[0]
    assert 'data-rule="S2.3"' in problems
    says_rule_in_words(html, "S2.3")
    for refused in [url, *(u for u, _code in urls.values())]:
        assert refused_to_outsider(client, cast, refused), refused


# --- 4. the execution analysis page carries the document actions panel --------------------------------------


@pytest.mark.django_db
def test_the_execution_page_lists_the_viewers_open_steps_like_every_document_page(
    cast, budget_in_force, submitted_budget, client, monkeypatch
):
    review = make_execution_review(cast, budget_in_force)
    url = reverse("execution:detail", args=[review.pk])
    # the analysis runs no approval chain: nobody has an open step on it, its filing is the page's button
    client.force_login(cast.chair)
    response = client.get(url)
    assert response.status_code == 200 and response.context["viewer_actions"] == []
    html = content(response)
    assert ACTIONS not in html and 'data-testid="file"' in html
    # where the viewer has an open step, the page shows it in the shared panel, one tap from where it is
    # taken (the panel is the one every document page includes)
    item = open_items(submitted_budget(), "give_opinion")[0]
    step = ViewerAction(item=item, url="/opinion-page/", label="Give your opinion")

    def with_a_step(**kwargs):
        return {"who_acts": [], "body_step": None, "viewer_actions": [step]}

    monkeypatch.setattr("workflows.execution.views.acting_context", with_a_step)
    html = content(client.get(url))
    panel = html[html.index(ACTIONS) :].split("</section>")[0]
    assert 'href="/opinion-page/"' in panel and f'data-testid="document-action-{item.pk}"' in panel
    assert html.index(ACTIONS) < html.index('data-testid="execution-table"')
    assert refused_to_outsider(client, cast, url)


# --- 5. signing for or returning a report lands on the report, with a message ------------------------------


def report_submitted_upward(cast):
    acknowledged_summary(cast)
    plan_before_congress(cast)
    report = make_work_report(cast)
    work_report_submit(actor=cast.office, report=report)
    congress_decides(cast, [open_item(report, "congress_ratification")])
    (submission,) = report_submit_upward(actor=cast.office, report=report)
    report.refresh_from_db()
    return report, submission


def told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_signing_for_a_report_lands_on_the_report_with_a_message(cast, tree, supervisor_of, client):
    report, submission = report_submitted_upward(cast)
    supervisor = supervisor_of(tree["dept_a"])
    client.force_login(supervisor)
    response = client.post(reverse("reports:acknowledge", args=[submission.pk]))
    report_url = reverse("reports:report_detail", args=[report.pk])
    assert response.status_code == 302 and response["Location"] == report_url
    assert told(response) == [f"已确认收到“{report.title}”。"]
    submission.refresh_from_db()
    assert submission.state == SubmissionState.ACKNOWLEDGED
    landed = client.get(report_url)
    assert landed.status_code == 200
    block = content(landed).split(f'data-testid="submission-{submission.pk}"')[1].split("</li>")[0]
    assert shown(SubmissionState.ACKNOWLEDGED.label) in block
    # the outsider (another union's chair) and the sibling department's supervisor may not sign for it
    for other in (cast.outsider, supervisor_of(tree["dept_b"])):
        client.force_login(other)
        assert client.post(reverse("reports:acknowledge", args=[submission.pk])).status_code == 404


@pytest.mark.django_db
def test_returning_a_report_lands_on_the_report_with_a_message(cast, tree, supervisor_of, client):
    report, submission = report_submitted_upward(cast)
    client.force_login(supervisor_of(tree["dept_a"]))
    response = client.post(
        reverse("reports:return", args=[submission.pk]), {"opinions": "请补充职工书屋情况"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:report_detail", args=[report.pk])
    assert told(response) == [f"“{report.title}”已退回{cast.union.name}更正。"]
    submission.refresh_from_db()
    assert submission.state == SubmissionState.RETURNED
    # a refusal stays on the received page with what was typed, as before
    response = client.post(reverse("reports:return", args=[submission.pk]), {"opinions": "再次退回"})
    assert response.status_code == 409 and "再次退回" in content(response)
    client.force_login(cast.outsider)
    assert client.post(reverse("reports:return", args=[submission.pk]), {"opinions": "x"}).status_code == 404


@pytest.mark.django_db
def test_a_supervisor_who_may_not_open_the_report_lands_on_the_to_do_list(
    cast, tree, supervisor_of, client, monkeypatch
):
    """The report's page is not theirs to see (workflows.visibility says no): the to-do list, not the
    received page of buttons."""
    report, submission = report_submitted_upward(cast)
    seen = []

    def not_visible(*, user, union, process_id):
        seen.append((union, process_id))
        return False

    monkeypatch.setattr("workflows.reports.views_received.document_visible", not_visible)
    client.force_login(supervisor_of(tree["dept_a"]))
    response = client.post(reverse("reports:acknowledge", args=[submission.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("workflows:my_work")
    assert seen == [(report.union, report.process_id)]
    assert told(response) == [f"已确认收到“{report.title}”。"]
