"""The Five Ones obligations: default rules, generation per union and year, meeting them, status."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from core.models import Body, BodyKind, Union, UnionKind
from core.services.events import event_record
from core.signals import obligations_created
from core.statutory import Obligation, ObligationCode, ObligationRecord, ObligationRule, ObligationStatus
from core.statutory_defaults import DEFAULT_RULES


def rules_for(*, union: Union, rules_by_scope: dict) -> dict[str, ObligationRule]:
    """Nearest setting wins: the union's own, then its parent's (department), then the default."""
    result = {}
    for code in sorted({code for _scope, code in rules_by_scope}):  # every obligation a rule row names
        for scope in (union.pk, union.parent_id, None):
            rule = rules_by_scope.get((scope, code))
            if rule is not None:
                result[code] = rule
                break
    return result


@transaction.atomic
def obligations_generate(*, fiscal_year: int, unions=None) -> int:
    """Create the year's obligations of every department and grassroots union (idempotent)."""
    rules_by_scope = {(r.union_id, r.code): r for r in ObligationRule.objects.all()}
    qs = (
        unions
        if unions is not None
        else Union.objects.filter(kind__in=[UnionKind.DEPARTMENT, UnionKind.GRASSROOTS], is_active=True)
    )
    rows = []
    for union in qs:
        for code, rule in rules_for(union=union, rules_by_scope=rules_by_scope).items():
            if not (rule.active and rule.generated) or union.kind not in rule.kinds.split(","):
                continue
            if rule.min_members and union.member_count < rule.min_members:
                continue
            for period, due in rule.due_dates(fiscal_year):
                rows.append(
                    Obligation(
                        union=union,
                        code=code,
                        fiscal_year=fiscal_year,
                        period=period,
                        due_date=due,
                        missed_after_days=rule.missed_after_days,
                    )
                )
    before = Obligation.objects.filter(fiscal_year=fiscal_year).count()
    Obligation.objects.bulk_create(rows, ignore_conflicts=True)
    # in this transaction: whoever keeps deadlines (the reminders) sees the year's obligations at once
    obligations_created.send(sender=Obligation, fiscal_year=fiscal_year)
    return Obligation.objects.filter(fiscal_year=fiscal_year).count() - before


def obligation_meet(
    *, union: Union, code: str, fiscal_year: int, period: str = "", on=None, by: str = ""
) -> bool:
    """Mark an obligation met (idempotent). Returns True when this call met it."""
    day = on or timezone.localdate()
    updated = Obligation.objects.filter(
        union=union, code=code, fiscal_year=fiscal_year, period=period, met_on__isnull=True
    ).update(met_on=day, met_by=by[:200], status=ObligationStatus.MET)
    if updated:
        event_record(
            verb="obligation_met",
            union=union,
            detail={"code": code, "year": fiscal_year, "period": period, "by": by},
        )
    return bool(updated)


# S4.1: the obligation each committee's regular meetings meet. Their cadence is data: the periods of the
# nearest ObligationRule (default: the union committee quarterly, the other two half-yearly).
COMMITTEE_MEETING_CODES = {
    BodyKind.UNION_COMMITTEE: ObligationCode.UNION_COMMITTEE_MEETS,
    BodyKind.AUDIT_COMMITTEE: ObligationCode.AUDIT_COMMITTEE_MEETS,
    BodyKind.WOMEN_COMMITTEE: ObligationCode.WOMEN_COMMITTEE_MEETS,
}


def obligation_meet_for_day(*, union: Union, code: str, day: datetime.date, by: str) -> bool:
    """S4.1: meet the obligation whose period holds ``day`` — the first of the union's obligations of
    ``code`` falling due on or after it, so a union's own cadence (monthly, quarterly…) decides the
    period, not a calendar written here. Returns True when this call met it."""
    obligation = (
        Obligation.objects.filter(union=union, code=code, due_date__gte=day)
        .order_by("due_date")
        .values("fiscal_year", "period")
        .first()
    )
    if obligation is None:
        return False
    return obligation_meet(union=union, code=code, on=day, by=by, **obligation)


def committee_meeting_code(body: Body) -> str | None:
    """The S4.1 obligation a body's regular meeting meets (none for the Party organisation or congress)."""
    return COMMITTEE_MEETING_CODES.get(body.kind)


def single_person_codes(union_id: int) -> set[str]:
    """S4.1: the committee obligations a union meets by a record, not a meeting — those of its
    single-person bodies (a small union's one fund audit member holds no meetings: the period's work
    is met by a record of what the person did, like the obligations recorded by hand)."""
    kinds = Body.objects.filter(union_id=union_id, is_single_person=True).values_list("kind", flat=True)
    return {COMMITTEE_MEETING_CODES[k] for k in kinds if k in COMMITTEE_MEETING_CODES}


@transaction.atomic
def obligation_record(*, obligation: Obligation, user, held_on: datetime.date, note: str, attachment=None):
    """Officers record what fulfils an obligation whose own flow comes later (S3.4, S4.3, S5.2)."""
    record = ObligationRecord(obligation=obligation, held_on=held_on, note=note, recorded_by=user)
    if attachment is not None:
        record.attachment = attachment
        record.attachment_name = Path(attachment.name).name[:200]
    record.full_clean(exclude=["obligation", "recorded_by"])
    record.save()
    obligation_meet(
        union=obligation.union,
        code=obligation.code,
        fiscal_year=obligation.fiscal_year,
        period=obligation.period,
        on=held_on,
        by=f"record:{record.pk}",
    )
    return record


def obligations_refresh_status(*, on: datetime.date | None = None) -> int:
    """Nightly: pending → late → missed by the dates (met ones are left alone). Idempotent."""
    today = on or timezone.localdate()
    changed = 0
    unmet = Obligation.objects.exclude(status__in=[ObligationStatus.MET, ObligationStatus.RETURNED])
    changed += (
        unmet.filter(due_date__gte=today)
        .exclude(status=ObligationStatus.PENDING)
        .update(status=ObligationStatus.PENDING)
    )
    for obligation in (
        unmet.filter(due_date__lt=today)
        .exclude(status=ObligationStatus.MISSED)
        .only("id", "due_date", "missed_after_days", "status", "met_on")
        .iterator()
    ):
        status = obligation.status_on(today)
        if status != obligation.status:
            Obligation.objects.filter(pk=obligation.pk).update(status=status)
            changed += 1
    return changed


def default_rules_install(ObligationRuleModel=ObligationRule) -> None:
    for code, spec in DEFAULT_RULES.items():
        ObligationRuleModel.objects.update_or_create(
            union=None,
            code=code,
            defaults={
                "periods": spec["periods"],
                "generated": spec.get("generated", True),
                "min_members": spec.get("min_members"),
                "kinds": spec.get("kinds", "department,grassroots"),
            },
        )
