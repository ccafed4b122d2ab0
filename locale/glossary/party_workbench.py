"""The Party organisation's workbench (党组织工作台) on the home page, and S1.3 in oversight (S1.1–S1.3)."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- templates/workbench/_party.html -------------------------------------------------------------
    "Party organisation workbench": "党组织工作台",
    "The unions your Party organisation leads:": "本党组织领导的工会：",
    "Requests and reports awaiting a reply": "待批复的请示报告",
    "No request or report awaits a reply.": "目前没有待批复的请示报告。",
    "Reports received": "收到的报告",
    "No report received yet.": "尚未收到报告。",
    "The hearing of union work in %(year)s": "%(year)s年听取工会工作汇报",
    "not asked for yet": "尚未申请",
    "Problems the Party organisation decided to solve": "党组织研究决定解决的问题",
    "No problem decided at a hearing is still open.": "听取汇报时决定解决的问题均已办结。",
    "The Five Ones in %(year)s": "%(year)s年“五个一”落实情况",
    "No obligation for this year yet.": "本年度尚无法定事项。",
    "Each obligation": "逐项查看",
    "Planning together": "一起研究、一起部署",
    "%(n)s of %(total)s items deployed together with Party building": "共%(total)s项任务，其中%(n)s项与党建工作一起部署",
    "No annual plan for this year or the next yet.": "本年度和下一年度尚无年度工作计划。",
    # --- oversight/selectors/scorecard.py (S1.3's column) ----------------------------------------------
    "requests for instructions and reports replied in time": "请示报告按时批复",
}
