"""The income side of the ledger (issue 26): membership dues and allocations received, recorded against
the income lines of the budget in force, on the union's income page."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- workflows/expenditure/errors_income.py ------------------------------------------------------------
    "Income received is recorded by the union's finance officer or office staff.": "收入由本工会的财务人员或办公室工作人员登记。",
    "%(union)s has no budget in force for %(year)s: income is recorded against the income lines of an approved budget.": "%(union)s%(year)s年度尚无已生效的预算：收入须登记在批准预算的收入科目上。",
    "The budget in force for %(year)s has no income line %(account)s: record the income on an income line of the budget, or start a budget adjustment.": "%(year)s年度已生效的预算中没有收入科目 %(account)s：请登记在预算内的收入科目上，或发起预算调整。",
    "Choose an income line of the budget in force.": "请选择已生效预算中的收入科目。",
    "The date received cannot be in the future.": "收到日期不能晚于今天。",
    "The note is longer than %(max)s characters.": "备注不能超过 %(max)s 个字符。",
    # --- workflows/expenditure/views_income.py -------------------------------------------------------------
    "income line": "收入科目",
    "For example: membership dues of November, or the administration's allocation.": "例如：11月会费、行政拨缴经费。",
    "The income was recorded.": "收入已登记。",
    # --- templates/workflows/expenditure/income.html, list.html -------------------------------------------
    "Income received": "经费收入",
    "Income of %(name)s": "%(name)s经费收入",
    "Income lines of %(year)s": "%(year)s年度收入科目",
    "received": "已收到",
    "still to receive": "尚待收取",
    "execution rate": "执行率",
    "%(amount)s above the budget": "超出预算 %(amount)s 元",
    "There is no budget in force for %(year)s: income is recorded against the income lines of an approved budget.": "%(year)s年度尚无已生效的预算：收入须登记在批准预算的收入科目上。",
    "Record income received": "登记收入",
    "Income received in %(year)s": "%(year)s年度收入明细",
    "Nothing received yet.": "尚无收入登记。",
}
