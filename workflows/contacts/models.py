"""The contact system (联系和服务基层制度, S4.4): each member of the three committees keeps contact with
union groups or subordinate unions, member and worker representatives, advanced figures and workers in
difficulty, listens to what they raise and follows it up.

A contact (``Contact``) is assigned to one committee member; a person needs no account (name, unit,
phone), a union group or subordinate union is pointed at (``contact_union``). Each time the member keeps
contact they log it (``ContactLog``): the day, the way, what was raised, a follow-up with its owner and
due date. How often is data (``ContactCadence``, nearest wins): quarterly by default, monthly for
workers in difficulty. Records of workers in difficulty are private: the member, the union committee's
chair and the people the union names (``DifficultyViewer``) read them.

Ending an assignment is a date (``ended_on``), never a deletion: the log of a past year stays readable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import Union

# S4.4's defaults (domain.md, "Contacts"): each contact at least quarterly, workers in difficulty monthly.
EVERY_MONTHS = 3
DIFFICULTY_EVERY_MONTHS = 1
# A cadence is a whole number of calendar periods in the year, so that periods start on 1 January.
MONTHS_CHOICES = [
    (1, _("monthly")),
    (2, _("every two months")),
    (3, _("quarterly")),
    (4, _("every four months")),
    (6, _("half-yearly")),
    (12, _("yearly")),
]
MONTHS_ALLOWED = [m for m, _label in MONTHS_CHOICES]


class ContactKind(models.TextChoices):
    UNION_GROUP = "union_group", _("union group or subordinate union")
    MEMBER_REPRESENTATIVE = "member_representative", _("member representative")
    WORKER_REPRESENTATIVE = "worker_representative", _("worker representative")
    ADVANCED_FIGURE = "advanced_figure", _("advanced figure")
    WORKER_IN_DIFFICULTY = "worker_in_difficulty", _("worker in difficulty")


class Way(models.TextChoices):
    VISIT = "visit", _("visit")
    TALK = "talk", _("heart-to-heart talk")
    CALL = "call", _("phone call")
    SURVEY = "survey", _("questionnaire")


class Contact(models.Model):
    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="contacts"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("committee member keeping contact"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("contact kind"), max_length=30, choices=ContactKind.choices)
    contact_union = models.ForeignKey(
        Union,
        verbose_name=_("union group or subordinate union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("full name"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    assigned_on = models.DateField(_("assigned on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["union_id", "member_id", "kind", "name", "id"]
        indexes = [
            # my_contacts: a member's contacts still assigned.
            models.Index(fields=["member"], condition=Q(ended_on__isnull=True), name="contact_member_active"),
            # coverage_counts and the union's page: the contacts of unions still assigned.
            models.Index(fields=["union"], condition=Q(ended_on__isnull=True), name="contact_union_active"),
        ]
        constraints = [
            # S4.4: a union group is pointed at; a person is named (no account needed)
            models.CheckConstraint(
                condition=(Q(kind="union_group") & Q(contact_union__isnull=False))
                | (~Q(kind="union_group") & ~Q(name="")),
                name="contact_union_or_name",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("assigned_on")),
                name="contact_ended_after_assigned",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.contact_union_id:
            return self.contact_union.name
        return self.name

    @property
    def is_difficulty(self) -> bool:
        return self.kind == ContactKind.WORKER_IN_DIFFICULTY


class ContactLog(models.Model):
    """One time the member kept contact (S4.4), and the follow-up of what was raised."""

    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.PROTECT, related_name="logs"
    )
    contacted_on = models.DateField(_("date of contact"))
    way = models.CharField(_("way"), max_length=20, choices=Way.choices)
    raised = models.TextField(_("what was raised"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    follow_up_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follow-up owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    follow_up_owner_name = models.CharField(_("follow-up owner (name)"), max_length=100, blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_closed_on = models.DateField(_("follow-up closed on"), null=True, blank=True)
    # S2.2: an opinion from below carried into the next year's annual plan
    for_plan = models.BooleanField(_("carry into next year's plan"), default=False)
    plan_year = models.PositiveSmallIntegerField(_("plan year"), null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log entries")
        ordering = ["-contacted_on", "-id"]
        indexes = [
            # the last contact of each contact (coverage, the member's list): max(contacted_on) per contact.
            models.Index(fields=["contact", "contacted_on"], name="contact_log_last"),
            # the daily sweep: open follow-ups past their due date.
            models.Index(
                fields=["follow_up_due"],
                condition=Q(follow_up_closed_on__isnull=True, follow_up_due__isnull=False),
                name="contact_log_open_follow_up",
            ),
            # opinions_for_plan: the opinions carried into a year's plan.
            models.Index(fields=["plan_year"], condition=Q(for_plan=True), name="contact_log_for_plan"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_due__isnull=True) | Q(follow_up_due__gte=F("contacted_on")),
                name="contact_log_follow_up_after_contact",
            ),
            models.CheckConstraint(
                condition=Q(for_plan=False, plan_year__isnull=True)
                | Q(for_plan=True, plan_year__isnull=False),
                name="contact_log_plan_year_when_for_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} · {self.contacted_on}"

    @property
    def has_follow_up(self) -> bool:
        return bool(self.follow_up or self.follow_up_due)

    @property
    def follow_up_owner_display(self) -> str:
        if self.follow_up_owner_id:
            return str(self.follow_up_owner)
        return self.follow_up_owner_name


class ContactCadence(models.Model):
    """S4.4, rules as data. Nearest setting wins: the union's own row, its upper union's, the provincial
    default (union empty), the built-in quarterly and monthly."""

    union = models.OneToOneField(
        Union,
        verbose_name=_("set by union"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_cadence",
        help_text=_("Empty: the provincial default. A department union's row applies to its unions."),
    )
    every_months = models.PositiveSmallIntegerField(
        _("each contact at least"), choices=MONTHS_CHOICES, default=EVERY_MONTHS
    )
    difficulty_every_months = models.PositiveSmallIntegerField(
        _("workers in difficulty at least"), choices=MONTHS_CHOICES, default=DIFFICULTY_EVERY_MONTHS
    )

    class Meta:
        verbose_name = _("contact cadence")
        verbose_name_plural = _("contact cadences")
        constraints = [
            # one provincial default: NULLs are not distinct here
            models.UniqueConstraint(
                fields=["union"], nulls_distinct=False, name="contact_cadence_one_per_scope"
            ),
            models.CheckConstraint(
                condition=Q(every_months__in=MONTHS_ALLOWED) & Q(difficulty_every_months__in=MONTHS_ALLOWED),
                name="contact_cadence_whole_periods",
            ),
        ]

    def __str__(self) -> str:
        return str(self.union) if self.union_id else str(_("provincial default"))


class DifficultyViewer(models.Model):
    """S4.4: a person the union names to read its records of workers in difficulty (beside the member
    keeping the contact and the union committee's chair). Named and removed by the chair."""

    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.CASCADE, related_name="difficulty_viewers"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reader of records of workers in difficulty")
        verbose_name_plural = _("readers of records of workers in difficulty")
        ordering = ["union_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["union", "person"], name="difficulty_viewer_once"),
        ]

    def __str__(self) -> str:
        return str(self.person)
