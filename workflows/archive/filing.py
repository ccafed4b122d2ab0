"""Filing (S5.3 档案管理): everything approved or recorded and not yet filed lands in its union's archive.

``collect()`` (the beat task ``archive-collect``) and ``file_union(union)`` (the archive page's "file
now") read each source set-based — one query per source and document kind, already filed rows left out
by ``NOT EXISTS`` — and insert the new records with one ``bulk_create`` per batch; the unique constraint
on the source makes a second run, or two at once, file nothing twice. Sources, in this order (the
attachments of a document are filed once the document is):

- documents in force (their kind's ``end_status``): title, year, the number of their official document,
  and the text their kind's ``archive_text`` gives (every version, where the kind keeps versions);
- the bodies' written decisions (批复) with their reference numbers;
- meetings: their minutes, and each agenda item's resolution;
- attachments of what is filed (a document in force, a meeting, a written decision): the record points
  at the stored file, never a copy;
- official outputs (the PDFs of workflows.outputs), pointing at their stored file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery, TextField, Value
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import Union
from core.services.events import event_record
from workflows import registry
from workflows.models import Attachment, Meeting, MeetingItem, Resolution, WrittenDecision
from workflows.outputs.models import OfficialOutput, OutputKind

from . import rules
from .models import ArchiveRecord, Category, Source
from .segment import record_tokens

BATCH = 500


@dataclass
class Candidate:
    union_id: int
    category: str
    year: int
    title: str
    source: str
    document_type: str = ""
    document_id: int | None = None
    source_id: int | None = None
    number: str = ""
    file: str = ""
    file_name: str = ""
    text: str = ""


def search_vector(*, title: str, number: str, text: str):
    """The record's tokens: title weight A, number B, text D (selectors.search reads the weights)."""

    def part(tokens: str, weight: str):
        return SearchVector(Value(tokens, output_field=TextField()), config="simple", weight=weight)

    return part(record_tokens(title), "A") + part(record_tokens(number), "B") + part(record_tokens(text), "D")


def _not_filed(source: str, *, document_type=None, document_id=None, source_id=None) -> Exists:
    found = ArchiveRecord.objects.filter(source=source)
    if document_type is not None:
        found = found.filter(document_type=document_type, document_id=document_id)
    if source_id is not None:
        found = found.filter(source_id=source_id)
    return ~Exists(found)


def _in(field: str, union_ids: list[int] | None) -> Q:
    return Q(**{f"{field}__in": union_ids}) if union_ids is not None else Q()


# --- the sources ------------------------------------------------------------------------------------


def _documents(union_ids: list[int] | None) -> Iterator[Candidate]:
    """Each kind's documents at its chain's end (a model two kinds share is split by its process's flow)."""
    models_of = {}
    for kind in registry.kinds():
        models_of.setdefault(kind.model, []).append(kind)
    for kind in registry.kinds():
        model = kind.document_model()
        documents = model.objects.filter(_in("union_id", union_ids), status=kind.end_status)
        if len(models_of[kind.model]) > 1:
            documents = documents.filter(process__flow_class=kind.flow)
        number = OfficialOutput.objects.filter(
            document_type=kind.document_type, document_id=OuterRef("pk"), kind=OutputKind.OFFICIAL
        ).exclude(number="")
        documents = documents.filter(
            _not_filed(Source.DOCUMENT, document_type=kind.document_type, document_id=OuterRef("pk"))
        ).annotate(official_number=Subquery(number.order_by("-made_at").values("number")[:1]))
        category = rules.category_of(kind.document_type)
        for document in documents.order_by("pk").iterator(chunk_size=BATCH):
            yield Candidate(
                union_id=document.union_id,
                category=category,
                year=document.year,
                title=document.title,
                source=Source.DOCUMENT,
                document_type=kind.document_type,
                document_id=document.pk,
                number=document.official_number or "",
                text=kind.archive_text(document) if kind.archive_text else "",
            )


def _decisions(union_ids: list[int] | None) -> Iterator[Candidate]:
    decisions = (
        WrittenDecision.objects.filter(_in("body__union_id", union_ids))
        .filter(_not_filed(Source.DECISION, source_id=OuterRef("pk")))
        .select_related("body", "work_item")
        .order_by("pk")
    )
    for decision in decisions.iterator(chunk_size=BATCH):
        item = decision.work_item
        yield Candidate(
            union_id=decision.body.union_id,
            category=rules.category_of(item.document_type),
            year=decision.decided_on.year,
            title=_("%(body)s's written decision on %(title)s")
            % {"body": decision.body, "title": item.document_title},
            source=Source.DECISION,
            document_type=item.document_type,
            document_id=item.document_id,
            source_id=decision.pk,
            number=decision.reference_number,
            text=f"{decision.get_resolution_display()} {decision.opinions}",
        )


def _meetings(union_ids: list[int] | None) -> Iterator[Candidate]:
    meetings = (
        Meeting.objects.filter(_in("body__union_id", union_ids))
        .filter(_not_filed(Source.MINUTES, source_id=OuterRef("pk")))
        .select_related("body")
        .order_by("pk")
    )
    for meeting in meetings.iterator(chunk_size=BATCH):
        yield Candidate(
            union_id=meeting.body.union_id,
            category=Category.MEETINGS,
            year=meeting.held_on.year,
            title=_("Minutes of the %(body)s meeting of %(day)s")
            % {"body": meeting.body, "day": meeting.held_on},
            source=Source.MINUTES,
            source_id=meeting.pk,
            text=f"{meeting.place} {meeting.minutes}",
        )


