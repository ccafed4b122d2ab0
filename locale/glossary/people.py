"""The people picker (issue 25: transfer, add a signer, copy to, mentions, delegation, reassignment,
plan task owners): msgid → Simplified Chinese."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- the picker -----------------------------------------------------------------------------
    "Search by name, pinyin or initials": "输入姓名、拼音或拼音首字母查找",
    "Search by name, pinyin or initials; choose one or more": "输入姓名、拼音或拼音首字母查找，可选多人",
    "Nobody who may be chosen here matches “%(q)s”.": "没有与“%(q)s”相符的可选人员。",
    "Nobody may be chosen here.": "此处没有可选人员。",
    "Only the first 20 are shown: type more of the name.": "仅显示前20人，请输入更完整的姓名。",
    "(name not recorded)": "（未登记姓名）",
    "no seat in force": "无在任职务",
    "%(body)s %(role)s": "%(body)s%(role)s",
    "name in pinyin": "姓名拼音",
    "pinyin initials": "拼音首字母",
    # --- what a person field says ---------------------------------------------------------------
    "The person chosen cannot be chosen here. Search again and choose from the list.": "所选人员不在此处的可选范围内，请重新查找并从列表中选择。",
    "Nobody who may be chosen here matches “%(value)s”.": "没有与“%(value)s”相符的可选人员。",
    "Several people match “%(value)s”: choose one of them below.": "有多人与“%(value)s”相符，请在下方选择其中一人。",
    # --- the fields -----------------------------------------------------------------------------
    "Someone else who records for this body.": "本机构的其他记录人。",
    "Signer": "加签人",
    "Mention": "提醒谁看",
    "The people you choose are told of your comment.": "所选人员会收到您这条评论的提醒。",
    "Not told (they may not see this document): %(names)s": "以下人员无权查看本文件，未予提醒：%(names)s",
    "mentioned": "提醒的人员",
    "Substitute": "受托人",
    "Owner": "责任人",
    "Seat holder who takes the task over": "接办事项的任职人员",
}
