"""A step's locked process, and the outcome its service has just recorded.

A human step runs in one transaction under its process lock (``process_lock``; a meeting locks every
process on its agenda). The row the lock loaded is the instance viewflow's activations work on
(``work_item_complete`` hands it to the task), so the document reached through it (``process.budget``,
kept by Django on that instance) is one instance for the service, the gates and the next node's
onCreate hook. The gate after a human step asks for the outcome the service has just recorded.

The scope ends with the transaction that holds the lock: nothing outlives a commit or a rollback.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[dict | None] = ContextVar("wuyi_step", default=None)


@contextmanager
def step_scope():
    """Open the step's scope for the block (nested scopes share the outermost one)."""
    if _current.get() is not None:
        yield
        return
    token = _current.set({})
    try:
        yield
    finally:
        _current.reset(token)


def keep_process(process) -> None:
    scope = _current.get()
    if scope is not None:
        scope[("process", process.pk)] = process


def locked_process(pk: int):
    """The process row this step locked, or None outside a locked step."""
    scope = _current.get()
    return None if scope is None else scope.get(("process", pk))


def keep_outcome(*, process_id: int, step: str, outcome: str) -> None:
    scope = _current.get()
    if scope is not None:
        scope[("outcome", process_id, step)] = outcome


# The submit checks the document's rules (S2.1, S3.1/S3.2, …) under the lock; the flow's rules gate
# right after it in the same step takes that verdict instead of checking the same rows again.
RULES_PASSED = ("rules", "passed")


def rules_passed(process_id: int) -> bool:
    return outcome(process_id=process_id, step=RULES_PASSED[0]) == RULES_PASSED[1]


def outcome(*, process_id: int, step: str) -> str | None:
    scope = _current.get()
    return None if scope is None else scope.get(("outcome", process_id, step))
