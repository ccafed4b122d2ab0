"""Fill the Simplified Chinese catalogue from the glossary below.

Workflow (from the project root)::

    WUYI_VAR_DIR=/tmp/wv .venv/bin/python manage.py makemessages -l zh_Hans --no-obsolete \
        -i .venv -i var -i static
    .venv/bin/python locale/translate.py          # add any msgid it reports to ZH, run again
    .venv/bin/python manage.py compilemessages -i .venv

The script fills only entries whose msgstr is empty or fuzzy (msgmerge's guesses are never trusted),
so a translation edited by hand in the .po survives; ``--force`` rewrites every entry found in ZH.
It drops obsolete entries, sets the header for zh_Hans (one plural form), checks that each
translation keeps the msgid's placeholders, and exits 1 when any msgid is left untranslated or a
placeholder is wrong. tests/test_i18n.py checks the same catalogue on every test run.

Terms follow /work/shared/domain.md: 工会委员会, 经费审查委员会, 女职工委员会, 同级党组织,
会员（代表）大会, 主席/副主席/委员/主任/书记, 办公室工作人员, 财务人员, 督导员, 省直机关工会,
厅局直属机关工会, 基层工会, 工会小组; a seat is 任职, a body is 机构.
"""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime
from pathlib import Path

import polib

PO_PATH = Path(__file__).resolve().parent / "zh_Hans" / "LC_MESSAGES" / "django.po"

