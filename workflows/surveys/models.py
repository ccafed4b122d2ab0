"""The satisfaction survey (满意测评, S5.2): a questionnaire as data per cycle (``SurveyCycle`` with its
``SurveyQuestion`` rows), one one-time token per member per cycle (``SurveyToken``), and the answers
(``SurveyAnswer`` with its ``SurveyAnswerItem`` rows).

Anonymity holds by construction (S5.2): tokens and answers are stored apart and nothing joins them. A token
knows its member and only whether it was used — no time at all; an answer knows its cycle and the day it
was given — no member, no token, no time of day — and its key is random (uuid4), as are its items' keys,
so neither ids nor timestamps put answers in the order the tokens were used. Answering writes no event and
no notification (``services.answer_submit``)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Union
from workflows.members.models import Member

RATINGS = range(1, 6)
SATISFIED_FROM = 4  # ratings 4 (satisfied) and 5 (very satisfied) count as satisfied
DEFAULT_THRESHOLD = Decimal("90")  # the Model Workers' Home criterion: satisfaction ≥ 90 % (S5.1, S5.2)


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open for answers")
    CLOSED = "closed", _("closed")


class QuestionKind(models.TextChoices):
    RATING = "rating", _("rating from 1 to 5")
    TEXT = "text", _("free text")


class Rating(models.IntegerChoices):
    VERY_SATISFIED = 5, _("very satisfied")
    SATISFIED = 4, _("satisfied")
    NEUTRAL = 3, _("neither satisfied nor dissatisfied")
    DISSATISFIED = 2, _("dissatisfied")
    VERY_DISSATISFIED = 1, _("very dissatisfied")


class SurveyCycle(models.Model):
    """One round of the union's satisfaction survey (S5.2): drafted (the questions editable), open (tokens
    issued, answers taken until ``closes_on`` inclusive), closed (results final; the union's reply to the
    findings is published to the members)."""

    union = models.ForeignKey(Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), help_text=_("Answers are taken until the end of this day."))
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    # rules as data: the share of satisfied answers the union aims for (the Model Workers' Home's 90 %)
    satisfied_threshold_pct = models.DecimalField(
        _("satisfaction threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))],
    )
    reply = models.TextField(_("the union's reply to the findings"), max_length=5000, blank=True)
    reply_published_on = models.DateField(_("reply published on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_on = models.DateField(_("created on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="survey_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(satisfied_threshold_pct__gt=0, satisfied_threshold_pct__lte=100),
                name="survey_threshold_percent",
            ),
            models.CheckConstraint(
                condition=Q(reply_published_on__isnull=True) | ~Q(reply=""), name="survey_reply_has_text"
            ),
        ]
        indexes = [
            # the union's list and the outcome selector: a union's cycles, newest first
            models.Index(fields=["union", "status", "-closes_on"], name="survey_union_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == SurveyStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.OPEN


class SurveyQuestion(models.Model):
    """One question of a cycle's questionnaire, copied from the default one and editable while drafted."""

    cycle = models.ForeignKey(
        SurveyCycle, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.RATING
    )
    required = models.BooleanField(_("an answer is required"), default=True)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["cycle_id", "order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_rating(self) -> bool:
        return self.kind == QuestionKind.RATING


class SurveyToken(models.Model):
    """A member's one-time key to a cycle (S5.2). Only the hash is stored; the clear token exists on the
    printed slip (and in the e-mail) made when it is issued. No timestamp of any kind, on purpose: the
    token says only whether it was used, so it cannot be put next to an answer by time."""

    cycle = models.ForeignKey(SurveyCycle, on_delete=models.PROTECT, related_name="tokens")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("survey token")
        verbose_name_plural = _("survey tokens")
        constraints = [
            # one answer per member per cycle: one token each, replaced in place when re-issued
            models.UniqueConstraint(fields=["cycle", "member"], name="survey_token_one_per_member"),
        ]
        indexes = [
            # the response-rate counts: a cycle's used tokens
            models.Index(fields=["cycle", "used"], name="survey_token_cycle_used"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}:{self.member_id}"


class SurveyAnswer(models.Model):
    """One member's answers to a cycle, without the member (S5.2): a random key and the day only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(SurveyCycle, on_delete=models.PROTECT, related_name="answers")
    answered_on = models.DateField(_("answered on"))

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.answered_on}"


class SurveyAnswerItem(models.Model):
    """The answer to one question: a rating (1–5) or a text. Its key is random too, so the items' ids do
    not give away the order in which the answers came."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    answer = models.ForeignKey(SurveyAnswer, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(null=True, blank=True, choices=Rating.choices)
    text = models.TextField(max_length=2000, blank=True)

    class Meta:
        verbose_name = _("survey answer item")
        verbose_name_plural = _("survey answer items")
        constraints = [
            models.UniqueConstraint(fields=["answer", "question"], name="survey_item_once_per_question"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="survey_rating_1_to_5",
            ),
        ]
        indexes = [
            # the results: ratings per question of a cycle (aggregated in SQL)
            models.Index(fields=["question", "rating"], name="survey_item_question_rating"),
        ]

    def __str__(self) -> str:
        return str(self.rating or self.text[:20])
