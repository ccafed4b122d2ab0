"""Playwright: a department supervisor opens the stuck approvals (issue 9), filters by step, urges
one task, and exports the filtered list to Excel (the download is opened with openpyxl)."""

from __future__ import annotations

import datetime

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.session import screenshot, sign_in


@pytest.fixture
def stuck_work(transactional_db):
    """Two stuck tasks below department A (read before the browser starts) and one below B."""
    from django.utils import timezone

    from core.models import Role
    from tests.factories import Cast, UserFactory, ensure_chart_of_accounts, give_seat, make_budget, make_tree
    from tests.scenarios import submit_draft
    from workflows.models import WorkItem

    ensure_chart_of_accounts()
    tree = make_tree()
    cast = Cast(tree)
    budget = submit_draft(make_budget(cast), cast)
    WorkItem.objects.filter(process=budget.process).update(state="canceled")
    now = timezone.now()

    def item(union, step, title, days, assignee):
        return WorkItem.objects.create(
            process=budget.process,
            union=union,
            document_type="budget",
            document_id=budget.pk,
            document_title=f"{union.name} 经费预算",
            step=step,
            step_title=title,
            kind="person",
            assignee=assignee,
            created_at=now - datetime.timedelta(days=days),
            due_at=now - datetime.timedelta(days=days - 5),
        )

    audit = item(
        tree["a1"], "audit_review", "Fund audit committee review and consent", 12, cast.audit_director
    )
    opinion = item(tree["a2"], "give_opinion", "Give opinions", 9, cast.representatives[0])
    other = item(tree["b1"], "audit_review", "Fund audit committee review and consent", 20, cast.chair)
    supervisor = UserFactory(username="dept-a-supervisor")
    give_seat(supervisor, tree["dept_a"], Role.SUPERVISOR)
    return {
        "audit": audit.pk,
        "opinion": opinion.pk,
        "other": other.pk,
        "opinion_union": tree["a2"].name,
        "opinion_title": opinion.document_title,
    }


def test_department_supervisor_filters_urges_and_exports(live_server, stuck_work, tmp_path, new_page):
    from workflows.models import Urge

    base = live_server.url
    page = new_page(accept_downloads=True)
    sign_in(page, base, "dept-a-supervisor")
    page.get_by_test_id("nav-oversight").click()
    page.wait_for_url(f"{base}/oversight/stuck/")
    rows = page.locator("[data-testid=stuck] tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id(f"stuck-{stuck_work['other']}")).to_have_count(0)
    expect(page.locator("[data-testid=chart-by-step] svg")).to_have_count(1)

    # filter by step: only the opinion task remains
    page.select_option("#id_step", "give_opinion")
    page.get_by_test_id("filter").click()
    page.wait_for_url("**/oversight/stuck/?*step=give_opinion*")
    expect(rows).to_have_count(1)
    expect(page.get_by_test_id(f"stuck-{stuck_work['opinion']}")).to_contain_text(stuck_work["opinion_union"])

    # urge it: back on the same filtered page with a confirmation
    page.get_by_test_id(f"urge-{stuck_work['opinion']}").click()
    page.wait_for_url("**/oversight/stuck/?*step=give_opinion*")
    expect(page.locator(".alert-success")).to_have_count(1)

    # export the filtered list
    with page.expect_download() as download_info:
        page.get_by_test_id("export").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    target = tmp_path / "stuck.xlsx"
    download.save_as(target)
    screenshot(page, "stuck-urged")

    assert Urge.objects.filter(work_item_id=stuck_work["opinion"]).count() == 1
    assert not Urge.objects.filter(work_item_id__in=[stuck_work["audit"], stuck_work["other"]]).exists()
    ws = load_workbook(target).active
    values = [tuple(r) for r in ws.iter_rows(values_only=True)]
    assert values[0][:4] == ("工会", "文件类型", "文件", "环节")
    assert [(r[0], r[1], r[2]) for r in values[1:]] == [
        (stuck_work["opinion_union"], "经费预算", stuck_work["opinion_title"])
    ]
