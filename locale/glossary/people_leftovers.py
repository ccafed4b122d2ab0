"""The people picker's leftovers (issue 25): the seat form picks a person of the union's tree, and no
username is shown anywhere: msgid → Simplified Chinese."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- the seat form (core.forms.SeatForm) ----------------------------------------------------
    "Person": "人员",
    "People of this union and of the unions below it. Someone not found: ask the administrator to register them with this union.": "可选本工会及其下级工会的人员。查找不到的，请联系系统管理员将其登记到本工会。",
    "Only people of this union and of the unions below it can take a seat here. Search again and choose from the list.": "只能为本工会及其下级工会的人员任职，所选人员不在此范围内。请重新查找并从列表中选择。",
}
