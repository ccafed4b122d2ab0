"""Composing: what a due reminder says and to whom. Each kind of subject has a source, registered by
the app that owns the subjects (``register_source``): it loads the batch's subjects, prepares what
composing them needs in set-based reads, and composes one message. Obligations are core's and their
source is here; work items are the workflows app's (workflows/reminders.py), which also tells who acts
on an obligation that a document under way meets (``register_obligation_actors``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from core.statutory import Obligation, ObligationCode
from notifications.models import Reminder, ReminderKind, SubjectKind
from notifications.services.reminders.recipients import (
    BatchMemo,
    chairs,
    supervisors_above,
    union_officers,
)


@dataclass
class Message:
    recipients: list
    title: str
    body: str
    url: str
    webhook: bool  # also to the union's group robots


@dataclass(frozen=True)
class SubjectSource:
    """What the sweep needs of one kind of subject."""

    # (ids) -> the subjects still there, each with ``pk`` and ``union_id``
    load: Callable[[list[int]], Iterable[Any]]
    # (memo, [(reminder, subject)]) -> None: say which unions and bodies composing needs, read the rest
    prepare: Callable[[BatchMemo, list[tuple[Reminder, Any]]], None]
    # (reminder, subject, memo) -> the message, or None when the subject needs no reminder any more
    compose: Callable[[Reminder, Any, BatchMemo | None], Message | None]


@dataclass(frozen=True)
class ObligationActors:
    """Who acts on an obligation before its deadline when a document under way meets it."""

    # (memo, obligations with a before-reminder in the batch) -> None
    prepare: Callable[[BatchMemo, list[Obligation]], None]
    # (obligation, memo) -> the people, or [] when no document under way meets it
    actors: Callable[[Obligation, BatchMemo | None], list]


_SOURCES: dict[str, SubjectSource] = {}
_OBLIGATION_ACTORS: list[ObligationActors] = []


def register_source(subject_kind: str, source: SubjectSource) -> None:
    """From an app's ``ready()``: the app that owns a kind of subject composes its reminders."""
    _SOURCES[subject_kind] = source


def register_obligation_actors(finder: ObligationActors) -> None:
    if finder not in _OBLIGATION_ACTORS:
        _OBLIGATION_ACTORS.append(finder)


def source(subject_kind: str) -> SubjectSource | None:
    return _SOURCES.get(subject_kind)


# --- obligations ----------------------------------------------------------------------------------


def _load_obligations(ids: list[int]) -> Iterable[Obligation]:
    return Obligation.objects.filter(pk__any=ids)


def _prepare_obligations(memo: BatchMemo, batch: list[tuple[Reminder, Obligation]]) -> None:
    for _reminder, obligation in batch:
        memo.want_union(obligation.union)
    before = [o for r, o in batch if r.kind == ReminderKind.BEFORE]
    if before:
        for finder in _OBLIGATION_ACTORS:
            finder.prepare(memo, before)


def obligation_actors(obligation: Obligation, memo: BatchMemo | None = None) -> list:
    """Whoever holds the open step of a document that meets the obligation, else the union's officers."""
    for finder in _OBLIGATION_ACTORS:
        people = finder.actors(obligation, memo)
        if people:
            return people
    return union_officers(obligation.union, memo)


def _compose_obligation(reminder: Reminder, obligation: Obligation, memo: BatchMemo | None) -> Message | None:
    if obligation.met_on is not None:
        return None
    due = reminder.due_on.isoformat()
    period = f" {obligation.period}" if obligation.period else ""
    what = f"{code_label(obligation.code, memo)} {obligation.fiscal_year}{period}"
    if reminder.kind == ReminderKind.BEFORE:
        people = obligation_actors(obligation, memo)
        title = (
            _("Statutory deadline today: %(what)s") % {"what": what}
            if reminder.offset_days == 0
            else _("Statutory deadline in %(days)s days (%(due)s): %(what)s")
            % {"days": reminder.offset_days, "due": due, "what": what}
        )
    elif reminder.kind == ReminderKind.ESCALATE_CHAIR:
        people = chairs(obligation.union, memo)
        title = _("Statutory deadline passed on %(due)s: %(what)s") % {"due": due, "what": what}
    else:
        people = supervisors_above(obligation.union, memo)
        title = _("%(union)s missed the deadline of %(due)s: %(what)s") % {
            "union": obligation.union,
            "due": due,
            "what": what,
        }
    url = reverse("obligations", args=[obligation.union_id]) + f"?year={obligation.fiscal_year}"
    return Message(people, title, "", url, webhook=True)


def code_label(code: str, memo: BatchMemo | None = None) -> str:
    """An obligation's label; a sweep batch translates the labels once (get_code_display hashes the
    whole list of choices on every call)."""
    if memo is None:
        return str(ObligationCode(code).label) if code in ObligationCode.values else code
    labels = memo.values.get(("code_labels", None))
    if labels is None:
        labels = memo.values[("code_labels", None)] = {k: str(v) for k, v in ObligationCode.choices}
    return labels.get(code, code)


_SOURCES[SubjectKind.OBLIGATION] = SubjectSource(
    load=_load_obligations, prepare=_prepare_obligations, compose=_compose_obligation
)
