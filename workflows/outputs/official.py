"""Official documents in the GB/T 9704-2012 layout (党政机关公文格式), signed and issued (签发) by the chair.

Each document kind says what it prints through its registry hook ``official_text(document)``: an
``OfficialText`` read from its records (title, addressee, body, attachments, whether it goes up), or
None while the document is not in a state to be issued. The work report, the report on budget and
final accounts (workflows/reports/official.py) and the request for instructions (workflows/party/
official.py) declare one. A report going to the upper-level union also gets the letter submitting it
(报送函, ``OutputKind.COVER_LETTER``), made here from the report's text and issued from the same button.

``issue_official`` gives the number (numbers.py) and makes the PDF in one transaction. The text as
signed is stored with the number (``IssuedNumber.content``): the PDF is drawn from it, so it is made
again byte for byte whatever later happens to the document (a correction is a new version, never a
changed issued document). ``revoke_official`` marks the number revoked; it stays with its document.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.models import BodyKind, Role, Seat, Union, User
from workflows import registry
from workflows.outputs import numbers, services
from workflows.outputs.models import IssuedNumber, NumberSeries, OfficialOutput, OutputKind

# Messages (tests assert on them).
NOT_CHAIR = _("Only the chair of the union committee signs and issues its official documents.")
NOT_NOW = _("This document cannot be signed and issued in its present state.")
NO_ORGAN = _(
    "The union's issuing organ and organ code are not set up yet: ask the administrator to set them in the "
    "admin (issuing organs)."
)
ALREADY_ISSUED = _("This document already has its number %(number)s; a number is given once.")
NO_LETTER = _("This document is not submitted to an upper-level union: it has no letter submitting it.")
UNKNOWN_KIND = _("Choose what to sign and issue: the official document or the letter submitting it.")
ALREADY_REVOKED = _("The document %(number)s is already revoked.")

ISSUED_KINDS = (OutputKind.OFFICIAL, OutputKind.COVER_LETTER)
# an organ's mark longer than this is set smaller so that it stays on one line of the text area
ORGAN_LONG = 12


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the body; ``level`` 1–4 is a heading (一、 （一） 1. （1）), 0 plain text."""

    text: str
    level: int = 0


@dataclass(frozen=True)
class OfficialText:
    """What a document kind prints as an official document, read from its records."""

    title: str
    addressee: str  # 主送机关, without the colon
    paragraphs: tuple[Paragraph, ...]
    attachments: tuple[str, ...] = ()  # 附件说明: the attachments' names, in order
    # 发文机关署名; empty: the issuing organ's (IssuingOrgan.signature, or the union's name)
    signature: str = ""
    date: datetime.date | None = None  # 成文日期; None: the day it is signed and issued
    up_going: bool = False  # 上行文 (to the Party organisation or an upper union): 签发人 on the number line
    series: str = NumberSeries.DOCUMENT  # which series of numbers it draws from
    submitted_to: tuple[str, ...] = ()  # the upper-level unions it is submitted to (its 报送函 goes there)


_HEADINGS = (
    (1, re.compile(r"^[一二三四五六七八九十百]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")),
    (3, re.compile(r"^\d+[.．]\D")),
    (4, re.compile(r"^[（(]\d+[）)]")),
)


def paragraphs_from_text(text: str) -> tuple[Paragraph, ...]:
    """A document's recorded text as paragraphs, one per non-empty line, headings found by their numbering
    (GB/T 9704-2012 7.3.3: 一、 黑体, （一） 楷体, 1. and （1） 仿宋)."""
    paragraphs = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            level = next((lvl for lvl, pattern in _HEADINGS if pattern.match(line)), 0)
            paragraphs.append(Paragraph(line, level))
    return tuple(paragraphs)


# --- who signs, what may be signed ---------------------------------------------------------------------


