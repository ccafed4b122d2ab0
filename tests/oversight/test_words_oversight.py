"""Oversight in words (issue 25): the stuck list's counts say when they were taken and refresh on
demand; one name (积压审批) for the stuck list; charts whose colours mean something (overdue red); the
efficiency page's wide tables scroll on a phone; the scorecard explains its marks once."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import polib
import pytest
import time_machine
from django.urls import reverse

from oversight import svg
from oversight.models import Rollup, RollupPage
from tests.oversight.helpers import NOW, make_item
from workflows.models import WorkItem

ROOT = Path(__file__).resolve().parents[2]
STUCK = "/oversight/stuck/"


@pytest.fixture(autouse=True)
def _at_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def stuck(tree, cast, submitted_budget):
    with time_machine.travel(NOW - datetime.timedelta(days=60), tick=False):
        budget = submitted_budget()
    WorkItem.objects.filter(process=budget.process).update(state="canceled")
    for name, age in (("a1", 9), ("a2", 20), ("b1", 2)):
        make_item(budget, tree[name], age_days=age, due_in_days=-1, assignee=cast.chair)
    return budget


@pytest.mark.django_db
def test_the_whole_provinces_counts_say_when_and_refresh_on_demand(tree, stuck, supervisor_of, login):
    client = login(supervisor_of(tree["prov"]))
    html = client.get(STUCK).content.decode()  # a miss: counted now and kept
    assert 'data-testid="as-of"' in html and 'data-testid="refresh-counts"' in html
    assert "refresh=1" in html
    two_minutes_ago = NOW - datetime.timedelta(minutes=2)
    Rollup.objects.filter(page=RollupPage.STUCK).update(taken_at=two_minutes_ago)
    # given counts two minutes old, a page view serves them with their time
    response = client.get(STUCK)
    assert response.context["counts_as_of"] == two_minutes_ago
    # when the supervisor asks for fresh counts, then they are taken now and agree with the list
    response = client.get(STUCK, {"refresh": "1"})
    assert response.context["counts_as_of"] == NOW
    assert Rollup.objects.get(page=RollupPage.STUCK, variant="").taken_at == NOW
    assert response.context["total"] == len(response.context["rows"]) == 3


@pytest.mark.django_db
def test_refreshing_again_at_once_serves_the_counts_just_taken(tree, stuck, supervisor_of, login):
    client = login(supervisor_of(tree["prov"]))
    client.get(STUCK, {"refresh": "1"})
    with time_machine.travel(NOW + datetime.timedelta(seconds=10), tick=False):
        response = client.get(STUCK, {"refresh": "1"})
    assert response.context["counts_as_of"] == NOW


@pytest.mark.django_db
def test_the_stuck_list_has_one_name_everywhere(tree, stuck, supervisor_of, login):
    supervisor = supervisor_of(tree["prov"])
    client = login(supervisor)
    assert '<h1 class="h4 mb-0">积压审批</h1>' in client.get(STUCK).content.decode()
    home = client.get("/").content.decode()
    assert "积压审批" in home and "滞留" not in home
    catalogue = polib.pofile(str(ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert not [e.msgid for e in catalogue if "滞留" in e.msgstr]


@pytest.mark.django_db
def test_stuck_page_is_refused_to_who_oversees_nothing(cast, login):
    client = login(cast.representatives[0])
    assert client.get(STUCK).status_code == 403
    assert client.get(STUCK, {"refresh": "1"}).status_code == 403


def test_chart_colours_mean_what_they_show():
    trend = svg.line_chart(
        ["2027-01", "2027-02"], [("在办", [3, 4], svg.OPEN), ("逾期", [1, 2], svg.OVERDUE)], title="趋势"
    )
    assert f'stroke="{svg.OVERDUE}"' in trend and f'stroke="{svg.OPEN}"' in trend
    assert svg.OVERDUE == "#dc3545"  # Bootstrap's danger: the red people read as late
    bars = svg.bar_chart([("审查", 3)], title="积压", colour=svg.STUCK)
    assert f'fill="{svg.STUCK}"' in bars


@pytest.mark.django_db
def test_efficiency_page_draws_overdue_red_and_scrolls_its_tables_on_a_phone(
    tree, stuck, supervisor_of, login
):
    html = login(supervisor_of(tree["dept_a"])).get(reverse("oversight:efficiency")).content.decode()
    assert f'stroke="{svg.OVERDUE}"' in html and f'stroke="{svg.OPEN}"' in html
    for table in ("trend", "by-step", "by-union"):
        before = html[: html.index(f'data-testid="{table}"')]
        assert before.rfind('<div class="table-responsive"') > before.rfind("</div>"), table


@pytest.mark.django_db
def test_scorecard_names_obligations_in_words_and_explains_its_marks(tree, cast, supervisor_of, login):
    from core.services.statutory import obligations_generate

    obligations_generate(fiscal_year=2027)
    html = login(supervisor_of(tree["dept_a"])).get(reverse("oversight:scorecard")).content.decode()
    assert 'data-testid="status-legend"' in html and "逾期未完成" in html and "已逾期" in html
    header = html[html.index("<thead>") : html.index("</thead>")]
    visible = re.sub(r'\s(title|data-rule)="[^"]*"', "", header)
    assert not re.search(r"S[1-5]\.\d", re.sub(r"data-testid=\"[^\"]*\"", "", visible))
    assert 'data-rule="S3.3"' in header


def test_buttons_keep_their_words_on_one_line():
    css = (ROOT / "static" / "css" / "wuyi.css").read_text()
    assert re.search(r"\.btn\s*\{\s*white-space:\s*nowrap;\s*\}", css)
