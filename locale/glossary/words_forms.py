"""Words and forms (issue 25): rules in words with a 依据 tooltip, deadlines as people say them, the
budget form's running totals, the obligations' legend, oversight's menu and refresh, next year's
working days."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- core/templatetags/rules.py, core/statutory.py ------------------------------------------------
    "Five Ones work method, %(rule)s": "“五个一”工作法 %(rule)s",
    "basis": "依据",
    "the end of %(date)s": "%(date)s24时",
    "not yet due, or due today": "未到期（含到期当日）",
    "past its due date, still to be done": "已过期限，尚未完成，仍应尽快完成",
    "still not done long after its due date (the rule's number of days): counted as missed": "超过期限较长时间（按规则规定的天数）仍未完成，记为逾期未完成",
    "submitted, returned by the upper-level union for correction": "已报送，被上级工会退回更正",
    "done, with the date": "已完成，并注明完成日期",
    "What the statuses mean": "状态说明",
    "its document is on its way through the chain": "相关文件正在审批流程中",
    "met in Wuyi": "已在系统中完成",
    # --- budget adjustment (S3.4): the window in words ------------------------------------------------
    "A budget adjustment for %(year)s can be started and approved only before %(deadline)s. It is now %(moment)s: no adjustment can be started.": "%(year)s年度预算调整只能在%(deadline)s前启动和批准。现在是%(moment)s，不能再启动预算调整。",
    "A budget adjustment for %(year)s can be approved only before %(deadline)s. It is now %(moment)s: the decision on “%(document)s” was not recorded, and the adjustment has lapsed.": "%(year)s年度预算调整只能在%(deadline)s前批准。现在是%(moment)s，对“%(document)s”的决定未予记录，该预算调整已失效。",
    "A budget adjustment for %(year)s can be submitted and approved only before %(deadline)s. It is now %(moment)s: the adjustment has lapsed.": "%(year)s年度预算调整只能在%(deadline)s前报送和批准。现在是%(moment)s，该预算调整已失效。",
    "Give the reason for the adjustment: adjust only where the work truly requires it.": "请填写调整理由：确因工作需要方可调整。",
    "An adjustment is started and approved only before the end of 30 September of the budget year; this union may adjust its budget %(n)s time(s) a year.": "预算调整须在预算年度9月30日24时前启动并批准；本工会每年可调整预算%(n)s次。",
    "The adjustment must be approved before %(deadline)s; one still open then lapses. It goes to the fund audit committee, the Party organisation and the congress (or the union committee, as the union's rules say).": "预算调整须在%(deadline)s前批准，届时仍未办结的自动失效。调整方案依次报经费审查委员会、同级党组织和会员（代表）大会（或按本工会规定报工会委员会）审批。",
    "Approval only before %(deadline)s; an adjustment still open then lapses.": "须在%(deadline)s前批准，届时仍未办结的预算调整自动失效。",
    "Not approved before %(deadline)s: the adjustment lapsed and its tasks were cancelled. The budget in force is unchanged.": "未在%(deadline)s前批准：预算调整已失效，相关待办已取消。现行预算不变。",
    "Start an adjustment (before %(deadline)s)": "启动预算调整（%(deadline)s前）",
    "Every half year the budget in force is compared with the actual amounts, line by line; the union committee files the analysis with its note, and the upper-level union sees it.": "每半年将现行预算与实际收支逐项对照分析，由工会委员会附意见报送，上级工会可以查看。",
    "The actual income and expenditure of the year per budget line, audited by the fund audit committee, merged with next year's budget into the report on budget and final accounts, approved by the congress and submitted to the upper-level union and the provincial organs union by the end of February.": "按预算科目填报全年实际收支，经经费审查委员会审查，与下年度预算合并形成经费收支预算决算情况报告，经会员（代表）大会审议批准，于次年2月底前报送上一级工会和省直工会。",
    # --- the budget form ---------------------------------------------------------------------------------
    "Remark on %(account)s": "%(account)s的备注",
    "Amount (yuan)": "金额（元）",
    "Totals while you type": "合计（随输入更新）",
    "Funds rolled over": "上年结转经费",
    "Income and carryover cover the expenditure exactly: balanced.": "收入与上年结转之和正好等于支出：收支平衡。",
    "Income and carryover exceed the expenditure: the rest is rolled over.": "收入与上年结转之和大于支出：结余滚存下年。",
    "Expenditure exceeds income plus carryover: cut the expenditure or correct the income before submitting.": "支出超过收入与上年结转之和：请在报送前压减支出或更正收入。",
    # --- oversight -----------------------------------------------------------------------------------
    "Refresh the counts now": "立即刷新统计",
    # --- next year's working days ----------------------------------------------------------------------
    "The working-day calendar for %(year)s is not there yet: until it is, deadlines and reminders in %(year)s count Monday to Friday, without public holidays or weekend working days.": "%(year)s年工作日历尚未导入：导入之前，%(year)s年的期限和提醒按周一至周五计算，不含法定节假日和调休上班日。",
    "Import the State Council notice for %(year)s": "导入国务院办公厅%(year)s年节假日安排通知",
    "Import a State Council holiday notice": "导入国务院办公厅节假日安排通知",
    "The notice as a text file": "通知的文本文件",
    "One line each: 年度 2027; 来源 …; 放假 2027-01-01 至 2027-01-03 元旦; 上班 2027-01-04 元旦调休上班 (several working days separated by 、). core/fixtures/holidays/2026.txt is the 2026 notice.": "每行一项：年度 2027；来源 …；放假 2027-01-01 至 2027-01-03 元旦；上班 2027-01-04 元旦调休上班（多个上班日用“、”隔开）。core/fixtures/holidays/2026.txt 是2026年的通知。",
    "%(year)s: %(days)s days off on weekdays and weekend working days imported from “%(source)s”.": "%(year)s年：已从“%(source)s”导入%(days)s天工作日调整（工作日放假和周末调休上班）。",
    "The State Council publishes next year's public holidays and the weekend days worked in exchange each autumn. Type them into a short text file and import it: the year's days off and working days are replaced as a whole, and nothing is stored unless every line is right.": "国务院办公厅每年秋季公布下一年的节假日安排和调休上班日期。请将其录入一个简短的文本文件后导入：该年度的放假和上班日期将整体替换；只要有一行有误，就不会保存任何内容。",
    "The file names no year: add a line “年度 2027”.": "文件没有写明年度：请添加一行“年度 2027”。",
    "Line %(line)s: “%(value)s” is not a year between 2000 and 2100.": "第%(line)s行：“%(value)s”不是2000至2100之间的年份。",
    "Line %(line)s: start the line with 年度, 来源, 放假 or 上班 (year, source, off, work), not “%(value)s”.": "第%(line)s行：每行应以“年度”“来源”“放假”或“上班”开头，而不是“%(value)s”。",
    "Line %(line)s: “%(value)s” is not a date written as 2027-01-01.": "第%(line)s行：“%(value)s”不是日期，日期应写成 2027-01-01 的格式。",
    "Line %(line)s: give the date or dates after “%(value)s”.": "第%(line)s行：请在“%(value)s”后写明日期。",
    "Line %(line)s: the range %(start)s 至 %(end)s ends before it starts.": "第%(line)s行：日期范围 %(start)s 至 %(end)s 的结束日期早于开始日期。",
    "Line %(line)s: %(date)s is not in %(year)s, the year this file is for.": "第%(line)s行：%(date)s 不在本文件所写的%(year)s年度内。",
    "Line %(line)s: %(date)s is on line %(other)s too, the other way round: a day is either off or a working day.": "第%(line)s行：%(date)s 在第%(other)s行已作相反安排；同一天只能是放假或上班。",
    "The file gives no day off and no working day.": "文件中没有任何放假或上班日期。",
    "The file could not be read as text (UTF-8): save it as plain text and try again.": "无法按文本（UTF-8）读取该文件：请另存为纯文本后重试。",
}
