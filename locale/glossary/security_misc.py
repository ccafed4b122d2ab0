"""Security review, assorted findings: an opinion answered twice, copy-to limited to the union's circle."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- workflows/errors.py ------------------------------------------------------------------------
    "You already submitted this opinion at %(time)s.": "已由您于 %(time)s 提交。",
    "%(person)s holds no seat in this union or a union below it and is no supervisor of a union above it, so cannot be copied.": "%(person)s 未在本工会或其下级工会任职，也不是上级工会的督导员，不能抄送。",
}
