"""Knowing what to do next: the returned document's banner and, later, the home workbench."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- templates/workflows/_returned.html -------------------------------------------------------------
    "Returned by %(by)s on %(on)s": "%(by)s于%(on)s退回修改",
}
