"""Upward summaries (issue 33): the budgets and final accounts in force of the unions below a department
or provincial union, summed by account in the layout of the ACFTU tables (工会经费收支预算表 / 决算表), with
the unions that have not submitted.

Who is summed: every active department or grassroots union below the union, at any depth. A provincial
union therefore sums its department unions and their grassroots unions; each union's own budget is
counted once (a department union's budget is its own organ union's, never the sum of the unions below
it, so nothing counts twice). Union groups keep no budget and are not listed; the union's own budget is
not in its own summary.

"Submitted" means in force for the year: a budget approved by its congress (S3.3), final accounts
approved by the congress through the report on budget and final accounts (S3.5). Only approved figures
are summed. A draft, a document still in its chain or returned for revision counts as not submitted and
is listed with its status (the step it stands at); a union with no live document is "not drawn up".
Whether the finance report has then reached the upper union is the received-reports tab's question.

Set-based: the unions below (one recursive query), the chart (one), the documents and the lines summed
by PostgreSQL (two per kind): six queries whatever the number of unions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Sum

from core.models import Union, UnionKind
from core.selectors import MAX_DEPTH
from workflows.budget.models import Account, AccountKind, Budget, BudgetLine, BudgetStatus
from workflows.final_accounts.models import FinalAccounts, FinalAccountsLine, FinalAccountsStatus

ZERO = Decimal("0")
# The heading rows of the tables, in their order; the page and the workbook give them their words.
INCOME_TOTAL, EXPENDITURE_TOTAL = "income_total", "expenditure_total"
CARRYOVER, BALANCE = "carryover", "balance"

_BELOW_SQL = f"""
WITH RECURSIVE sub(id, depth) AS (
    SELECT id, 1 FROM core_union WHERE parent_id = %s
    UNION ALL
    SELECT u.id, sub.depth + 1 FROM core_union u JOIN sub ON u.parent_id = sub.id
    WHERE sub.depth < {MAX_DEPTH}
)
SELECT u.id, u.name, u.kind, u.parent_id FROM core_union u
WHERE u.id IN (SELECT id FROM sub) AND u.is_active AND u.kind IN (%s, %s)
ORDER BY u.kind = %s DESC, u.name, u.id"""


@dataclass(frozen=True)
class Row:
    """A row of the table: a heading total (``heading`` set), an account, or a sub-account (level 2).
    ``values``: (amount,) in the budget table, (budgeted, actual) in the final accounts table."""

    number: int  # 行次
    label: str
    code: str
    level: int
    values: tuple[Decimal, ...]
    heading: str = ""
    subtotal: bool = False  # an account summing its sub-accounts

    @property
    def is_total(self) -> bool:
        return bool(self.heading) or self.subtotal

    @property
    def percent(self) -> Decimal | None:
        """完成%: actual over budgeted (final accounts table only), None without a budgeted amount and
        on the carryover and balance rows (balances, not amounts to complete)."""
        if len(self.values) < 2 or not self.values[0] or self.heading in (CARRYOVER, BALANCE):
            return None
        return (100 * self.values[1] / self.values[0]).quantize(Decimal("0.1"))


@dataclass
class Figures:
    """One kind's figures: per union per account (when asked) and summed, and the carryovers."""

    sums: dict[str, list[Decimal]] = field(default_factory=dict)  # account → [budgeted?, amount]
    carryover: list[Decimal] = field(default_factory=lambda: [ZERO, ZERO])
    by_union: dict[int, dict[str, list[Decimal]]] = field(default_factory=dict)
    carryover_by_union: dict[int, list[Decimal]] = field(default_factory=dict)


@dataclass(frozen=True)
class Missing:
    """A union that has not submitted one of the two: the status of its live budget and final accounts
    of the year (None: none drawn up)."""

    union: Union
    budget: str | None
    final: str | None

    @property
    def budget_in_force(self) -> bool:
        return self.budget == BudgetStatus.IN_FORCE

    @property
    def final_in_force(self) -> bool:
        return self.final == FinalAccountsStatus.IN_FORCE

    @property
    def budget_label(self) -> str | None:
        return None if self.budget is None else str(dict(BudgetStatus.choices)[self.budget])

    @property
    def final_label(self) -> str | None:
        return None if self.final is None else str(dict(FinalAccountsStatus.choices)[self.final])