def _resolutions(union_ids: list[int] | None) -> Iterator[Candidate]:
    items = (
        MeetingItem.objects.filter(_in("meeting__body__union_id", union_ids))
        .filter(_not_filed(Source.RESOLUTION, source_id=OuterRef("pk")))
        .select_related("meeting__body", "work_item")
        .order_by("pk")
    )
    for agenda in items.iterator(chunk_size=BATCH):
        meeting, item = agenda.meeting, agenda.work_item
        outcome = (
            _("approved") if agenda.passed and agenda.resolution == Resolution.APPROVE else _("returned")
        )
        yield Candidate(
            union_id=meeting.body.union_id,
            category=Category.MEETINGS,
            year=meeting.held_on.year,
            title=_("Resolution of the %(body)s on %(title)s")
            % {"body": meeting.body, "title": item.document_title},
            source=Source.RESOLUTION,
            document_type=item.document_type,
            document_id=item.document_id,
            source_id=agenda.pk,
            text=f"{outcome} {agenda.return_reason if agenda.not_passed else agenda.opinions}",
        )


def _attachments(union_ids: list[int] | None) -> Iterator[Candidate]:
    owner = ArchiveRecord.objects.filter(
        source=Source.DOCUMENT, document_type=OuterRef("document_type"), document_id=OuterRef("document_id")
    )
    attachments = (
        Attachment.objects.filter(_in("union_id", union_ids))
        .filter(Q(meeting__isnull=False) | Q(written_decision__isnull=False) | Q(Exists(owner)))
        .filter(_not_filed(Source.ATTACHMENT, source_id=OuterRef("pk")))
        .annotate(owner_year=Subquery(owner.values("year")[:1]))
        .select_related("meeting", "written_decision__work_item")
        .order_by("pk")
    )
    for attachment in attachments.iterator(chunk_size=BATCH):
        if attachment.meeting_id:
            category, year = Category.MEETINGS, attachment.meeting.held_on.year
        elif attachment.written_decision_id:
            decision = attachment.written_decision
            category, year = rules.category_of(decision.work_item.document_type), decision.decided_on.year
        else:
            category, year = rules.category_of(attachment.document_type), attachment.owner_year
        yield Candidate(
            union_id=attachment.union_id,
            category=category,
            year=year,
            title=attachment.name,
            source=Source.ATTACHMENT,
            document_type=attachment.document_type,
            document_id=attachment.document_id,
            source_id=attachment.pk,
            file=attachment.file.name,
            file_name=attachment.name,
            text=attachment.note,
        )


def _outputs(union_ids: list[int] | None) -> Iterator[Candidate]:
    outputs = (
        OfficialOutput.objects.filter(_in("union_id", union_ids))
        .filter(_not_filed(Source.OUTPUT, source_id=OuterRef("pk")))
        .order_by("pk")
    )
    for output in outputs.iterator(chunk_size=BATCH):
        category = Category.MEETINGS if output.meeting_id else rules.category_of(output.document_type)
        yield Candidate(
            union_id=output.union_id,
            category=category,
            year=output.made_on.year,
            title=output.title,
            source=Source.OUTPUT,
            document_type=output.document_type,
            document_id=output.document_id,
            source_id=output.pk,
            number=output.number,
            file=output.file.name,
            file_name=f"{output.title}.pdf",
            text=output.get_kind_display(),
        )


SOURCES = (_documents, _decisions, _meetings, _resolutions, _attachments, _outputs)


# --- writing ----------------------------------------------------------------------------------------


def _retention_books(union_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    return {union.pk: rules.retention_for(union) for union in Union.objects.filter(pk__in=set(union_ids))}


def _insert(candidates: list[Candidate], books: dict[int, dict[str, str]]) -> int:
    missing = {c.union_id for c in candidates} - books.keys()
    books.update(_retention_books(missing))
    now = timezone.now()
    records = []
    for c in candidates:
        retention = books[c.union_id][c.category]
        records.append(
            ArchiveRecord(
                union_id=c.union_id,
                category=c.category,
                year=c.year,
                title=c.title[:300],
                number=c.number[:100],
                source=c.source,
                document_type=c.document_type,
                document_id=c.document_id,
                source_id=c.source_id,
                file=c.file,
                file_name=c.file_name[:300],
                retention=retention,
                retention_ends_on=rules.retention_ends_on(c.year, retention),
                filed_at=now,
                search_vector=search_vector(title=c.title, number=c.number, text=c.text),
            )
        )
    # a record filed meanwhile by another run is skipped by the constraint (archive_source_once)
    return len(ArchiveRecord.objects.bulk_create(records, ignore_conflicts=True))


def _file(union_ids: list[int] | None) -> int:
    filed, books = 0, {}
    with translation.override("zh-hans"):  # the records' titles are data, in the union's language
        for source in SOURCES:
            batch: list[Candidate] = []
            for candidate in source(union_ids):
                batch.append(candidate)
                if len(batch) >= BATCH:
                    filed += _insert(batch, books)
                    batch = []
            if batch:
                filed += _insert(batch, books)
    return filed


@transaction.atomic
def file_union(*, union: Union, actor=None) -> int:
    """S5.3: file what the union has approved or recorded and not yet filed; the number filed."""
    filed = _file([union.pk])
    if filed:
        event_record(verb="archive_filed", actor=actor, union=union, detail={"records": filed})
    return filed


def collect() -> int:
    """S5.3: file every union's unfiled records (the beat task); idempotent."""
    with transaction.atomic():
        return _file(None)
