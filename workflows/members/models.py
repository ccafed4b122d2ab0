"""The members' register (会籍管理, S5.3): who belongs to which union and union group, since when, and
the transfers between unions. The union's member count is derived from it (Union.member_count, with
``member_count_from_register`` once the register has its first entry or import)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Union


class Member(models.Model):
    """One membership: a person in a union from ``joined_on`` until ``left_on`` (a transfer out ends
    it and the receiving union's row begins when that union accepts). A member need not have an
    account; ``person`` is set once they are invited to the members' pages (S5.4)."""

    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="members"
    )
    group = models.ForeignKey(
        Union,
        verbose_name=_("union group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_members",
        limit_choices_to={"kind": "group"},
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    name = models.CharField(_("name"), max_length=100)
    member_number = models.CharField(_("member number"), max_length=30)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["union_id", "member_number", "id"]
        constraints = [
            # a member number is active in one union at a time (a transfer ends one row, then starts one)
            models.UniqueConstraint(
                fields=["member_number"], condition=Q(left_on__isnull=True), name="member_number_active_once"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="member_left_after_joining",
            ),
        ]
        indexes = [
            # the register page and the derived member count: a union's active members
            models.Index(fields=["union", "left_on"], name="member_union_active"),
            # the members' pages: a signed-in person's memberships
            models.Index(fields=["person", "left_on"], name="member_person_active"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.member_number})"

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("awaiting the receiving union")
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused by the receiving union")
    CANCELLED = "cancelled", _("cancelled")


class Transfer(models.Model):
    """A member moving from one union to another (转会): requested by the union they leave, complete
    when the receiving union accepts. Both unions see it while it is open."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_union = models.ForeignKey(
        Union, verbose_name=_("from union"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_union = models.ForeignKey(
        Union, verbose_name=_("to union"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    requested_on = models.DateField(_("requested on"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # why the receiving union refused (the request's own note stays as the sending union wrote it)
    decision_note = models.CharField(_("reason given"), max_length=200, blank=True)
    # the receiving union's new row, once accepted
    new_member = models.OneToOneField(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="transferred_in_by"
    )

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_union=models.F("to_union")), name="transfer_other_union"
            ),
            # one open transfer per member
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="requested"), name="transfer_one_open_per_member"
            ),
        ]
        indexes = [
            models.Index(fields=["to_union", "status"], name="transfer_incoming"),
            models.Index(fields=["from_union", "status"], name="transfer_outgoing"),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.to_union}"
