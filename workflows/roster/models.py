"""The people who do union work (S4.2): a roster per union of its full-time and part-time officers
(专兼职), the social union workers it hires (社会化工会工作者, with contract dates and tasks) and its
activists (积极分子), and the staffing rule as data (``StaffingRule``: the Trade Union Law's default, a
union of 200 or more workers may have a full-time chair; a union or its department union sets its own).

An entry is a person holding a seat in the union (``person``) or, for someone without an account (a
social worker hired), a name. Leaving is a date (``active_until``), never a deletion: the roster of a
past year stays readable.

The committees' re-elections (换届, S4.1/S4.2) are recorded here too (``ReElection``): the team's
committees are renewed through the same seats the roster names its people by.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Body, BodyKind, Role, Seat, Union

FULL_TIME_CHAIR_FROM_MEMBERS = 200  # Trade Union Law art. 13: 200 or more workers, a full-time chair


class Category(models.TextChoices):
    FULL_TIME_OFFICER = "full_time_officer", _("full-time union officer")
    PART_TIME_OFFICER = "part_time_officer", _("part-time union officer")
    SOCIAL_WORKER = "social_worker", _("social union worker")
    ACTIVIST = "activist", _("union activist")


class RosterEntry(models.Model):
    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="roster_entries"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("full name"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    position = models.CharField(_("post held"), max_length=100, blank=True)
    is_chair = models.BooleanField(_("full-time chair"), default=False)
    contract_start = models.DateField(_("contract starts"), null=True, blank=True)
    contract_end = models.DateField(_("contract ends"), null=True, blank=True)
    tasks = models.TextField(_("tasks"), blank=True)
    active_until = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        ordering = ["union_id", "category", "-is_chair", "name", "id"]
        indexes = [
            # roster_of and staffing_gaps: the entries of unions still on the roster.
            models.Index(
                fields=["union"], condition=Q(active_until__isnull=True), name="roster_entry_active"
            ),
            # the daily contract sweep: social workers' contracts ending in the next 30 days.
            models.Index(
                fields=["contract_end"],
                condition=Q(active_until__isnull=True, category="social_worker"),
                name="roster_entry_contract_end",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(name=""), name="roster_entry_person_or_name"
            ),
            models.CheckConstraint(
                condition=Q(contract_start__isnull=True)
                | Q(contract_end__isnull=True)
                | Q(contract_end__gte=F("contract_start")),
                name="roster_entry_contract_ordered",
            ),
            # S4.2: a social worker is hired on a contract with a start and an end
            models.CheckConstraint(
                condition=~Q(category="social_worker")
                | Q(contract_start__isnull=False, contract_end__isnull=False),
                name="roster_entry_social_worker_contract",
            ),
            models.CheckConstraint(
                condition=Q(is_chair=False) | Q(category="full_time_officer"),
                name="roster_entry_chair_full_time",
            ),
            models.UniqueConstraint(
                fields=["union"],
                condition=Q(is_chair=True, active_until__isnull=True),
                name="roster_entry_one_chair",
            ),
            models.UniqueConstraint(
                fields=["union", "person"],
                condition=Q(active_until__isnull=True),
                name="roster_entry_person_once",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.person_id:
            return self.person.full_name or self.name
        return self.name


class StaffingRule(models.Model):
    """S4.2, rules as data. Nearest setting wins: the union's own row, its department union's, the
    provincial default (union empty), the built-in 200 of the Trade Union Law."""

    union = models.OneToOneField(
        Union,
        verbose_name=_("set by union"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="staffing_rule",
        help_text=_("Empty: the provincial default. A department union's row applies to its unions."),
    )
    full_time_chair_from_members = models.PositiveIntegerField(
        _("a full-time chair from this many members"), default=FULL_TIME_CHAIR_FROM_MEMBERS
    )

    class Meta:
        verbose_name = _("staffing rule")
        verbose_name_plural = _("staffing rules")
        constraints = [
            # one provincial default: NULLs are not distinct here
            models.UniqueConstraint(
                fields=["union"], nulls_distinct=False, name="staffing_rule_one_per_scope"
            ),
            models.CheckConstraint(
                condition=Q(full_time_chair_from_members__gte=1), name="staffing_rule_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(self.union) if self.union_id else str(_("provincial default"))


# --- re-election of a union's committees (换届, S4.1/S4.2) ----------------------------------------------

# S4.1: each committee elects exactly one head; a single-person body is its one member.
COMMITTEE_HEAD = {
    BodyKind.UNION_COMMITTEE: Role.CHAIR,
    BodyKind.AUDIT_COMMITTEE: Role.DIRECTOR,
    BodyKind.WOMEN_COMMITTEE: Role.DIRECTOR,
}


class ReElection(models.Model):
    """S4.1/S4.2: the re-election of one of a union's committees — who elected it (a congress meeting
    on record, or a member meeting described in words), when, the new term and its members
    (``ReElectionMember``). Recorded once (``workflows.roster.reelection.reelection_record``), never
    edited: the seats it ended and made are the lasting effect, and the event log has the rest."""

    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="reelections"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="reelections"
    )
    elected_on = models.DateField(_("elected on"))
    elected_by_meeting = models.ForeignKey(
        "workflows.Meeting",
        verbose_name=_("elected at the congress meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    elected_by_text = models.CharField(_("elected at (member meeting)"), max_length=200, blank=True)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("re-election")
        verbose_name_plural = _("re-elections")
        ordering = ["union_id", "-term_start", "body_id", "-id"]
        indexes = [
            # the re-elections page: a union's history, newest term first.
            models.Index(fields=["union", "-term_start"], name="reelection_union_term"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gt=F("term_start")), name="reelection_term_ordered"),
            models.CheckConstraint(
                condition=Q(elected_on__lte=F("term_start")), name="reelection_elected_before_term"
            ),
            models.CheckConstraint(
                condition=Q(elected_by_meeting__isnull=False) | ~Q(elected_by_text=""),
                name="reelection_elected_by",
            ),
            # one re-election per committee and term (a double submit is refused here at the latest)
            models.UniqueConstraint(fields=["body", "term_start"], name="reelection_one_per_term"),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.term_start}–{self.term_end}"

    @property
    def elected_by(self) -> str:
        """The meeting that elected, as the page says it."""
        if self.elected_by_meeting_id:
            meeting = self.elected_by_meeting
            return f"{meeting.body.display_name} {meeting.held_on:%Y-%m-%d} {meeting.place}".strip()
        return self.elected_by_text


class ReElectionMember(models.Model):
    """A member elected, with the role the committee admits (core.models.BODY_ROLES, checked by the
    service) and the seat the re-election gave them."""

    reelection = models.ForeignKey(
        ReElection, verbose_name=_("re-election"), on_delete=models.PROTECT, related_name="members"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    seat = models.OneToOneField(
        Seat, verbose_name=_("seat"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("member elected")
        verbose_name_plural = _("members elected")
        ordering = ["reelection_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reelection", "person"], name="reelection_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"
