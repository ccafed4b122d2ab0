"""The expenditure ledger as actuals (issue 26): what was paid becomes the actual amounts of the
half-year execution analysis (up to the period's end) and of the final accounts (up to 31 December) at
the press of one button; where typed or imported actuals differ from the ledger, both figures are shown;
the upper-level union sees each union's live execution rate, read-only; outsiders see nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import Event, Union
from tests.factories import ACTUALS, make_execution_review, make_final_accounts
from tests.scenarios import open_item
from workflows.budget.models import Budget, BudgetLine, BudgetStatus, BudgetVersion
from workflows.execution.services import review_save_actuals, review_take_paid
from workflows.expenditure.models import LedgerLine
from workflows.expenditure.selectors import live_execution, paid_by_account
from workflows.expenditure.services import payment_record
from workflows.final_accounts.services import final_accounts_take_paid
from workflows.models import Resolution
from workflows.services.personal import personal_decide

YEAR = 2026
INCOME = {"401": D("60000.00"), "402": D("150000.00")}


@pytest.fixture
def pay(cast, finance, sent_request):
    """A request on the line, checked, approved and paid on the day given (backdating is allowed)."""

    def _pay(amount: str, account: str, paid_on: datetime.date, voucher: str):
        request = sent_request(amount, account=account)
        personal_decide(
            work_item=open_item(request, "finance_check"), actor=finance, resolution=Resolution.APPROVE
        )
        personal_decide(
            work_item=open_item(request, "chair_approval"), actor=cast.chair, resolution=Resolution.APPROVE
        )
        return payment_record(
            actor=finance, request=request, paid_on=paid_on, voucher_number=voucher, method="transfer"
        )

    return _pay


@pytest.fixture
def payments(pay):
    """50101: 3,000 paid in May (first half) and 2,000 in December; 50102: 4,500 in December; 50502:
    nothing. A request approved but not paid counts nowhere."""
    pay("3000.00", "50101", datetime.date(2026, 5, 10), "记-05-001")
    pay("2000.00", "50101", datetime.date(2026, 12, 1), "记-12-001")
    pay("4500.00", "50102", datetime.date(2026, 12, 5), "记-12-002")


def _actuals(lines) -> dict[str, D | None]:
    return {line.account_id: line.actual for line in lines.all()}


@pytest.mark.django_db
def test_paid_by_account_counts_paid_requests_up_to_the_day_in_one_query(
    cast, payments, sent_request, django_assert_num_queries
):
    sent_request("1000.00", account="50502")  # on its way, not paid: not counted
    with django_assert_num_queries(1):
        h1 = paid_by_account(cast.union.pk, YEAR, until=datetime.date(2026, 6, 30))
    assert h1 == {"50101": D("3000.00")}
    assert paid_by_account(cast.union.pk, YEAR, until=datetime.date(2026, 12, 31)) == {
        "50101": D("5000.00"),
        "50102": D("4500.00"),
    }
    assert paid_by_account(cast.union.pk, YEAR + 1) == {}


@pytest.mark.django_db
def test_the_h1_button_fills_the_expenditure_actuals_with_what_was_paid_by_30_june(
    cast, budget_in_force, payments, client
):
    review = make_execution_review(cast, budget_in_force, period="H1")
    review_save_actuals(actor=cast.office, review=review, actuals={**INCOME, "50502": D("999.00")})
    client.force_login(cast.office)
    page = client.get(reverse("execution:actuals", args=[review.pk])).content.decode()
    assert 'data-testid="take-paid"' in page and "2026-06-30" in page
    response = client.post(reverse("execution:take_paid", args=[review.pk]))
    assert response.status_code == 302 and response.url == reverse("execution:detail", args=[review.pk])
    # December's payments are after the half-year: only May's 3,000 counts; income lines untouched
    assert _actuals(review.lines) == {
        **INCOME,
        "50101": D("3000.00"),
        "50102": D("0.00"),
        "50502": D("0.00"),
    }
    assert Event.objects.filter(verb="actuals_saved", detail__source="ledger").count() == 1
    detail = client.get(reverse("execution:detail", args=[review.pk])).content.decode()
    assert 'data-testid="ledger-differs"' not in detail and 'data-testid="ledger-difference"' not in detail


@pytest.mark.django_db
def test_h2_takes_the_whole_year_and_a_typed_actual_that_differs_shows_both_figures(
    cast, budget_in_force, payments, client
):
    review = make_execution_review(cast, budget_in_force, period="H2")
    # typed from books kept elsewhere: 50101 agrees with the ledger, 50102 and 50502 do not
    typed = {**INCOME, "50101": D("5000.00"), "50102": D("4000.00"), "50502": D("800.00")}
    review_save_actuals(actor=cast.office, review=review, actuals=typed)
    client.force_login(cast.office)
    page = client.get(reverse("execution:detail", args=[review.pk])).content.decode()
    assert 'data-testid="ledger-differs"' in page
    row_50102 = page.split('data-code="50102"')[1].split("</tr>")[0]
    assert "4,000.00" in row_50102 and "4,500.00" in row_50102 and "-500.00" in row_50102
    row_50101 = page.split('data-code="50101"')[1].split("</tr>")[0]
    assert "5,000.00" in row_50101 and 'data-testid="ledger-difference"' not in row_50101
    assert page.count('data-testid="ledger-difference"') == 2
    review_take_paid(actor=cast.office, review=review)
    assert _actuals(review.lines) == {
        **INCOME,
        "50101": D("5000.00"),
        "50102": D("4500.00"),
        "50502": D("0.00"),
    }
    page = client.get(reverse("execution:detail", args=[review.pk])).content.decode()
    assert 'data-testid="ledger-differs"' not in page


@pytest.mark.django_db
def test_without_payments_there_is_no_button_no_column_and_nothing_is_overwritten(
    cast, budget_in_force, client
):
    review = make_execution_review(cast, budget_in_force, period="H2")
    review_save_actuals(actor=cast.office, review=review, actuals=ACTUALS)
    client.force_login(cast.office)
    assert (
        'data-testid="take-paid"'
        not in client.get(reverse("execution:actuals", args=[review.pk])).content.decode()
    )
    assert client.post(reverse("execution:take_paid", args=[review.pk])).status_code == 302
    assert _actuals(review.lines) == ACTUALS  # the books are elsewhere: the typed figures stay
    assert "ledger-" not in client.get(reverse("execution:detail", args=[review.pk])).content.decode()
    with pytest.raises(ValidationError):
        review_take_paid(actor=cast.office, review=review)


@pytest.mark.django_db
def test_final_accounts_take_the_years_payments_and_show_where_typed_figures_differ(
    cast, budget_in_force, payments, client
):
    final_accounts = make_final_accounts(cast)  # typed: 50101 140,000, 50102 195,000, 50502 58,000
    client.force_login(cast.office)
    detail = client.get(reverse("final_accounts:detail", args=[final_accounts.pk])).content.decode()
    assert 'data-testid="ledger-differs"' in detail
    assert detail.count('data-testid="ledger-difference"') == 3
    assert "135,000.00" in detail  # 50101: typed 140,000 − paid 5,000
    edit = client.get(reverse("final_accounts:edit", args=[final_accounts.pk])).content.decode()
    assert 'data-testid="take-paid"' in edit
    response = client.post(reverse("final_accounts:take_paid", args=[final_accounts.pk]))
    assert response.status_code == 302
    final_accounts.refresh_from_db()
    version = final_accounts.current_version
    assert _actuals(version.lines) == {
        "401": ACTUALS["401"],
        "402": ACTUALS["402"],
        "50101": D("5000.00"),
        "50102": D("4500.00"),
        "50502": D("0.00"),
    }
    assert version.carryover == D("20000.00")
    detail = client.get(reverse("final_accounts:detail", args=[final_accounts.pk])).content.decode()
    assert 'data-testid="ledger-differs"' not in detail
    assert "9,500.00" in detail.split('data-testid="ledger-total"')[1].split("</th>")[0]


@pytest.mark.django_db
def test_only_the_drafter_takes_the_paid_amounts_into_the_final_accounts(cast, budget_in_force, payments):
    final_accounts = make_final_accounts(cast)
    with pytest.raises(PermissionDenied):
        final_accounts_take_paid(actor=cast.chair, final_accounts=final_accounts)
    final_accounts_take_paid(actor=cast.office, final_accounts=final_accounts)
    final_accounts.refresh_from_db()
    assert final_accounts.current_version.lines.get(account_id="50102").actual == D("4500.00")


def _budget_in_force(union, drafter, expenditure: D) -> None:
    """A budget in force put straight into the tables (the chain is tested elsewhere)."""
    budget = Budget.objects.create(
        union=union, year=YEAR, title="预算", drafter=drafter, status=BudgetStatus.IN_FORCE
    )
    version = BudgetVersion.objects.create(budget=budget, number=1, created_by=drafter)
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(version=version, account_id="401", amount=expenditure),
            BudgetLine(version=version, account_id="50101", amount=expenditure),
        ]
    )
    budget.current_version = version
    budget.save(update_fields=["current_version"])


@pytest.mark.django_db
def test_the_upper_union_sees_each_unions_live_execution_rate_in_one_query(
    cast,
    tree,
    budget_in_force,
    payments,
    supervisor_of,
    client,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    _budget_in_force(tree["a2"], cast.office, D("80000.00"))
    LedgerLine.objects.create(union=tree["a2"], year=YEAR, account_id="50101", paid=D("20000.00"))
    with django_assert_num_queries(1):
        rows = live_execution(
            unions=Union.objects.filter(pk__in=[tree[k].pk for k in ("a1", "a2", "b1")]), year=YEAR
        )
    assert {(r.union_id, r.budgeted, r.paid) for r in rows} == {
        (tree["a1"].pk, D("410000.00"), D("9500.00")),
        (tree["a2"].pk, D("80000.00"), D("20000.00")),
    }
    client.force_login(supervisor_of(tree["dept_a"]))
    with django_assert_max_num_queries(11):
        page = client.get(reverse("execution:received", args=[tree["dept_a"].pk])).content.decode()
    live = page.split('data-testid="live"')[1].split("</table>")[0]
    # a1: 9,500 paid of 410,000 budgeted for expenditure; a2: 20,000 of 80,000
    assert tree["a1"].name in live and "9,500.00" in live and "2.3%" in live
    assert tree["a2"].name in live and "25.0%" in live
    assert 'type="submit"' not in live  # read-only
    # the provincial supervisor sees the unions further down too; dept_b's sees none of dept_a's
    client.force_login(supervisor_of(tree["prov"]))
    assert "2.3%" in client.get(reverse("execution:received", args=[tree["prov"].pk])).content.decode()
    client.force_login(supervisor_of(tree["dept_b"]))
    page = client.get(reverse("execution:received", args=[tree["dept_b"].pk])).content.decode()
    assert tree["a1"].name not in page and 'data-testid="live-none"' in page


@pytest.mark.django_db
def test_outsiders_are_refused_on_every_page_touched_and_the_supervisor_above_only_reads(
    cast, tree, budget_in_force, payments, supervisor_of, client
):
    review = make_execution_review(cast, budget_in_force, period="H2")
    final_accounts = make_final_accounts(cast)
    pages = [
        ("get", reverse("execution:detail", args=[review.pk])),
        ("get", reverse("execution:actuals", args=[review.pk])),
        ("post", reverse("execution:take_paid", args=[review.pk])),
        ("get", reverse("execution:received", args=[tree["dept_a"].pk])),
        ("get", reverse("final_accounts:detail", args=[final_accounts.pk])),
        ("get", reverse("final_accounts:edit", args=[final_accounts.pk])),
        ("post", reverse("final_accounts:take_paid", args=[final_accounts.pk])),
    ]
    for user in (cast.outsider, supervisor_of(tree["dept_b"])):
        client.force_login(user)
        for method, url in pages:
            assert getattr(client, method)(url).status_code == 404, (user.username, method, url)
    client.force_login(supervisor_of(tree["dept_a"]))
    # the supervisor above does not see a draft analysis at all, and reads the final accounts only
    assert client.post(reverse("execution:take_paid", args=[review.pk])).status_code == 404
    assert client.post(reverse("final_accounts:take_paid", args=[final_accounts.pk])).status_code == 403
    assert client.get(reverse("final_accounts:detail", args=[final_accounts.pk])).status_code == 200
    assert _actuals(review.lines) == dict.fromkeys(ACTUALS)  # nothing was written by anyone refused
    final_accounts.refresh_from_db()
    assert _actuals(final_accounts.current_version.lines) == ACTUALS
