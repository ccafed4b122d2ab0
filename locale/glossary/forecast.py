"""Deadline risk (issue 24): the forecast of an open document against its statutory deadline
(workflows/forecast.py) and oversight's deadline risk tab."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- workflows/forecast.py ------------------------------------------------------------------------
    "median of the last year": "近一年中位数",
    "%(step)s %(days)s days (%(source)s)": "%(step)s %(days)s 天（%(source)s）",
    "%(step)s %(days)s more days (%(source)s %(usual)s days, %(spent)s days spent)": "%(step)s 还需 %(days)s 天（%(source)s %(usual)s 天，已用 %(spent)s 天）",
    "Expected done on %(date)s: %(steps)s": "预计 %(date)s 完成：%(steps)s",
    # --- templates/oversight/risk.html, _tabs.html ----------------------------------------------------
    "Deadline risk": "到期风险",
    "Open documents whose remaining steps, at their usual durations, end after the statutory deadline. A step's usual duration is the median time it took over the last year (at least five finished), else its default; days are calendar days.": "剩余环节按通常用时测算、预计无法在法定期限前完成的在办文件。环节的通常用时取近一年已办结环节用时的中位数（至少五件），否则取默认时限；天数按自然日计算。",
    "The first %(n)s of %(total)s, soonest deadline first.": "按期限先后显示前 %(n)s 项，共 %(total)s 项。",
    "Current step": "当前环节",
    "Deadline": "法定期限",
    "Forecast": "预计完成",
    "Days over": "超出天数",
    "How computed": "测算依据",
    "No open document is expected to miss its deadline.": "没有预计逾期的在办文件。",
}
