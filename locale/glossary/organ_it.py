"""Fitting the organ's IT (issue 31): the organ's identifiers of a person and the two platform apps."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    "employee number": "工号",
    "WeCom user id": "政务微信用户ID",
    "DingTalk user id": "钉钉用户ID",
    "Single sign-on and people sync": "统一身份认证与人员同步",
    "Platform administration and audit (等保 2.0)": "平台管理与安全审计（等保2.0）",
}
