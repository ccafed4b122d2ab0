"""Protected attachments and uploads recognised by content (the security review, issue 21)."""

# ruff: noqa: E501

ZH = {
    "%(name)s is not what its name says: only PDF, OFD, images (JPEG, PNG), Word and Excel documents and plain text are accepted, and a program or another file renamed to such a name is refused.": "“%(name)s”的内容与文件名不符：只接受 PDF、OFD、图片（JPEG、PNG）、Word 和 Excel 文档以及纯文本文件，改了扩展名的程序或其他文件不能上传。",
    "attachment name": "附件名称",
}
