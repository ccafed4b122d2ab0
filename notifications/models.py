"""In-app notifications (the bell). Reminder rules and channels come with the calendar issue."""

from __future__ import annotations

import ipaddress
import secrets
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications import errors
from notifications.channels.safe_http import Refused, check, normalise_host


class Notification(models.Model):
    # No single-column indexes on the foreign keys: the recipient leads the indexes below, and no page
    # looks notifications up by union. Each index costs the reminder sweep a write per row (bench P4).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="notifications",
        db_index=False,
    )
    union = models.ForeignKey(
        "core.Union",
        verbose_name=_("union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # One notification per recipient and occasion (rule, subject, occurrence): the key makes a
    # second insert of the same occasion a no-op, whatever worker or retry attempts it.
    dedupe_key = models.CharField(_("occasion key"), max_length=200, null=True, blank=True)  # noqa: DJ001 (NULL: no dedupe)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=Q(dedupe_key__isnull=False),
                name="notification_one_per_occasion",
            ),
        ]
        indexes = [
            # the bell: unread count of one recipient.
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            # the notifications page: a recipient's newest first (keyset on created_at, id).
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recipient_time"),
        ]

    def __str__(self) -> str:
        return self.title


class SubjectKind(models.TextChoices):
    OBLIGATION = "obligation", _("obligation")
    WORK_ITEM = "work_item", _("work item")


def validate_offsets(value) -> None:
    if not isinstance(value, list) or not value or not all(isinstance(v, int) for v in value):
        raise ValidationError(errors.OFFSETS_LIST)
    if any(v < 0 or v > 366 for v in value):
        raise ValidationError(errors.OFFSETS_RANGE)