# English msgid -> Chinese. For a plural entry, key on the singular msgid (zh has one plural form).
# For an entry with a context, key on (msgctxt, msgid).
ZH: dict[str | tuple[str, str], str] = {
    # --- Django strings missing from Django's own zh_Hans catalogue (core/i18n_extra.py) -------
    "This password is too short. It must contain at least %d character.": "密码太短，至少需要 %d 个字符。",
    # --- workflows: messages asserted by tests ---------------------------------------------------
    "Amounts may not be negative.": "金额不能为负数。",
    "Amounts have at most two decimals (fen).": "金额最多保留两位小数（到分）。",
    "Amounts must be below 1,000,000,000,000 yuan.": "金额必须小于 1,000,000,000,000 元。",
    "“%(value)s” is not an amount in yuan: use digits with at most two decimals, e.g. 12000.50.": "“%(value)s”不是以元为单位的金额：请填写数字，最多两位小数，例如 12000.50。",
    "Choose at least one recipient for the opinions (S3.3).": "请至少选择一个征求意见对象（S3.3）。",
    "Files of type %(suffix)s are not accepted. Allowed: %(allowed)s.": "不接受 %(suffix)s 类型的文件。允许的类型：%(allowed)s。",
    "%(union)s already has a budget for %(year)s (%(status)s); a second one is refused.": "%(union)s %(year)s 年度已有预算（%(status)s），第二份预算不予受理。",
    # --- config / site ---------------------------------------------------------------------
    "Wuyi": "五一",
    "Wuyi administration": "五一管理后台",
    "Administration": "系统管理",
    "Wuyi union approvals": "五一工会审批系统",
    "Wuyi — the Five Ones work method, step by step.": "五一——“五个一”基本工作法，逐步落实。",
    "Menu": "菜单",
    "Home": "首页",
    "Unions": "工会",
    "Notifications": "通知",
    "Sign out": "退出登录",
    "Language": "语言",
    "Switch": "切换",
    "Not allowed": "无权操作",
    "You may see this, but your seats do not allow this action.": "您可以查看此内容，但您的职务无权执行此操作。",
    "Not found": "页面不存在",
    "This page does not exist, or you may not see it.": "该页面不存在，或您无权查看。",
    # --- sign in ---------------------------------------------------------------------------
    "Sign in": "登录",
    "Sign in to Wuyi": "登录五一",
    "Username": "用户名",
    "Password": "密码",
    "Account locked": "账号已锁定",
    "Too many failed sign-in attempts. This account is locked for a while; try again later or ask "
    "your union's office staff.": "登录失败次数过多，该账号已被暂时锁定。请稍后再试，或联系本工会办公室工作人员。",
    "You were signed out after a period of inactivity.": "由于长时间未操作，您已自动退出登录。",
    # --- core app: errors ------------------------------------------------------------------
    "Unions and people": "工会与人员",
    "A union cannot be its own upper-level union.": "工会不能将自身设为上级工会。",
    "The chosen upper-level union is below this union: that would make a cycle.": "所选上级工会是本工会的下级工会，会形成循环隶属关系。",
    # %(kind)s and %(parents)s are union kind labels that already end in 工会/小组.
    "A %(kind)s must have a %(parents)s as its upper-level union.": "%(kind)s的上级工会必须是%(parents)s。",
    "The provincial organs union is the top of the tree and has no upper-level union.": "省直机关工会是最高一级工会，不设上级工会。",
    "Unknown time zone: %(value)s.": "未知时区：%(value)s。",
    "A fraction needs a numerator between 0 and its denominator, and a positive denominator.": "比例的分母须为正整数，分子须介于 0 与分母之间。",
    "The term must end after it starts.": "任期结束日期必须晚于开始日期。",
    "This body belongs to another union.": "该机构属于其他工会。",
    "The term of a seat must end on or after the day it starts.": "任职结束日期不得早于开始日期。",
    "The seat's term (%(start)s – %(end)s) lies outside the body's term (%(body_start)s – %(body_end)s).": "任职期限（%(start)s – %(end)s）超出了该机构的任期（%(body_start)s – %(body_end)s）。",
    "The role %(role)s is held in a body: choose the body.": "%(role)s须在机构中任职，请选择所属机构。",
    "The role %(role)s cannot be held in the %(body)s.": "%(body)s不设%(role)s职务。",
    "The role %(role)s is held in the union itself, not in a body.": "%(role)s在工会本级任职，不属于任何机构。",
    "Supervisors sit only in the provincial organs union or a department organ union.": "督导员只能在省直机关工会或厅局直属机关工会任职。",
    "%(person)s already holds this seat in this period.": "%(person)s在此期间已担任该职务。",
    "%(person)s is deactivated and cannot take a seat.": "%(person)s的账号已停用，不能任职。",
    "Users are never deleted: deactivate the account instead.": "用户不可删除，请改为停用账号。",
    # --- core app: forms and views ---------------------------------------------------------
    "No active person with the username “%(value)s”.": "不存在用户名为“%(value)s”的启用人员。",
    "Person (username)": "人员（用户名）",
    "Body": "机构",
    "Leave empty for office staff, finance officer and supervisor.": "办公室工作人员、财务人员和督导员无需选择机构，留空即可。",
    "Role": "职务",
    "Term starts": "任期开始",
    "Term ends": "任期结束",
    "Note": "备注",
    "Seat added.": "任职已添加。",
    "The seat's term now ends on %(date)s.": "该任职的任期截止日期已设为 %(date)s。",
    # --- core app: models ------------------------------------------------------------------
    "provincial organs union": "省直机关工会",
    "department organ union": "厅局直属机关工会",
    "grassroots union": "基层工会",
    "union group": "工会小组",
    "full name": "姓名",
    "phone": "电话",
    "home union": "所属工会",
    "person": "人员",
    "people": "人员",
    "name": "名称",
    "code": "编码",
    "kind": "类型",
    "upper-level union": "上级工会",
    "member count": "会员人数",
    "time zone": "时区",
    "active": "启用",
    "created at": "创建时间",
    "union": "工会",
    "unions": "工会",
    "View the union's documents": "查看本工会文件",
    "Draft the union's documents": "起草本工会文件",
    "Manage the union's seats": "管理本工会任职",
    "Supervise the unions below": "督导下级工会",
    "union committee": "工会委员会",
    "fund audit committee": "经费审查委员会",
    "women workers' committee": "女职工委员会",
    "same-level Party organisation": "同级党组织",
    "member (representative) congress": "会员（代表）大会",
    "meeting with votes": "会议表决",
    "written decision": "书面决定",
    "all members": "全体组成人员",
    "members present": "出席人员",
    "single person": "仅设一人",
    "Small unions have one fund audit member or one women workers' member instead of a committee.": "规模较小的工会可不设委员会，只设经费审查委员或女职工委员一人。",
    "decision mode": "决策方式",
    "quorum numerator": "法定出席比例分子",
    "quorum denominator": "法定出席比例分母",
    "more than the quorum fraction": "须超过法定出席比例",
    "Unticked: at least the fraction.": "不勾选时，达到该比例即可。",
    "pass numerator": "通过比例分子",
    "pass denominator": "通过比例分母",
    "more than the pass fraction": "须超过通过比例",
    "votes counted against": "表决通过的计算基数",
    "term starts": "任期开始",
    "term ends": "任期结束",
    "body": "机构",
    "bodies": "机构",
    "Record the body's meetings and decisions": "记录机构的会议和决定",
    "chair": "主席",
    "vice chair": "副主席",
    "member": "委员",
    "director": "主任",
    "secretary": "书记",
    "member representative": "会员代表",
    "office staff": "办公室工作人员",
    "finance officer": "财务人员",
    "supervisor": "督导员",
    "role": "职务",
    "note": "备注",
    "seat": "任职",
    "seats": "任职",
    "union permission of a person": "人员的工会权限",
    "union permissions of people": "人员的工会权限",
    "body permission of a person": "人员的机构权限",
    "body permissions of people": "人员的机构权限",
    "time": "时间",
    "actor": "操作人",
    "verb": "操作",
    "subject type": "对象类型",
    "subject id": "对象 ID",
    "from state": "原状态",
    "to state": "新状态",
    "detail": "详情",
    "event": "事件",
    "events": "事件",
    # --- core templates --------------------------------------------------------------------
    "Welcome, %(name)s": "欢迎您，%(name)s",
    "My seats": "我的任职",
    "You hold no seat in force. Ask your union's office staff to add you.": "您目前没有在任职务，请联系本工会办公室工作人员添加。",
    "Unions I supervise": "我督导的工会",
    "As a supervisor you see every union below yours, read-only.": "作为督导员，您可以查看本工会以下的所有工会（只读）。",
    "Unions below %(name)s": "%(name)s的下级工会",
    "Add a seat": "添加任职",
    "Add a seat in %(name)s": "在%(name)s添加任职",
    "Save": "保存",
    "Cancel": "取消",
    "%(n)s member": "%(n)s 名会员",
    "You see this union as a supervisor of an upper-level union: read-only.": "您正以上级工会督导员的身份查看本工会，仅可查看。",
    "Officers of the union": "工会工作人员",
    "End term": "结束任期",
    "No seat in force.": "暂无在任人员。",
    "Subordinate unions": "下级工会",
    "Unions I may see": "我可查看的工会",
    "Name contains": "名称包含",
    "Kind": "类型",
    "All kinds": "全部类型",
    "Filter": "筛选",
    "Union": "工会",
    "Upper-level union": "上级工会",
    "Members": "会员数",
    "No union to show.": "没有可显示的工会。",
    "Previous": "上一页",
    "Next": "下一页",
    # --- notifications ---------------------------------------------------------------------
    "recipient": "接收人",
    "title": "标题",
    "text": "正文",
    "link": "链接",
    "occasion key": "去重标识",
    "read at": "阅读时间",
    "notification": "通知",
    "notifications": "通知",
    "Mark all read": "全部标为已读",
    "No notifications.": "暂无通知。",
    "Older": "更早的通知",
    # --- workflows and budget ---------------------------------------------------------------
    # history: "<actor> · <verb> [<new status>]" (core/templatetags/wuyi.py)
    "started the budget": "新建预算",
    "saved the lines": "保存收支明细",
    "made a new version": "生成新版本",
    "submitted": "提交",
    "moved to": "状态变更为",
    "gave an opinion": "提出意见",
    "no reply by the due date": "逾期未答复",
    "approved": "同意",
    "returned with opinions": "退回并提出意见",
    "withdrew": "撤回",
    "put in force": "生效",
    "added an attachment": "添加附件",
    "recorded a meeting": "记录会议",
    "added a seat": "添加任职",
    "ended a seat's term": "结束任职",
    # navigation and my work
    "My work": "我的待办",
    "Nothing is waiting for you.": "暂无待办事项。",
    "since": "收到",
    "due": "截止",
    "overdue": "已逾期",
    "Open": "打开",
    "Open the document": "打开文件",
    "Approval workflows": "审批流程",
    "Please correct the errors below.": "请更正以下错误。",
    # budget pages
    "Budgets": "预算",
    "Budgets of %(name)s": "%(name)s的预算",
    "No budget yet.": "暂无预算。",
    "Start a budget": "新建预算",
    "Start a budget for %(name)s": "为%(name)s新建预算",
    "Start": "创建",
    "Version %(n)s": "第 %(n)s 版",
    "Version %(number)s": "第 %(number)s 版",
    "Version": "版本",
    "drafter": "起草人",
    "Edit lines": "编辑明细",
    "Submit": "提交",
    "Export .xlsx": "导出 .xlsx",
    "Withdraw this budget?": "确定撤回该预算吗？",
    "Withdraw": "撤回",
    "This budget was put before you: you see it read-only.": "该预算已提交您审阅，您仅可查看。",
    "Approval chain": "审批流程",
    "Who must act now": "当前办理人",
    "Nobody: the chain is finished.": "无：审批流程已结束。",
    "Lines": "收支明细",
    "Show": "显示",
    "Account": "科目",
    "Name": "名称",
    "Amount (yuan)": "金额（元）",
    "Remark": "备注",
    "Income": "收入",
    "Total income": "收入合计",
    "Expenditure": "支出",
    "Total expenditure": "支出合计",
    "Funds rolled over from the previous year": "上年结转经费",
    "estimate": "估计数",
    "Balance (income + carryover − expenditure)": "结余（收入 + 上年结转 − 支出）",
    "Changes from version %(a)s to %(b)s": "第 %(a)s 版至第 %(b)s 版的变动",
    "Change": "变动",
    "Opinions": "意见",
    "Decisions": "审议决定",
    "no quorum: nothing decided": "未达到法定人数，未作决定",
    "%(a)s of %(s)s attended; for %(f)s, against %(g)s, abstaining %(x)s": "应到 %(s)s 人，实到 %(a)s 人；赞成 %(f)s，反对 %(g)s，弃权 %(x)s",
    "Attachments": "附件",
    "No attachments.": "暂无附件。",
    "File": "文件",
    "Upload": "上传",
    "History": "办理记录",
    "system": "系统",
    "Budget lines": "预算明细",
    "already submitted: saving makes a new version": "已提交：保存后将生成新版本",
    "Some figures need correcting; they are marked below. Nothing you typed was lost.": "部分数字需要更正，已在下方标出。您填写的内容均已保留。",
    "Save and submit": "保存并提交",
    "Back to the budget": "返回预算",
    "Submit the budget": "提交预算",
    "The budget cannot be submitted yet:": "预算暂不能提交：",
    "Correct the lines": "修改收支明细",
    "S3.1 and S3.2 checks pass: every line is on the chart of accounts and expenditure does not exceed income plus the funds rolled over.": "已通过 S3.1 和 S3.2 校验：各项明细均在会计科目表内，支出未超过收入与上年结转经费之和。",
    "Choose whom to ask for opinions: the subordinate unions and union groups (through their chairs) and the member representatives. They answer in parallel by the due date.": "请选择征求意见对象：下级工会和工会小组（由其主席答复）以及会员代表。各方在截止日期前并行答复。",
    "Finish the step “%(step)s” and send the budget on.": "办结“%(step)s”环节，将预算送往下一环节。",
    "Budget started. Enter its lines.": "预算已新建，请录入收支明细。",
    "Budget lines saved.": "预算明细已保存。",
    "Submitted.": "已提交。",
    "The budget was withdrawn.": "预算已撤回。",
    "Attachment added.": "附件已添加。",
    # budget forms
    "Fiscal year": "预算年度",
    "Funds rolled over from the previous year (yuan)": "上年结转经费（元）",
    "The previous year's audited closing balance, or your estimate until it is audited.": "填写经审查的上年期末滚存经费；审查完成前可填写估计数。",
    "The carryover is an estimate": "上年结转为估计数",
    "Explanation": "编制说明",
    "Ask for opinions": "征求意见对象",
    "Opinions due by": "意见反馈截止日期",
    # budget flow: steps (step titles are stored in English and translated on display)
    "Budget": "预算",
    "Draft the budget": "编制预算草案",
    "Check S3.1 and S3.2": "校验 S3.1 和 S3.2",
    "Solicit opinions": "征求意见",
    "Give an opinion on the budget draft": "对预算草案提出意见",
    "All opinions in": "意见收齐",
    "Consolidate the opinions": "汇总意见",
    "Fund audit committee review and consent": "经费审查委员会审查同意",
    "Same-level Party organisation final approval": "同级党组织审定",
    "Congress review and approval": "会员（代表）大会审议批准",
    "Revise the returned budget": "修改退回的预算",
    "Restart where the rules say": "按规则重新进入审批环节",
    "Put in force": "生效",
    # budget models
    "income": "收入",
    "expenditure": "支出",
    "net assets": "净资产",
    "account code": "科目编码",
    "account name": "科目名称",
    "English name": "英文名称",
    "parent account": "上级科目",
    "lines may be entered": "可录入金额",
    "account": "科目",
    "chart of accounts": "会计科目表",
    "draft": "草稿",
    "soliciting opinions": "征求意见中",
    "consolidating opinions": "汇总意见中",
    "audit committee review": "经审会审查中",
    "Party organisation approval": "党组织审定中",
    "congress approval": "会员（代表）大会审议中",
    "returned for revision": "已退回修改",
    "in force": "已生效",
    "withdrawn": "已撤回",
    "fiscal year": "预算年度",
    "status": "状态",
    "restart at": "重新进入环节",
    "a body has decided": "已有机构作出决定",
    "After the first decision it can no longer be withdrawn.": "机构首次作出决定后，不能再撤回。",
    "in force since": "生效时间",
    "budget": "预算",
    "budgets": "预算",
    "version": "版本",
    "funds rolled over from the previous year": "上年结转经费",
    "carryover is an estimate": "上年结转为估计数",
    "Until the previous year's final accounts are audited, the drafter enters an estimate.": "上年决算审查前，由起草人填写估计数。",
    "explanation": "编制说明",
    "submitted at": "提交时间",
    "budget version": "预算版本",
    "budget versions": "预算版本",
    "amount (yuan)": "金额（元）",
    "remark": "备注",
    "budget line": "预算明细",
    "budget lines": "预算明细",
    # errors
    "The file is larger than the limit of %(limit)s MB.": "文件超过 %(limit)s MB 的大小限制。",
    "This task is not yours to act on.": "您不是该事项的办理人。",
    "This step has already been completed or withdrawn.": "该环节已办结或已撤回。",
    "Someone else is acting on this document right now. Please try again in a moment.": "其他人正在办理此文件，请稍后再试。",
    "A return needs written opinions: say what must change.": "退回须填写书面意见，说明需要修改的内容。",
    "S3.2: total expenditure %(expenditure)s exceeds total income %(income)s plus the funds rolled over %(carryover)s by %(gap)s yuan. Reduce expenditure or correct the income.": "S3.2：支出合计 %(expenditure)s 超出收入合计 %(income)s 与上年结转经费 %(carryover)s 之和 %(gap)s 元。请压减支出或更正收入。",
    "The budget has no lines yet: enter income and expenditure on the chart of accounts.": "预算尚无收支明细，请按会计科目录入收入和支出。",
    "S3.1: account code %(code)s is not on the 2021 chart of accounts.": "S3.1：科目编码 %(code)s 不在 2021 年版会计科目表中。",
    "S3.1: account %(code)s has sub-accounts; enter the amount on one of them.": "S3.1：科目 %(code)s 设有下级科目，请在其中一个下级科目录入金额。",
    "S3.1: account %(code)s is not an income or expenditure account.": "S3.1：科目 %(code)s 不是收入或支出科目。",
    "Account %(code)s appears twice; enter each account once.": "科目 %(code)s 重复出现，每个科目只能录入一次。",
    "The budget can be edited only by its drafter while it is with the drafter.": "预算仅在起草人办理环节可由起草人编辑。",
    "The budget can no longer be withdrawn: a body has already decided on it.": "已有机构对该预算作出决定，不能再撤回。",
    "The due date for opinions must be in the future.": "意见反馈截止日期必须晚于今天。",
    "Write your opinion, or choose “no opinion”.": "请填写意见，或选择“无意见”。",
    "Only the body's chair, director or secretary, or the union's office staff, may record its meetings.": "只有该机构的主席、主任或书记，或本工会办公室工作人员，可以记录其会议。",
    "%(names)s held no seat in the %(body)s on %(date)s.": "%(names)s在 %(date)s 未在%(body)s任职。",
    "Choose at least one pending document for the agenda.": "请至少选择一份待议文件列入议程。",
    "“%(document)s” is no longer pending before this body (withdrawn or decided meanwhile). Drop it from the agenda and record again.": "“%(document)s”已不在本机构待议事项中（期间已撤回或已作出决定）。请将其移出议程后重新记录。",
    "An agenda item is not a pending document of this body.": "议程中有不属于本机构待议的文件。",
    "“%(document)s”: %(votes)s votes were cast but only %(attendees)s members attended.": "“%(document)s”：共投 %(votes)s 票，但出席人数只有 %(attendees)s 人。",
    "“%(document)s”: %(votes_for)s votes for do not pass (%(needed)s needed); record it as returned or check the votes.": "“%(document)s”：赞成 %(votes_for)s 票，未达到通过所需的 %(needed)s 票；请记录为退回，或核对票数。",
    "A meeting cannot be recorded before it is held.": "会议尚未召开，不能记录。",
    "No quorum: %(attendees)s of %(seats)s members attended (%(needed)s needed). The meeting is recorded but decides nothing.": "未达到法定人数：应到 %(seats)s 人，实到 %(attendees)s 人（须 %(needed)s 人）。会议予以记录，但不作出任何决定。",
    "The %(body)s decides by %(mode)s.": "%(body)s以%(mode)s方式作出决定。",
    # meetings and written decisions
    "Record a meeting": "记录会议",
    "Record a meeting of the %(body)s": "记录%(body)s会议",
    "%(seats)s seat in force today; %(needed)s must attend for a quorum.": "今日在任 %(seats)s 人，须有 %(needed)s 人出席方达到法定人数。",
    "Agenda": "议程",
    "On the agenda": "列入议程",
    "No document is pending before this body.": "本机构暂无待议文件。",
    "Record the meeting": "记录会议",
    "The %(body)s decides in writing, not at a meeting with votes. Record its written decision on each pending document.": "%(body)s以书面形式作出决定，不召开会议表决。请逐一记录其对各待议文件的书面决定。",
    "The %(body)s decides at a meeting with votes.": "%(body)s通过会议表决作出决定。",
    "Record the written decision": "记录书面决定",
    "Written decision": "书面决定",
    "Written decision of the %(body)s": "%(body)s书面决定",
    "Record the decision": "记录决定",
    "The meeting was recorded: %(count)s document decided.": "会议已记录：对 %(count)s 份文件作出决定。",
    "The written decision %(number)s was recorded: %(resolution)s.": "已记录书面决定 %(number)s：%(resolution)s。",
    "Date": "日期",
    "Place": "地点",
    "Attendees": "出席人员",
    "People holding a seat in the body today; the seats are checked again on the date.": "列出今日在该机构任职的人员；保存时将按会议日期再次核对任职情况。",
    "Minutes": "会议纪要",
    "Sign-in sheet and minutes (files)": "签到表和纪要（文件）",
    "PDF, images, Word, Excel, OFD or text. After an error, choose the files again.": "支持 PDF、图片、Word、Excel、OFD 或文本文件。提交出错后，请重新选择文件。",
    "PDF, images, Word, Excel, OFD or text. After an error, choose the file again.": "支持 PDF、图片、Word、Excel、OFD 或文本文件。提交出错后，请重新选择文件。",
    "For": "赞成",
    "Against": "反对",
    "Abstaining": "弃权",
    "Resolution": "决议",
    "Required when the document is returned: say what must change.": "退回时必填：请说明需要修改的内容。",
    "Decision": "决定",
    "Reference number": "文号",
    "The number of the written reply, e.g. 机党〔2026〕12号.": "书面批复的文号，例如 机党〔2026〕12号。",
    "Scan of the reply": "批复扫描件",
    # opinions
    "Give your opinion": "提出意见",
    "answering for %(union)s": "代表%(union)s答复",
    "Send my answer": "提交答复",
    "Your answer": "您的答复",
    "I have an opinion": "有意见",
    "No opinion": "无意见",
    "Opinion": "意见",
    "Your answer was recorded. Thank you.": "您的答复已记录，谢谢。",
    # spine models
    "annual plan": "年度计划",
    "budget adjustment": "预算调整",
    "final accounts": "决算",
    "work report": "工作报告",
    "open": "待办理",
    "done": "已办结",
    "canceled": "已取消",
    "a person's task": "个人办理",
    "a body's task": "机构办理",
    "document type": "文件类型",
    "document": "文件",
    "step": "环节",
    "step title": "环节名称",
    "who acts": "办理方",
    "assignee": "办理人",
    "claimed at": "签收时间",
    "state": "状态",
    "finished at": "办结时间",
    "outcome": "办理结果",
    "work item": "工作项",
    "work items": "工作项",
    "approve": "同意",
    "return with opinions": "退回（附意见）",
    "date": "日期",
    "place": "地点",
    "attendees": "出席人员",
    "seats in force that day": "当日在任人数",
    "quorum reached": "达到法定人数",
    "minutes": "会议纪要",
    "recorded by": "记录人",
    "recorded on the body's behalf": "代为记录",
    "Office staff recording for the body (代录).": "由办公室工作人员代机构记录（代录）。",
    "amends": "更正的会议记录",
    "recorded at": "记录时间",
    "meeting": "会议",
    "meetings": "会议",
    "for": "赞成",
    "against": "反对",
    "abstaining": "弃权",
    "resolution": "决议",
    "passed": "通过",
    "opinions": "意见",
    "agenda item": "议题",
    "agenda items": "议题",
    "decision": "决定",
    "reference number": "文号",
    "written decisions": "书面决定",
    "awaiting answer": "待答复",
    "opinion given": "已提出意见",
    "no opinion": "无意见",
    "round": "轮次",
    "on behalf of": "代表单位",
    "The subordinate union or union group the recipient answers for.": "接收人代为答复的下级工会或工会小组。",
    "answer": "答复",
    "opinion": "意见",
    "answered at": "答复时间",
    "opinion request": "征求意见",
    "opinion requests": "征求意见",
    "returning step": "退回环节",
    "return rule": "退回规则",
    "return rules": "退回规则",
    "file": "附件文件",
    "size": "大小",
    "uploaded at": "上传时间",
    "attachment": "附件",
    "attachments": "附件",
    # models added alongside (delegation 委托, copy to 抄送, comments, 加签)
    "delegation": "委托",
    "delegations": "委托",
    "substitute": "受托人",
    "from": "开始日期",
    "until": "结束日期",
    "revoked at": "撤销时间",
    "acting for": "委托人",
    "The person away whose task reached this delegate (委托).": "因外出将该事项委托本人办理的人员（委托）。",
    "added signer for": "加签所属工作项",
    "waiting for an added signer": "等待加签人办理",
    "document title": "文件标题",
    "observer": "抄送人",
    "copied at": "抄送时间",
    "copy to": "抄送",
    "copies to": "抄送",
    "author": "评论人",
    "comment": "评论",
    "comments": "评论",
    "written at": "评论时间",
    "Already handled by %(who)s at %(when)s.": "%(who)s 已于 %(when)s 办理。",
    "You hold no seat in force in the %(body)s, so you cannot take its tasks.": "您目前未在%(body)s任职，不能签收其待办事项。",
    "This is a person's task; only a body's task can be claimed or released.": "这是个人办理事项；只有机构办理事项可以签收或取消签收。",
    "Only the person who claimed this task can release it.": "只有签收人可以取消签收该事项。",
    "%(person)s does not record for the %(body)s: transfer only to its chair, director or secretary.": "%(person)s不负责记录%(body)s的会议和决定，只能转交给该机构的主席、主任或书记。",
    "The task is already yours.": "该事项已由您办理。",
    "You cannot add yourself as a signer.": "不能将自己添加为加签人。",
    "%(person)s cannot see this union's documents; choose a signer of this union or the unions above it.": "%(person)s无权查看本工会文件，请选择本工会或上级工会的人员加签。",
    "The step is waiting for an added signer.": "该环节正在等待加签人办理。",
    "You cannot delegate to yourself.": "不能委托给自己。",
    "%(person)s holds no seat in a union you work in; choose a colleague.": "%(person)s未在您所在的工会任职，请选择同事。",
    "The delegation must end on or after the day it starts.": "委托结束日期不得早于开始日期。",
    "A delegation cannot end in the past.": "委托结束日期不能早于今天。",
    "Write something before sending the comment.": "请先填写评论内容再发送。",
    "%(person)s holds no seat in this union or above it; copy only to colleagues.": "%(person)s未在本工会或上级工会任职，只能抄送给同事。",
    "%(document)s moved to: %(step)s": "%(document)s已流转至：%(step)s",
}

