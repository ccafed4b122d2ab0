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
