"""Demo: official documents in the GB/T 9704 layout (issue 33), after the Model Workers' Home (order 95).

Every demo union gets its issuing organ (its mark and code, as the admin would set them). Then, signed and
issued by each union's chair through the real service: the first work report in force (edu-exam's 2026
report) with its letter submitting it upward, and the first two requests for instructions awaiting the Party
organisation's reply (fin-centre's), the second one revoked (its number stays with it). The documents
are found through the registry (this shared app never imports the document apps). Idempotent: a document
with a number is left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from core import demo_seeders
from core.models import BodyKind, Role, Seat, Union
from workflows import registry
from workflows.outputs import demo_approval  # noqa: F401 (seed_demo finds only <app>.demo: its seeder, order 97)
from workflows.outputs.models import IssuedNumber, IssuingOrgan, OutputKind
from workflows.outputs.numbers import issue_day
from workflows.outputs.official import issue_official, official_text_of, revoke_official

# union code → (the organ's mark, its code); as an organ would type them in the admin
ORGANS = {
    "fin": ("省财政厅机关工会", "财机工"),
    "edu": ("省教育厅机关工会", "教机工"),
    "fin-office": ("省财政厅综合处室工会", "财综工"),
    "fin-centre": ("省财政厅信息中心工会", "财信工"),
    "edu-office": ("省教育厅机关处室工会", "教处工"),
    "edu-exam": ("省教育考试院工会", "考院工"),
}


def _organs() -> None:
    for union in Union.objects.filter(code__in=ORGANS).order_by("id"):
        name, code = ORGANS[union.code]
        IssuingOrgan.objects.get_or_create(union=union, defaults={"name": name, "code": code})


def _chair(union: Union):
    seat = (
        Seat.objects.in_force(issue_day(union))
        .filter(union=union, role=Role.CHAIR, body__kind=BodyKind.UNION_COMMITTEE)
        .select_related("person")
        .order_by("start_date", "id")
        .first()
    )
    return seat.person if seat else None


def _issuable(document_type: str, status: str, count: int) -> list:
    """The first ``count`` documents of the kind in ``status`` that print an official document now."""
    kind = registry.kind_or_none(document_type)
    if kind is None or kind.official_text is None:
        return []
    found = []
    for document in (
        kind.document_model().objects.filter(status=status).select_related("union").order_by("id")
    ):
        if official_text_of(document_type, document) is not None:
            found.append(document)
        if len(found) == count:
            break
    return found


def _issue(document_type: str, document, kinds: tuple[str, ...]) -> list:
    chair = _chair(document.union)
    if chair is None:
        return []
    made = []
    for kind in kinds:
        if not IssuedNumber.objects.filter(
            document_type=document_type, document_id=document.pk, kind=kind
        ).exists():
            made.append(
                issue_official(actor=chair, document_type=document_type, document=document, kind=kind)
            )
    return made


@transaction.atomic
def seed_demo_official(*, write: Callable[[str], object] | None = None) -> list[str]:
    _organs()
    made = []
    for report in _issuable("work_report", "in_force", 1):
        made += _issue("work_report", report, (OutputKind.OFFICIAL, OutputKind.COVER_LETTER))
    requests = _issuable("instruction", "party_reply", 2)
    for request in requests:
        made += _issue("instruction", request, (OutputKind.OFFICIAL,))
    if len(requests) == 2:
        revoked = IssuedNumber.objects.filter(document_type="instruction", document_id=requests[1].pk).first()
        if revoked is not None and revoked.revoked_at is None and revoked in made:
            revoke_official(actor=revoked.issued_by, issued=revoked)
    lines = [f"{issued.number} {issued.output.title}" for issued in made]
    if write and lines:
        write(f"official documents: {', '.join(lines)}")
    return lines


demo_seeders.register("official documents", seed_demo_official, order=95)