@dataclass
class UpwardSummary:
    union: Union
    year: int
    unions: list[Union]
    accounts: list[Account]
    budget: Figures
    final: Figures
    budget_status: dict[int, str]  # union id → status of its live budget of the year
    final_status: dict[int, str]

    @property
    def budget_rows(self) -> list[Row]:
        return table_rows(self.accounts, self.budget.sums, self.budget.carryover, columns=1)

    @property
    def final_rows(self) -> list[Row]:
        return table_rows(self.accounts, self.final.sums, self.final.carryover, columns=2)

    def union_rows(self, kind: str, union_id: int) -> list[Row]:
        figures = self.budget if kind == "budget" else self.final
        return table_rows(
            self.accounts,
            figures.by_union.get(union_id, {}),
            figures.carryover_by_union.get(union_id, [ZERO, ZERO]),
            columns=1 if kind == "budget" else 2,
        )

    @property
    def budget_submitted(self) -> list[Union]:
        return [u for u in self.unions if self.budget_status.get(u.pk) == BudgetStatus.IN_FORCE]

    @property
    def final_submitted(self) -> list[Union]:
        return [u for u in self.unions if self.final_status.get(u.pk) == FinalAccountsStatus.IN_FORCE]

    @property
    def not_submitted(self) -> list[Missing]:
        """Every union with its budget or its final accounts of the year not in force."""
        rows = []
        for union in self.unions:
            b, f = self.budget_status.get(union.pk), self.final_status.get(union.pk)
            if b != BudgetStatus.IN_FORCE or f != FinalAccountsStatus.IN_FORCE:
                rows.append(Missing(union, b, f))
        return rows


def subordinate_unions(union: Union) -> list[Union]:
    """The active department and grassroots unions below ``union`` at any depth (departments first,
    then by name): one query."""
    params = [union.pk, UnionKind.DEPARTMENT, UnionKind.GRASSROOTS, UnionKind.DEPARTMENT]
    return list(Union.objects.raw(_BELOW_SQL, params))


def _chart() -> list[Account]:
    kinds = [AccountKind.INCOME, AccountKind.EXPENDITURE]
    return list(Account.objects.filter(kind__in=kinds).order_by("code"))


def _budget_figures(ids: list[int], year: int, *, by_union: bool) -> tuple[Figures, dict[int, str]]:
    """The live budgets' statuses and the in-force versions' lines summed: two queries."""
    docs = (
        Budget.objects.filter(union_id__in=ids, year=year)
        .exclude(status=BudgetStatus.WITHDRAWN)
        .values_list("union_id", "status", "current_version__carryover")
    )
    figures, status = Figures(), {}
    for union_id, state, carryover in docs:
        status[union_id] = state
        if state == BudgetStatus.IN_FORCE:
            figures.carryover[1] += carryover or ZERO
            figures.carryover_by_union[union_id] = [ZERO, carryover or ZERO]
    # the lines of the version in force (an adjustment in force moves current_version, S3.4)
    lines = BudgetLine.objects.filter(
        version__budget__union_id__in=ids,
        version__budget__year=year,
        version__budget__status=BudgetStatus.IN_FORCE,
        version__budget__current_version=F("version"),
    )
    keys = ["version__budget__union_id", "account_id"] if by_union else ["account_id"]
    for row in lines.values(*keys).annotate(total=Sum("amount")).order_by():
        _add(figures, row, by_union, ZERO, row["total"])
    return figures, status


