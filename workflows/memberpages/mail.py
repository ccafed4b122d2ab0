"""Invitations by e-mail (S5.4), for the members whose register entry has an address. Sent with Django's
``send_mail`` right after the invitations are issued: the clear link and code exist only at that moment
(only their hashes are stored), so they cannot go through the notification deliveries, which are
addressed to accounts and retried later from stored rows. SMS is not sent: Wuyi has no SMS channel."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .services import Issued

logger = logging.getLogger(__name__)


def invitations_email(issued: list[Issued], *, link: Callable[[str], str]) -> tuple[int, int]:
    """Send each invitation whose member has an e-mail address; (sent, failed). A failure is logged and
    counted, never raised: the printed page still carries every link and code."""
    sent = failed = 0
    with translation.override(settings.LANGUAGE_CODE):
        for item in issued:
            if not item.member.email:
                continue
            union = item.invitation.union
            context = {"item": item, "link": link(item.token), "union": union}
            subject = _("Your invitation to the members' pages of %(union)s") % {"union": union.name}
            try:
                send_mail(
                    subject=f"【五一】{subject}",
                    message=render_to_string("workflows/memberpages/invitation_email.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[item.member.email],
                )
            except Exception:  # an SMTP outage must not lose the printed page
                logger.exception("invitation e-mail to member %s failed", item.member.pk)
                failed += 1
            else:
                sent += 1
    return sent, failed
