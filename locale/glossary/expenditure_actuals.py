"""The expenditure ledger as actuals (issue 26): the paid amounts taken into the half-year execution
analysis and the final accounts, the difference from typed or imported actuals, and the live execution
rate of the unions below on the upper-level union's page."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- workflows/execution/errors.py, workflows/final_accounts/errors.py ---------------------------------
    "The expenditure ledger has no payment up to %(end)s: enter or import the actual amounts instead.": "截至%(end)s支出台账中没有支付记录：请填写或导入实际数。",
    "The expenditure ledger has no payment in %(year)s: enter or import the actual amounts instead.": "%(year)s年度支出台账中没有支付记录：请填写或导入实际数。",
    # --- views ---------------------------------------------------------------------------------------------
    "The expenditure lines now show the amounts paid from the ledger.": "各支出科目的实际数已取自支出台账的已支付金额。",
    # --- templates/execution/*.html, templates/final_accounts/*.html -----------------------------------------
    "From the expenditure ledger": "取自支出台账",
    "The actual amounts of the expenditure lines are replaced by the amounts paid. Continue?": "各支出科目的实际数将替换为已支付金额，是否继续？",
    "Every expenditure line takes what was paid from it up to %(end)s, as the expenditure ledger records it; income lines keep their figures.": "各支出科目取支出台账记录的截至%(end)s的已支付金额；收入科目保持原数。",
    "Every expenditure line takes what was paid from it in %(year)s, as the expenditure ledger records it; income lines, the carryover and the explanation keep their figures.": "各支出科目取支出台账记录的%(year)s年度已支付金额；收入科目、上年结转和说明保持不变。",
    "Take the paid amounts from the expenditure ledger": "取支出台账已支付金额",
    "The expenditure ledger records no payment up to %(end)s: enter or import the actual amounts.": "截至%(end)s支出台账中没有支付记录：请填写或导入实际数。",
    "The expenditure ledger records no payment in %(year)s: enter or import the actual amounts.": "%(year)s年度支出台账中没有支付记录：请填写或导入实际数。",
    "Paid per the expenditure ledger (yuan)": "支出台账已支付（元）",
    "%(n)s expenditure line differs from what the expenditure ledger paid up to %(end)s: both figures are shown.": "%(n)s个支出科目的实际数与支出台账截至%(end)s的已支付金额不一致：两个数均已列出。",
    "%(n)s expenditure line differs from what the expenditure ledger paid in %(year)s: both figures are shown.": "%(n)s个支出科目的实际数与支出台账%(year)s年度的已支付金额不一致：两个数均已列出。",
    "actual − paid: %(d)s": "实际数减已支付：%(d)s",
    "Execution of %(year)s so far, live": "%(year)s年度截至目前的实时执行情况",
    "Expenditure paid through the expenditure ledger against the expenditure of each union's budget in force, as it stands now. Read-only.": "按支出台账已支付金额对比各工会已生效预算的支出数，实时计算，只读。",
    "Expenditure budgeted (yuan)": "预算支出（元）",
    "Paid so far (yuan)": "截至目前已支付（元）",
    "Live execution rate": "实时执行率",
    "No union below has a budget in force for %(year)s.": "下级工会尚无%(year)s年度已生效的预算。",
    "Filed analyses": "已报送的执行分析",
}
