"""A cycle's results as an .xlsx workbook (S5.2), in the manner of the members' register export
(workflows/members/xlsx.py): a title row, Chinese headers, one row per rating question, then the overall
figures and the free-text answers. Nothing in it names a member."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .selectors import Results

HEADERS = (
    "序号",
    "问题",
    "答题人数",
    "非常满意",
    "满意",
    "一般",
    "不满意",
    "非常不满意",
    "平均分",
    "满意率（%）",
)
WIDTHS = (6, 60, 10, 10, 8, 8, 8, 12, 8, 12)


def _bold_row(ws, row: int, columns: int) -> None:
    for col in range(1, columns + 1):
        ws.cell(row, col).font = Font(bold=True)


def results_to_xlsx(results: Results) -> bytes:
    """S5.2: per rating question the answers, the count of each rating, the average and the satisfaction;
    then the response rate and the overall satisfaction against the threshold; then the suggestions."""
    cycle, outcome = results.cycle, results.outcome
    wb = Workbook()
    ws = wb.active
    ws.title = "满意度测评结果"
    ws.append([f"{cycle.union.name}{cycle.title}结果"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append(HEADERS)
    _bold_row(ws, 2, len(HEADERS))
    for n, row in enumerate(results.questions, start=1):
        ws.append(
            [
                n,
                row.question.text,
                row.answers,
                *(row.counts[r] for r in (5, 4, 3, 2, 1)),
                float(row.average) if row.average is not None else None,
                float(row.satisfaction_pct) if row.satisfaction_pct is not None else None,
            ]
        )
    ws.append([])
    figures = (
        ("发放", outcome.issued),
        ("回收", outcome.answered),
        ("参与率（%）", outcome.response_rate_pct),
        ("总体满意率（%，全部评分题的评分中“满意”“非常满意”所占比例）", outcome.satisfaction_pct),
        ("满意率标准（%）", outcome.threshold_pct),
        ("是否达到标准", "是" if outcome.met else "否"),
        ("测评期间", f"{cycle.opens_on:%Y-%m-%d} 至 {cycle.closes_on:%Y-%m-%d}"),
    )
    for label, value in figures:
        ws.append(["", label, float(value) if hasattr(value, "as_tuple") else value])
    for question, texts in results.suggestions:
        ws.append([])
        ws.append(["", question])
        _bold_row(ws, ws.max_row, 2)
        for text in texts:
            ws.append(["", text])
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(2, col).column_letter].width = width
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
