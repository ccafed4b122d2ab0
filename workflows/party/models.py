"""The political guarantee (S1.1–S1.3): the Party organisation hears the union's work once a year and
decides problems to solve (S1.2), and the union asks it for instructions or reports to it on the matters
its catalogue lists (S1.3).

``CatalogueItem`` rows are rules as data: the provincial default (no union), overridden downward by a
department union's row and a union's own, nearest wins (selectors.catalogue_for). A document whose chain
already has a Party step *is* its request: such matters are marked "covered by its chain" and never gate.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from core.models import Union
from workflows.models import Document, Meeting


class Matter(models.TextChoices):
    """What a catalogue item is about. Document kinds name the matter they are (DocumentKind.extra)."""

    ANNUAL_PLAN = "annual_plan", _("the annual work plan")
    BUDGET = "budget", _("the budget and final accounts")
    MAJOR_EXPENDITURE = "major_expenditure", _("major expenditure")
    CONGRESS = "congress", _("convening the member (representative) congress")
    ELECTION = "election", _("committee elections and by-elections")
    STAFF = "staff", _("appointing full-time union staff")
    ACTIVITY = "activity", _("major activities")
    MODEL_SELECTION = "model_selection", _("selecting model workers and advanced collectives")
    OTHER = "other", _("other matters")


class RequestKind(models.TextChoices):
    REQUEST = "request", _("request for instructions (needs a written reply)")
    REPORT = "report", _("report (needs acknowledgement)")


class CatalogueItem(models.Model):
    """S1.3: a matter that needs a request for instructions (请示) or a report (报告) to the Party
    organisation, with its procedure, form and reply time limit. ``union`` empty: the provincial default."""

    union = models.ForeignKey(
        Union, verbose_name=_("union"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    matter = models.CharField(_("matter"), max_length=30, choices=Matter.choices)
    title = models.CharField(_("item"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    procedure = models.TextField(_("procedure"), blank=True)
    template = models.TextField(_("form (template)"), blank=True)
    replier = models.CharField(_("who replies"), max_length=100, default="同级党组织")
    reply_days = models.PositiveSmallIntegerField(
        _("reply time limit (days)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("catalogue item of requests and reports")
        verbose_name_plural = _("catalogue of requests and reports")
        ordering = ["matter", "id"]
        constraints = [
            models.UniqueConstraint(fields=["union", "matter"], name="party_catalogue_one_per_matter"),
            models.UniqueConstraint(
                fields=["matter"], condition=Q(union__isnull=True), name="party_catalogue_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    CHAIR_SIGN = "chair_sign", _("with the chair for signing")
    AWAITING_REPLY = "party_reply", _("awaiting the Party organisation's reply")
    CARRYING_OUT = "carry_out", _("agreed: recording how it was carried out")
    RETURNED = "returned", _("returned for revision")
    FILED = "filed", _("filed in the archive")
    DISAGREED = "disagreed", _("not agreed: filed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Reply(models.TextChoices):
    AGREE = "agree", _("agreed")
    AGREE_WITH_INSTRUCTIONS = "instructions", _("agreed, with instructions")
    DISAGREE = "disagree", _("not agreed")
    ACKNOWLEDGED = "acknowledged", _("read and acknowledged by the Party organisation")


class InstructionRequest(Document):
    """S1.3: one request for instructions or report to the same-level Party organisation, one matter
    per document (一文一事)."""

    status = models.CharField(
        _("status"), max_length=30, choices=RequestStatus.choices, default=RequestStatus.DRAFT
    )
    process = models.OneToOneField(
        Process, null=True, blank=True, on_delete=models.PROTECT, related_name="instruction_request"
    )
    item = models.ForeignKey(
        CatalogueItem, verbose_name=_("catalogue item"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    text = models.TextField(_("text"))
    reply = models.CharField(_("reply"), max_length=15, choices=Reply.choices, blank=True)
    reply_text = models.TextField(_("reply text"), blank=True)
    reply_reference = models.CharField(_("reply reference number"), max_length=100, blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    reply_due = models.DateField(_("reply due by"), null=True, blank=True)
    carried_out = models.TextField(_("how it was carried out"), blank=True)
    carried_out_on = models.DateField(_("carried out on"), null=True, blank=True)
    # the document the agreed request let start (a major expenditure): used once
    used_by_type = models.CharField(max_length=30, blank=True)
    used_by_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("request for instructions or report")
        verbose_name_plural = _("requests for instructions and reports")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the catalogue gate: the union's agreed, unused requests on one matter
            models.Index(fields=["union", "status", "reply"], name="party_request_union_reply"),
        ]


class HearingStatus(models.TextChoices):
    DRAFT = "draft", _("draft: asking for a place on the agenda")
    ON_AGENDA = "party_hearing", _("on the Party organisation's agenda")
    RETURNED = "returned", _("returned for revision")
    HEARD = "heard", _("heard")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ReportKind(models.TextChoices):
    YEAR_END = "year_end", _("the year-end summary of union work")
    SPECIAL = "special", _("a special report")


class Hearing(Document):
    """S1.2: the Party organisation hears a report on the union's work (听取工会工作汇报): the union asks
    for a place on a meeting's agenda with its report; the meeting's record meets S1.2 for the year."""

    status = models.CharField(
        _("status"), max_length=30, choices=HearingStatus.choices, default=HearingStatus.DRAFT
    )
    process = models.OneToOneField(
        Process, null=True, blank=True, on_delete=models.PROTECT, related_name="party_hearing"
    )
    report_kind = models.CharField(
        _("report"), max_length=10, choices=ReportKind.choices, default=ReportKind.YEAR_END
    )
    report = models.TextField(_("the report"))
    wished_on = models.DateField(_("meeting wished for"), null=True, blank=True)
    meeting = models.OneToOneField(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="hearing"
    )
    matters_studied = models.TextField(_("matters studied"), blank=True)

    class Meta:
        verbose_name = _("hearing of union work")
        verbose_name_plural = _("hearings of union work")
        ordering = ["-year", "-id"]


class ActionItem(models.Model):
    """A problem the Party organisation decided to solve at a hearing, tracked to closure (S1.2)."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="action_items")
    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="+")
    problem = models.TextField(_("problem to solve"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_department = models.CharField(_("owner (department)"), max_length=100, blank=True)
    due_on = models.DateField(_("due by"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("how it was solved"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "id"]
        indexes = [
            # the daily reminders and the workbench: open items by due date
            models.Index(
                fields=["due_on"], condition=Q(closed_on__isnull=True), name="party_action_open_due"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(owner_department=""), name="party_action_has_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.problem[:60]

    @property
    def owner_name(self) -> str:
        return str(self.owner) if self.owner_id else self.owner_department