def _final_figures(ids: list[int], year: int, *, by_union: bool) -> tuple[Figures, dict[int, str]]:
    """The live final accounts' statuses and the in-force versions' lines (budgeted, actual) summed."""
    docs = (
        FinalAccounts.objects.filter(union_id__in=ids, year=year)
        .exclude(status=FinalAccountsStatus.WITHDRAWN)
        .values_list("union_id", "status", "budget_version__carryover", "current_version__carryover")
    )
    figures, status = Figures(), {}
    for union_id, state, planned, carryover in docs:
        status[union_id] = state
        if state == FinalAccountsStatus.IN_FORCE:
            pair = [planned or ZERO, carryover or ZERO]
            figures.carryover = [figures.carryover[0] + pair[0], figures.carryover[1] + pair[1]]
            figures.carryover_by_union[union_id] = pair
    lines = FinalAccountsLine.objects.filter(
        version__final_accounts__union_id__in=ids,
        version__final_accounts__year=year,
        version__final_accounts__status=FinalAccountsStatus.IN_FORCE,
        version__final_accounts__current_version=F("version"),
    )
    keys = ["version__final_accounts__union_id", "account_id"] if by_union else ["account_id"]
    for row in lines.values(*keys).annotate(planned=Sum("budgeted"), total=Sum("actual")).order_by():
        _add(figures, row, by_union, row["planned"], row["total"])
    return figures, status


def _add(figures: Figures, row: dict, by_union: bool, planned, amount) -> None:
    planned, amount = planned or ZERO, amount or ZERO
    account = row["account_id"]
    pair = figures.sums.setdefault(account, [ZERO, ZERO])
    pair[0] += planned
    pair[1] += amount
    if by_union:
        union_id = row.get("version__budget__union_id") or row.get("version__final_accounts__union_id")
        figures.by_union.setdefault(union_id, {})[account] = [planned, amount]


def upward_summary(*, union: Union, year: int, by_union: bool = False) -> UpwardSummary:
    """The summary of ``union``'s subordinate unions for ``year``; ``by_union`` keeps each union's
    figures too (the workbook's per-union sheets). Six queries whatever the number of unions."""
    unions = subordinate_unions(union)
    ids = [u.pk for u in unions]
    budget, budget_status = _budget_figures(ids, year, by_union=by_union)
    final, final_status = _final_figures(ids, year, by_union=by_union)
    return UpwardSummary(
        union=union,
        year=year,
        unions=unions,
        accounts=_chart(),
        budget=budget,
        final=final,
        budget_status=budget_status,
        final_status=final_status,
    )


def table_rows(
    accounts: list[Account], sums: dict[str, list[Decimal]], carryover: list[Decimal], *, columns: int
) -> list[Row]:
    """The ACFTU layout: 一、收入合计 and the income accounts; 二、支出合计 and the expenditure accounts, a
    parent account as the subtotal of its sub-accounts; 三、上年结转; 四、收支差额 (budget: income +
    carryover − expenditure) or 期末滚存 (final accounts: the same with the actual amounts)."""

    def pick(pair: list[Decimal]) -> tuple[Decimal, ...]:
        return tuple(pair[2 - columns :])

    def total(codes) -> list[Decimal]:
        found = [sums.get(code, [ZERO, ZERO]) for code in codes]
        return [sum((p[0] for p in found), ZERO), sum((p[1] for p in found), ZERO)]

    postable = [a for a in accounts if a.postable]
    income = total(a.code for a in postable if a.kind == AccountKind.INCOME)
    spent = total(a.code for a in postable if a.kind == AccountKind.EXPENDITURE)
    rows: list[Row] = []

    def add(label, code, level, pair, heading="", subtotal=False):
        rows.append(Row(len(rows) + 1, label, code, level, pick(pair), heading, subtotal))

    for heading, kind, amount in (
        (INCOME_TOTAL, AccountKind.INCOME, income),
        (EXPENDITURE_TOTAL, AccountKind.EXPENDITURE, spent),
    ):
        add("", "", 0, amount, heading)
        for account in (a for a in accounts if a.kind == kind and a.parent_id is None):
            children = [a for a in accounts if a.parent_id == account.code]
            if children:
                add(account.name, account.code, 1, total(c.code for c in children), subtotal=True)
                for child in children:
                    add(child.name, child.code, 2, sums.get(child.code, [ZERO, ZERO]))
            else:
                add(account.name, account.code, 1, sums.get(account.code, [ZERO, ZERO]))
    add("", "", 0, carryover, CARRYOVER)
    add("", "", 0, [carryover[i] + income[i] - spent[i] for i in (0, 1)], BALANCE)
    return rows
