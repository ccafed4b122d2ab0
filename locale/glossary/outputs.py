"""Official outputs (issue 33): the PDFs Wuyi prints from recorded data."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- workflows/outputs/models.py ----------------------------------------------------------------
    "Official outputs": "公文与表单输出",
    "Meeting papers": "会议材料",
    "official document": "正式公文",
    "meeting notice": "会议通知",
    "sign-in sheet": "签到表",
    "minutes": "会议纪要",
    "resolution": "决议",
    "approval sheet": "审批单",
    "official output": "输出文件",
    "official outputs": "输出文件",
    "document number": "文号",
    "SHA-256": "SHA-256 摘要",
    "made at": "生成时间",
    # --- templates/outputs/_document_outputs.html -----------------------------------------------------
    "Printed documents": "公文与表单",
    "Nothing has been printed from this document yet.": "本文件尚未生成公文或表单。",
}
