"""The annual plan (S2.1–S2.3): sections for the seven duty areas, items with owners and timetable,
versions, and the execution record of each item."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from workflows.models import Document


class DutyArea(models.TextChoices):
    """The main duties a plan covers (S2.1)."""

    IDEOLOGY = "ideology", _("ideological and political guidance")
    COMPETITIONS = "competitions", _("labour and skills competitions")
    TRAINING = "training", _("vocational skills training")
    CULTURE = "culture", _("workforce culture and sports")
    RIGHTS = "rights", _("rights protection and services")
    ORGANISATION = "organisation", _("the union's own organisation building")
    FUNDS = "funds", _("income and expenditure of union funds")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SOLICITING = "soliciting", _("soliciting opinions")
    CONSOLIDATING = "consolidating", _("consolidating opinions")
    COMMITTEE_MEETING = "committee_meeting", _("union committee meeting")
    PARTY_CONSENT = "party_consent", _("Party organisation consent")
    CONGRESS_RATIFICATION = "congress_ratification", _("congress approval")
    RETURNED = "returned", _("returned for revision")
    IN_FORCE = "in_force", _("in force")
    WITHDRAWN = "withdrawn", _("withdrawn")


class AnnualPlan(Document):
    status = models.CharField(
        _("status"), max_length=30, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    process = models.OneToOneField(
        Process, null=True, blank=True, on_delete=models.PROTECT, related_name="plan"
    )
    current_version = models.ForeignKey(
        "PlanVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_every_months = models.PositiveSmallIntegerField(
        _("review every (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Periodic reviews of the plan's execution (S2.3); quarterly by default."),
    )

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "year"], condition=~Q(status="withdrawn"), name="plan_one_live_per_year"
            ),
        ]


class PlanVersion(models.Model):
    plan = models.ForeignKey(AnnualPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    foreword = models.TextField(_("guiding ideas"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class PlanSection(models.Model):
    """One duty area of a version. An empty area needs a written reason (S2.1)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="sections")
    area = models.CharField(_("duty area"), max_length=20, choices=DutyArea.choices)
    empty_reason = models.TextField(_("reason the area is empty"), blank=True)

    class Meta:
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        constraints = [models.UniqueConstraint(fields=["version", "area"], name="plan_section_once")]

    def __str__(self) -> str:
        return self.get_area_display()


class PlanItem(models.Model):
    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_items",
    )
    owner_text = models.CharField(_("owner (department or person)"), max_length=100, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    # Carried across versions so that the execution record follows the item.
    key = models.CharField(max_length=40, editable=False)
    # S1.2 "planning together" (一起研究、一起部署): deployed together with Party building, and the
    # reference of the Party organisation's document that deploys it
    with_party = models.BooleanField(_("deployed together with Party building"), default=False)
    party_reference = models.CharField(_("Party document reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["section_id", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="plan_item_dates"),
        ]

    def __str__(self) -> str:
        return self.title


class ProgressState(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    ON_TRACK = "on_track", _("on track")
    SLIPPING = "slipping", _("slipping")
    DONE = "done", _("done")


class PlanProgress(models.Model):
    """An owner's progress note on an item of the plan in force (S2.3 execution)."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="progress")
    item_key = models.CharField(max_length=40)
    state = models.CharField(_("state"), max_length=15, choices=ProgressState.choices)
    percent = models.PositiveSmallIntegerField(_("percent done"), validators=[MaxValueValidator(100)])
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("plan progress")
        verbose_name_plural = _("plan progress")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["plan", "item_key", "-recorded_at"], name="plan_progress_latest")]

    def __str__(self) -> str:
        return f"{self.item_key} {self.state} {self.percent}%"


class PlanReview(models.Model):
    """A periodic review of the plan in force (S2.3): which tasks are done, on time, slipping."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="reviews")
    period = models.CharField(_("period"), max_length=20)
    held_on = models.DateField(_("date"))
    note = models.TextField(_("conclusions"), blank=True)
    done = models.JSONField(_("done"), default=list)
    on_time = models.JSONField(_("on time"), default=list)
    slipping = models.JSONField(_("slipping"), default=list)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["plan", "period"], name="plan_review_once_per_period")]

    def __str__(self) -> str:
        return f"{self.plan} {self.period}"
