"""Pages of the notifications app: the list, a person's channels and calendar feed, a union's robots."""

from __future__ import annotations

from urllib.parse import urlparse

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import refuse, union_for_viewer
from core.services.events import event_record
from notifications.channels.notices import PERSONAL_CHANNELS, channels_for, configured
from notifications.forms import ChannelPreferenceForm, UnionWebhookForm
from notifications.models import Channel, ChannelPreference, UnionWebhook, WebhookPreset, new_ical_token
from notifications.selectors import notifications_page
from notifications.services import notifications_mark_read


@login_required
def notification_list(request):
    before = request.GET.get("before")
    before_id = int(before) if before and before.isdigit() else None
    page = notifications_page(user=request.user, before_id=before_id, size=30)
    next_before = page[-1].id if len(page) == 30 else None
    return render(request, "notifications/list.html", {"notifications": page, "next_before": next_before})


@login_required
@require_POST
def notification_mark_read(request):
    ids = [int(x) for x in request.POST.getlist("id") if x.isdigit()] or None
    notifications_mark_read(recipient=request.user, ids=ids)
    return redirect("notifications:list")


# --- a person's channels ---------------------------------------------------------------------------


@login_required
def preferences(request):
    """E-mail, the work notices the person can receive (issue 31) and the daily digest on or off, and
    the personal calendar feed address. The person's own only: there is no one else's to name."""
    preference, _created = ChannelPreference.objects.get_or_create(user=request.user)
    offered = channels_for(request.user)
    form = ChannelPreferenceForm(request.POST or None, instance=preference, offered=offered)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    feed_url = request.build_absolute_uri(reverse("ical_feed", args=[preference.ical_token]))
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
            "has_email": bool(request.user.email),
            "unreachable": [
                Channel(c).label for c in PERSONAL_CHANNELS if configured(c) and c not in offered
            ],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def ical_token_renew(request):
    """A new feed address; the old one answers 404 from now on (a lost phone, a shared link)."""
    preference, _created = ChannelPreference.objects.get_or_create(user=request.user)
    with transaction.atomic():
        preference.ical_token = new_ical_token()
        preference.save(update_fields=["ical_token"])
        event_record(verb="ical_token_renewed", actor=request.user, subject=preference)
    messages.success(request, _("Your calendar has a new address. The old address no longer works."))
    return redirect("notifications:preferences")


# --- a union's group robots ------------------------------------------------------------------------


def _webhook_manager(request, pk: int):
    """Chair and office staff of the union (manage seats) may set its robots; supervisors above see
    the union but may not (403); anyone else learns nothing of it (404)."""
    union, access = union_for_viewer(request, pk)
    if not access.can_view_documents:
        refuse(request, union=union, reason="webhooks are for the union's officers")
    if not access.can_manage_seats:
        refuse(request, union=union, reason="may not manage the union's webhooks", status=403)
    return union


def masked_url(url: str) -> str:
    """The robot's key is a secret: show the host and the last characters only."""
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}/…{url[-4:]}" if len(url) > 12 else url


def masked_secret(secret: str) -> str:
    """A signing secret is never shown back: its SEC prefix and last four characters only."""
    return f"{secret[:3]}…{secret[-4:]}" if len(secret) >= 12 else ("…" if secret else "")


@login_required
def union_webhooks(request, pk: int):
    union = _webhook_manager(request, pk)
    form = UnionWebhookForm(request.POST or None, union=union, initial={"preset": WebhookPreset.WECOM})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            hook = form.save()
            event_record(
                verb="webhook_added",
                actor=request.user,
                subject=hook,
                union=union,
                detail={
                    "preset": hook.preset,
                    "host": urlparse(hook.url).netloc,
                    "signed": bool(hook.secret),
                },
            )
        messages.success(
            request, _("The group robot is added: obligation reminders and escalations now reach it.")
        )
        return redirect("union_webhooks", pk=union.pk)
    hooks = [
        (hook, masked_url(hook.url), masked_secret(hook.secret))
        for hook in UnionWebhook.objects.filter(union=union).order_by("id")
    ]
    return render(
        request,
        "notifications/union_webhooks.html",
        {"union": union, "hooks": hooks, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def union_webhook_toggle(request, pk: int, hook_pk: int):
    union = _webhook_manager(request, pk)
    hook = get_object_or_404(UnionWebhook, pk=hook_pk, union=union)
    active = request.POST.get("active") == "1"
    if hook.active != active:
        with transaction.atomic():
            UnionWebhook.objects.filter(pk=hook.pk).update(active=active)
            event_record(
                verb="webhook_activated" if active else "webhook_deactivated",
                actor=request.user,
                subject=hook,
                union=union,
                from_state="active" if hook.active else "inactive",
                to_state="active" if active else "inactive",
            )
    messages.success(
        request,
        _("The group robot is active.") if active else _("The group robot is paused: it receives nothing."),
    )
    return redirect("union_webhooks", pk=union.pk)
