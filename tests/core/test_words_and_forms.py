"""Words and forms (issue 25): rules in words with their seed clause in a 依据 tooltip, deadlines as
people say them, what met an obligation linked by its title, one legend for the statuses, titles that
follow the status, the budget form's labels and running totals (S3.2), the 监督 menu only for who may
open it, a union group's page for the officers above, the README's addresses, the language menu."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import polib
import pytest
import time_machine
from django.conf import settings
from django.urls import Resolver404, resolve, reverse

from core.models import Role
from core.services.statutory import obligations_generate
from core.statutory import Obligation, ObligationStatus
from tests.factories import make_budget, seated
from tests.scenarios import at, submit_draft, travel
from workflows.budget.forms import next_budget_year
from workflows.budget.models import DRAFT_MARK, Budget, BudgetStatus
from workflows.models import WorkItem, WorkItemState

ROOT = Path(__file__).resolve().parents[2]
YEAR = 2026
MID_2026 = at(2026, 6, 15, 10, 0)
RULE_CODE = re.compile(r"S[1-5]\.\d")


def obligations_url(union, year=YEAR) -> str:
    return f"{reverse('obligations', args=[union.pk])}?year={year}"


def text_outside_tooltips(html: str) -> str:
    """The page as read: its visible text without the title attributes and the data-rule markers."""
    html = re.sub(r'\s(title|data-rule|data-code)="[^"]*"', "", html)
    return re.sub(r"<[^>]+>", " ", html)


# --- rules in words, deadlines in words ---------------------------------------------------------------


def test_no_zh_hans_translation_shows_a_rule_code_a_clock_time_or_a_time_zone():
    """Every Chinese string says the rule in words: no "S3.4", no 23:59:59, no Asia/Shanghai."""
    catalogue = polib.pofile(str(ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    shown = [
        e.msgid for e in catalogue if not e.obsolete and (RULE_CODE.search(e.msgstr) or "23:59" in e.msgstr)
    ]
    shown += [e.msgid for e in catalogue if "Asia/Shanghai" in e.msgstr]
    assert not shown


@pytest.mark.django_db
def test_s3_4_adjustment_window_is_said_as_the_end_of_the_day_with_the_rule_in_a_tooltip(
    cast, budget_in_force, client
):
    client.force_login(cast.office)
    with travel(at(YEAR, 5, 1, 9, 0)):
        html = client.get(reverse("budget_adjustment:new", args=[budget_in_force.pk])).content.decode()
        listing = client.get(reverse("budget_adjustment:list", args=[cast.union.pk])).content.decode()
    for page in (html, listing):
        assert "2026年9月30日24时" in page
        assert "23:59:59" not in page and "Asia/Shanghai" not in page
        assert not RULE_CODE.search(text_outside_tooltips(page))
    assert 'data-rule="S3.4"' in html and "依据" in html


@pytest.mark.django_db
def test_obligations_page_shows_each_obligation_in_words_its_clause_in_a_tooltip(cast, client):
    obligations_generate(fiscal_year=YEAR)
    client.force_login(cast.office)
    with time_machine.travel(MID_2026, tick=False):
        html = client.get(obligations_url(cast.union)).content.decode()
    assert "会员（代表）大会审议批准经费预算" in html
    assert 'data-rule="S3.3"' in html and "“五个一”工作法 S3.3" in html
    assert not RULE_CODE.search(text_outside_tooltips(html))


@pytest.mark.django_db
def test_obligations_page_has_one_legend_telling_late_missed_and_pending_apart(cast, client):
    obligations_generate(fiscal_year=YEAR)
    client.force_login(cast.chair)
    with time_machine.travel(MID_2026, tick=False):
        html = client.get(obligations_url(cast.union)).content.decode()
    legend = html[html.index('data-testid="status-legend"') :]
    for label, meaning in (
        ("待处理", "未到期"),
        ("已逾期", "尚未完成，仍应尽快完成"),
        ("逾期未完成", "记为逾期未完成"),
    ):
        assert label in legend and meaning in legend
    assert html.count('data-testid="status-legend"') == 1


@pytest.mark.django_db
@pytest.mark.parametrize("budgets", [1, 3])
def test_met_by_links_the_document_by_its_title_read_set_based(
    cast, client, budgets, django_assert_max_num_queries
):
    """完成依据 names the document by its title and links its page, never "budget:12"; the documents of
    the whole page are read at once (the page's query count does not grow with them)."""
    obligations_generate(fiscal_year=YEAR)
    rows = list(Obligation.objects.filter(union=cast.union, fiscal_year=YEAR).order_by("due_date", "id"))
    documents = [make_budget(cast, year=2030 + n) for n in range(budgets)]
    for row, budget in zip(rows, documents, strict=False):
        Obligation.objects.filter(pk=row.pk).update(
            met_on=datetime.date(2026, 3, 1), met_by=f"budget:{budget.pk}", status=ObligationStatus.MET
        )
    client.force_login(cast.office)
    client.get(obligations_url(cast.union))  # the first request stamps the session
    # 9 for 1 or 3 documents: one more than before S4.1, the union's single-person bodies (whose
    # committee obligations a record meets)
    with django_assert_max_num_queries(9):
        html = client.get(obligations_url(cast.union)).content.decode()
    for row, budget in zip(rows, documents, strict=False):
        cell = html[html.index(f'data-testid="met-by-{row.pk}"') :].split("</td>", 1)[0]
        assert f'href="{reverse("budget:detail", args=[budget.pk])}"' in cell
        assert budget.display_title in cell
    assert "budget:" not in text_outside_tooltips(html)


@pytest.mark.django_db
def test_obligations_page_is_refused_to_an_outsider(cast, client):
    obligations_generate(fiscal_year=YEAR)
    client.force_login(cast.outsider)
    assert client.get(obligations_url(cast.union)).status_code == 404


# --- titles follow the status --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_budget_is_titled_draft_only_while_it_is_a_draft(cast, client):
    budget = make_budget(cast)
    assert budget.display_title.endswith(DRAFT_MARK) and str(budget).endswith(DRAFT_MARK)
    submit_draft(budget, cast)
    budget.refresh_from_db()
    assert budget.status != BudgetStatus.DRAFT
    assert DRAFT_MARK not in budget.display_title and DRAFT_MARK not in budget.title
    # the steps after the draft carry the title as it stands now (inbox, oversight, reminders)
    later = WorkItem.objects.filter(process=budget.process).exclude(step="draft")
    assert later and all(DRAFT_MARK not in item.document_title for item in later)
    client.force_login(cast.office)
    page = client.get(reverse("budget:detail", args=[budget.pk])).content.decode()
    assert budget.display_title in page and DRAFT_MARK not in page


@pytest.mark.django_db
def test_a_refused_submission_keeps_the_draft_title(cast):
    from django.core.exceptions import ValidationError

    from workflows.budget.services import budget_submit

    budget = make_budget(cast)
    with pytest.raises(ValidationError):
        budget_submit(actor=cast.office, budget=budget, recipients=[], due_at=None)
    budget.refresh_from_db()
    assert budget.title.endswith(DRAFT_MARK) and budget.status == BudgetStatus.DRAFT


def test_an_old_budget_title_after_submission_drops_the_mark_on_display():
    budget = Budget(title=f"某工会2027年经费预算{DRAFT_MARK}", status=BudgetStatus.IN_FORCE)
    assert budget.display_title == "某工会2027年经费预算"


# --- the budget form -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_budget_form_labels_amount_and_remark_and_shows_the_totals(cast, client):
    budget = make_budget(cast)
    client.force_login(cast.office)
    html = client.get(reverse("budget:edit", args=[budget.pk])).content.decode()
    # every line: the amount labelled by its account, the remark by a label of its own
    assert '<label class="col-12 col-sm-5 col-form-label col-form-label-sm" for="id_amount_401">' in html
    assert '<label class="visually-hidden" for="id_remark_401">401' in html
    assert 'data-budget-amount="income"' in html and 'data-budget-amount="expenditure"' in html
    assert "data-budget-carryover" in html
    # S3.2 totals as saved: income 420,000, carryover 20,000, expenditure 410,000 → balance 30,000
    totals = html[html.index('data-testid="budget-totals"') :]
    for kind, figure in (
        ("income", "420,000.00"),
        ("carryover", "20,000.00"),
        ("expenditure", "410,000.00"),
        ("balance", "30,000.00"),
    ):
        assert f'data-budget-total="{kind}">{figure}<' in totals
    assert "结余滚存下年" in totals and "data-deficit=" in totals
    assert "<script>" not in html and "<script " not in html.replace('<script src="', "")


@pytest.mark.django_db
def test_budget_form_totals_follow_what_was_typed_when_a_figure_is_refused(cast, client):
    budget = make_budget(cast)
    client.force_login(cast.office)
    data = {"carryover": "20,000", "amount_401": "１００,０００", "amount_50101": "150000", "amount_402": "x"}
    response = client.post(reverse("budget:edit", args=[budget.pk]), {**data, "save": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    totals = html[html.index('data-testid="budget-totals"') :]
    assert 'data-budget-total="income">100,000.00<' in totals
    assert 'data-budget-total="balance">-30,000.00<' in totals
    assert "支出超过收入与上年结转之和" in totals
    assert 'value="x"' in html  # what was typed is kept


@pytest.mark.django_db
def test_budget_form_is_refused_to_an_outsider(cast, client):
    budget = make_budget(cast)
    client.force_login(cast.outsider)
    assert client.get(reverse("budget:edit", args=[budget.pk])).status_code == 404


def test_the_running_totals_live_in_wuyi_js_not_in_the_page():
    script = (ROOT / "static" / "js" / "wuyi.js").read_text()
    assert "data-budget-totals" in script and "data-budget-amount" in script
    css = (ROOT / "static" / "css" / "wuyi.css").read_text()
    assert re.search(r"\.btn\s*\{\s*white-space:\s*nowrap;", css)
    assert ".budget-totals" in css


@pytest.mark.django_db
def test_new_budget_defaults_to_the_next_year_without_a_budget_and_styles_every_field(cast, client):
    today = datetime.date.today()
    make_budget(cast, year=today.year + 1)
    assert next_budget_year(union=cast.union) == today.year + 2
    client.force_login(cast.office)
    html = client.get(reverse("budget:new", args=[cast.union.pk])).content.decode()
    assert f'name="year" value="{today.year + 2}"' in html
    for field in ("year", "carryover", "note"):
        tag = re.search(rf'<(input|textarea)[^>]*name="{field}"[^>]*>', html).group(0)
        assert "form-control" in tag, tag
    checkbox = re.search(r'<input[^>]*name="carryover_is_estimate"[^>]*>', html).group(0)
    assert "form-check-input" in checkbox


@pytest.mark.django_db
def test_new_budget_page_is_refused_to_an_outsider(cast, client):
    client.force_login(cast.outsider)
    assert client.get(reverse("budget:new", args=[cast.union.pk])).status_code == 404


# --- the 监督 menu, a union group's page, the language menu ----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "shown"),
    [("chair", True), ("supervisor", True), ("representative", False), ("office", False)],
)
def test_the_oversight_menu_shows_only_to_who_may_open_oversight(who, shown, tree, cast, client):
    person = {
        "chair": cast.chair,
        "supervisor": seated(tree["dept_a"], Role.SUPERVISOR),
        "representative": cast.representatives[0],
        "office": cast.office,
    }[who]
    client.force_login(person)
    for url in (reverse("union_list"), reverse("home"), reverse("workflows:my_work")):
        html = client.get(url).content.decode()
        assert ('data-testid="nav-oversight"' in html) is shown, url
    opens = client.get(reverse("oversight:index"))
    assert (opens.status_code == 302) is shown
    if not shown:
        assert opens.status_code == 403


@pytest.mark.django_db
def test_the_menu_costs_no_query_of_its_own(tree, client, django_assert_max_num_queries):
    """Whether the 监督 menu shows comes with the bell's count, in the query the bell already cost."""
    supervisor = seated(tree["prov"], Role.SUPERVISOR)
    client.force_login(supervisor)
    client.get(reverse("union_list"))
    with django_assert_max_num_queries(8):
        html = client.get(reverse("union_list")).content.decode()
    assert 'data-testid="nav-oversight"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("a1 office", 200),
        ("a1 chair", 200),
        ("a1 representative", 404),
        ("group leader", 200),
        ("b1 chair", 404),
    ],
)
def test_a_union_groups_page_opens_for_its_officers_and_the_officers_above(who, status, cast, client):
    person = {
        "a1 office": cast.office,
        "a1 chair": cast.chair,
        "a1 representative": cast.representatives[0],
        "group leader": cast.group_leader,
        "b1 chair": cast.outsider,
    }[who]
    client.force_login(person)
    assert client.get(reverse("union_detail", args=[cast.group.pk])).status_code == status


