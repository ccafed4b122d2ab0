"""Upward summaries (issue 33): the subordinate unions' budgets and final accounts summed by account."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- oversight/views/upward.py ---------------------------------------------------------------------
    "I. Total income": "一、收入合计",
    "II. Total expenditure": "二、支出合计",
    "III. Funds rolled over from the previous year": "三、上年结转（滚存）经费",
    "IV. Balance (I + III − II)": "四、收支差额（一＋三－二）",
    "IV. Funds rolled over at period end (I + III − II)": "四、期末滚存经费（一＋三－二）",
    # --- templates/oversight/_tabs.html, upward.html ------------------------------------------------------
    "Upward summaries": "汇总报表",
    "Download the summary tables (.xlsx)": "下载汇总表 (.xlsx)",
    "Upward summaries are for the supervisors of a department or provincial union; you hold no such seat.": "汇总报表供厅局直属机关工会或省直机关工会的督导人员使用；您没有这样的岗位。",
    "The budgets and final accounts in force of every department and grassroots union below, summed by account in the layout of the All-China Federation of Trade Unions' budget and final-accounts tables. Submitted means approved by the union's congress; a draft, a document still in its chain or returned for revision is listed as not submitted, with the step it stands at.": "下级各厅局直属机关工会和基层工会已生效的经费预算和决算，按全国总工会经费收支预算表、决算表的格式分科目汇总。“已报送”指已经该工会会员（代表）大会审议批准；草稿、仍在审批中或退回修改的列为未报送，并注明所处环节。",
    "%(n)s union below": "下级工会 %(n)s 家",
    "budgets in force: %(n)s of %(total)s": "预算已生效：%(n)s / %(total)s 家",
    "final accounts in force: %(n)s of %(total)s": "决算已生效：%(n)s / %(total)s 家",
    "%(year)s budget summary of the unions below %(union)s": "%(union)s下级工会%(year)s年度经费收支预算汇总",
    "%(year)s final accounts summary of the unions below %(union)s": "%(union)s下级工会%(year)s年度经费收支决算汇总",
    "Item": "项目",
    "Budgeted": "预算数",
    "Actual": "决算数",
    "Completion %%": "完成%%",
    "Unions that have not submitted": "未报送单位",
    "submitted upward": "已报送",
    "not submitted upward": "未报送",
    "not drawn up": "未编制",
    "Every union below has its budget and final accounts of the year in force.": "下级工会本年度预算和决算均已生效。",
}
