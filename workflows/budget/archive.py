"""What the archive indexes of a budget besides its title (S5.3): every version's explanation and its
lines (account name, amount, remark), so a search finds the budget by an account or a remark."""

from __future__ import annotations

from .models import Budget, BudgetLine, BudgetVersion


def budget_archive_text(budget: Budget) -> str:
    parts = []
    for version in BudgetVersion.objects.filter(budget=budget).order_by("number"):
        parts.append(version.note)
        lines = BudgetLine.objects.filter(version=version).select_related("account").order_by("account_id")
        parts.extend(f"{line.account_id} {line.account.name} {line.amount} {line.remark}" for line in lines)
    return "\n".join(p for p in parts if p)
