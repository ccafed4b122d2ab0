"""S5.3 档案管理: everything approved or recorded is filed in the union's archive, once."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.factories import seated
from workflows.archive import filing, rules, selectors
from workflows.archive.models import ArchiveRecord, ArchiveRule, Category, Retention, Source
from workflows.models import Attachment, Meeting, MeetingItem, WrittenDecision
from workflows.outputs.models import OfficialOutput, OutputKind

pytestmark = pytest.mark.django_db


def _attach(budget, cast, **owner) -> Attachment:
    attachment = Attachment(
        union=cast.union, name="预算编制说明.pdf", size=8, uploaded_by=cast.office, note="编制依据", **owner
    )
    attachment.file.save("x.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    return attachment


def _output(budget, cast) -> OfficialOutput:
    output = OfficialOutput(
        union=cast.union,
        kind=OutputKind.OFFICIAL,
        document_type="budget",
        document_id=budget.pk,
        title=budget.title,
        number="工会〔2026〕3号",
        made_on=timezone.localdate(),
        sha256="0" * 64,
        size=8,
    )
    output.file.save("official.pdf", ContentFile(b"%PDF-1.4"), save=False)
    output.save()
    return output


def test_s5_3_every_source_kind_is_filed_once(settings, tmp_path, cast, budget_in_force):
    settings.MEDIA_ROOT = tmp_path
    # given: a budget in force with its meetings, the Party organisation's reply, files and its official PDF
    meeting = Meeting.objects.filter(body__union=cast.union).first()
    on_document = _attach(budget_in_force, cast, document_type="budget", document_id=budget_in_force.pk)
    on_meeting = _attach(budget_in_force, cast, meeting=meeting)
    output = _output(budget_in_force, cast)
    # when
    filed = filing.collect()
    # then: one record per source, each pointing at what it files
    records = ArchiveRecord.objects.filter(union=cast.union)
    assert filed == records.count()
    document = records.get(source=Source.DOCUMENT)
    assert (document.document_type, document.document_id) == ("budget", budget_in_force.pk)
    assert document.category == Category.BUDGET_ACCOUNTS and document.retention == Retention.PERMANENT
    assert document.year == 2026 and document.number == "工会〔2026〕3号"  # its official document's number
    decision = WrittenDecision.objects.get(work_item__process=budget_in_force.process)
    assert records.get(source=Source.DECISION, source_id=decision.pk).number == decision.reference_number
    meetings = Meeting.objects.filter(body__union=cast.union).count()
    assert records.filter(source=Source.MINUTES).count() == meetings
    items = MeetingItem.objects.filter(meeting__body__union=cast.union).count()
    assert records.filter(source=Source.RESOLUTION).count() == items
    attachments = records.filter(source=Source.ATTACHMENT)
    assert {r.source_id for r in attachments} >= {on_document.pk, on_meeting.pk}
    assert attachments.get(source_id=on_document.pk).file.name == on_document.file.name  # no copy
    assert records.get(source=Source.OUTPUT).file.name == output.file.name
    # the budget's lines are in its text (the kind's archive_text): a search finds it by an account name
    found = selectors.search(union=cast.union, filters=selectors.Filters(q="会费收入"))
    assert document in found
    # and again: nothing twice (idempotent)
    assert filing.collect() == 0
    assert filing.file_union(union=cast.union) == 0
    assert ArchiveRecord.objects.filter(union=cast.union).count() == filed


def test_s5_3_a_document_not_in_force_is_not_filed(cast, draft_budget):
    draft_budget()
    filing.file_union(union=cast.union)
    assert not ArchiveRecord.objects.filter(source=Source.DOCUMENT).exists()


def test_s5_3_retention_rules_nearest_union_wins(tree):
    a1, dept = tree["a1"], tree["dept_a"]
    assert rules.retention_for(a1)[Category.FINANCE_RECORDS] == Retention.YEARS_30  # provincial default
    ArchiveRule.objects.create(union=dept, category=Category.FINANCE_RECORDS, retention=Retention.YEARS_10)
    assert rules.retention_for(a1)[Category.FINANCE_RECORDS] == Retention.YEARS_10  # department's row
    ArchiveRule.objects.create(union=a1, category=Category.FINANCE_RECORDS, retention=Retention.PERMANENT)
    assert rules.retention_for(a1)[Category.FINANCE_RECORDS] == Retention.PERMANENT  # its own row
    assert rules.retention_for(tree["a2"])[Category.FINANCE_RECORDS] == Retention.YEARS_10
    # the period counts from the year after the record's year
    assert str(rules.retention_ends_on(2020, Retention.YEARS_10)) == "2030-12-31"
    assert rules.retention_ends_on(2020, Retention.PERMANENT) is None


def test_s5_3_filing_now_is_for_the_keepers(client, cast):
    from django.urls import reverse

    url = reverse("archive:file_now", args=[cast.union.pk])
    client.force_login(cast.audit_director)  # an officer: reads the archive, does not keep it
    assert client.post(url).status_code == 403
    client.force_login(cast.office)
    assert client.post(url).status_code == 302
    member = seated(cast.union, "member", "audit_committee")
    client.force_login(member)
    assert client.post(url).status_code == 403
