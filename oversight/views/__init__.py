"""Oversight pages, one module per page: thin views that parse input and call the selectors and
services (``oversight.selectors``, ``oversight.services``).

Every page and export is scoped by ``oversight_scope``: a supervisor sees the unions below their
own, a chair their own union; anyone else is refused (403, logged). A filter value that makes no
sense (or names a union outside the scope) is dropped with a message, never a 500. Exports take the
same filters and the same selectors as their page.
"""
