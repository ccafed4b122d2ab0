"""The approval spine shared by every document flow.

- ``WorkItem``: one row per human task, one-to-one with viewflow's Task, holding the facts the
  inbox, reminders and oversight query (union, document, step, body, who may act, due date, state)
  as indexed columns. Written in the same transaction as every change of its task.
- ``Meeting`` / ``MeetingItem`` / ``WrittenDecision``: how a body completes a collective step.
- ``OpinionRequest``: one recipient of an opinion solicitation (S2.2, S3.3).
- ``ReturnRule``: where a document restarts after a return, per union (rules as data).
- ``Attachment``: files on a document, a step or a meeting.
- ``Delegation``: while away (委托), a person's new tasks reach a substitute.
- ``Document``: the fields every document kind has (its kind is declared in ``workflows.registry``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from core import uploads
from core.models import Body, Union, VoteBase


class DocumentType(models.TextChoices):
    BUDGET = "budget", _("budget")
    ANNUAL_PLAN = "annual_plan", _("annual plan")
    BUDGET_ADJUSTMENT = "budget_adjustment", _("budget adjustment")
    FINAL_ACCOUNTS = "final_accounts", _("final accounts")
    WORK_REPORT = "work_report", _("work report")
    FINANCE_REPORT = "finance_report", _("report on budget and final accounts")
    YEAR_END_SUMMARY = "year_end_summary", _("year-end summary")
    EXPENDITURE = "expenditure", _("expenditure request")
    PARTY_HEARING = "party_hearing", _("hearing of union work")
    INSTRUCTION = "instruction", _("request for instructions or report")
    RULES = "rules", _("working rules or institution")


class Document(models.Model):
    """What every document that travels a chain has. A kind adds its process link (the reverse name
    is how viewflow's process reaches it), its versions, its status choices and its own fields."""

    union = models.ForeignKey(Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=30)
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafter"), on_delete=models.PROTECT, related_name="+"
    )
    # Where the chain restarts after the drafter's revision (a step name), set by a return.
    restart_step = models.CharField(_("restart at"), max_length=50, blank=True)
    decided = models.BooleanField(
        _("a body has decided"),
        default=False,
        help_text=_("After the first decision it can no longer be withdrawn."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    in_force_since = models.DateTimeField(_("in force since"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class WorkItemState(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    CANCELED = "canceled", _("canceled")
    # 加签: the holder added a signer before them; the item returns to OPEN when the signer answers.
    BLOCKED = "blocked", _("waiting for an added signer")


class WorkItemKind(models.TextChoices):
    PERSON = "person", _("a person's task")
    BODY = "body", _("a body's task")


class WorkItem(models.Model):
    # Every viewflow human task has exactly one work item. A signer added before someone (加签) gets a
    # work item without a task of its own: it belongs to the blocked item (``parent``).
    task = models.OneToOneField(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="work_item"
    )
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="work_items")
    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="work_items"
    )
    document_type = models.CharField(_("document type"), max_length=30, choices=DocumentType.choices)
    document_id = models.BigIntegerField(_("document"))
    document_title = models.CharField(_("document title"), max_length=200, blank=True)
    step = models.CharField(_("step"), max_length=50)
    step_title = models.CharField(_("step title"), max_length=100)
    kind = models.CharField(_("who acts"), max_length=10, choices=WorkItemKind.choices)
    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_items",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_items",
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acting for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The person away whose task reached this delegate (委托)."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("added signer for"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="signer_items",
    )
    note = models.TextField(_("note"), blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=WorkItemState.choices, default=WorkItemState.OPEN
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        indexes = [
            # inbox: a person's open items, soonest due first (partial: open rows only).
            models.Index(
                fields=["assignee", "due_at", "id"],
                condition=Q(state="open"),
                # the to-do summary (counts by union and step) reads the index alone (bench P3)
                include=["union", "document_type", "step", "step_title"],
                name="workitem_open_assignee_cover",
            ),
            # inbox: open body items claimable through a recorder's seat; the summary reads it alone.
            models.Index(
                fields=["body", "due_at", "id"],
                condition=Q(state="open"),
                include=["union", "document_type", "step", "step_title", "kind", "assignee"],
                name="workitem_open_body_cover",
            ),
            # document page: the items of one document.
            models.Index(fields=["document_type", "document_id", "created_at"], name="workitem_document"),
            # inbox "done" tab: what a person finished, newest first (keyset on finished_at, id).
            models.Index(
                fields=["finished_by", "-finished_at", "-id"],
                condition=Q(state="done"),
                name="workitem_done_by",
            ),
            # oversight: open items of a union by age.
            models.Index(
                fields=["union", "created_at"], condition=Q(state="open"), name="workitem_open_union"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step_title} · {self.union}"

    @property
    def is_open(self) -> bool:
        return self.state == WorkItemState.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()


class Resolution(models.TextChoices):
    APPROVE = "approve", _("approve")
    RETURN = "return", _("return with opinions")


class Meeting(models.Model):
    """A recorded meeting of a body. Never edited: a correction is an amending record."""

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendees"), related_name="meetings_attended"
    )
    seats_in_force = models.PositiveIntegerField(_("seats in force that day"))
    attendee_count = models.PositiveIntegerField(_("attendees"))
    has_quorum = models.BooleanField(_("quorum reached"))
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_on_behalf = models.BooleanField(
        _("recorded on the body's behalf"),
        default=False,
        help_text=_("Office staff recording for the body (代录)."),
    )
    amends = models.ForeignKey(
        "self",
        verbose_name=_("amends"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.body} {self.held_on}"


class MeetingItem(models.Model):
    """One agenda item: a pending document of the body, its votes and resolution.

    ``passed`` says the resolution recorded was carried at a meeting with quorum: an approval whose
    votes for reached the body's pass fraction, or a return with opinions the body chose. An approval
    whose votes fell short is recorded as a return that did not pass (未通过): the document goes
    back as a return does, the vote standing as the reason (``return_reason``).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    work_item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="meeting_items")
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstaining"), default=0)
    resolution = models.CharField(_("resolution"), max_length=10, choices=Resolution.choices)
    passed = models.BooleanField(_("passed"))
    opinions = models.TextField(_("opinions"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.meeting} · {self.get_resolution_display()}"

    @property
    def not_passed(self) -> bool:
        """The body voted with a quorum and the approval did not get the votes: returned (未通过)."""
        return self.meeting.has_quorum and self.resolution == Resolution.RETURN and not self.passed

    @property
    def votes_needed(self) -> int:
        """The votes for that pass an item at this meeting: the body's pass rule over the seats in
        force that day or the members present (as services.decisions.needed_for counts them)."""
        body, meeting = self.meeting.body, self.meeting
        base = meeting.seats_in_force if body.pass_base == VoteBase.ALL_MEMBERS else meeting.attendee_count
        if base <= 0:
            return 1  # nothing reaches a fraction of nobody
        share, den = body.pass_numerator * base, body.pass_denominator
        # the smallest count with count/base > (or >=) numerator/denominator, in integers
        return share // den + 1 if body.pass_strict else -(-share // den)

    @property
    def return_reason(self) -> str:
        """Why the document came back: the failed vote and the opinions, or the opinions alone."""
        if not self.not_passed:
            return self.opinions
        return self.not_passed_text(
            votes_for=self.votes_for,
            votes_against=self.votes_against,
            votes_abstain=self.votes_abstain,
            votes_needed=self.votes_needed,
            opinions=self.opinions,
        )

    @staticmethod
    def not_passed_text(
        *, votes_for: int, votes_against: int, votes_abstain: int, votes_needed: int, opinions: str = ""
    ) -> str:
        """The one wording of a vote that did not pass, with the opinions entered (if any) below it."""
        text = str(
            _(
                "The vote did not pass: %(for)s for, %(against)s against, %(abstain)s abstaining "
                "(%(needed)s needed to pass)"
            )
            % {"for": votes_for, "against": votes_against, "abstain": votes_abstain, "needed": votes_needed}
        )
        opinions = (opinions or "").strip()
        return f"{text}\n{opinions}" if opinions else text


class WrittenDecision(models.Model):
    """A body's written decision, e.g. the Party organisation's reply (批复)."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="written_decisions"
    )
    work_item = models.OneToOneField(WorkItem, on_delete=models.PROTECT, related_name="written_decision")
    resolution = models.CharField(_("decision"), max_length=10, choices=Resolution.choices)
    reference_number = models.CharField(_("reference number"), max_length=100)
    decided_on = models.DateField(_("date"))
    opinions = models.TextField(_("opinions"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("written decision")
        verbose_name_plural = _("written decisions")

    def __str__(self) -> str:
        return f"{self.body} {self.reference_number}"


class OpinionAnswer(models.TextChoices):
    PENDING = "pending", _("awaiting answer")
    OPINION = "opinion", _("opinion given")
    NO_OPINION = "no_opinion", _("no opinion")
    NO_REPLY = "no_reply", _("no reply by the due date")


class OpinionRequest(models.Model):
    """One recipient of a solicitation (S2.2, S3.3): a union's chair or a member representative."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="opinion_requests")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        Union,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The subordinate union or union group the recipient answers for."),
    )
    due_at = models.DateTimeField(_("due"))
    answer = models.CharField(
        _("answer"), max_length=12, choices=OpinionAnswer.choices, default=OpinionAnswer.PENDING
    )
    text = models.TextField(_("opinion"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    work_item = models.OneToOneField(
        WorkItem, null=True, blank=True, on_delete=models.PROTECT, related_name="opinion_request"
    )

    class Meta:
        verbose_name = _("opinion request")
        verbose_name_plural = _("opinion requests")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "round", "recipient"], name="opinion_one_per_recipient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.get_answer_display()}"


class ReturnRule(models.Model):
    """Where a returned document restarts, per union and document type.

    Without a row, a revised document goes back to the step that returned it.
    """

    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.CASCADE, related_name="return_rules"
    )
    document_type = models.CharField(_("document type"), max_length=30, choices=DocumentType.choices)
    returning_step = models.CharField(_("returning step"), max_length=50)
    restart_step = models.CharField(_("restart at"), max_length=50)

    class Meta:
        verbose_name = _("return rule")
        verbose_name_plural = _("return rules")
        constraints = [
            models.UniqueConstraint(
                fields=["union", "document_type", "returning_step"], name="return_rule_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.union} {self.document_type}: {self.returning_step} → {self.restart_step}"


ALLOWED_ATTACHMENT_SUFFIXES = uploads.ALLOWED_SUFFIXES


def attachment_path(instance: Attachment, filename: str) -> str:
    return uploads.random_path(f"attachments/{instance.union_id}")


# Named in migration 0001; the checks live with the upload handling in core.
validate_attachment = uploads.validate_upload


class Attachment(models.Model):
    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="+")
    document_type = models.CharField(
        _("document type"), max_length=30, choices=DocumentType.choices, blank=True
    )
    document_id = models.BigIntegerField(_("document"), null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    written_decision = models.ForeignKey(
        WrittenDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    comment = models.ForeignKey(
        "Comment", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, validators=[validate_attachment])
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["document_type", "document_id"], name="attachment_document")]

    def __str__(self) -> str:
        return self.name


class CopyTo(models.Model):
    """An observer copied on a document (抄送): sees it read-only, is told when it moves."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="copies")
    document_type = models.CharField(_("document type"), max_length=30, choices=DocumentType.choices)
    document_id = models.BigIntegerField(_("document"))
    document_title = models.CharField(_("document title"), max_length=200, blank=True)
    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("observer"), on_delete=models.PROTECT, related_name="copies"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("copied at"), default=timezone.now)

    class Meta:
        verbose_name = _("copy to")
        verbose_name_plural = _("copies to")
        constraints = [models.UniqueConstraint(fields=["process", "person"], name="copyto_once_per_person")]
        indexes = [
            # inbox "watching" tab: the documents a person is copied on.
            models.Index(fields=["person", "-created_at"], name="copyto_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.document_title}"


class Comment(models.Model):
    """A comment on a document, optionally on one step; the people it mentions (chosen with the
    people picker) are notified, and the page shows them by name."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="comments")
    document_type = models.CharField(_("document type"), max_length=30, choices=DocumentType.choices)
    document_id = models.BigIntegerField(_("document"))
    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="+")
    work_item = models.ForeignKey(
        WorkItem,
        verbose_name=_("step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mentioned"), blank=True, related_name="+"
    )
    # Written by a supervisor of an upper union who sees the document from above, not as a member of its
    # union: a supervisory comment (督导意见). Set when written, as the author's seats stood then.
    as_supervisor = models.BooleanField(_("supervisory comment"), default=False)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["document_type", "document_id", "created_at"], name="comment_document")
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:30]}"


class Urge(models.Model):
    """催办: the initiator or a supervisor urges the current approvers; once per task per 24 hours."""

    work_item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="urges")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("urge")
        verbose_name_plural = _("urges")
        indexes = [models.Index(fields=["work_item", "-at"], name="urge_item_time")]

    def __str__(self) -> str:
        return f"{self.work_item_id} {self.at:%Y-%m-%d %H:%M}"


class StepDuration(models.Model):
    """How many days a step may take (data). Without a row, the flow's default applies; a union's
    own row beats the default row (union empty)."""

    union = models.ForeignKey(
        Union, verbose_name=_("union"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    document_type = models.CharField(_("document type"), max_length=30, choices=DocumentType.choices)
    step = models.CharField(_("step"), max_length=50)
    days = models.PositiveSmallIntegerField(_("days"))

    class Meta:
        verbose_name = _("step duration")
        verbose_name_plural = _("step durations")
        constraints = [
            models.UniqueConstraint(fields=["union", "document_type", "step"], name="step_duration_once"),
        ]

    def __str__(self) -> str:
        return f"{self.document_type}.{self.step}: {self.days}"


class Delegation(models.Model):
    """委托: while away, a person's new tasks reach a substitute (dates inclusive, union time zone)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="delegations",
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("substitute"),
        on_delete=models.PROTECT,
        related_name="substitutions",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        db_table = "core_delegation"  # the table kept its name when the model moved from core
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-starts_on", "-id"]
        indexes = [
            # work_item_create: is this assignee away today?
            models.Index(fields=["person", "starts_on", "ends_on"], name="delegation_person_dates"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(person=models.F("substitute")), name="delegation_not_to_self"
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="delegation_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.substitute} ({self.starts_on} – {self.ends_on})"
