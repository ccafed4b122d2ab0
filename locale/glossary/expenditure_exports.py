"""Expenditure exports (the ledger and a line's movements as .xlsx), a request's attachments and its
printed sheet (issue 26)."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- templates/workflows/expenditure/list.html -------------------------------------------------------
    "Export the ledger (.xlsx)": "导出支出台账（.xlsx）",
    "movements": "支出明细",
    "movements (.xlsx)": "支出明细（.xlsx）",
}
