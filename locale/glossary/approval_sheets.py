"""Approval sheets (审批单, issue 33): the sheet printed from a document's approval records."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- workflows/outputs/approval.py -----------------------------------------------------------------
    "%(kind)s approval sheet": "%(kind)s审批单",
    "%(title)s: approval sheet": "%(title)s审批单",
    "Document number": "文号",
    "Drafted or requested by": "起草人（申请人）",
    "passed: approved": "表决通过",
    "carried out as instructed": "已落实",
    "%(name)s (for %(away)s)": "%(name)s（代%(away)s）",
    # --- templates/outputs/approval_sheet.html ------------------------------------------------------------
    "Approval record": "审批记录",
    "Body or person": "办理机构或人员",
    "Signed or recorded by": "签字（记录）人",
    "Meeting at %(p)s": "会议地点：%(p)s",
    "Attended: %(a)s of %(s)s": "实到 %(a)s 人／应到 %(s)s 人",
    "For %(f)s, against %(g)s, abstaining %(x)s": "赞成 %(f)s，反对 %(g)s，弃权 %(x)s",
    "No step has been taken yet.": "尚无办理记录。",
    "Printed by": "制表人",
    "Printed on": "制表日期",
    "Printed from the approval records as they stood on that day; a step taken later is not on this sheet.": "本审批单根据制表时的审批记录生成，此后办理的环节不在本单内。",
    # --- templates/outputs/_approval_actions.html, workflows/outputs/views_approval.py -----------------------
    "Print the approval sheet": "打印审批单",
    "The approval sheet is printed: it is listed under the printed documents.": "审批单已生成，列在“公文与表单”中。",
    # --- workflows/expenditure/approval.py ---------------------------------------------------------------
    "Budget line": "预算科目",
    "Amount (in figures)": "金额（小写）",
    "Amount (in capitals)": "金额（大写）",
    "Purpose": "用途",
    "Activity date": "活动日期",
    "Major expenditure": "重大支出",
    "yes: decided by the union committee": "是（由工会委员会集体研究决定）",
    "Payees": "领款人",
}
