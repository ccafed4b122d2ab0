"""Receivers: keep permissions in step with seats, and log sign-in and access failures as events; and
the signals core sends to the apps above it, which core never imports."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from axes.utils import reset as axes_reset
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from core import refcache
from core.models import Body, Seat, User
from core.services.events import event_record
from core.services.permissions import permissions_sync_for_user, permissions_sync_union_offices

# Sent by obligations_generate inside its transaction, with ``fiscal_year``: the year's obligations exist
# (new ones among them). The notifications app schedules their reminders.
obligations_created = Signal()
# Sent by seat_end inside its transaction, with ``seat``: a seat's term now ends on ``seat.end_date``.
# The workflows app flags the steps its body is left unable to take (workflows.services.vacancy).
seat_ended = Signal()


@receiver(post_save, sender=Seat)
@receiver(post_delete, sender=Seat)
def seat_changed(sender, instance: Seat, **kwargs) -> None:
    # Same transaction as the seat change: a seat and the access it grants never disagree.
    permissions_sync_for_user(user=instance.person)


@receiver(post_save, sender=Body)
def body_saved(sender, instance: Body, created: bool, **kwargs) -> None:
    if created:
        permissions_sync_union_offices(union=instance.union)


@receiver(post_save, sender=User)
def user_saved(sender, instance: User, created: bool, update_fields=None, **kwargs) -> None:
    if created or (update_fields and set(update_fields) <= {"last_login", "password"}):
        return
    # Deactivation removes every grant; reactivation restores what the seats say.
    permissions_sync_for_user(user=instance)


def _client_ip(request) -> str:
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "")


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs) -> None:
    event_record(
        verb="login_failed",
        detail={"username": str(credentials.get("username", ""))[:150], "ip": _client_ip(request)},
    )


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs) -> None:
    event_record(verb="login", actor=user, subject=user, detail={"ip": _client_ip(request)})
    if request is not None:
        # the owner's own mistyped attempts from here are forgiven; other usernames' are not
        axes_reset(ip=get_client_ip_address(request), username=user.get_username())


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs) -> None:
    event_record(
        verb="login_locked_out", detail={"username": str(username or "")[:150], "ip": ip_address or ""}
    )


# The reference tables kept in process memory (core.refcache): a write clears this process's copy.
_REFERENCE_MODELS = (
    "core.CalendarDay",
    "core.CalendarYear",
    "notifications.ReminderRule",
    "workflows.StepDuration",
)
for _model in _REFERENCE_MODELS:
    post_save.connect(refcache.changed, sender=_model, dispatch_uid=f"refcache-save-{_model}")
    post_delete.connect(refcache.changed, sender=_model, dispatch_uid=f"refcache-delete-{_model}")
