"""What changed between two versions of a budget, account by account (shown to reviewers, S3.3)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from workflows.budget.models import BudgetVersion

Change = Literal["added", "removed", "changed", "same"]
ZERO = Decimal("0")


@dataclass(frozen=True)
class LineChange:
    code: str
    name: str
    kind: str
    old: Decimal | None
    new: Decimal | None
    delta: Decimal
    change: Change


@dataclass(frozen=True)
class CarryoverChange:
    """The funds rolled over from the previous year, and whether they were an estimate."""

    old: Decimal | None
    new: Decimal
    delta: Decimal
    change: Change  # "added" (no old version), "changed" or "same" by amount
    old_is_estimate: bool | None
    new_is_estimate: bool

    @property
    def estimate_changed(self) -> bool:
        """The estimate was replaced by the audited figure (or the other way round)."""
        return self.old_is_estimate is not None and self.old_is_estimate != self.new_is_estimate


def _lines(version: BudgetVersion) -> dict:
    return {line.account_id: line for line in version.lines.select_related("account")}


def version_diff(old_version: BudgetVersion | None, new_version: BudgetVersion) -> list[LineChange]:
    """One LineChange per account on either version, sorted by account code; two queries at most."""
    old = _lines(old_version) if old_version is not None else {}
    new = _lines(new_version)
    changes = []
    for code in sorted(old.keys() | new.keys()):
        before, after = old.get(code), new.get(code)
        account = (after or before).account
        old_amount = before.amount if before is not None else None
        new_amount = after.amount if after is not None else None
        if before is None:
            change = "added"
        elif after is None:
            change = "removed"
        elif old_amount != new_amount:
            change = "changed"
        else:
            change = "same"
        changes.append(
            LineChange(
                code=code,
                name=account.name,
                kind=account.kind,
                old=old_amount,
                new=new_amount,
                delta=(new_amount or ZERO) - (old_amount or ZERO),
                change=change,
            )
        )
    return changes


def carryover_change(old_version: BudgetVersion | None, new_version: BudgetVersion) -> CarryoverChange:
    """The carryover of `new_version` against `old_version` (None: the first version). No queries."""
    new = new_version.carryover
    if old_version is None:
        return CarryoverChange(
            old=None,
            new=new,
            delta=new,
            change="added",
            old_is_estimate=None,
            new_is_estimate=new_version.carryover_is_estimate,
        )
    old = old_version.carryover
    return CarryoverChange(
        old=old,
        new=new,
        delta=new - old,
        change="same" if old == new else "changed",
        old_is_estimate=old_version.carryover_is_estimate,
        new_is_estimate=new_version.carryover_is_estimate,
    )
