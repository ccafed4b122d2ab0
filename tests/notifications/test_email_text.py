"""The plain-text part of an e-mail shows what people typed, not HTML entities (security review):
a document title such as ``预算<草案> & "说明"`` reaches a real SMTP server (aiosmtpd) raw in
text/plain and escaped in text/html. Nothing under test is mocked.
"""

from __future__ import annotations

import pytest

from notifications.models import Channel, Delivery, Reminder, ReminderState
from notifications.services import notification_create
from notifications.services.delivery import deliveries_for
from notifications.services.reminders import reminders_send_due
from notifications.tasks import deliver_batch
from tests.notifications.helpers import SmtpServer, deliveries_of, make_due
from tests.notifications.test_delivery_real import parts
from tests.scenarios import to_audit_review as at_audit
from workflows.budget.models import Budget

TITLE = "预算<草案> & \"说明\" 的'附件'"
ENTITIES = ("&lt;", "&gt;", "&amp;", "&quot;", "&#x27;", "&#39;")


def assert_raw_text_escaped_html(message, *raw: str) -> None:
    text, html = parts(message)
    for value in raw:
        assert value in text, text
    assert not any(entity in text for entity in ENTITIES), text
    assert "&lt;草案&gt; &amp; &quot;说明&quot;" in html, html
    assert "<草案>" not in html


@pytest.mark.django_db
def test_reminder_email_has_the_raw_title_in_text_and_the_escaped_title_in_html(cast, submitted_budget):
    # given: a budget whose title has HTML's special characters, its audit step's reminder due
    budget = submitted_budget()
    Budget.objects.filter(pk=budget.pk).update(title=TITLE)
    budget.refresh_from_db()
    item = at_audit(budget, cast)
    assert item.document_title == TITLE
    cast.audit_director.email = "audit-director@example.com"
    cast.audit_director.save(update_fields=["email"])
    (reminder,) = make_due(
        Reminder.objects.filter(subject_kind="work_item", subject_id=item.pk, state=ReminderState.PENDING)
    )

    # when: the sweep writes the e-mail and the delivery task sends it over SMTP
    with SmtpServer() as smtp, smtp.settings():
        reminders_send_due()
        mails = [d for d in deliveries_of([reminder]) if d.target == cast.audit_director.email]
        assert [d.channel for d in mails] == [Channel.EMAIL]
        deliver_batch.run([mails[0].pk])
        (message,) = smtp.messages

    # then
    assert TITLE in mails[0].notification.title
    assert message["Subject"].strip() == f"【五一】{mails[0].notification.title}"
    assert_raw_text_escaped_html(message, TITLE)


@pytest.mark.django_db
def test_notification_body_reaches_the_text_part_as_typed(cast):
    body = '请审阅 <b>附件</b> & "说明"\nA&B <script>'
    cast.office.email = "office@example.com"
    cast.office.save(update_fields=["email"])
    note = notification_create(recipient=cast.office, title=TITLE, body=body, url="/work/?a=1&b=2")
    deliveries_for([note])
    delivery = Delivery.objects.get(notification=note, channel=Channel.EMAIL)
    with SmtpServer() as smtp, smtp.settings():
        deliver_batch.run([delivery.pk])
        (message,) = smtp.messages
    typed = ('请审阅 <b>附件</b> & "说明"', "A&B <script>", "/work/?a=1&b=2")
    assert_raw_text_escaped_html(message, TITLE, *typed)
    _text, html = parts(message)
    assert "&lt;b&gt;附件&lt;/b&gt;" in html and "&lt;script&gt;" in html and "<script>" not in html
