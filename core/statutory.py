"""The statutory calendar: China's working days, and the Five Ones obligations of each union.

Working days live in an editable table. A year with a ``CalendarYear`` row is known: its exception
days (holidays on weekdays, 调休 working weekends) are ``CalendarDay`` rows. A year without data
falls back to Monday–Friday (the admin page warns). The ``holidays`` package seeds the years whose
swapped working Saturdays it knows (through 2026); later years come from each State Council notice.
"""

from __future__ import annotations

import calendar
import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core import errors, refcache
from core.uploads import random_path


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    source = models.CharField(_("source"), max_length=200)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("working-day calendar year")
        verbose_name_plural = _("working-day calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to Monday–Friday: a holiday on a weekday, or a 调休 working Saturday/Sunday."""

    date = models.DateField(_("date"), primary_key=True)
    is_working = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar exception day")
        verbose_name_plural = _("calendar exception days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'+' if self.is_working else '-'} {self.name}"


def _calendar_rows() -> tuple[frozenset[int], dict[datetime.date, bool]]:
    """Every known year and exception day: a few dozen rows a year, kept in memory (core.refcache)."""
    return (
        frozenset(CalendarYear.objects.values_list("year", flat=True)),
        dict(CalendarDay.objects.values_list("date", "is_working")),
    )


class WorkingCalendar:
    """Answers working-day questions (the whole table, from core.refcache; the range is kept for
    callers that name the span they ask about)."""

    def __init__(self, start: datetime.date, end: datetime.date):
        self.known_years, self.exceptions = refcache.cached("working-calendar", _calendar_rows)

    def is_working(self, day: datetime.date) -> bool:
        if day.year in self.known_years and day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def on_or_before(self, day: datetime.date) -> datetime.date:
        """The day itself if working, else the previous working day (a reminder never falls on a holiday)."""
        while not self.is_working(day):
            day -= datetime.timedelta(days=1)
        return day


def is_working_day(day: datetime.date) -> bool:
    return WorkingCalendar(day, day).is_working(day)


def unknown_years(years: list[int]) -> list[int]:
    known = set(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    return [y for y in years if y not in known]


# --- Obligations -------------------------------------------------------------------------------


class ObligationCode(models.TextChoices):
    PARTY_HEARS_REPORT = "S1.2", _("S1.2 the Party organisation hears a report on union work")
    PLAN = "S2.2", _("S2.2 next year's plan approved by the congress")
    WORK_REPORT = "S2.3", _("S2.3 work report approved and submitted upward")
    BUDGET = "S3.3", _("S3.3 budget approved by the congress")
    EXECUTION_ANALYSIS = "S3.4-analysis", _("S3.4 half-yearly budget execution analysis")
    ADJUSTMENT_WINDOW = "S3.4-adjustment", _("S3.4 budget adjustment window closes")
    FINANCE_REPORT = "S3.5", _("S3.5 budget and final accounts report submitted upward")
    UNION_COMMITTEE_MEETS = "S4.1-union_committee", _("S4.1 union committee meets")
    AUDIT_COMMITTEE_MEETS = "S4.1-audit_committee", _("S4.1 fund audit committee meets")
    WOMEN_COMMITTEE_MEETS = "S4.1-women_committee", _("S4.1 women workers' committee meets")
    STUDY = "S4.3-study", _("S4.3 concentrated study or seminar")
    TRAINING = "S4.3-training", _("S4.3 training class (large unions)")
    SATISFACTION_SURVEY = "S5.2", _("S5.2 satisfaction survey")


# A deadline as people say it: the whole last day counts ("2027年9月30日24时"), in the union's own
# time zone, which the page does not name.
END_OF_DAY = _("the end of %(date)s")


def end_of_day_words(day: datetime.date) -> str:
    return str(END_OF_DAY) % {"date": date_format(day, "DATE_FORMAT")}


# The labels above begin with their seed clause (for the admin and the English catalogue); pages show
# the words and put the clause in a 依据 tooltip (core.templatetags.rules).
_LEADING_RULE = re.compile(r"^S\d\.\d\s*")


def rule_of(code: str) -> str:
    """The seed clause an obligation code stands on: "S3.4-analysis" → "S3.4"."""
    return code.split("-", 1)[0]


def obligation_words(code: str) -> str:
    """An obligation in words, without its seed clause: what a page or a message shows."""
    label = str(ObligationCode(code).label) if code in ObligationCode.values else code
    return _LEADING_RULE.sub("", label)


class ObligationStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    MET = "met", _("met")
    LATE = "late", _("late")
    MISSED = "missed", _("missed")
    # A submission returned by the upper-level union for correction (S2.3, S3.5).
    RETURNED = "returned", _("returned for correction")


# What each status means, shown once under the calendar and the scorecard: "late" and "missed" are
# easy to confuse, and "pending" is not late at all. In the order a year runs.
STATUS_MEANINGS = {
    ObligationStatus.PENDING: _("not yet due, or due today"),
    ObligationStatus.LATE: _("past its due date, still to be done"),
    ObligationStatus.MISSED: _(
        "still not done long after its due date (the rule's number of days): counted as missed"
    ),
    ObligationStatus.RETURNED: _("submitted, returned by the upper-level union for correction"),
    ObligationStatus.MET: _("done, with the date"),
}


def validate_periods(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(errors.RULE_PERIODS)
    for period in value:
        try:
            month, day, offset = int(period["month"]), int(period["day"]), int(period.get("year_offset", 0))
        except (KeyError, TypeError, ValueError):
            raise ValidationError(errors.RULE_PERIODS) from None
        if not (1 <= month <= 12 and 0 <= day <= 31 and offset in (0, 1)):
            raise ValidationError(errors.RULE_PERIODS)


class ObligationRule(models.Model):
    """When an obligation falls due. Nearest setting wins: the union's own row, then its department
    union's row, then the provincial default (union empty)."""

    union = models.ForeignKey(
        "core.Union",
        verbose_name=_("set by union"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="obligation_rules",
        help_text=_("Empty: the provincial default. A department union's row applies to its unions."),
    )
    code = models.CharField(_("obligation"), max_length=30, choices=ObligationCode.choices)
    # [{"period": "H1", "month": 7, "day": 31, "year_offset": 0}, …]; day 0 = last day of the month.
    periods = models.JSONField(_("due dates"), validators=[validate_periods])
    missed_after_days = models.PositiveSmallIntegerField(_("missed after (days late)"), default=90)
    min_members = models.PositiveIntegerField(
        _("only for unions with at least this many members"), null=True, blank=True
    )
    kinds = models.CharField(_("union kinds"), max_length=60, default="department,grassroots")
    active = models.BooleanField(_("active"), default=True)
    generated = models.BooleanField(
        _("generated every year"),
        default=True,
        help_text=_("Untick for obligations that exist only when opened."),
    )

    class Meta:
        verbose_name = _("obligation rule")
        verbose_name_plural = _("obligation rules")
        constraints = [
            models.UniqueConstraint(fields=["union", "code"], name="obligation_rule_once_per_scope"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(union__isnull=True), name="obligation_rule_one_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} ({self.union or _('default')})"

    def due_dates(self, fiscal_year: int) -> list[tuple[str, datetime.date]]:
        result = []
        for period in self.periods:
            year = fiscal_year + int(period.get("year_offset", 0))
            month = int(period["month"])
            last = calendar.monthrange(year, month)[1]
            day = int(period["day"]) or last
            result.append((period.get("period", ""), datetime.date(year, month, min(day, last))))
        return result


class Obligation(models.Model):
    union = models.ForeignKey(
        "core.Union", verbose_name=_("union"), on_delete=models.CASCADE, related_name="obligations"
    )
    code = models.CharField(_("obligation"), max_length=30, choices=ObligationCode.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    period = models.CharField(_("period"), max_length=10, blank=True)
    due_date = models.DateField(_("due"))
    missed_after_days = models.PositiveSmallIntegerField(default=90)
    status = models.CharField(
        _("status"), max_length=10, choices=ObligationStatus.choices, default=ObligationStatus.PENDING
    )
    met_on = models.DateField(_("met on"), null=True, blank=True)
    met_by = models.CharField(_("met by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["due_date", "union_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "code", "fiscal_year", "period"], name="obligation_once"
            ),
        ]
        indexes = [
            # the nightly status refresh and reminders: unmet obligations by due date.
            models.Index(fields=["due_date"], condition=~models.Q(status="met"), name="obligation_unmet_due"),
            # scorecards: a union's obligations of a year.
            models.Index(fields=["union", "fiscal_year", "code"], name="obligation_union_year"),
        ]

    def __str__(self) -> str:
        return f"{self.union} {self.fiscal_year} {self.code} {self.period}".strip()

    @property
    def words(self) -> str:
        return obligation_words(self.code)

    @property
    def rule(self) -> str:
        return rule_of(self.code)

    def status_on(self, day: datetime.date | None = None) -> str:
        today = day or timezone.localdate()
        if self.met_on is not None:
            return ObligationStatus.MET
        if self.status == ObligationStatus.RETURNED:
            return ObligationStatus.RETURNED  # a correction is open (the upper-level union returned it)
        if today > self.due_date + datetime.timedelta(days=self.missed_after_days):
            return ObligationStatus.MISSED
        if today > self.due_date:
            return ObligationStatus.LATE
        return ObligationStatus.PENDING


def obligation_record_path(instance, filename: str) -> str:
    return random_path(f"obligations/{instance.obligation.union_id}")


class ObligationRecord(models.Model):
    """A record that fulfils an obligation whose own flow comes later (S3.4 analysis, S4.3, S5.2)."""

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="records")
    held_on = models.DateField(_("date"))
    note = models.TextField(_("note"))
    attachment = models.FileField(_("attachment"), upload_to=obligation_record_path, blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    recorded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("obligation record")
        verbose_name_plural = _("obligation records")

    def __str__(self) -> str:
        return f"{self.obligation} · {self.held_on}"
