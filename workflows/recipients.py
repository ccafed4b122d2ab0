"""Whom a document's drafter may ask for opinions (S2.2, S3.3): the subordinate unions and union groups
through their chairs, and the union's member representatives. One function for every document type."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import BodyKind, Role, Seat, Union, UnionKind
from workflows.services.drafting import Recipient


def opinion_recipient_choices(union: Union) -> tuple[list[tuple[str, str]], dict[str, Recipient]]:
    """(choices for a checkbox field, {choice key: Recipient}).

    Keys: ``u<union id>-<person id>`` for a subordinate union or group answering through its chair
    (a group's chair sits in the group itself; a grassroots union's chair in its union committee),
    ``r<person id>`` for a member representative of the union's congress.
    """
    today = timezone.localdate()
    options: dict[str, Recipient] = {}
    choices: list[tuple[str, str]] = []
    chairs = list(
        Seat.objects.in_force(today)
        .filter(union__parent=union, role=Role.CHAIR)
        .filter(Q(body__isnull=True, union__kind=UnionKind.GROUP) | Q(body__kind=BodyKind.UNION_COMMITTEE))
        .select_related("person", "union")
    )
    # the union groups first, then the grassroots unions, as the form lists them
    for seat in sorted(chairs, key=lambda seat: seat.body_id is not None):
        key = f"u{seat.union_id}-{seat.person_id}"
        if key not in options:
            options[key] = Recipient(seat.person, seat.union)
            choices.append((key, f"{seat.union.name} · {seat.person}"))
    representatives = (
        Seat.objects.in_force(today)
        .filter(union=union, body__kind=BodyKind.CONGRESS, role=Role.REPRESENTATIVE)
        .select_related("person")
        .order_by("person_id")
    )
    for seat in representatives:
        key = f"r{seat.person_id}"
        if key not in options:
            options[key] = Recipient(seat.person, None)
            choices.append((key, f"{_('member representative')} · {seat.person}"))
    return choices, options
