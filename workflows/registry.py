"""The registry of document kinds: what shared workflow code knows about each kind of document.

A document kind is declared once, in its app's ``kind.py``, and registered from its ``AppConfig.ready()``:
the model, the flow, the step specs and the chain, the page, the obligation it meets and the checks
that differ between kinds. Shared code (inbox, steps, meetings, oversight, calendar) asks this registry
and never compares document types itself, so a new kind needs no edit outside its own app.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import reverse
from viewflow.workflow.models import Process

from workflows.steps import StepSpec


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document that travels a chain of steps.

    ``document_type`` is the value stored on work items, events and attachments; several kinds may share
    a model (the work report and the report on budget and final accounts are both congress reports).
    """

    document_type: str
    label: Any  # lazy translation: the kind's name on screen
    model: str  # "app_label.ModelName"
    flow: type
    steps: dict[str, StepSpec]
    chain: tuple[str, ...]
    urls: str = ""  # the module of the kind's pages, included in the site's URLs (workflows.urls_kinds)
    detail_url: str = ""  # URL name of the document's page, taking the document's pk; "" = no page
    obligation_code: str = ""  # the statutory obligation the chain meets (S3.3, …)
    # whether the steps' due dates are fitted before that obligation's deadline (a year-end summary's
    # steps run on their own durations: S1.2 is met whenever the Party organisation has heard it)
    steps_fit_deadline: bool = True
    # whether the obligation's reminders go to whoever holds the document's open step (else the officers)
    reminds_step_holders: bool = False
    # (document) -> list of rule errors; the gate after the draft lets the document on when empty
    rule_errors: Callable[[Any], list] | None = None
    # (document) -> the chain for this document, where it depends on the document (S3.4's final body)
    chain_for: Callable[[Any], Iterable[str]] | None = None
    # (document) -> None: what putting the document in force does, when more than marking it in force and
    # meeting the obligation (a budget's lines become the ledger, …)
    put_in_force: Callable[[Any], None] | None = None
    # (work_item, actor) -> None, raising ValidationError: run before a body's decision is recorded,
    # outside the decision's transaction (a window such as S3.4's 30 September)
    decision_check: Callable[..., None] | None = None
    # (work_item, document title) -> why the item may not be decided on a meeting's agenda, or None
    agenda_problem: Callable[[Any, str], str | None] | None = None
    # A document that binds others decides, at ``binding_step``, the same step of the documents it binds
    # with its own resolution (a report before the congress: S2.3, S3.5). ``binders``: () -> this kind's
    # open items at that step whose document binds the outer work item's document at the same step before
    # the same body: a WorkItem queryset correlated on the outer item (OuterRef "body_id", "step",
    # "document_type", "document_id").
    binding_step: str = ""
    binders: Callable[[], Any] | None = None
    # (document) -> what an opinion-giver sees of the document beside the request, or None
    opinion_summary: Callable[[Any], dict | None] | None = None
    opinion_summary_template: str = ""
    # (actor=, union=, year=) -> a new document, its chain started at the draft
    create: Callable[..., Any] | None = None
    # step -> (URL name, action label) of the page where the step is taken, when not the shared one,
    # reversed with the work item's union (the upper union signs for a report on its received-reports
    # page); a third element "item" reverses it with the work item (a hearing's record page)
    step_pages: dict[str, tuple] = field(default_factory=dict)
    # (document, step name) -> the person who holds a holder's step (Actor.HOLDER), or None when nobody
    # holds the role: the submit refuses such a route before the chain starts
    step_holder: Callable[[Any, str], int | None] | None = None
    # the document's status at the chain's end, which is also what its drafter and chair are told
    # (services.outcomes.Outcome has the same values): a document in force, an expenditure paid
    end_status: str = "in_force"
    # (document) -> workflows.outputs.official.OfficialText: what the kind prints as an official document
    # in the GB/T 9704 layout once it is signed and issued, or None when it prints none
    official_text: Callable[[Any], Any] | None = None
    # (document) -> [(label, value)]: what an approval sheet prints above the chain (an expenditure's
    # payee and amount); the title, union and year are printed for every kind
    approval_lines: Callable[[Any], list] | None = None
    # (document) -> str: the text the archive indexes besides the title (the version in force, …)
    archive_text: Callable[[Any], str] | None = None
    # (document, step name) -> when the step is due, where the document sets it (a request's reply time
    # limit from its catalogue item), or None for the step durations as data
    step_due: Callable[[Any, str], Any] | None = None
    # (document) -> {"choices": [(form value, label, Resolution, opinions required: True / forbidden:
    # False / free: None)], "reference_required": bool}: the written-decision page in the kind's words
    written_form: Callable[[Any], dict] | None = None
    extra: dict = field(default_factory=dict)

    def document_model(self):
        return apps.get_model(self.model)

    def chain_of(self, document) -> list[str]:
        return list(self.chain_for(document) if self.chain_for else self.chain)

    def step(self, name: str) -> StepSpec:
        return self.steps[name]

    @property
    def process_attr(self) -> str:
        return process_attr(self.document_model())

    def url(self, document_id: int) -> str | None:
        return reverse(self.detail_url, args=[document_id]) if self.detail_url else None


