"""Meeting papers (issue 33): the notice of a body's meeting and its rule as data.

``NoticeRule`` (rules as data, nearest union up the tree wins, then the provincial default row, then the
built-in values): how many working days before the meeting its notice must go out, and how many working
days before it the seat holders are reminded. REG congress notice (domain.md, regulation notes: "before a
congress representatives are notified at least 5 working days ahead"; issue 33 makes it a rule): 5 for the
member (representative) congress, none for the other bodies unless a union sets one.

``MeetingNotice`` is issued once (no draft): its agenda is the body's open work items and/or free lines,
fixed when issued, so the notice and its sign-in sheet render again byte for byte
(workflows.outputs.services.rebuild). The PDFs it made are kept as one-to-one links to their outputs:
such an output names neither a document nor a meeting, and the notice is how it is reached.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Body, BodyKind, Union
from workflows.models import WorkItem
from workflows.outputs.models import OfficialOutput

# REG congress notice (issue 33): the built-in values when no row applies
CONGRESS_NOTICE_WORKING_DAYS = 5
REMIND_WORKING_DAYS = 1


class NoticeRule(models.Model):
    """Rules as data for one body kind. Nearest wins: the union's own row, then each union above it
    nearest first, then the provincial default (union empty), then the built-in values."""

    union = models.ForeignKey(
        Union,
        verbose_name=_("set by union"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: the provincial default. A department union's row applies to its unions."),
    )
    body_kind = models.CharField(_("body"), max_length=30, choices=BodyKind.choices)
    notice_working_days = models.PositiveSmallIntegerField(
        _("notice at least (working days before)"),
        validators=[MaxValueValidator(60)],
        help_text=_("0: no minimum. A notice issued later is refused."),
    )
    remind_working_days = models.PositiveSmallIntegerField(
        _("remind (working days before)"),
        default=REMIND_WORKING_DAYS,
        validators=[MaxValueValidator(30)],
        help_text=_("The seat holders are reminded once, this many working days before the meeting."),
    )

    class Meta:
        verbose_name = _("meeting notice rule")
        verbose_name_plural = _("meeting notice rules")
        constraints = [
            # one provincial default per body kind: NULLs are not distinct here
            models.UniqueConstraint(
                fields=["union", "body_kind"], nulls_distinct=False, name="notice_rule_one_per_scope"
            ),
        ]

    def __str__(self) -> str:
        scope = str(self.union) if self.union_id else str(_("provincial default"))
        return f"{scope} · {self.get_body_kind_display()}"


class MeetingNotice(models.Model):
    """A body's meeting notice, issued to the seat holders in force on the meeting day."""

    union = models.ForeignKey(Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meeting_notices"
    )
    meets_on = models.DateField(_("meeting date"))
    starts_at = models.TimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200)
    agenda_items = models.ManyToManyField(
        WorkItem, verbose_name=_("documents on the agenda"), blank=True, related_name="+"
    )
    agenda_lines = models.TextField(_("other agenda items"), blank=True)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_on = models.DateField(_("issued on"))  # the union's day, the one the rule counts from
    output = models.OneToOneField(
        OfficialOutput,
        verbose_name=_("notice PDF"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_notice",
    )
    sign_in_output = models.OneToOneField(
        OfficialOutput,
        verbose_name=_("sign-in sheet PDF"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sign_in_notice",
    )
    # claimed once by the reminder sweep (compare-and-set): the seat holders are reminded once
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting notice")
        verbose_name_plural = _("meeting notices")
        ordering = ["-meets_on", "-id"]
        indexes = [
            # the body's notices page, newest meeting first
            models.Index(fields=["body", "-meets_on", "-id"], name="notice_body_meets"),
            # the reminder sweep: notices not reminded yet whose meeting is still ahead
            models.Index(
                fields=["meets_on"], condition=models.Q(reminded_at__isnull=True), name="notice_to_remind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.meets_on}"

    @property
    def agenda_line_list(self) -> list[str]:
        return [line.strip() for line in self.agenda_lines.splitlines() if line.strip()]
