"""Final accounts (S3.5), the finance report and the shared actuals import: msgid → Simplified Chinese."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- workflows/budget/actuals.py ---------------------------------------------------------------
    "The file is not an .xlsx workbook: download the template, fill it in and upload it again.": "该文件不是 .xlsx 工作簿：请下载模板，填写后重新上传。",
    "The header row (科目编码 … 实际数（元）) was not found in the first %(rows)s rows: use the template offered for download.": "前 %(rows)s 行中未找到表头（科目编码 … 实际数（元））：请使用系统提供下载的模板。",
    "The file has more than %(rows)s rows: it is not the template of this budget.": "文件超过 %(rows)s 行，不是本预算的模板。",
    "Row %(row)s, column %(column)s: %(problem)s": "第%(row)s行%(column)s列：%(problem)s",
    "the account code is missing.": "缺少科目编码。",
    "“%(value)s” is not an account code.": "“%(value)s”不是科目编码。",
    "account code %(code)s is not on the 2021 chart of accounts.": "科目编码 %(code)s 不在 2021 年工会会计制度科目表中。",
    "account %(code)s is not a line of this budget (S3.1: no spending outside the budget).": "科目 %(code)s 不是本预算的科目（S3.1：不得预算外支出）。",
    "account %(code)s already appears in row %(first)s; enter each account once.": "科目 %(code)s 已在第%(first)s行出现，每个科目只填一次。",
    "the actual amount of account %(code)s is empty; enter 0 if nothing was received or spent.": "科目 %(code)s 的实际数为空；没有发生额的请填 0。",
    "Account %(code)s %(name)s of the budget has no row in the file: every line of the budget needs its actual amount.": "预算科目 %(code)s %(name)s 在文件中没有对应行：每个预算科目都要填写实际数。",
    "Enter the actual amount (0 if nothing was received or spent).": "请填写实际数（没有发生额的填 0）。",
}
