"""One team as the upper union sees it (S4.1, S4.2, S4.4): the team tab and the scorecard's team columns."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    "The team": "队伍建设",
    "The unions below whose committees lack their working rules or institutions, whose staffing falls short of the rule, whose contacts are overdue, or whose committees' term ends within 90 days. Contacts are counted, never named.": "下级工会中：委员会缺少工作规则或制度的、人员配备未达要求的、联系对象逾期未联系的、委员会任期将在90天内届满的。联系对象只计数量，不显示姓名。",
    "rules missing": "缺少制度",
    "staffing short": "配备不足",
    "contacts overdue": "联系逾期",
    "re-elections due": "待换届",
    "The first %(n)s of %(flagged)s, by name.": "按名称显示前%(n)s个，共%(flagged)s个。",
    "Rules and institutions missing": "缺少的规则和制度",
    "Staffing": "人员配备",
    "Contacts this period": "本期联系情况",
    "Re-election": "换届",
    "%(members)s members, no full-time chair (from %(threshold)s)": "会员%(members)s人，未配专职主席（%(threshold)s人起应配）",
    "%(done)s of %(due)s contacted": "已联系%(done)s/%(due)s",
    "term ended %(date)s": "任期已于%(date)s届满",
    "term ends %(date)s": "任期%(date)s届满",
    "Every union below has its rules, its staffing and its contacts in order.": "下级工会的制度、人员配备和联系工作均已到位。",
    "Counts for every union below: the team tab": "全部下级工会的统计：见“队伍建设”",
    "%(n)s missing": "缺%(n)s项",
    "complete": "齐全",
    "no full-time chair": "未配专职主席",
}
