"""One team as the upper union sees it: the team tab and the scorecard's team columns — the
committees' rules missing (S4.1), the staffing gap (S4.2), re-elections due (S4.1) and the contacts'
coverage (S4.4), counted for every union below and never about another department's unions."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.models import Body, Role, Union
from core.services.statutory import obligations_generate
from tests.factories import seated
from tests.scenarios import at, travel
from workflows.contacts.services import contact_assign
from workflows.institutions.models import RulesType

pytestmark = pytest.mark.django_db

TEAM = "/oversight/team/"
SCORECARD = "/oversight/scorecard/"


def _flag(tree):
    """a1 reaches the full-time-chair threshold with none on its roster; its fund audit committee's
    term ends in 30 days; a2 has its audit committee's term ended last week."""
    today = timezone.localdate()
    Union.objects.filter(pk=tree["a1"].pk).update(member_count=260)
    Body.objects.filter(union=tree["a1"], kind="audit_committee").update(
        term_start=today - datetime.timedelta(days=5 * 365), term_end=today + datetime.timedelta(days=30)
    )
    Body.objects.filter(union=tree["a2"], kind="audit_committee").update(
        term_start=today - datetime.timedelta(days=5 * 365), term_end=today - datetime.timedelta(days=7)
    )
    Union.objects.filter(pk=tree["b1"].pk).update(member_count=900)  # another department's


def test_S4_1_S4_2_the_team_tab_shows_the_unions_below_with_what_they_lack(
    tree, client, django_assert_max_num_queries
):
    _flag(tree)
    client.force_login(seated(tree["dept_a"], Role.SUPERVISOR))
    with django_assert_max_num_queries(30):
        page = client.get(TEAM)
    assert page.status_code == 200
    html = page.content.decode()
    a1, a2, b1 = (tree[k].pk for k in ("a1", "a2", "b1"))
    assert f'data-testid="team-{a1}"' in html and f'data-testid="team-{a2}"' in html
    assert f'data-testid="team-{b1}"' not in html  # another department's union is not below
    row = html.split(f'data-testid="team-{a1}"')[1].split("</tr>")[0]
    assert str(RulesType.UNION_COMMITTEE.label) in row  # no rules drafted yet: all missing
    assert "260" in row and "⚠" in row  # the staffing gap
    assert (timezone.localdate() + datetime.timedelta(days=30)).isoformat() in row
    stats = page.context["counts"]
    assert stats["staffing"] == 1 and stats["reelections"] == 2 and stats["rules"] >= 2
    # the same page costs the same for the province's supervisor, who sees every department's unions
    client.force_login(seated(tree["prov"], Role.SUPERVISOR))
    with django_assert_max_num_queries(30):
        province = client.get(TEAM).content.decode()
    assert f'data-testid="team-{b1}"' in province


def test_S4_4_the_scorecard_shows_the_team_beside_the_obligations(tree, client):
    _flag(tree)
    obligations_generate(fiscal_year=timezone.localdate().year)
    client.force_login(seated(tree["dept_a"], Role.SUPERVISOR))
    html = client.get(SCORECARD).content.decode()
    for column in ("col-team-rules", "col-team-staffing", "col-team-contacts"):
        assert f'data-testid="{column}"' in html
    row = html.split(f'data-testid="score-{tree["a1"].pk}"')[1].split("</tr>")[0]
    assert 'data-testid="team-rules" data-status="late"' in row
    assert 'data-testid="team-staffing" data-status="late"' in row
    row = html.split(f'data-testid="score-{tree["a2"].pk}"')[1].split("</tr>")[0]
    assert 'data-testid="team-staffing" data-status="met"' in row


def test_the_team_tab_refuses_whoever_oversees_nothing(tree, client):
    client.force_login(seated(tree["a1"], Role.MEMBER, "union_committee"))
    assert client.get(TEAM).status_code in (403, 404)


def test_S4_4_the_upper_union_counts_overdue_contacts_and_never_reads_their_names(tree, client):
    chair = seated(tree["a1"], Role.CHAIR, "union_committee")
    member = seated(tree["a1"], Role.MEMBER, "union_committee")
    contact_assign(
        actor=chair,
        union=tree["a1"],
        member=member,
        kind="worker_in_difficulty",
        name="困难职工张某",
        assigned_on=datetime.date(2026, 1, 10),
        today=datetime.date(2026, 1, 10),
    )
    supervisor = seated(tree["dept_a"], Role.SUPERVISOR)
    # a whole month went by without a visit (monthly for a worker in difficulty): overdue
    with travel(at(2026, 3, 15, 10)):
        client.force_login(supervisor)
        page = client.get(TEAM)
    html = page.content.decode()
    row = html.split(f'data-testid="team-{tree["a1"].pk}"')[1].split("</tr>")[0]
    assert page.context["counts"]["contacts"] == 1 and "⚠" in row
    assert "张某" not in html  # counts, not names