def process_attr(model) -> str:
    """The name of a document model's reverse one-to-one on viewflow's Process (``"budget"``, …)."""
    for relation in Process._meta.related_objects:
        if relation.one_to_one and relation.related_model is model:
            return relation.get_accessor_name()
    raise LookupError(f"{model._meta.label} has no one-to-one to viewflow's Process")


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> None:
    """Called from an app's ``ready()``; a second registration of the same type must be the same kind."""
    known = _KINDS.get(kind.document_type)
    if known is not None and known is not kind:
        raise ValueError(f"document type {kind.document_type!r} is registered twice")
    _KINDS[kind.document_type] = kind


def kind(document_type: str) -> DocumentKind:
    try:
        return _KINDS[document_type]
    except KeyError:
        raise LookupError(f"no document kind {document_type!r} is registered") from None


def kind_or_none(document_type: str) -> DocumentKind | None:
    return _KINDS.get(document_type)


def kinds() -> list[DocumentKind]:
    return list(_KINDS.values())


def kind_of_flow(flow_class: type) -> DocumentKind:
    for candidate in _KINDS.values():
        if candidate.flow is flow_class:
            return candidate
    raise LookupError(f"no document kind runs {flow_class.__name__}")


def url_modules() -> list[str]:
    """Each kind's page module once (several kinds may share one app's pages), in registration order."""
    return list(dict.fromkeys(k.urls for k in _KINDS.values() if k.urls))


def binders() -> list[tuple[str, Callable[[], Any]]]:
    """Each distinct (binding step, binders) the kinds declare (several kinds may share one)."""
    return list(dict.fromkeys((k.binding_step, k.binders) for k in _KINDS.values() if k.binders))


def document_types() -> list[str]:
    return list(_KINDS)


def label(document_type: str):
    known = _KINDS.get(document_type)
    return known.label if known else document_type


# S5.3: the members' register (workflows.members) counts a union's members on a day; shared code asks
# here — a member congress's quorum is over the members (workflows.services.member_congress) — without
# importing the register. None: no register is installed.
_MEMBER_COUNTER: list[Callable[[int, datetime.date], int]] = []
_MEMBER_LIST: list[Callable[[int, datetime.date], list[tuple[str, str, int | None]]]] = []


def register_member_counter(counter: Callable[[int, datetime.date], int]) -> None:
    """Called from the register's ``ready()``: ``counter(union_id, day)`` is its members on that day."""
    _MEMBER_COUNTER[:] = [counter]


def members_on(union_id: int, day: datetime.date) -> int | None:
    return _MEMBER_COUNTER[0](union_id, day) if _MEMBER_COUNTER else None


def register_member_list(lister: Callable[[int, datetime.date], list[tuple[str, str, int | None]]]) -> None:
    """Called from the register's ``ready()``: ``lister(union_id, day)`` is its members on that day as
    (member number, name, their account's id or None), in the register's order."""
    _MEMBER_LIST[:] = [lister]


def member_list_on(union_id: int, day: datetime.date) -> list[tuple[str, str, int | None]] | None:
    """Every member sits in a member congress (S5.3): its sign-in sheet names them, and its notice goes to
    those with an account. None: no register is installed."""
    return _MEMBER_LIST[0](union_id, day) if _MEMBER_LIST else None
