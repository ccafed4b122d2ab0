"""The committees' working rules and the union's institutions (S4.1, S5.3), one document kind with a type.

Each of the three committees has working rules (工作规则: duties, division of labour, procedure), approved
by that committee's own meeting (S4.1); a single-person body (one fund audit member, one women workers'
member) cannot hold a meeting, so the union committee approves its duty statement instead. The union's
institutions (S5.3: decision-making, congress, membership, workers' congress, expenditure approval,
archives) are approved by the union committee. Each type has versions: the one approved supersedes the
one in force, which stays readable, marked superseded.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from core.models import BodyKind
from workflows.models import Document, Meeting


class RulesType(models.TextChoices):
    UNION_COMMITTEE = "union_committee_rules", _("working rules of the union committee")
    AUDIT_COMMITTEE = "audit_committee_rules", _("working rules of the fund audit committee")
    WOMEN_COMMITTEE = "women_committee_rules", _("working rules of the women workers' committee")
    DECISION_MAKING = "decision_making", _("democratic decision-making institution")
    MEMBER_CONGRESS = "member_congress", _("member (representative) congress institution")
    MEMBERSHIP = "membership", _("membership register institution")
    WORKERS_CONGRESS = "workers_congress", _("workers' congress institution")
    EXPENDITURE_APPROVAL = "expenditure_approval", _("expenditure approval institution")
    ARCHIVES = "archives", _("archive management institution")


# S4.1: whose working rules each type is. The other types are the union's institutions (S5.3), which
# the union committee approves; every type needs its body to exist (a union without a women workers'
# committee needs no rules for it; a union group, with no bodies, needs none).
COMMITTEE_OF: dict[str, str] = {
    RulesType.UNION_COMMITTEE: BodyKind.UNION_COMMITTEE,
    RulesType.AUDIT_COMMITTEE: BodyKind.AUDIT_COMMITTEE,
    RulesType.WOMEN_COMMITTEE: BodyKind.WOMEN_COMMITTEE,
}


def body_needed(rules_type: str) -> str:
    """The body a union must have for the type to be needed: the committee, or the union committee."""
    return COMMITTEE_OF.get(rules_type, BodyKind.UNION_COMMITTEE)


class RulesStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    UNION_COMMITTEE = "union_committee_approval", _("before the union committee")
    AUDIT_COMMITTEE = "audit_committee_approval", _("before the fund audit committee")
    WOMEN_COMMITTEE = "women_committee_approval", _("before the women workers' committee")
    RETURNED = "returned", _("returned for revision")
    IN_FORCE = "in_force", _("in force")
    SUPERSEDED = "superseded", _("superseded")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_STATUSES = [
    RulesStatus.DRAFT,
    RulesStatus.UNION_COMMITTEE,
    RulesStatus.AUDIT_COMMITTEE,
    RulesStatus.WOMEN_COMMITTEE,
    RulesStatus.RETURNED,
]

APPROVERS = [
    (BodyKind.UNION_COMMITTEE, BodyKind.UNION_COMMITTEE.label),
    (BodyKind.AUDIT_COMMITTEE, BodyKind.AUDIT_COMMITTEE.label),
    (BodyKind.WOMEN_COMMITTEE, BodyKind.WOMEN_COMMITTEE.label),
]


class RulesDocument(Document):
    """One version of a type of rules of one union. ``approver``: the body whose meeting decides it, fixed
    when it is sent (the flow's switch and the chain read it); ``meeting``: the meeting that approved it."""

    status = models.CharField(
        _("status"), max_length=30, choices=RulesStatus.choices, default=RulesStatus.DRAFT
    )
    process = models.OneToOneField(
        Process, null=True, blank=True, on_delete=models.PROTECT, related_name="rules_document"
    )
    rules_type = models.CharField(_("type"), max_length=30, choices=RulesType.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"))
    approver = models.CharField(_("approved by"), max_length=30, choices=APPROVERS)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("approving meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("working rules or institution")
        verbose_name_plural = _("working rules and institutions")
        ordering = ["rules_type", "-version", "-id"]
        constraints = [
            # one version in force per union and type; also the index of missing_rules and rules_in_force
            # (the unions' rows in force)
            models.UniqueConstraint(
                fields=["union", "rules_type"],
                condition=Q(status="in_force"),
                name="institutions_one_in_force",
            ),
            # one new version on its way at a time: two drafts of the same rules would race to supersede
            models.UniqueConstraint(
                fields=["union", "rules_type"],
                condition=Q(status__in=OPEN_STATUSES),
                name="institutions_one_in_progress",
            ),
            models.UniqueConstraint(
                fields=["union", "rules_type", "version"],
                condition=~Q(status="withdrawn"),
                name="institutions_version_once",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_working_rules(self) -> bool:
        return self.rules_type in COMMITTEE_OF