HEADER_COMMENT = "Wuyi (五一): Simplified Chinese interface strings.\nFilled by locale/translate.py; edit the glossary there."
HEADER = {
    "Project-Id-Version": "Wuyi",
    "Language": "zh_Hans",
    "Last-Translator": "Wuyi developers",
    "Language-Team": "Simplified Chinese",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}

# Python %-format and brace placeholders; "%%" is a literal percent sign.
_PLACEHOLDER = re.compile(
    r"%\([A-Za-z0-9_]+\)[#0 +\-]*\d*(?:\.\d+)?[a-zA-Z]|%[#0 +\-]*\d*(?:\.\d+)?[sdifr]|\{[A-Za-z0-9_]*\}"
)


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text.replace("%%", "")))


def lookup(entry: polib.POEntry) -> str | None:
    if entry.msgctxt is not None:
        return ZH.get((entry.msgctxt, entry.msgid))
    return ZH.get(entry.msgid)


def is_empty(entry: polib.POEntry) -> bool:
    if "fuzzy" in entry.flags:
        return True
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


def apply(po: polib.POFile, *, force: bool = False) -> tuple[int, list[str], list[str]]:
    """Fill ``po`` in place; return (filled, untranslated msgids, placeholder problems)."""
    filled = 0
    missing: list[str] = []
    bad: list[str] = []
    for entry in list(po.obsolete_entries()):
        po.remove(entry)
    for entry in po:
        zh = lookup(entry)
        if zh is not None and (force or is_empty(entry)):
            if entry.msgid_plural:
                entry.msgstr_plural = {0: zh}
            else:
                entry.msgstr = zh
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            filled += 1
        if is_empty(entry):
            missing.append(entry.msgid)
            continue
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        expected = placeholders(entry.msgid)
        for text in translations:
            if placeholders(text) != expected:
                bad.append(f"{entry.msgid!r}: {text!r} has {placeholders(text)}, expected {expected}")
    return filled, missing, bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "po", nargs="?", default=str(PO_PATH), help="catalogue to fill (default: %(default)s)"
    )
    parser.add_argument("--force", action="store_true", help="overwrite translations already in the .po")
    args = parser.parse_args(argv)

    po = polib.pofile(args.po, wrapwidth=79)
    po.header = HEADER_COMMENT
    po.metadata.update(HEADER)
    po.metadata_is_fuzzy = False
    filled, missing, bad = apply(po, force=args.force)
    if filled or po.metadata.get("PO-Revision-Date", "").startswith("YEAR"):
        po.metadata["PO-Revision-Date"] = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z")
    po.save(args.po)

    total = len([e for e in po if not e.obsolete])
    print(f"{args.po}: {total} entries, {filled} filled from the glossary, {len(missing)} untranslated")
    for msgid in missing:
        print(f"  untranslated: {msgid!r}")
    for problem in bad:
        print(f"  placeholder mismatch: {problem}")
    return 1 if missing or bad else 0


if __name__ == "__main__":
    sys.exit(main())
