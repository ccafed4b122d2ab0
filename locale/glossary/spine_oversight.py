"""The main glossary's oversight (moved out of locale/translate.py)."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH: dict[str | tuple[str, str], str] = {
    # --- oversight ---
    "Oversight": "监督",
    "Some filters made no sense and were ignored: %(names)s.": "部分筛选条件无效，已忽略：%(names)s。",
    "The page link was not valid; showing the first page.": "分页链接无效，已显示第一页。",
    "Stuck approvals": "积压审批",
    "Older than (days)": "超过天数",
    "By step": "按环节",
    "By union": "按工会",
    "Age (days since created)": "账龄（自创建起天数）",
    "total": "合计",
    "Document": "文件",
    "Who must act": "待办理人",
    "Since": "起始时间",
    "Days late": "逾期天数",
    "Nothing is stuck.": "没有积压的审批。",
}
