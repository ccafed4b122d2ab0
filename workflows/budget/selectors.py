"""Who may see a budget, and the budgets of a union a user may list."""

from __future__ import annotations

from workflows.visibility import document_visible, documents_for_union

from .models import Account, AccountKind, Budget


def budget_visible_to(*, user, budget: Budget) -> bool:
    return document_visible(user=user, union=budget.union, process_id=budget.process_id)


def budgets_for_union(*, user, union):
    qs = Budget.objects.filter(union=union).select_related("current_version").order_by("-year", "-id")
    return documents_for_union(user=user, union=union, queryset=qs)


def budget_opinion_summary(budget: Budget) -> dict | None:
    """What an opinion-giver reads beside the request: the draft's lines and totals."""
    version = budget.current_version
    if version is None:
        return None
    lines = list(version.lines.select_related("account").order_by("account_id"))
    income, expenditure = version.totals()
    return {"version": version, "lines": lines, "income": income, "expenditure": expenditure}


def postable_chart() -> list:
    """The accounts a budget's or an adjustment's lines may use, in code order."""
    return list(
        Account.objects.filter(
            postable=True, kind__in=[AccountKind.INCOME, AccountKind.EXPENDITURE]
        ).order_by("code")
    )
