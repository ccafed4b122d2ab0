"""The Model Workers' Home creation (模范职工之家, S5.1, S5.2).

The evaluation standard is data (``HomeStandard``): the provincial organs union adopts the shipped text
(``fixtures/standard.json``) as its own for a year, edits its dimensions (political, organisational,
institutional, service and infrastructure building, the satisfaction survey) and criteria (points, how
each is evidenced, thresholds such as membership rate ≥ 90 %) while it is a draft, and publishes it.

A union scores itself against the published standard of its provincial root (``HomeApplication`` with
one ``HomeScore`` per criterion, evidence Wuyi already holds linked automatically, plan tasks linked to a
criterion), applies; the department union above reviews (returns with opinions or recommends), the
provincial organs union evaluates (``HomeReview`` rows), and an award is a ``HomeTitle`` with its year,
level and re-examination year.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Union

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class StandardStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class EvidenceSource(models.TextChoices):
    """Where a criterion's evidence comes from: one of the records Wuyi already holds, or the union's own
    (a note, a link)."""

    BUDGET_IN_FORCE = "budget_in_force", _("the budget in force and its approvals")
    COMMITTEE_RULES = "committee_rules", _("the committees' working rules and institutions")
    COMMITTEE_MEETINGS = "committee_meetings", _("the committees' meetings")
    TRAINING = "training", _("training and study records")
    CONTACTS = "contacts", _("the contact log")
    MEMBERSHIP_RATE = "membership_rate", _("the membership rate")
    SATISFACTION = "satisfaction", _("the latest satisfaction survey")
    PLAN_TASKS = "plan_tasks", _("tasks of the annual plan")
    MANUAL = "manual", _("the union's own evidence")


class HomeStandard(models.Model):
    """One year's evaluation standard of a provincial organs union (S5.2)."""

    union = models.ForeignKey(
        Union, verbose_name=_("issuing union"), on_delete=models.PROTECT, related_name="home_standards"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    title = models.CharField(_("title"), max_length=200)
    source = models.TextField(_("source"), blank=True)
    reexamine_every_years = models.PositiveSmallIntegerField(
        _("re-examined every (years)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    pass_score = models.DecimalField(_("score to pass"), max_digits=6, decimal_places=1, default=Decimal(90))
    status = models.CharField(
        _("status"), max_length=20, choices=StandardStatus.choices, default=StandardStatus.DRAFT
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("Model Workers' Home standard")
        verbose_name_plural = _("Model Workers' Home standards")
        ordering = ["union_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["union", "year"], name="modelhome_standard_year")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == StandardStatus.DRAFT


class HomeDimension(models.Model):
    standard = models.ForeignKey(HomeStandard, on_delete=models.CASCADE, related_name="dimensions")
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["standard_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["standard", "code"], name="modelhome_dimension_code")]

    def __str__(self) -> str:
        return self.name


class HomeCriterion(models.Model):
    dimension = models.ForeignKey(HomeDimension, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("criterion"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    evidence_source = models.CharField(
        _("evidence"), max_length=30, choices=EvidenceSource.choices, default=EvidenceSource.MANUAL
    )
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    threshold_pct = models.DecimalField(
        _("threshold (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    how_evidenced = models.TextField(_("how it is evidenced"), blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["dimension_id", "order", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Level(models.TextChoices):
    PROVINCIAL = "provincial", _("provincial Model Workers' Home")
    NATIONAL = "national_recommendation", _("recommended for the national Model Workers' Home")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("self-evaluation")
    SUBMITTED = "submitted", _("under the department union's review")
    # recommended by the department union, or sent straight to the province by a union directly under it
    RECOMMENDED = "recommended", _("under the provincial organs union's evaluation")
    RETURNED = "returned", _("returned with opinions")
    AWARDED = "awarded", _("awarded")
    NOT_AWARDED = "not_awarded", _("not awarded")


EDITABLE_STATUSES = [ApplicationStatus.DRAFT, ApplicationStatus.RETURNED]
OPEN_STATUSES = [*EDITABLE_STATUSES, ApplicationStatus.SUBMITTED, ApplicationStatus.RECOMMENDED]


class HomeApplication(models.Model):
    """A union's self-evaluation and application for a year (S5.1, S5.2). ``reviewing_union``: the
    department union that reviews it, fixed when it is sent (none when the union's upper union is the
    provincial organs union itself); ``evaluating_union``: the standard's issuer."""

    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="home_applications"
    )
    standard = models.ForeignKey(
        HomeStandard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="applications"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    level_sought = models.CharField(_("level sought"), max_length=30, choices=Level.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    reviewing_union = models.ForeignKey(
        Union,
        verbose_name=_("reviewing union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(_("summary of the creation work"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        verbose_name = _("Model Workers' Home application")
        verbose_name_plural = _("Model Workers' Home applications")
        ordering = ["-year", "-id"]
        constraints = [
            # one application on its way per union and year: a second would race the first to a title
            models.UniqueConstraint(
                fields=["union", "year"],
                condition=Q(status__in=["draft", "submitted", "recommended", "returned", "awarded"]),
                name="modelhome_one_application_per_year",
            ),
        ]
        indexes = [
            # applications_awaiting: the open applications of the unions a user reviews or evaluates
            models.Index(fields=["reviewing_union", "status"], name="modelhome_app_reviewing"),
        ]

    def __str__(self) -> str:
        return f"{self.union} {self.year}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class HomeScore(models.Model):
    """The union's own score of one criterion, with its note and evidence (S5.2)."""

    application = models.ForeignKey(HomeApplication, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(HomeCriterion, on_delete=models.PROTECT, related_name="+")
    self_score = models.DecimalField(_("self score"), max_digits=5, decimal_places=1, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence = models.TextField(_("evidence (documents, links)"), blank=True)
    plan_items = models.ManyToManyField(
        "plan.PlanItem", verbose_name=_("plan tasks"), blank=True, related_name="home_scores"
    )

    class Meta:
        verbose_name = _("self score")
        verbose_name_plural = _("self scores")
        ordering = ["application_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion"], name="modelhome_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.criterion}"


class ReviewStage(models.TextChoices):
    DEPARTMENT = "department_review", _("department union's review")
    PROVINCIAL = "provincial_evaluation", _("provincial organs union's evaluation")


class Decision(models.TextChoices):
    RETURNED = "returned", _("returned with opinions")
    RECOMMENDED = "recommended", _("recommended")
    AWARDED = "awarded", _("awarded")
    NOT_AWARDED = "not_awarded", _("not awarded")


class HomeReview(models.Model):
    application = models.ForeignKey(HomeApplication, on_delete=models.PROTECT, related_name="reviews")
    stage = models.CharField(_("stage"), max_length=30, choices=ReviewStage.choices)
    union = models.ForeignKey(
        Union, verbose_name=_("reviewing union"), on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    opinion = models.TextField(_("opinion"), blank=True)
    decided_on = models.DateField(_("decided on"))
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application_id", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_stage_display()} · {self.get_decision_display()}"


class HomeTitle(models.Model):
    """A Model Workers' Home title held by a union (S5.2): its year, level, who awarded it and the year
    it is to be re-examined."""

    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="home_titles"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    level = models.CharField(_("level"), max_length=30, choices=Level.choices)
    awarded_by = models.ForeignKey(
        Union, verbose_name=_("awarded by"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.OneToOneField(
        HomeApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="title"
    )
    reexamine_in = models.PositiveSmallIntegerField(_("re-examination in"), validators=YEAR_VALIDATORS)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("Model Workers' Home title")
        verbose_name_plural = _("Model Workers' Home titles")
        ordering = ["union_id", "-year", "-id"]

    def __str__(self) -> str:
        return f"{self.union} {self.year} {self.get_level_display()}"