class ReminderRule(models.Model):
    """Offsets before a due date and escalation after it. Rows with defaults; a union may override."""

    union = models.ForeignKey(
        "core.Union",
        verbose_name=_("union"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: the default for every union."),
    )
    subject_kind = models.CharField(_("reminds about"), max_length=20, choices=SubjectKind.choices)
    offsets = models.JSONField(
        _("days before the due date"),
        default=list,
        validators=[validate_offsets],
        help_text=_("For example [30, 14, 7, 3, 1, 0]; 0 is the due day itself."),
    )
    send_hour = models.PositiveSmallIntegerField(_("hour of day (local time)"), default=9)
    escalate_chair_after_days = models.PositiveSmallIntegerField(
        _("escalate to the union chair after (days late)"), default=1
    )
    escalate_supervisors_after_days = models.PositiveSmallIntegerField(
        _("escalate to the upper-level union's supervisors after (days late)"), default=7
    )

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        constraints = [
            models.UniqueConstraint(fields=["union", "subject_kind"], name="reminder_rule_once"),
            models.UniqueConstraint(
                fields=["subject_kind"], condition=Q(union__isnull=True), name="reminder_rule_one_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_kind_display()} {self.offsets}"

    def clean(self) -> None:
        super().clean()
        if self.send_hour > 23:
            raise ValidationError({"send_hour": errors.HOUR_RANGE})


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("before the due date")
    ESCALATE_CHAIR = "escalate_chair", _("escalation to the union chair")
    ESCALATE_SUPERVISORS = "escalate_supervisors", _("escalation to the upper-level union")


class ReminderState(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    SKIPPED = "skipped", _("skipped (already done)")


class Reminder(models.Model):
    """The next occasion to remind about one subject. Only the next one is stored; sending it
    schedules the following one. Unique per subject, kind, offset and due date: a moved deadline
    gives new occasions, a repeated schedule none."""

    subject_kind = models.CharField(max_length=20, choices=SubjectKind.choices)
    subject_id = models.BigIntegerField()
    # not indexed: nothing looks reminders up by union (the sweep pays for every index it updates)
    union = models.ForeignKey("core.Union", on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    offset_days = models.SmallIntegerField(help_text=_("Days before the due date (negative: days after)."))
    due_on = models.DateField()
    fire_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=ReminderState.choices, default=ReminderState.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_kind", "subject_id", "kind", "offset_days", "due_on"], name="reminder_once"
            ),
        ]
        indexes = [
            # the sweep: pending reminders due now (partial, claimed with FOR UPDATE SKIP LOCKED).
            models.Index(fields=["fire_at", "id"], condition=Q(state="pending"), name="reminder_pending_due"),
            # a subject's reminders: served by reminder_once, which leads with (subject_kind, subject_id)
        ]

    def __str__(self) -> str:
        return f"{self.subject_kind}:{self.subject_id} {self.kind} {self.offset_days} {self.fire_at:%Y-%m-%d}"


class Channel(models.TextChoices):
    IN_APP = "in_app", _("in-app")
    EMAIL = "email", _("e-mail")
    WEBHOOK = "webhook", _("group robot / webhook")
    # personal work notices (issue 31): to the person's WeCom / DingTalk user id, or phone number
    WECOM = "wecom", _("WeCom / government WeCom work notice")
    DINGTALK = "dingtalk", _("DingTalk work notice")
    SMS = "sms", _("text message")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """One notification through one channel to one target. At least once, with an idempotency key."""

    # indexed by delivery_once, which leads with the notification
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    target = models.CharField(max_length=500)
    idempotency_key = models.CharField(max_length=100)
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel", "target"], name="delivery_once"),
            # a constraint rather than unique=True: no second (LIKE pattern) index nobody queries
            models.UniqueConstraint(fields=["idempotency_key"], name="delivery_idempotency_key"),
        ]
        indexes = [
            # the redelivery sweep: pending deliveries whose next attempt is due.
            models.Index(
                fields=["next_attempt_at", "id"], condition=Q(state="pending"), name="delivery_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.target} ({self.state})"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField()
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.at:%H:%M:%S} {'ok' if self.ok else self.error[:40]}"


def new_ical_token() -> str:
    return secrets.token_urlsafe(24)


class ChannelPreference(models.Model):
    """The channels a person chooses. In-app is always on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preference"
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    # issue 31: chosen by the person, offered only when configured and the person has the id (phone)
    wecom = models.BooleanField(_("WeCom / government WeCom work notice"), default=False)
    dingtalk = models.BooleanField(_("DingTalk work notice"), default=False)
    sms = models.BooleanField(_("text message"), default=False)
    daily_digest = models.BooleanField(_("daily digest"), default=True)
    ical_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, default=new_ical_token
    )

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")

    def __str__(self) -> str:
        return str(self.user)


class NoticeToken(models.Model):
    """A WeCom or DingTalk access token, shared by every worker until it expires: both APIs limit how
    often a token may be fetched, and both answer a fetch within the validity with a valid token, so
    two workers refreshing at once do no harm (the later row wins). Keyed by the application's
    credentials' fingerprint, never by the secret itself."""

    provider = models.CharField(max_length=10, choices=[("wecom", "WeCom"), ("dingtalk", "DingTalk")])
    app = models.CharField(max_length=64, help_text="sha256 of the base address and the credentials")
    token = models.CharField(max_length=512)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        constraints = [models.UniqueConstraint(fields=["provider", "app"], name="notice_token_once")]

    def __str__(self) -> str:
        return f"{self.provider} {self.expires_at:%Y-%m-%d %H:%M}"


class WebhookPreset(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    GENERIC = "generic", _("generic JSON")


# The only hosts of the group robots (security review): a WeCom or DingTalk robot elsewhere is not one.
ROBOT_HOSTS = {
    WebhookPreset.WECOM: "qyapi.weixin.qq.com",
    WebhookPreset.DINGTALK: "oapi.dingtalk.com",
}


def validate_webhook_url(value: str) -> None:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValidationError(errors.WEBHOOK_URL, params={"value": value})


class UnionWebhook(models.Model):
    """A union's group robot: receives obligation reminders and escalations."""

    union = models.ForeignKey(
        "core.Union", verbose_name=_("union"), on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.CharField(_("address"), max_length=500, validators=[validate_webhook_url])
    preset = models.CharField(
        _("format"), max_length=10, choices=WebhookPreset.choices, default=WebhookPreset.WECOM
    )
    template = models.TextField(
        _("JSON template"),
        blank=True,
        help_text=_("Only for the generic format: {title}, {body}, {url} and {id} are replaced."),
    )
    # DingTalk's "加签": each message carries a timestamp and an HMAC of it under this secret.
    secret = models.CharField(_("DingTalk signing secret"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("union webhook")
        verbose_name_plural = _("union webhooks")

    def __str__(self) -> str:
        return f"{self.union} {self.get_preset_display()}"

    def clean(self) -> None:
        """The address as typed must be allowed for the format (no lookup here: the form and every
        send resolve the host and check its addresses)."""
        super().clean()
        try:
            validate_webhook_url(self.url)
        except ValidationError:
            return  # the field's validator says so already
        if self.preset not in WebhookPreset.values:
            return
        try:
            check(self.url, official_host=ROBOT_HOSTS.get(self.preset), lookup=False)
        except Refused as exc:
            raise ValidationError({"url": ValidationError(exc.message, params=exc.params)}) from None

    @property
    def official_host(self) -> str | None:
        return ROBOT_HOSTS.get(self.preset)


class WebhookAllowedHost(models.Model):
    """A message gateway the system administrator lets unions' generic robots post to (security
    review). Also names the internal addresses a host may resolve to, a robot host's included."""

    host = models.CharField(
        _("host name"),
        max_length=253,
        help_text=_("As in the address, for example gw.example.gov.cn: no scheme, port or path."),
    )
    port = models.PositiveIntegerField(
        _("port"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(65535)],
        help_text=_("Empty: the standard port (443 for https, 80 for http)."),
    )
    allow_http = models.BooleanField(
        _("allow plain http"),
        default=False,
        help_text=_("Off: https only. Turn on only for a gateway inside a trusted network."),
    )
    address = models.CharField(
        _("internal address or network"),
        max_length=64,
        blank=True,
        help_text=_(
            "Empty: the host must resolve to public internet addresses only. An address (10.1.2.3) "
            "or network (10.1.2.0/24): every address of the host must lie in it; internal "
            "addresses are then allowed."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("allowed webhook host")
        verbose_name_plural = _("allowed webhook hosts")
        ordering = ["host", "port"]
        constraints = [
            # one entry per host and port, and one per host for the standard port (no port: NULLs
            # are distinct in the first constraint, so the second, partial one covers them)
            models.UniqueConstraint(fields=["host", "port"], name="webhook_allowed_host_once"),
            models.UniqueConstraint(
                fields=["host"],
                condition=Q(port__isnull=True),
                name="webhook_allowed_host_standard_port_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host}:{self.port}" if self.port else self.host

    def network(self):
        return ipaddress.ip_network(self.address, strict=False) if self.address else None

    def clean(self) -> None:
        super().clean()
        problems = {}
        host = normalise_host(self.host or "")
        if not host or any(c in host for c in "/@?# ") or (":" in host and not _is_ipv6(host)):
            problems["host"] = errors.ALLOWED_HOST_NAME
        self.host = host
        self.address = (self.address or "").strip()
        if self.address:
            problems.update(_network_problem(self.address))
        if problems:
            raise ValidationError(problems)


def _is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _network_problem(address: str) -> dict:
    """A gateway's own address or a network of it; not the whole internet (0.0.0.0/0)."""
    try:
        network = ipaddress.ip_network(address, strict=False)
    except ValueError:
        return {"address": errors.ALLOWED_HOST_ADDRESS}
    if network.prefixlen < (8 if network.version == 4 else 32):
        return {"address": ValidationError(errors.ALLOWED_HOST_NETWORK_TOO_WIDE, params={"address": address})}
    return {}
