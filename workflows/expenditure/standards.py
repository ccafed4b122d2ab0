"""Spending standards (开支标准, S5.3): caps per case, per person each time and per person per year,
as data (SpendingStandard rows, nearest union wins), checked on every request when it is sent, with the
year's running total per person for payments to individuals."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, Sum

from core.models import Union
from workflows.amounts import format_yuan

from . import errors
from .models import (
    ON_ITS_WAY,
    ExpenditurePayee,
    ExpenditureRequest,
    ExpenditureStatus,
    SpendingStandard,
    StandardBasis,
)

# Requests whose payments count against a person's yearly standard: on their way, approved or paid.
COUNTED = [*ON_ITS_WAY, ExpenditureStatus.APPROVED, ExpenditureStatus.PAID]


def standards_for(union: Union) -> dict[str, SpendingStandard]:
    """The standards that apply to the union, by kind: its own row, its department union's, the
    provincial default (one query)."""
    scopes = [pk for pk in (union.pk, union.parent_id) if pk is not None]
    rows = SpendingStandard.objects.filter(Q(union__isnull=True) | Q(union_id__in=scopes))
    rank = {union.pk: 0, union.parent_id: 1, None: 2}
    found: dict[str, SpendingStandard] = {}
    for row in sorted(rows, key=lambda r: rank.get(r.union_id, 3)):
        found.setdefault(row.code, row)
    return found


def standard_problems(request: ExpenditureRequest) -> list[str]:
    """Why the request breaks its spending standard, with the figures; [] when it keeps it."""
    if not request.standard:
        return []
    standard = standards_for(request.union).get(request.standard)
    if standard is None:
        return [str(errors.STANDARD_UNKNOWN)]
    figures = {"standard": standard.name, "cap": format_yuan(standard.cap)}
    if standard.basis == StandardBasis.PER_CASE:
        if request.amount > standard.cap:
            return [str(errors.OVER_STANDARD_CASE % {**figures, "amount": format_yuan(request.amount)})]
        return []
    payees = list(request.payees.all()) if request.pk else []
    if not payees:
        return [str(errors.STANDARD_NEEDS_PAYEES % figures)]
    if standard.basis == StandardBasis.PER_PERSON:
        return [
            str(errors.OVER_STANDARD_PERSON % {**figures, "name": p.name, "amount": format_yuan(p.amount)})
            for p in payees
            if p.amount > standard.cap
        ]
    return _yearly_problems(request, payees, standard, figures)


def _yearly_problems(request, payees, standard, figures) -> list[str]:
    """Per person per year: what each payee already has this year under the same standard (requests
    on their way, approved or paid; one query), plus this request."""
    before = dict(
        ExpenditurePayee.objects.filter(
            request__union_id=request.union_id,
            request__year=request.year,
            request__standard=request.standard,
            request__status__in=COUNTED,
            name__in={p.name for p in payees},
        )
        .exclude(request_id=request.pk)
        .values_list("name")
        .annotate(total=Sum("amount"))
    )
    problems = []
    for payee in payees:
        total = before.get(payee.name, Decimal("0")) + payee.amount
        if total > standard.cap:
            problems.append(
                str(
                    errors.OVER_STANDARD_YEAR
                    % {
                        **figures,
                        "name": payee.name,
                        "before": format_yuan(before.get(payee.name, Decimal("0"))),
                        "total": format_yuan(total),
                    }
                )
            )
    return problems
