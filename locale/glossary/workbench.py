"""Knowing what to do next: the returned document's banner and, later, the home workbench."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- templates/workflows/_returned.html -------------------------------------------------------------
    "Returned by %(by)s on %(on)s": "%(by)s于%(on)s退回修改",
    # --- templates/workflows/_inbox_todo.html ------------------------------------------------------------
    "Returned: %(opinion)s": "退回意见：%(opinion)s",
    # --- templates/workflows/_document_chain.html -------------------------------------------------------
    "returned it": "退回",
    "goes on here after the revision": "修改后从此继续",
}