def may_issue(*, user, union: Union) -> bool:
    """签发 belongs to the chair of the union committee in office today (a seat, never a sign-in right)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        Seat.objects.in_force(numbers.issue_day(union))
        .filter(union=union, person=user, role=Role.CHAIR, body__kind=BodyKind.UNION_COMMITTEE)
        .exists()
    )


def official_text_of(document_type: str, document) -> OfficialText | None:
    """The kind's official text, its words in Chinese whatever the reader's language (a body's name)."""
    kind = registry.kind_or_none(document_type)
    if kind is None or kind.official_text is None:
        return None
    with translation.override("zh-hans"):
        return kind.official_text(document)


def issued_numbers(document_type: str, document_id: int) -> list[IssuedNumber]:
    return list(
        IssuedNumber.objects.filter(document_type=document_type, document_id=document_id).order_by(
            "issued_at", "id"
        )
    )


def cover_letter_text(text: OfficialText, number: str = "") -> OfficialText:
    """The letter submitting a report to the upper-level union (报送函), from the report's own text: it goes
    where the report goes, up, and names the report (with its number once that is issued) as its
    attachment. The words are the document's, in Chinese whatever the reader's language."""
    cited = f"《{text.title}》" + (f"（{number}）" if number else "")
    return OfficialText(
        title=f"关于报送《{text.title}》的函",
        addressee="、".join(text.submitted_to),
        paragraphs=(Paragraph(f"现将{cited}报送你们，请予审阅。"), Paragraph("特此函告。")),
        attachments=(text.title,),
        signature=text.signature,
        up_going=True,
        series=NumberSeries.LETTER,
    )


def text_to_issue(*, document_type: str, document, kind: str) -> OfficialText:
    """The text ``kind`` prints for the document now; ValidationError when it prints none."""
    if kind not in ISSUED_KINDS:
        raise ValidationError(UNKNOWN_KIND)
    text = official_text_of(document_type, document)
    if text is None:
        raise ValidationError(NOT_NOW)
    if kind == OutputKind.OFFICIAL:
        return text
    if not text.submitted_to:
        raise ValidationError(NO_LETTER)
    official = IssuedNumber.objects.filter(
        document_type=document_type, document_id=document.pk, kind=OutputKind.OFFICIAL, revoked_at=None
    ).first()
    return cover_letter_text(text, official.number if official else "")


# --- the services ----------------------------------------------------------------------------------------


def _content(text: OfficialText, *, organ, signer: User) -> dict:
    """The text as signed, with what the head and the signature print (the organ's data may change later)."""
    return {
        "organ": organ.name,
        "organ_long": len(organ.name) > ORGAN_LONG,
        "signer": signer.full_name,
        "title": text.title,
        "addressee": text.addressee,
        "paragraphs": [[p.text, p.level] for p in text.paragraphs],
        "attachments": list(text.attachments),
        "signature": text.signature or organ.signature or organ.union.name,
        "up_going": text.up_going,
    }


def issue_official(
    *, actor: User, document_type: str, document, kind: str = OutputKind.OFFICIAL
) -> IssuedNumber:
    """签发: the union committee's chair signs and issues the document's official document (or the letter
    submitting it upward): the next number of its series, the PDF made from the text as signed."""
    union = document.union
    if not may_issue(user=actor, union=union):
        raise PermissionDenied(NOT_CHAIR)
    text = text_to_issue(document_type=document_type, document=document, kind=kind)
    organ = numbers.organ_of(union)
    if organ is None:
        raise ValidationError(NO_ORGAN)
    same = IssuedNumber.objects.filter(document_type=document_type, document_id=document.pk, kind=kind)
    known = same.first()
    if known is not None:
        raise ValidationError(ALREADY_ISSUED, params={"number": known.number})
    try:
        return _issue(actor=actor, document=(document_type, document), kind=kind, text=text, organ=organ)
    except IntegrityError:  # another chair's issue of the same document committed first
        known = same.get()
        raise ValidationError(ALREADY_ISSUED, params={"number": known.number}) from None


@transaction.atomic
def _issue(*, actor: User, document: tuple, kind: str, text: OfficialText, organ) -> IssuedNumber:
    document_type, document = document
    union = document.union
    day = text.date or numbers.issue_day(union)
    code = organ.code_for(text.series)
    sequence = numbers.next_sequence(union=union, code=code, year=day.year)
    number = numbers.number_text(code=code, year=day.year, sequence=sequence)
    issued = IssuedNumber.objects.create(
        union=union,
        code=code,
        year=day.year,
        sequence=sequence,
        number=number,
        kind=kind,
        document_type=document_type,
        document_id=document.pk,
        content=_content(text, organ=organ, signer=actor),
        issued_by=actor,
    )
    output = services.make_output(
        OfficialOutput(
            union=union,
            kind=kind,
            document_type=document_type,
            document_id=document.pk,
            title=text.title,
            number=number,
            made_on=day,
            made_by=actor,
        )
    )
    issued.output = output
    issued.save(update_fields=["output"])
    return issued


@transaction.atomic
def revoke_official(*, actor: User, issued: IssuedNumber) -> IssuedNumber:
    """Revoke an issued document: marked revoked, its number kept with it and never given again."""
    issued = IssuedNumber.objects.select_for_update().select_related("union").get(pk=issued.pk)
    if not may_issue(user=actor, union=issued.union):
        raise PermissionDenied(NOT_CHAIR)
    if issued.revoked_at is not None:
        raise ValidationError(ALREADY_REVOKED, params={"number": issued.number})
    issued.revoked_at = timezone.now()
    issued.revoked_by = actor
    issued.save(update_fields=["revoked_at", "revoked_by"])
    return issued


# --- the builder -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedText:
    """The text as signed, as the template reads it."""

    organ: str
    organ_long: bool
    signer: str
    title: str
    addressee: str
    paragraphs: tuple[Paragraph, ...]
    attachments: tuple[str, ...]
    signature: str
    up_going: bool

    @classmethod
    def from_content(cls, content: dict) -> SignedText:
        fields = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in content.items() if k in fields}
        values["paragraphs"] = tuple(Paragraph(t, lvl) for t, lvl in content["paragraphs"])
        values["attachments"] = tuple(content["attachments"])
        return cls(**values)


def build_official(output: OfficialOutput) -> services.Rendering:
    issued = IssuedNumber.objects.get(
        document_type=output.document_type, document_id=output.document_id, kind=output.kind
    )
    return services.Rendering(
        template="outputs/official.html",
        context={"text": SignedText.from_content(issued.content), "made_on": output.made_on},
        stylesheets=("official.css",),
    )


for _kind in ISSUED_KINDS:
    services.register_builder(_kind, build_official)
