"""Demo: approval sheets (审批单, issue 33) printed from the demo's records, so that ``make run`` lists
one under "printed documents" on a budget in force and on a paid expenditure request. Printed by the
document's drafter; idempotent: a document that has an approval sheet is left alone."""

from __future__ import annotations

from collections.abc import Callable

from core import demo_seeders
from workflows import registry
from workflows.outputs.approval import make_approval_sheet
from workflows.outputs.models import OfficialOutput, OutputKind

# the kinds whose first finished document (at its kind's end status) gets a sheet, asked through the registry
WANTED = ("budget", "expenditure")


def _first_finished(document_type: str):
    kind = registry.kind_or_none(document_type)
    if kind is None:
        return None
    model = kind.document_model()
    return model.objects.filter(status=kind.end_status).select_related("drafter").order_by("id").first()


def seed_demo_approval_sheets(*, write: Callable[[str], object] | None = None) -> list[str]:
    made = []
    for document_type in WANTED:
        document = _first_finished(document_type)
        if document is None:
            continue
        printed = OfficialOutput.objects.filter(
            kind=OutputKind.APPROVAL_SHEET, document_type=document_type, document_id=document.pk
        )
        if printed.exists():
            continue
        output = make_approval_sheet(
            document_type=document_type, document_id=document.pk, actor=document.drafter
        )
        made.append(output.title)
    if write and made:
        write(f"approval sheets: {len(made)}")
    return made


demo_seeders.register("approval sheets", seed_demo_approval_sheets, order=97)
