"""S5.3: a small union's member congress — its members counted, not ticked."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    "member congress below (members)": "会员人数少于此数时召开会员大会",
    "For the congress: a union with fewer members than this holds a member congress.": "用于会员（代表）大会：会员人数少于此数的工会召开会员大会。",
    "Enter how many members attended the member congress.": "请填写出席会员大会的会员人数。",
    "The member congress has %(size)s members on that day: no more can have attended.": "会员大会当日共有会员%(size)s人，出席人数不能超过此数。",
    "Members present": "出席会员人数",
    "A member congress: all %(size)s members of the union sit; enter how many attended.": "会员大会：本会全体%(size)s名会员均为会议成员，请填写出席人数。",
    "A member congress: %(seats)s member today; %(needed)s must attend for a quorum.": "会员大会：今日会员%(seats)s人，须有%(needed)s人出席方达法定人数。",
    "A member congress: %(seats)s members today; %(needed)s must attend for a quorum.": "会员大会：今日会员%(seats)s人，须有%(needed)s人出席方达法定人数。",
    "member count from the register": "会员人数来自会籍台账",
    "not yet from the register": "尚未来自会籍台账",
    "membership rate": "入会率",
    "workers": "职工人数",
    "The organ's workers, for the membership rate.": "本机关职工人数，用于计算入会率。",
}
