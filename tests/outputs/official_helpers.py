"""Helpers for the official documents' tests (issue 33): a1's issuing organ, a request for instructions the
chair has signed for sending (S1.3), a work report the congress has approved (S2.3) and an issued
document's stored PDF (read back with tests/pdf.py)."""

from __future__ import annotations

from core.models import Union
from tests.pdf import stored_bytes
from tests.scenarios import acknowledged_summary, congress_decides, open_item, plan_before_congress
from workflows.models import Resolution
from workflows.outputs.models import IssuedNumber, IssuingOrgan, OfficialOutput
from workflows.party.models import CatalogueItem, InstructionRequest, Matter
from workflows.party.services import request_create, request_submit
from workflows.reports.models import CongressReport
from workflows.reports.services import work_report_create, work_report_submit
from workflows.services.personal import personal_decide

ORGAN = "××厅机关工会"
CODE = "机工"
# one paragraph of plain characters (no punctuation: no line-breaking rule moves a character)
PLAIN = "工会组织职工开展劳动竞赛和技能培训活动取得成效" * 12


def organ(union: Union, *, name: str = ORGAN, code: str = CODE) -> IssuingOrgan:
    return IssuingOrgan.objects.create(union=union, name=name, code=code)


def sent_request(
    cast, *, title: str = "关于召开第三次会员代表大会的请示", text: str = ""
) -> InstructionRequest:
    """A request for instructions signed by the chair and awaiting the Party organisation's reply."""
    item = CatalogueItem.objects.get(union__isnull=True, matter=Matter.CONGRESS)
    request = request_create(
        actor=cast.office, union=cast.union, items=[item], title=title, text=text or "拟于明年三月召开大会。"
    )
    request_submit(actor=cast.office, request=request)
    personal_decide(
        work_item=open_item(request, "chair_sign"), actor=cast.chair, resolution=Resolution.APPROVE
    )
    request.refresh_from_db()
    return request


def draft_request(cast, title: str = "关于评选先进集体的请示") -> InstructionRequest:
    item = CatalogueItem.objects.get(union__isnull=True, matter=Matter.MODEL_SELECTION)
    return request_create(actor=cast.office, union=cast.union, items=[item], title=title, text="拟评选。")


def approved_work_report(cast) -> CongressReport:
    """a1's 2026 work report approved by the congress, to be submitted upward (S2.3)."""
    acknowledged_summary(cast)
    plan_before_congress(cast)
    report = work_report_create(actor=cast.office, union=cast.union, year=2026)
    work_report_submit(actor=cast.office, report=report)
    congress_decides(cast, [open_item(report, "congress_ratification")])
    report.refresh_from_db()
    return report


def stored(issued: IssuedNumber) -> bytes:
    return stored_bytes(OfficialOutput.objects.get(pk=issued.output_id))
