"""Reads of the budget adjustment (S3.4): the union's rule (who approves last, how many a year) and
the 30 September window.

The window closes at 23:59:59 of its last day (30 September of the budget year by default; the
nearest S3.4-adjustment obligation rule may set another day) in the union's time zone
(``Union.time_zone``, Asia/Shanghai by default).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from core.models import Union
from core.statutory import ObligationCode, ObligationRule, end_of_day_words
from workflows.budget.models import Budget
from workflows.models import WorkItem, WorkItemState

from .models import AdjustmentRule, FinalBody

WINDOW_CODE = ObligationCode.ADJUSTMENT_WINDOW
DEFAULT_LAST_DAY = (9, 30)  # S3.4: "only before the end of September"


# --- the rules: who approves last, how many a year ----------------------------------------------


@dataclass(frozen=True)
class EffectiveRule:
    final_body: str
    per_year: int


def adjustment_rule_for(*, union: Union) -> EffectiveRule:
    """Nearest setting wins: the union's own rule, its department union's, the provincial default."""
    scopes = [pk for pk in (union.pk, union.parent_id) if pk is not None]
    rows = {
        r.union_id: r for r in AdjustmentRule.objects.filter(Q(union__isnull=True) | Q(union_id__in=scopes))
    }
    for scope in (union.pk, union.parent_id):
        if scope is not None and scope in rows:
            return EffectiveRule(final_body=rows[scope].final_body, per_year=rows[scope].per_year)
    default = rows.get(None)
    if default is not None:
        return EffectiveRule(final_body=default.final_body, per_year=default.per_year)
    return EffectiveRule(final_body=FinalBody.FOLLOW_BUDGET, per_year=1)


def final_body_for(*, rule: EffectiveRule, budget: Budget) -> str:
    """The adjustment's last body. By default it follows the original budget's procedure: the body
    that took the budget's last collective decision (the congress, S3.3)."""
    if rule.final_body != FinalBody.FOLLOW_BUDGET:
        return rule.final_body
    last = (
        WorkItem.objects.filter(process_id=budget.process_id, state=WorkItemState.DONE, body__isnull=False)
        .order_by("-finished_at", "-id")
        .values_list("body__kind", flat=True)
        .first()
    )
    return FinalBody.UNION_COMMITTEE if last == FinalBody.UNION_COMMITTEE else FinalBody.CONGRESS


# --- the window (S3.4) ----------------------------------------------------------------------------


def window_rule(union: Union) -> ObligationRule | None:
    scopes = [pk for pk in (union.pk, union.parent_id) if pk is not None]
    rows = {
        r.union_id: r
        for r in ObligationRule.objects.filter(code=WINDOW_CODE).filter(
            Q(union__isnull=True) | Q(union_id__in=scopes)
        )
    }
    for scope in (union.pk, union.parent_id):
        if scope is not None and scope in rows:
            return rows[scope]
    return rows.get(None)


def window_last_day(*, union: Union, year: int, rule: ObligationRule | None = None) -> datetime.date:
    """The last day of the adjustment window: 30 September of the budget year unless a rule says otherwise."""
    rule = rule if rule is not None else window_rule(union)
    if rule is not None:
        dates = rule.due_dates(year)
        if dates:
            return dates[0][1]
    return datetime.date(year, *DEFAULT_LAST_DAY)


def window_closes_at(*, union: Union, year: int) -> datetime.datetime:
    """The first moment after the window (00:00:00 of the next day in the union's time zone)."""
    day = window_last_day(union=union, year=year) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 0)), union.tz)


def window_open(*, union: Union, year: int, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) < window_closes_at(union=union, year=year)


def window_params(*, union: Union, year: int, now: datetime.datetime | None = None) -> dict:
    """The window's words for a message ("2027年9月30日24时", the moment now) and, for the event's
    detail, the exact cutoff and time zone."""
    last_day = window_last_day(union=union, year=year)
    moment = timezone.localtime(now or timezone.now(), union.tz)
    return {
        "year": year,
        "deadline": end_of_day_words(last_day),
        "moment": date_format(moment, "DATETIME_FORMAT"),
        "cutoff": f"{last_day:%Y-%m-%d} 23:59:59",
        "tz": union.time_zone,
        "now": f"{moment:%Y-%m-%d %H:%M:%S}",
    }
