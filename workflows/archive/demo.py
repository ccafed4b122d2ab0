"""Demo: the archive (S5.3), after everything else is made (order 99, after the outputs' 95–98).

Files everything the demo approved or recorded (documents in force with their versions, written
decisions, minutes, resolutions, attachments, official outputs) through ``filing.collect``; at fin-office
transfers one work-report or plan record to 省财政厅机关工会 (its "received" list shows it), and files a
paper-era record — the 2012 expenditure vouchers' list, kept 10 years — that the office then deletes, its
retention having ended on 31 December 2022 (an event and an entry of /platform/audit/). Idempotent: the
transfer and the old record are made once."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.models import Union, User
from workflows.models import Attachment

from . import filing, rules, services
from .models import ArchiveRecord, Category, Source

OLD_TITLE = "2012年度经费支出凭证目录（纸质档案）"


def _old_record(union: Union, office: User) -> ArchiveRecord:
    """A record from before Wuyi: its list of vouchers, uploaded as a file and filed for 2012."""
    attachment = Attachment(
        union=union, name=f"{OLD_TITLE}.pdf", size=0, uploaded_by=office, note="纸质档案扫描目录"
    )
    attachment.file.save("vouchers-2012.pdf", ContentFile(b"%PDF-1.4\n% 2012 vouchers list\n"), save=False)
    attachment.size = attachment.file.size
    attachment.uploaded_at = datetime.datetime(2013, 1, 15, 9, tzinfo=union.tz)
    attachment.save()
    retention = rules.retention_for(union)[Category.OTHER]
    return ArchiveRecord.objects.create(
        union=union,
        category=Category.OTHER,
        year=2012,
        title=OLD_TITLE,
        source=Source.ATTACHMENT,
        source_id=attachment.pk,
        file=attachment.file.name,
        file_name=attachment.name,
        retention=retention,
        retention_ends_on=rules.retention_ends_on(2012, retention),
        filed_at=datetime.datetime(2013, 1, 15, 10, tzinfo=union.tz),
        search_vector=filing.search_vector(title=OLD_TITLE, number="", text="经费 支出 凭证 目录"),
    )


@transaction.atomic
def seed_demo_archive(*, write=print) -> list[str]:
    filed = filing.collect()
    made = [f"Archive: {filed} records filed"] if filed else []
    union = Union.objects.filter(code="fin-office").first()
    office = User.objects.filter(username="fin-office-office").first()
    if union is None or office is None:
        return made
    records = ArchiveRecord.objects.filter(union=union)
    if not records.filter(transferred_to__isnull=False).exists():
        chosen = (
            records.filter(source=Source.DOCUMENT, category=Category.PLANS_REPORTS).order_by("pk").first()
        )
        chosen = chosen or records.order_by("pk").first()
        if chosen is not None and union.parent_id is not None:
            services.record_transfer(actor=office, record=chosen)
            made.append(f"  transferred to the upper union's archive: {chosen.title}")
    if not records.filter(title=OLD_TITLE).exists():
        old = _old_record(union, office)
        if services.deletion_problem(record=old, today=timezone.localdate()) is None:
            services.record_delete(actor=office, record=old)
            made.append(f"  deleted after its retention ended: {OLD_TITLE}")
    for line in made if write else []:
        write(line)
    return made


demo_seeders.register("archive", seed_demo_archive, order=99)
