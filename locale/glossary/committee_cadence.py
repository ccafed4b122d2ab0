"""S4.1: the committees' regular meetings — a meeting recorded by its topics, the year's attendance."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    "With no document on the agenda, write in the minutes what the committee discussed: a regular meeting is recorded by its topics.": "议程中没有待审议的文件时，请在会议记录中写明委员会研究的事项：例会以研究事项记录。",
    "Without quorum it does not count as the period's regular meeting either.": "未达到法定人数的会议也不计为本期例会。",
    "The meeting was recorded: it counts as the period's regular meeting.": "会议已记录，计为本期例会。",
    "A regular meeting is recorded by its topics: write them in the minutes.": "例会以研究事项记录：请写入会议记录。",
    "Meetings and attendance in %(year)s": "%(year)s年会议及出席情况",
    "%(held)s meeting held, %(quorate)s with quorum.": "已召开%(held)s次会议，其中%(quorate)s次达到法定人数。",
    "%(held)s meetings held, %(quorate)s with quorum.": "已召开%(held)s次会议，其中%(quorate)s次达到法定人数。",
    "Member": "成员",
    "Attended": "出席",
    "No meeting recorded this year yet.": "今年尚未记录会议。",
}
