"""Words and forms, the leftovers (issue 25): error texts and rule statements without their seed clause
(the clause only in the 依据 tooltip), the plan and report pages' rules in words, the budget
adjustment's running totals, landing on the report after signing for it."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- workflows/errors.py: the budget (S3.1, S3.2), opinions, the plan (S2.1), the reports (S2.3, S3.5) ---
    "Total expenditure %(expenditure)s exceeds total income %(income)s plus the funds rolled over %(carryover)s by %(gap)s yuan. Reduce expenditure or correct the income.": "支出合计 %(expenditure)s 超出收入合计 %(income)s 与上年结转经费 %(carryover)s 之和 %(gap)s 元。请压减支出或更正收入。",
    "Account code %(code)s is not on the 2021 chart of accounts.": "科目编码 %(code)s 不在 2021 年版会计科目表中。",
    "Account %(code)s has sub-accounts; enter the amount on one of them.": "科目 %(code)s 设有下级科目，请在其中一个下级科目录入金额。",
    "Account %(code)s is not an income or expenditure account.": "科目 %(code)s 不是收入或支出科目。",
    "Choose at least one recipient for the opinions.": "请至少选择一个征求意见对象。",
    "The area “%(area)s” has no task; add tasks or write why it is left empty.": "“%(area)s”方面没有任务，请添加任务或写明空缺原因。",
    "The work report merges the %(year)s summary acknowledged by the Party organisation; it is not there yet.": "工作报告须合并经同级党组织认可的 %(year)s 年度工作总结，目前尚无。",
    "The work report merges the %(year)s plan; start that plan first.": "工作报告须合并 %(year)s 年度工作计划，请先起草该计划。",
    "The %(year)s plan is not yet before the congress (its earlier steps come first); the congress decides both together.": "%(year)s 年度工作计划尚未提交会员（代表）大会（须先完成前面的环节）；大会对两者一并审议。",
    "The congress approves “%(document)s” through the report on budget and final accounts; put that report on the agenda instead.": "会员（代表）大会通过经费收支预算决算情况报告审议批准“%(document)s”，请改为将该报告列入议程。",
    # --- workflows/execution/errors.py (S3.4) ----------------------------------------------------------
    "Execution is analysed against the budget in force; “%(budget)s” is %(status)s.": "预算执行分析以现行预算为准；“%(budget)s”当前状态为：%(status)s。",
    "The %(period)s of %(year)s ends on %(end)s; the analysis is filed after that.": "%(year)s年%(period)s截至%(end)s，期满后方可报送执行分析。",
    # --- workflows/reports/errors.py, forms.py (S2.3, S3.5) ---------------------------------------------
    "The report binds the %(year)s final accounts audited by the fund audit committee; they are not audited yet.": "报告须包含经费审查委员会审查通过的%(year)s年度决算，该决算尚未审查通过。",
    "The fund audit committee's audit report on the %(year)s final accounts is not attached.": "尚未附经费审查委员会对%(year)s年度决算的审查报告。",
    "The report binds the %(year)s budget; start that budget first.": "报告须包含%(year)s年度预算，请先编制该预算。",
    "The %(year)s budget is not yet before the congress (its earlier steps come first); the congress decides both together.": "%(year)s年度预算尚未提交会员（代表）大会（须先完成前面的步骤）；大会一并审议。",
    "Leave empty to start from the acknowledged summary of the year and next year's plan; you can edit the text afterwards.": "留空则以该年度经认可的工作总结和下年度工作计划生成，之后可以修改。",
    "Leave empty to start from the audited final accounts and next year's budget; you can edit the text afterwards.": "留空则根据经审查的决算和下年度预算生成，之后可以修改文字。",
    # --- workflows/final_accounts/errors.py (S3.1, S3.2, S3.5) -------------------------------------------
    "The final accounts follow the lines of the %(year)s budget in force; %(union)s has no budget in force for %(year)s.": "决算按%(year)s年度生效预算的科目编制；%(union)s没有%(year)s年度生效的预算。",
    "Accounts %(codes)s are not lines of the %(year)s budget: nothing is spent outside the budget.": "科目 %(codes)s 不是%(year)s年度预算的科目，不得预算外支出。",
    "Actual expenditure %(expenditure)s exceeds actual income %(income)s plus the funds rolled over %(carryover)s: the closing balance would be %(closing)s yuan. Check the figures.": "实际支出 %(expenditure)s 超过实际收入 %(income)s 与上年结转 %(carryover)s 之和，期末滚存将为 %(closing)s 元。请核对数据。",
    "Total expenditure %(expenditure)s exceeds total income %(income)s plus the audited closing balance of the %(year)s final accounts %(carryover)s by %(gap)s yuan. Reduce expenditure or correct the income.": "支出合计 %(expenditure)s 超过收入合计 %(income)s 与%(year)s年度决算经审计的期末滚存经费 %(carryover)s 之和 %(gap)s 元。请压减支出或更正收入。",
    # --- the plan and report pages: the rule in words, the clause in the 依据 tooltip ---------------------
    "Adjust this budget": "调整本预算",
    "Give every duty area its tasks, each with an owner and a timetable, or write why the area is left empty. Blank rows are ignored.": "每个工作方面都要列出任务及其责任人和时间表，没有任务的须写明理由。空行将被忽略。",
    "The check passes: every duty area has tasks or a written reason why it is empty.": "校验通过：每个工作方面都有任务或已写明空缺理由。",
    "Filled or explained": "任务或空缺理由",
    "No task and no reason given yet.": "尚无任务，也未说明理由。",
    "The year-end summary is reported in writing to the Party organisation, then merged with next year's plan into the work report, which the congress approves and the union submits to the upper-level union.": "年度工作总结书面报告同级党组织后，与下年度工作计划合并形成工作报告，经会员（代表）大会审议批准后报送上一级工会。",
    "The work report merges the year's summary, acknowledged by the Party organisation, with next year's plan. The congress approves the report and the plan together.": "工作报告由经同级党组织认可的年度工作总结与下年度工作计划合并形成，会员（代表）大会一并审议批准报告和计划。",
    "The report merges the year's final accounts, audited by the fund audit committee, with next year's budget. The congress approves the report, the final accounts and the budget together; the report then goes to the upper-level union and the provincial organs union.": "报告合并经费审查委员会审查通过的本年度决算和下年度预算。会员（代表）大会一并审议批准报告、决算和预算，报告随后报送上一级工会和省直工会。",
}
