"""Knowing what to do next: the returned document's banner and, later, the home workbench."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- templates/workflows/_returned.html -------------------------------------------------------------
    "Returned by %(by)s on %(on)s": "%(by)s于%(on)s退回修改",
    # --- templates/workflows/_inbox_todo.html ------------------------------------------------------------
    "Returned: %(opinion)s": "退回意见：%(opinion)s",
    # --- templates/workflows/_document_chain.html -------------------------------------------------------
    "returned it": "退回",
    "goes on here after the revision": "修改后从此继续",
    # --- templates/workbench/home.html ----------------------------------------------------------------
    "Workbench": "工作台",
    "My to-dos": "我的待办",
    "Open my to-do list": "打开我的待办",
    "Nothing waits for you now.": "目前没有等您办理的事项。",
    "The unions I supervise": "我指导的下级工会",
    "Stuck steps": "积压审批",
    "Late steps": "超期环节",
    "Reports awaiting my signature": "待我签收的报告",
    "Reports submitted to us": "下级报送情况",
    "Awaiting my Party organisation": "待本级党组织办理",
    "Nothing awaits your Party organisation's consent or approval.": "目前没有等待党组织同意或审批的事项。",
    "My unions' documents in progress": "本工会在办文件",
    "Where it stands": "当前环节",
    "Who holds it": "办理人",
    "No document of your union is under way.": "本工会目前没有在办文件。",
    "At risk of missing the deadline": "可能逾期的文件",
    "Forecast to finish %(forecast)s, after its deadline %(deadline)s": "预计 %(forecast)s 完成，晚于法定期限 %(deadline)s",
    "Statutory deadlines in the next 60 days": "未来 60 天的法定期限",
    "in %(days)s days": "%(days)s 天后",
    "No statutory deadline in the next 60 days.": "未来 60 天没有法定期限。",
    "Recent outcomes": "近期结果",
    "approved by %(body)s": "%(body)s审议通过",
    "returned by %(body)s": "%(body)s退回修改",
    "No decision in the last 30 days.": "近 30 天没有审议结果。",
    # --- workflows/services/outcomes.py ----------------------------------------------------------------
    "%(document)s was approved by the %(by)s": "%(document)s已经%(by)s审议通过",
    "%(document)s was returned by the %(by)s for revision": "%(document)s被%(by)s退回修改",
    "%(document)s is in force": "%(document)s已生效",
    "%(document)s was signed for by %(by)s": "%(document)s已由%(by)s签收",
    "%(document)s was returned by %(by)s for correction": "%(document)s被%(by)s退回修改",
    # --- workflows/reports/receipts.py -------------------------------------------------------------------
    "Sign for the report from %(union)s": "签收%(union)s报送的报告",
    "%(union)s submitted %(document)s: please sign for it": "%(union)s报送了%(document)s，请签收",
    "Sign for or return": "签收或退回",
}
