"""Budget adjustment pages (S3.4): start, edit, submit, the document page with the diff; bad input
keeps what was typed; the outsider and a sibling union see nothing; the meeting page refuses an
approval after the cutoff; list query counts at two sizes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from core.models import Body
from tests.factories import ADJUSTMENT_REASON
from tests.scenarios import adjustment_submitted, at, open_items, travel
from workflows.budget_adjustment import errors
from workflows.budget_adjustment.models import AdjustmentStatus, BudgetAdjustment
from workflows.budget_adjustment.services import adjustment_create, adjustment_withdraw

YEAR = 2026  # the year of the budget in force (the budget_in_force fixture)


def zh(message, **params) -> str:
    """The message as a Chinese page shows it (English until the catalogue is compiled)."""
    with translation.override("zh-hans"):
        return str(message % params if params else message)


def lines_post(adjustment, **changes) -> dict:
    data = {"reason": ADJUSTMENT_REASON, "carryover": "20000.00"}
    for line in adjustment.current_version.lines.all():
        data[f"amount_{line.account_id}"] = f"{line.amount:.2f}"
    data.update({f"amount_{code}": value for code, value in changes.items()})
    return data


@pytest.mark.django_db
def test_s3_4_drafter_starts_edits_and_submits_through_the_pages(cast, budget_in_force, client):
    client.force_login(cast.office)
    with travel(at(YEAR, 6, 1, 9, 0)):
        page = client.get(reverse("budget_adjustment:list", args=[cast.union.pk])).content.decode()
        assert 'data-testid="start-adjustment"' in page
        new_url = reverse("budget_adjustment:new", args=[budget_in_force.pk])
        response = client.post(new_url, {"reason": "   "})
        assert response.status_code == 400
        assert zh(errors.REASON_REQUIRED) in response.content.decode()
        response = client.post(new_url, {"reason": ADJUSTMENT_REASON})
        adjustment = BudgetAdjustment.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse(
            "budget_adjustment:edit", args=[adjustment.pk]
        )
        edit_url = reverse("budget_adjustment:edit", args=[adjustment.pk])
        # bad amounts: a Chinese message, everything typed kept, nothing saved
        response = client.post(edit_url, lines_post(adjustment, **{"50102": "二十万", "403": "10000"}))
        assert response.status_code == 400
        html = response.content.decode()
        assert "不是以元为单位的金额" in html and 'value="二十万"' in html and 'value="10000"' in html
        assert not adjustment.current_version.lines.filter(account_id="403").exists()
        # a deficit is saved but cannot be submitted (S3.2), with the figures in the message
        response = client.post(
            edit_url, {**lines_post(adjustment, **{"50102": "290000"}), "save_and_submit": "1"}
        )
        assert response.status_code == 302
        submit_url = reverse("budget_adjustment:submit", args=[adjustment.pk])
        response = client.post(submit_url)
        assert response.status_code == 400 and "超出收入合计" in response.content.decode()  # S3.2
        response = client.post(
            edit_url,
            {**lines_post(adjustment, **{"50102": "210000", "403": "10000"}), "save_and_submit": "1"},
        )
        assert response["Location"] == submit_url
        assert client.get(submit_url).status_code == 200
        assert client.post(submit_url)["Location"] == reverse(
            "budget_adjustment:detail", args=[adjustment.pk]
        )
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.AUDIT_REVIEW
    client.force_login(cast.office)  # the frozen-time session has idled out
    html = client.get(reverse("budget_adjustment:detail", args=[adjustment.pk])).content.decode()
    assert 'data-code="50102"' in html and 'data-code="403"' in html and 'data-code="401"' not in html
    assert "210,000.00" in html and "200,000.00" in html
    assert 'data-testid="current-step"' in html


@pytest.mark.django_db
def test_s3_4_start_page_after_the_cutoff_refuses_in_chinese_and_keeps_the_reason(
    cast, budget_in_force, client
):
    client.force_login(cast.office)
    with travel(at(YEAR, 10, 1, 0, 0, 30)):
        response = client.post(
            reverse("budget_adjustment:new", args=[budget_in_force.pk]), {"reason": "运动会"}
        )
        assert response.status_code == 400
        html = response.content.decode()
        expected = zh(
            errors.WINDOW_CLOSED_START,
            year=YEAR,
            deadline=f"{YEAR}年9月30日24时",
            moment=f"{YEAR}年10月1日 00:00",
        )
        assert expected in html and "运动会" in html
        assert not BudgetAdjustment.objects.exists()


@pytest.mark.django_db
def test_s3_4_meeting_page_refuses_an_approval_after_the_cutoff(cast, budget_in_force, client):
    with travel(at(YEAR, 9, 25, 10, 0)):
        adjustment = adjustment_submitted(cast, budget_in_force)
        (item,) = open_items(adjustment)
    body = Body.objects.get(union=cast.union, kind="audit_committee")
    url = reverse("workflows:meeting_new", args=[body.pk])
    with travel(at(YEAR, 9, 30, 20, 0)):
        client.force_login(cast.audit_director)
        assert adjustment.title in client.get(url).content.decode()  # on the agenda like a budget
    with travel(at(YEAR, 10, 1, 0, 0, 30)):
        client.force_login(cast.audit_director)
        response = client.post(
            url,
            {
                "held_on": f"{YEAR}-10-01",
                "place": "会议室",
                "attendees": [str(p.pk) for p in cast.audit_committee],
                "agenda": [str(item.pk)],
                f"item-{item.pk}-resolution": "approve",
                f"item-{item.pk}-votes_for": "3",
                f"item-{item.pk}-votes_against": "0",
                f"item-{item.pk}-votes_abstain": "0",
            },
        )
    assert response.status_code == 400
    assert f"{YEAR}年9月30日24时前" in response.content.decode()  # S3.4, in words
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.LAPSED


@pytest.mark.django_db
def test_s3_4_outsider_and_sibling_union_are_refused_on_every_page(
    cast, budget_in_force, sibling, client, supervisor_of, tree
):
    with travel(at(YEAR, 6, 1, 9, 0)):
        adjustment = adjustment_submitted(cast, budget_in_force)
    pages = [
        ("get", reverse("budget_adjustment:list", args=[cast.union.pk])),
        ("get", reverse("budget_adjustment:new", args=[budget_in_force.pk])),
        ("post", reverse("budget_adjustment:new", args=[budget_in_force.pk])),
        ("get", reverse("budget_adjustment:detail", args=[adjustment.pk])),
        ("get", reverse("budget_adjustment:edit", args=[adjustment.pk])),
        ("get", reverse("budget_adjustment:submit", args=[adjustment.pk])),
        ("post", reverse("budget_adjustment:submit", args=[adjustment.pk])),
        ("post", reverse("budget_adjustment:withdraw", args=[adjustment.pk])),
    ]
    for user in (cast.outsider, sibling, supervisor_of(tree["dept_b"])):
        client.force_login(user)
        for method, url in pages:
            assert getattr(client, method)(url).status_code == 404, (user.username, method, url)
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.AUDIT_REVIEW
    # the supervisor above reads it; the union's chair reads it but may not edit
    client.force_login(supervisor_of(tree["dept_a"]))
    assert client.get(reverse("budget_adjustment:detail", args=[adjustment.pk])).status_code == 200
    assert client.get(reverse("budget_adjustment:edit", args=[adjustment.pk])).status_code == 403
    client.force_login(cast.chair)
    assert client.get(reverse("budget_adjustment:detail", args=[adjustment.pk])).status_code == 200
    assert client.get(reverse("budget_adjustment:submit", args=[adjustment.pk])).status_code == 403
    client.force_login(cast.audit_director)
    assert client.get(reverse("budget_adjustment:new", args=[budget_in_force.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_adjustment_list_query_count_does_not_grow(
    count, cast, budget_in_force, client, django_assert_max_num_queries
):
    with travel(at(YEAR, 5, 1, 9, 0)):
        for n in range(count):
            adjustment = adjustment_create(actor=cast.office, budget=budget_in_force, reason=f"调整{n}")
            if n < count - 1:
                adjustment_withdraw(actor=cast.office, adjustment=adjustment)
        client.force_login(cast.office)
        url = reverse("budget_adjustment:list", args=[cast.union.pk])
        with django_assert_max_num_queries(15):
            response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("/budget-adjustments/") >= count


@pytest.mark.django_db
def test_s3_4_a_budget_in_force_links_to_its_adjustment_for_those_who_may_draft(
    cast, budget_in_force, client, sibling
):
    detail = reverse("budget:detail", args=[budget_in_force.pk])
    new_url = reverse("budget_adjustment:new", args=[budget_in_force.pk])
    with travel(at(YEAR, 6, 1, 9, 0)):
        client.force_login(cast.office)
        page = client.get(detail).content.decode()
        assert 'data-testid="adjust"' in page and f'href="{new_url}"' in page
        assert client.get(new_url).status_code == 200
        # a representative sees the budget and the adjustments link, but may not start one
        client.force_login(cast.representatives[0])
        response = client.get(detail)
        assert response.status_code == 200
        page = response.content.decode()
        assert 'data-testid="adjust"' not in page and 'data-testid="adjustments"' in page
        assert client.get(new_url).status_code == 403
        # the sibling union's chair sees neither the budget nor the start page
        client.force_login(sibling)
        assert client.get(detail).status_code == 404
        assert client.get(new_url).status_code == 404
