"""The archive (issue 34, S5.3)."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- workflows/archive/apps.py ------------------------------------------------------------------
    "Archive": "档案",
}
