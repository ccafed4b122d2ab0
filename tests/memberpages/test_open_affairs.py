"""S5.4 open affairs (事务公开): the approved plan, the budget by category, the final accounts, the work
report, the report on budget and final accounts and the congress resolutions are published to members once
their chain has approved them, with the date and nothing personal; the page costs the same few queries
whatever the number of members and documents; the upper union sees what each union published and when."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory, make_final_accounts, make_finance_report, make_work_report
from tests.memberpages.conftest import make_member
from tests.scenarios import (
    acknowledged_summary,
    budget_before_congress,
    congress_decides,
    final_accounts_audited,
    open_item,
    plan_before_congress,
)
from workflows.budget.models import Budget, BudgetLine, BudgetVersion
from workflows.memberpages import services
from workflows.memberpages.published import published_by_union
from workflows.plan.models import AnnualPlan, PlanItem, PlanSection, PlanVersion
from workflows.reports.services import report_submit_upward, work_report_submit

pytestmark = pytest.mark.django_db
HOME = "memberpages:home"
MAX_QUERIES = 20


def _published(client) -> tuple[str, set[str]]:
    page = client.get(reverse(HOME)).content.decode()
    kinds = {
        kind
        for kind in ("annual_plan", "budget", "final_accounts", "work_report", "finance_report")
        if f'data-testid="published-{kind}"' in page
    }
    return page, kinds


def test_S5_4_each_kind_is_published_once_approved_with_its_summary(cast, tree, login, budget_in_force):
    member = make_member(cast.union, person=UserFactory())
    client = login(member.person)
    page, kinds = _published(client)
    # the 2026 budget, in force since 1 March 2026, by category: 501 = 50101 + 50102, 505 = 50502
    assert kinds == {"budget"} and "2026-03-01" in page
    for category, total in (
        ("401 会费收入", "120,000.00"),
        ("501 职工活动支出", "350,000.00"),
        ("505 业务支出", "60,000.00"),
    ):
        assert category in page and total in page
    assert "50101" not in page  # categories, not lines

    # given: the 2026 final accounts audited, the 2027 budget and plan before the congress, both reports
    fa = final_accounts_audited(cast, make_final_accounts(cast, year=2026))
    budget = budget_before_congress(cast, year=2027)
    finance = make_finance_report(cast, year=2026)
    work_report_submit(actor=cast.office, report=finance)
    acknowledged_summary(cast)
    plan = plan_before_congress(cast)
    work = make_work_report(cast, year=2026)
    work_report_submit(actor=cast.office, report=work)
    assert _published(client)[1] == {"budget"}  # nothing before the congress approves it

    # when: the congress approves both reports (and with them the plan, the budget and the final accounts)
    congress_decides(
        cast, [open_item(finance, "congress_ratification"), open_item(work, "congress_ratification")]
    )

    page, kinds = _published(client)
    assert kinds == {"budget", "annual_plan", "final_accounts"}
    assert "45,000.00" in page  # the closing balance of the final accounts
    assert "ideology 重点任务" in page and cast.office.full_name not in page  # tasks without their owners
    resolutions = page[page.index('data-testid="resolutions"') :]
    for document in (fa, budget, plan, finance, work):
        document.refresh_from_db()
        assert str(document) in resolutions
    # the reports are published once in force (submitted upward)
    for report in (finance, work):
        report_submit_upward(actor=cast.office, report=report)
    page, kinds = _published(client)
    assert kinds == {"budget", "annual_plan", "final_accounts", "work_report", "finance_report"}
    work.refresh_from_db()
    assert work.current_version.text.splitlines()[0] in page

    # the upper union sees what a1 published and when
    found = published_by_union([cast.union.pk, tree["b1"].pk])
    titles = [title for title, _day in found[cast.union.pk]]
    assert str(budget_in_force) in titles and str(plan) in titles and str(work) in titles
    assert found[tree["b1"].pk] == []
    assert (str(budget_in_force), datetime.date(2026, 3, 1)) in found[cast.union.pk]


def _budget_in_force(cast, year: int, lines: int) -> Budget:
    """A budget in force made row by row (the chain is tested above): for the page's query count."""
    budget = Budget.objects.create(
        union=cast.union,
        year=year,
        title=f"{year}年度经费预算",
        status="in_force",
        drafter=cast.office,
        in_force_since=timezone.now(),
    )
    version = BudgetVersion.objects.create(budget=budget, number=1, created_by=cast.office)
    codes = ["401", "402", "403", "50101", "50102", "50103", "50301", "50302", "50501", "50502"][:lines]
    BudgetLine.objects.bulk_create(
        BudgetLine(version=version, account_id=code, amount=Decimal("1000.00")) for code in codes
    )
    Budget.objects.filter(pk=budget.pk).update(current_version=version)
    return budget


def _plan_in_force(cast, year: int, items: int) -> AnnualPlan:
    plan = AnnualPlan.objects.create(
        union=cast.union,
        year=year,
        title=f"{year}年度工作计划",
        status="in_force",
        drafter=cast.office,
        in_force_since=timezone.now(),
    )
    version = PlanVersion.objects.create(plan=plan, number=1, created_by=cast.office)
    section = PlanSection.objects.create(version=version, area="culture")
    PlanItem.objects.bulk_create(
        PlanItem(
            section=section,
            title=f"任务{i}",
            starts_on=datetime.date(year, 3, 1),
            ends_on=datetime.date(year, 6, 1),
            key=f"k{i}",
        )
        for i in range(items)
    )
    AnnualPlan.objects.filter(pk=plan.pk).update(current_version=version)
    return plan


def _answered(cast, member, n: int) -> None:
    for i in range(n):
        opinion = services.opinion_send(member=member, kind="evaluation", rating=4, text=f"问题{i}")
        services.opinion_answer(actor=cast.office, opinion=opinion, answer=f"答复{i}", public=True)


def test_S5_4_open_affairs_page_costs_the_same_queries_at_two_sizes(
    cast, tree, login, supervisor_of, budget_in_force, django_assert_max_num_queries
):
    member = make_member(cast.union, person=UserFactory())
    _answered(cast, member, 1)
    _plan_in_force(cast, 2027, items=1)  # one document of each kind summarised at both sizes
    client = login(member.person)
    client.get(reverse(HOME))  # the session and the reference caches warm

    with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as small:
        assert client.get(reverse(HOME)).status_code == 200

    # ten times the documents, lines, tasks, members and answers
    for year in range(2016, 2026):
        _budget_in_force(cast, year, lines=10)
        _plan_in_force(cast, year, items=12)
    for _ in range(40):
        make_member(cast.union, person=UserFactory())
    _answered(cast, member, 15)
    with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as large:
        page = client.get(reverse(HOME))
    assert page.status_code == 200 and page.content.decode().count('data-testid="published-budget"') == 11
    assert len(large) == len(small)

    # the upper union's list of what each union published: as many queries for one union as for three
    supervisor = login(supervisor_of(tree["dept_a"]))
    with CaptureQueriesContext(connection) as one:
        published_by_union([cast.union.pk])
    with CaptureQueriesContext(connection) as three:
        published_by_union([cast.union.pk, tree["a2"].pk, tree["b1"].pk])
    assert len(one) == len(three)
    with django_assert_max_num_queries(MAX_QUERIES):
        listing = supervisor.get(reverse("memberpages:published", args=[tree["dept_a"].pk]))
    assert listing.status_code == 200
    below = listing.content.decode()
    assert cast.union.name in below and "2016年度经费预算" in below
    assert "问题3" in below and "答复3" not in below  # a public answer listed by its question
