"""What one step reads several times, read once: kept for the step's locked transaction (issue 10, P6).

A human step runs under its process lock: the service reads the document to record an event, then
viewflow completes the task and the next node's onCreate hook reads the same document, its union and
the process again, and a gate asks for the outcome the service has just saved. Profiled, a third of a
step's queries were such second reads. Inside ``step_scope()`` (opened by ``process_lock`` and by a
meeting's transaction, which lock the rows first) they come from here:

- ``("process", pk)``: the process row as loaded FOR UPDATE by the lock, so the same fresh instance
  serves the service and viewflow's activations (viewflow saves it at the end node);
- the document of a process (``document()``, ``process_document()``), with its union;
- ``("outcome", process pk, step)``: the outcome of a step completed in this scope, for the gates.

The scope ends with the transaction that holds the lock, so nothing outlives a commit or a rollback,
and everything in it was read under the lock.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from core import compiled

_current: ContextVar[dict | None] = ContextVar("wuyi_step_memo", default=None)


@contextmanager
def step_scope():
    """Open a memo for the block (the outermost scope owns it; nested scopes share it)."""
    if _current.get() is not None:
        yield
        return
    token = _current.set({})
    try:
        yield
    finally:
        _current.reset(token)


def active() -> bool:
    return _current.get() is not None


def put(key: tuple, value: Any) -> None:
    memo = _current.get()
    if memo is not None:
        memo[key] = value


def peek(key: tuple, default: Any = None) -> Any:
    memo = _current.get()
    return default if memo is None else memo.get(key, default)


def clear() -> None:
    """Drop what was read before the lock was taken (a meeting reads its agenda first)."""
    memo = _current.get()
    if memo is not None:
        memo.clear()


def forget(key: tuple) -> None:
    memo = _current.get()
    if memo is not None:
        memo.pop(key, None)


def get(key: tuple, load: Callable[[], Any]) -> Any:
    """The memo's value for ``key``, loaded (and kept, inside a scope) when missing."""
    memo = _current.get()
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]


def remember_document(document) -> None:
    """The caller's own fresh instance (read under the lock) serves the rest of the step."""
    if _current.get() is None:
        return
    put(("document", document._meta.label_lower, document.pk), document)
    _share_process(document)


def _share_process(document) -> None:
    """The document's ``process`` is the locked instance, not a second copy of the row."""
    process_id = getattr(document, "process_id", None)
    if not process_id:
        return
    put(("process-document", process_id), document)
    locked = peek(("process", process_id))
    if locked is not None:
        document.process = locked


def document(model, pk: int):
    """The document row, with its union, once per scope."""
    key = ("document", model._meta.label_lower, pk)
    if not active():
        return model._default_manager.get(pk=pk)
    if key not in _current.get():
        found = compiled.first(
            ("memo.document", model._meta.label_lower),
            lambda: model._default_manager.select_related("union").filter(pk=pk)[:1],
            (pk,),
        )
        if found is None:
            raise model.DoesNotExist(f"{model._meta.label} {pk} does not exist")
        put(key, found)
        _share_process(found)
    return _current.get()[key]


def process_document(process, attr: str):
    """``process.<attr>`` (the document's reverse one-to-one), shared with ``document()``."""
    if not active():
        return getattr(process, attr)
    key = ("process-document", process.pk)
    if key not in _current.get():
        model = process._meta.get_field(attr).related_model
        found = compiled.first(
            ("memo.process_document", model._meta.label_lower),
            lambda: model._default_manager.select_related("union").filter(process_id=process.pk)[:1],
            (process.pk,),
        )
        if found is None:
            raise model.DoesNotExist(f"no {model._meta.label} for process {process.pk}")
        put(("document", found._meta.label_lower, found.pk), found)
        _share_process(found)
    return _current.get()[key]


def document_attr(model) -> str | None:
    """The name of the document's reverse one-to-one on viewflow's Process (``"budget"``, …)."""
    from viewflow.workflow.models import Process

    for relation in Process._meta.related_objects:
        if relation.one_to_one and relation.related_model is model:
            return relation.get_accessor_name()
    return None
