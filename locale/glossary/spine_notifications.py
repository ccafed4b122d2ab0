"""The main glossary's notifications (moved out of locale/translate.py)."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH: dict[str | tuple[str, str], str] = {
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