@pytest.mark.django_db
def test_the_language_menu_names_english_in_english(cast, client):
    client.force_login(cast.office)
    html = client.get(reverse("home")).content.decode()
    assert '<option value="en">English</option>' in html
    assert "英语" not in html


# --- the README's addresses ------------------------------------------------------------------------------


def _readme_paths() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    paths = set(re.findall(r"`(/[a-z0-9_\-/<>]*/)`", readme))
    return sorted(p for p in paths if not p.startswith("/protected-media"))


def test_every_address_the_readme_gives_is_served():
    paths = _readme_paths()
    assert "/oversight/" in paths and "/work/" in paths
    missing = []
    for path in paths:
        concrete = re.sub(r"<[^>]+>", "1", path)
        try:
            resolve(concrete)
        except Resolver404:
            missing.append(path)
    assert not missing


@pytest.mark.django_db
def test_oversight_address_sends_a_supervisor_to_the_first_tab_and_refuses_others(tree, cast, client):
    client.force_login(seated(tree["dept_a"], Role.SUPERVISOR))
    response = client.get("/oversight/")
    assert response.status_code == 302 and response["Location"] == reverse("oversight:stuck")
    client.force_login(cast.representatives[0])
    assert client.get("/oversight/").status_code == 403
    client.logout()
    assert client.get("/oversight/").status_code == 302  # to the sign-in page


def test_languages_are_named_in_their_own_language():
    assert dict(settings.LANGUAGES)["en"] == "English"


@pytest.mark.django_db
def test_open_work_items_after_submission_carry_no_draft_mark(cast):
    budget = submit_draft(make_budget(cast), cast)
    titles = WorkItem.objects.filter(process=budget.process, state=WorkItemState.OPEN).values_list(
        "document_title", flat=True
    )
    assert titles and not any(DRAFT_MARK in t for t in titles)
