"""E-mail channel: Chinese subject and body, text and HTML, a link to the task; the Message-ID is
the delivery's idempotency key so a receiver can drop a repeat."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_email(delivery) -> None:
    notification = delivery.notification
    link = f"{settings.SITE_ROOT.rstrip('/')}{notification.url}" if notification.url else settings.SITE_ROOT
    with translation.override(settings.LANGUAGE_CODE):
        context = {"notification": notification, "link": link}
        text = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", context)
    message = EmailMultiAlternatives(
        subject=f"【五一】{notification.title}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.target],
        headers={
            "Message-ID": f"<{delivery.idempotency_key}@wuyi>",
            "X-Wuyi-Delivery": delivery.idempotency_key,
        },
    )
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)
