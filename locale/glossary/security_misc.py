"""Security review, assorted findings: an opinion answered twice."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- workflows/errors.py ------------------------------------------------------------------------
    "You already submitted this opinion at %(time)s.": "已由您于 %(time)s 提交。",
}
