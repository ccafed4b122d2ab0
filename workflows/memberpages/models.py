"""The members' own pages (S5.4): how a member is let in (``Invitation``: a one-time link or code the union
hands out), what members send the union (``MemberOpinion``: an opinion, or an evaluation of its work with a
rating) and the union's answer, and the rules as data (``MemberPagesRule``: how long an invitation is
valid, within how many working days an opinion is answered; nearest union wins).

An invitation stores only hashes: the link's token (sha256 of a random token) and the short code (an HMAC
keyed by the site's secret, as eight digits are few). The clear token and code exist once, on the printed
page and in the e-mail the union sends; a lost printout is replaced by issuing a new invitation, which
revokes the open one."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Union
from workflows.members.models import Member

INVITATION_VALID_DAYS = 7
ANSWER_WITHIN_WORKING_DAYS = 10
RATINGS = range(1, 6)


class MemberPagesRule(models.Model):
    """S5.4, rules as data. Nearest setting wins: the union's own row, its upper union's, the provincial
    default (union empty), then the built-in 7 days and 10 working days."""

    union = models.OneToOneField(
        Union,
        verbose_name=_("set by union"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="member_pages_rule",
        help_text=_("Empty: the provincial default. A department union's row applies to its unions."),
    )
    invitation_valid_days = models.PositiveSmallIntegerField(
        _("an invitation is valid for (days)"),
        default=INVITATION_VALID_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    answer_within_working_days = models.PositiveSmallIntegerField(
        _("members' opinions are answered within (working days)"),
        default=ANSWER_WITHIN_WORKING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("After this many working days without an answer the chair is reminded."),
    )

    class Meta:
        verbose_name = _("members' pages rule")
        verbose_name_plural = _("members' pages rules")
        constraints = [
            # one provincial default: NULLs are not distinct here
            models.UniqueConstraint(
                fields=["union"], nulls_distinct=False, name="member_pages_rule_one_per_scope"
            ),
            models.CheckConstraint(
                condition=Q(invitation_valid_days__gte=1, answer_within_working_days__gte=1),
                name="member_pages_rule_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.union) if self.union_id else str(_("provincial default"))


class Invitation(models.Model):
    """A one-time invitation of one member to the members' pages (S5.4): opened by its link or by its code
    with the member number; used once, then the member signs in with the password they set."""

    union = models.ForeignKey(Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        Member, verbose_name=_("union member"), on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account made"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # a newer invitation of the same member replaced this one before it was used
    revoked_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    # wrong codes typed with this member's number: at MAX_FAILED_CODES the code no longer opens it
    failed_codes = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("invitation to the members' pages")
        verbose_name_plural = _("invitations to the members' pages")
        constraints = [
            # one open invitation per member: issuing another revokes it in the same transaction
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_member",
            ),
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(account__isnull=False),
                name="invitation_used_by_account",
            ),
        ]
        indexes = [
            # the invitations page: each member's latest invitation
            models.Index(fields=["union", "member", "-issued_at"], name="invitation_union_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.issued_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.revoked_at is None


class OpinionKind(models.TextChoices):
    OPINION = "opinion", _("opinion or suggestion")
    EVALUATION = "evaluation", _("evaluation of the union's work")


class MemberOpinion(models.Model):
    """What a member sends the union (S5.4), and the union's answer: public (shown on the open-affairs
    page with the question, never with the member's name) or private (only the member sees it)."""

    union = models.ForeignKey(Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        Member, verbose_name=_("union member"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=OpinionKind.choices, default=OpinionKind.OPINION
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("opinion"), max_length=2000)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answer_public = models.BooleanField(_("answered publicly"), default=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("member's opinion")
        verbose_name_plural = _("members' opinions")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="opinion_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(kind="evaluation") | Q(rating__isnull=False), name="opinion_evaluation_rated"
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answer="", answer_public=False)
                | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="opinion_answer_complete",
            ),
        ]
        indexes = [
            # the daily reminder sweep and the union's list: opinions still waiting for an answer
            models.Index(
                fields=["union", "sent_at"], condition=Q(answered_at__isnull=True), name="opinion_unanswered"
            ),
            # the open-affairs page: a union's public answers, newest first
            models.Index(
                fields=["union", "-answered_at"],
                condition=Q(answer_public=True),
                name="opinion_public_answers",
            ),
            # the member's own page
            models.Index(fields=["member", "-sent_at"], name="opinion_member"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sent_at:%Y-%m-%d}"

    @property
    def stars(self) -> str:
        return "★" * (self.rating or 0) + "☆" * (5 - (self.rating or 0)) if self.rating else ""
