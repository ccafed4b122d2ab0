"""What met an obligation, in words and as a link.

An obligation keeps what met it as a reference, "<model>:<id>" ("budget:12", "congressreport:3",
"record:5", "meeting:7"). The calendar (core) cannot import the documents (workflows, a higher
layer), so the layer that owns them registers a resolver here: it turns every reference of a page
into (title, address) at once, one query per kind of document, never one per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# {model name: {ids}} -> {(model name, id): (title, url or "")}
Resolver = Callable[[dict[str, set[int]]], dict[tuple[str, int], tuple[str, str]]]

_RESOLVERS: list[Resolver] = []


def register_met_by_resolver(resolver: Resolver) -> None:
    if resolver not in _RESOLVERS:
        _RESOLVERS.append(resolver)


def parse_reference(reference: str) -> tuple[str, int] | None:
    kind, _sep, ref = reference.partition(":")
    return (kind, int(ref)) if kind and ref.isdigit() else None


def met_by_documents(references: Iterable[str]) -> dict[str, tuple[str, str]]:
    """{reference: (title, url)} for the references a registered resolver knows; others are left out."""
    wanted: dict[str, set[int]] = {}
    for reference in references:
        parsed = parse_reference(reference)
        if parsed is not None:
            wanted.setdefault(parsed[0], set()).add(parsed[1])
    if not wanted:
        return {}
    found: dict[tuple[str, int], tuple[str, str]] = {}
    for resolver in _RESOLVERS:
        found.update(resolver(wanted))
    return {f"{kind}:{pk}": value for (kind, pk), value in found.items()}
