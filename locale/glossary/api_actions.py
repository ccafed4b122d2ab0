"""The REST API's actions (issue 32): claim, transfer, decide, answer an opinion request, urge, request an
expenditure — the words of its input and output, shown in the API's schema and documentation page."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    "The user id of another recorder of the body.": "本机构另一位记录人的用户编号。",
    "Opinions; needed for a return.": "意见；退回时必填。",
    "The account code of an expenditure line.": "支出预算科目编码。",
    "Where the document is now: its open steps.": "文件当前所在环节：尚未办理的步骤。",
    "How many people were told.": "已通知的人数。",
}
