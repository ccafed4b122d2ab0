"""The domain core: the union tree, its bodies, the people and their seats, and the event log.

Seats are the source of truth for who may do what; object permissions (django-guardian,
direct foreign-key tables below) are derived from them by ``core.services.permissions``.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from core import errors
from core.pinyin import name_search_keys


class UnionKind(models.TextChoices):
    PROVINCIAL = "provincial", _("provincial organs union")
    DEPARTMENT = "department", _("department organ union")
    GRASSROOTS = "grassroots", _("grassroots union")
    GROUP = "group", _("union group")


# Which kinds may be the upper-level union of each kind.
ALLOWED_PARENT_KINDS: dict[str, tuple[str, ...]] = {
    UnionKind.PROVINCIAL: (),
    UnionKind.DEPARTMENT: (UnionKind.PROVINCIAL,),
    UnionKind.GRASSROOTS: (UnionKind.DEPARTMENT, UnionKind.PROVINCIAL),
    UnionKind.GROUP: (UnionKind.GRASSROOTS, UnionKind.DEPARTMENT),
}


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(errors.UNION_BAD_TIME_ZONE, params={"value": value}) from None


class User(AbstractUser):
    """A person. Deactivated, never deleted: viewflow's task owner cascades on delete."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # the organ's identifiers, brought by the people sync (issue 31): the single sign-on matches a person by
    # one of them (OIDC_MATCH_CLAIM), the work notices address the person by their WeCom / DingTalk user id.
    # Database defaults, so that bulk loads (bench/dataset.py's COPY) need not name them.
    employee_number = models.CharField(
        _("employee number"), max_length=40, blank=True, default="", db_default="", db_index=True
    )
    wecom_userid = models.CharField(_("WeCom user id"), max_length=64, blank=True, default="", db_default="")
    dingtalk_userid = models.CharField(
        _("DingTalk user id"), max_length=64, blank=True, default="", db_default=""
    )
    home_union = models.ForeignKey(
        "core.Union",
        verbose_name=_("home union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="home_members",
    )
    # The people picker's search keys (core.people.people_search), kept in step with full_name by
    # save(); a database default so that bulk loads (bench/dataset.py's COPY) need not name them.
    name_pinyin = models.CharField(
        _("name in pinyin"), max_length=300, blank=True, default="", db_default="", editable=False
    )
    name_initials = models.CharField(
        _("pinyin initials"), max_length=100, blank=True, default="", db_default="", editable=False
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            # people_search: the prefix branches (LIKE 'zh%') of a name typed in pinyin or initials.
            models.Index(fields=["name_pinyin"], name="user_name_pinyin", opclasses=["varchar_pattern_ops"]),
            models.Index(
                fields=["name_initials"], name="user_name_initials", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        # Usernames never reach the screen (issue 25), nor does the e-mail, another login identifier:
        # a person without a name reads as the people picker shows them (core.people.person_name).
        return self.full_name or str(_("(name not recorded)"))

    def save(self, *args, **kwargs):
        # The search keys follow the name; a save of other fields only (last_login) leaves them be.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "full_name" in update_fields:
            self.name_pinyin, self.name_initials = name_search_keys(self.full_name)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "name_pinyin", "name_initials"}
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(errors.USER_DELETE_FORBIDDEN)


class Union(models.Model):
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("upper-level union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    member_count = models.PositiveIntegerField(_("member count"), default=0)
    # S5.3: the count is derived from the members' register once it has its first entry or import;
    # until then it is the figure typed in before the register existed, shown as such
    member_count_from_register = models.BooleanField(
        _("member count from the register"), default=False, db_default=False
    )
    # S5.3: the membership rate (入会率) is the members over the workers of the organ, as the union gives it
    worker_count = models.PositiveIntegerField(
        _("workers"), null=True, blank=True, help_text=_("The organ's workers, for the membership rate.")
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_time_zone]
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("union")
        verbose_name_plural = _("unions")
        ordering = ["id"]
        permissions = [
            ("view_union_documents", _("View the union's documents")),
            ("draft_union_documents", _("Draft the union's documents")),
            ("manage_union_seats", _("Manage the union's seats")),
            ("supervise_union", _("Supervise the unions below")),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="union_parent_not_self"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def membership_rate(self) -> float | None:
        """S5.3: members over workers (a fraction), or None when the workers are not given."""
        return self.member_count / self.worker_count if self.worker_count else None

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def clean(self) -> None:
        super().clean()
        if self.parent_id is not None and self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": errors.UNION_PARENT_SELF})
        if self.pk is not None and self.parent_id is not None:
            from core.selectors import union_descendant_ids  # selectors import these models at load

            if self.parent_id in union_descendant_ids(union_id=self.pk):
                raise ValidationError({"parent": errors.UNION_PARENT_CYCLE})
        allowed = ALLOWED_PARENT_KINDS.get(self.kind, ())
        if self.kind == UnionKind.PROVINCIAL:
            if self.parent_id is not None:
                raise ValidationError({"parent": errors.UNION_PROVINCIAL_PARENT})
            return
        if self.parent is None or self.parent.kind not in allowed:
            raise ValidationError(
                {
                    "parent": ValidationError(
                        errors.UNION_PARENT_KIND,
                        params={
                            "kind": UnionKind(self.kind).label,
                            "parents": " / ".join(str(UnionKind(k).label) for k in allowed),
                        },
                    )
                }
            )


class BodyKind(models.TextChoices):
    UNION_COMMITTEE = "union_committee", _("union committee")
    AUDIT_COMMITTEE = "audit_committee", _("fund audit committee")
    WOMEN_COMMITTEE = "women_committee", _("women workers' committee")
    PARTY_ORGANIZATION = "party_organization", _("same-level Party organisation")
    CONGRESS = "congress", _("member (representative) congress")


class DecisionMode(models.TextChoices):
    MEETING = "meeting", _("meeting with votes")
    WRITTEN = "written", _("written decision")


class VoteBase(models.TextChoices):
    ALL_MEMBERS = "all", _("all members")
    PRESENT = "present", _("members present")


# S5.3, rules as data: below this many members a union's congress is a member congress (each union's
# congress body may set its own figure)
MEMBER_CONGRESS_BELOW = 100


class Body(models.Model):
    """A collective body of a union. Quorum and pass rules are data (REG quorum notes).

    Defaults: a committee decides when more than half of its members attend and more than half of
    all members vote for; the congress sits with at least two thirds attending and passes with more
    than half of all representatives (domain.md, "Rules the software enforces").
    """

    union = models.ForeignKey(Union, verbose_name=_("union"), on_delete=models.CASCADE, related_name="bodies")
    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    is_single_person = models.BooleanField(
        _("single person"),
        default=False,
        help_text=_(
            "Small unions have one fund audit member or one women workers' member instead of a committee."
        ),
    )
    decision_mode = models.CharField(
        _("decision mode"), max_length=20, choices=DecisionMode.choices, default=DecisionMode.MEETING
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=1)
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum denominator"), default=2, validators=[MinValueValidator(1)]
    )
    quorum_strict = models.BooleanField(
        _("more than the quorum fraction"), default=True, help_text=_("Unticked: at least the fraction.")
    )
    pass_numerator = models.PositiveSmallIntegerField(_("pass numerator"), default=1)
    pass_denominator = models.PositiveSmallIntegerField(
        _("pass denominator"), default=2, validators=[MinValueValidator(1)]
    )
    pass_strict = models.BooleanField(_("more than the pass fraction"), default=True)
    pass_base = models.CharField(
        _("votes counted against"), max_length=10, choices=VoteBase.choices, default=VoteBase.ALL_MEMBERS
    )
    term_start = models.DateField(_("term starts"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    # S5.3: a union with fewer members than this (counted from the register) holds a member congress —
    # every member sits, the quorum is over the members on the meeting day — not a representative one
    member_congress_below = models.PositiveIntegerField(
        _("member congress below (members)"),
        default=MEMBER_CONGRESS_BELOW,
        db_default=MEMBER_CONGRESS_BELOW,
        help_text=_("For the congress: a union with fewer members than this holds a member congress."),
    )
    # S1.1: one organ Party committee may lead several unions. Their Party-organisation bodies stay
    # where they are and are linked to the leading one, whose members then act for each of them.
    led_by = models.ForeignKey(
        "self",
        verbose_name=_("led by the Party organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_bodies",
        limit_choices_to={"kind": BodyKind.PARTY_ORGANIZATION},
        help_text=_("Where one organ Party committee leads several unions: its members act for this one."),
    )

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["union_id", "id"]
        constraints = [models.UniqueConstraint(fields=["union", "kind"], name="body_one_per_kind")]
        permissions = [("record_decision", _("Record the body's meetings and decisions"))]

    def __str__(self) -> str:
        return self.name or f"{self.union.name} {self.get_kind_display()}"

    @property
    def display_name(self) -> str:
        return self.name or str(self.get_kind_display())

    def clean(self) -> None:
        super().clean()
        for num, den, field in (
            (self.quorum_numerator, self.quorum_denominator, "quorum_numerator"),
            (self.pass_numerator, self.pass_denominator, "pass_numerator"),
        ):
            if not den or num > den:
                raise ValidationError({field: errors.BODY_FRACTION})
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": errors.BODY_TERM})
        if self.led_by_id is not None:
            self._clean_led_by()

    def _clean_led_by(self) -> None:
        """S1.1: only a Party organisation is led, by another one that is not itself led (one level)."""
        leader = self.led_by
        if (
            self.kind != BodyKind.PARTY_ORGANIZATION
            or leader.kind != BodyKind.PARTY_ORGANIZATION
            or leader.pk == self.pk
            or leader.led_by_id is not None
        ):
            raise ValidationError({"led_by": errors.BODY_LED_BY})


class Role(models.TextChoices):
    CHAIR = "chair", _("chair")
    VICE_CHAIR = "vice_chair", _("vice chair")
    MEMBER = "member", _("member")
    DIRECTOR = "director", _("director")
    SECRETARY = "secretary", _("secretary")
    REPRESENTATIVE = "representative", _("member representative")
    OFFICE_STAFF = "office_staff", _("office staff")
    FINANCE_OFFICER = "finance_officer", _("finance officer")
    SUPERVISOR = "supervisor", _("supervisor")


# Roles held in the union itself (no body) and the roles each body kind admits.
UNION_LEVEL_ROLES = {Role.OFFICE_STAFF, Role.FINANCE_OFFICER, Role.SUPERVISOR}
# The union's three committees (三委, S4.1): they have working rules, meet regularly, keep contacts
# with the grassroots (S4.4) and are re-elected at the end of a term.
COMMITTEE_KINDS = (BodyKind.UNION_COMMITTEE, BodyKind.AUDIT_COMMITTEE, BodyKind.WOMEN_COMMITTEE)
BODY_ROLES: dict[str, set[str]] = {
    BodyKind.UNION_COMMITTEE: {Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER, Role.SECRETARY},
    BodyKind.AUDIT_COMMITTEE: {Role.DIRECTOR, Role.MEMBER, Role.SECRETARY},
    BodyKind.WOMEN_COMMITTEE: {Role.DIRECTOR, Role.MEMBER, Role.SECRETARY},
    BodyKind.PARTY_ORGANIZATION: {Role.SECRETARY, Role.MEMBER},
    BodyKind.CONGRESS: {Role.REPRESENTATIVE, Role.CHAIR, Role.SECRETARY},
}


class SeatQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date | None = None) -> SeatQuerySet:
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


class Seat(models.Model):
    """A person's role in a union or one of its bodies, for a term (start and end inclusive)."""

    person = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.PROTECT, related_name="seats")
    union = models.ForeignKey(Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="seats")
    body = models.ForeignKey(
        Body, verbose_name=_("body"), null=True, blank=True, on_delete=models.PROTECT, related_name="seats"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    start_date = models.DateField(_("term starts"))
    end_date = models.DateField(_("term ends"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = SeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["union_id", "body_id", "role", "id"]
        indexes = [
            # permissions_sync_for_user and the home page: a person's seats.
            models.Index(fields=["person", "start_date", "end_date"], name="seat_person_term"),
            # the nightly sync: seats whose term starts or ends on a given day.
            models.Index(fields=["end_date"], name="seat_end_date"),
            models.Index(fields=["start_date"], name="seat_start_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="seat_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        where = self.body.display_name if self.body_id else self.union.name
        return f"{self.person} · {where} · {self.get_role_display()}"

    def in_force_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    def clean(self) -> None:
        super().clean()
        if self.person_id and not self.person.is_active:
            raise ValidationError(
                {"person": ValidationError(errors.PERSON_INACTIVE, params={"person": self.person})}
            )
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": errors.SEAT_END_BEFORE_START})
        role_label = Role(self.role).label if self.role in Role.values else self.role
        if self.body_id:
            self._clean_body_seat(role_label)
        elif self.role == Role.CHAIR and self.union_id and self.union.kind == UnionKind.GROUP:
            pass  # a union group has no bodies: its leader holds the chair seat of the group itself
        elif self.role and self.role not in UNION_LEVEL_ROLES:
            raise ValidationError(
                {"body": ValidationError(errors.SEAT_ROLE_NEEDS_BODY, params={"role": role_label})}
            )
        if (
            self.role == Role.SUPERVISOR
            and self.union_id
            and self.union.kind not in (UnionKind.PROVINCIAL, UnionKind.DEPARTMENT)
        ):
            raise ValidationError({"role": errors.SEAT_SUPERVISOR_KIND})
        if self.person_id and self.union_id and self.start_date and self._overlapping().exists():
            raise ValidationError(errors.SEAT_DUPLICATE, params={"person": self.person})

    def _clean_body_seat(self, role_label: str) -> None:
        """A seat in a body: the body's union, a role the body has, within the body's term."""
        if self.union_id and self.body.union_id != self.union_id:
            raise ValidationError({"body": errors.SEAT_BODY_OTHER_UNION})
        if self.role in UNION_LEVEL_ROLES:
            raise ValidationError(
                {"role": ValidationError(errors.SEAT_ROLE_UNION_LEVEL, params={"role": role_label})}
            )
        if self.role not in BODY_ROLES[self.body.kind]:
            raise ValidationError(
                {
                    "role": ValidationError(
                        errors.SEAT_ROLE_NOT_IN_BODY,
                        params={"role": role_label, "body": self.body.get_kind_display()},
                    )
                }
            )
        body = self.body
        # a seat of an earlier term (it ended before the body's current term began, as at a
        # re-election) is checked against nothing here: its term is history
        ended_before = body.term_start and self.end_date and self.end_date < body.term_start
        if self.start_date and (body.term_start or body.term_end) and not ended_before:
            starts_early = body.term_start and self.start_date < body.term_start
            end = self.end_date or datetime.date.max
            ends_late = body.term_end and end > body.term_end
            if starts_early or ends_late:
                raise ValidationError(
                    errors.SEAT_OUTSIDE_BODY_TERM,
                    params={
                        "start": self.start_date,
                        "end": self.end_date or "…",
                        "body_start": body.term_start or "…",
                        "body_end": body.term_end or "…",
                    },
                )

    def _overlapping(self):
        """The same person's seats of the same role, union and body whose terms overlap this one's."""
        end = self.end_date or datetime.date.max
        return (
            Seat.objects.filter(
                person_id=self.person_id, union_id=self.union_id, body_id=self.body_id, role=self.role
            )
            .exclude(pk=self.pk)
            .filter(start_date__lte=end)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
        )


class UnionUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK guardian table for unions (the generic table compares text object_pk)."""

    content_object = models.ForeignKey(Union, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("union permission of a person")
        verbose_name_plural = _("union permissions of people")
        indexes = [
            # unions_visible_to(): the user's rows by permission.
            models.Index(fields=["user", "permission", "content_object"], name="unionperm_user_perm"),
        ]


class BodyUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Body, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("body permission of a person")
        verbose_name_plural = _("body permissions of people")


class Event(models.Model):
    """Append-only audit trail. A PostgreSQL trigger rejects UPDATE and DELETE."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verb = models.CharField(_("verb"), max_length=50)
    subject_type = models.CharField(_("subject type"), max_length=100, blank=True)
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    union = models.ForeignKey(
        Union, verbose_name=_("union"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField(_("from state"), max_length=50, blank=True)
    to_state = models.CharField(_("to state"), max_length=50, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-id"]
        indexes = [
            # a document's history page: events of one subject in time order.
            models.Index(fields=["subject_type", "subject_id", "created_at"], name="event_subject_time"),
            # a union's activity feed.
            models.Index(fields=["union", "created_at"], name="event_union_time"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.subject_type}:{self.subject_id}"


# The statutory calendar's models live in their own module (working days, obligations).
from core.statutory import (  # noqa: E402
    CalendarDay,
    CalendarYear,
    Obligation,
    ObligationRecord,
    ObligationRule,
)

__all__ = [
    "Body",
    "CalendarDay",
    "CalendarYear",
    "Event",
    "Obligation",
    "ObligationRecord",
    "ObligationRule",
    "Seat",
    "Union",
    "User",
]
