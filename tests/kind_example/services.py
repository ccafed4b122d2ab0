from django.db import transaction

from workflows.services.drafting import document_submit

from .flows import NoticeFlow
from .models import Notice, NoticeVersion


@transaction.atomic
def notice_create(*, actor, union, year: int, title: str = "", text: str = "") -> Notice:
    notice = Notice.objects.create(union=union, year=year, title=title or f"{year}年通知", drafter=actor)
    notice.current_version = NoticeVersion.objects.create(
        notice=notice, number=1, text=text, created_by=actor
    )
    notice.save(update_fields=["current_version"])
    NoticeFlow.start.run(document=notice)
    notice.refresh_from_db()
    return notice


def notice_submit(*, actor, notice: Notice) -> Notice:
    return document_submit(actor=actor, document=notice, rule_errors=list, solicits=False)
