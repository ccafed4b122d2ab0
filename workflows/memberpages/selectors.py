"""Reading the members' pages (S5.4, S5.3): the signed-in person's membership in force, the rules as data
(nearest union wins), the union's members with their invitation state, and the opinions with their answers.
The open-affairs page is read by ``workflows.memberpages.published``."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from core.models import Union
from workflows.members.models import Member

from .models import (
    ANSWER_WITHIN_WORKING_DAYS,
    INVITATION_VALID_DAYS,
    Invitation,
    MemberOpinion,
    MemberPagesRule,
)

MEMBERS_PER_PAGE = 100


def in_force_on(day: datetime.date) -> Q:
    """S5.3: a membership in force that day. Leaving the union ends the members' pages the same day, so a
    membership whose ``left_on`` is today is over."""
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


def active_membership(*, user, today: datetime.date | None = None) -> Member | None:
    """S5.4: the signed-in person's membership in force (the newest, if a transfer left two rows), with its
    union and group; None when they are no member today. Asked on every request of the members' pages."""
    if not user.is_authenticated:
        return None
    day = today or timezone.localdate()
    return (
        Member.objects.filter(in_force_on(day), person_id=user.pk)
        .select_related("union", "group")
        .order_by("-joined_on", "-id")
        .first()
    )


def membership_by_number(member_number: str, *, today: datetime.date | None = None) -> Member | None:
    """The membership in force with this number (a number is in force in one union at a time)."""
    day = today or timezone.localdate()
    return (
        Member.objects.filter(in_force_on(day), member_number=member_number)
        .select_related("person")
        .order_by("-joined_on", "-id")
        .first()
    )


# --- rules as data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    invitation_valid_days: int = INVITATION_VALID_DAYS
    answer_within_working_days: int = ANSWER_WITHIN_WORKING_DAYS


def rules_for(unions: Iterable[tuple[int, int | None]]) -> dict[int, Rule]:
    """Nearest wins for each (union id, parent id): its own row, its parent's, the provincial default,
    then the built-in values. One query whatever the number of unions."""
    pairs = list(unions)
    scopes = {pk for pair in pairs for pk in pair if pk is not None}
    rows = {
        row.union_id: Rule(row.invitation_valid_days, row.answer_within_working_days)
        for row in MemberPagesRule.objects.filter(Q(union__isnull=True) | Q(union_id__in=scopes))
    }
    found = {}
    for union_id, parent_id in pairs:
        scope = next((s for s in (union_id, parent_id, None) if s in rows), "built-in")
        found[union_id] = rows.get(scope, Rule())
    return found


def rule_for(union: Union) -> Rule:
    return rules_for([(union.pk, union.parent_id)])[union.pk]


# --- invitations ----------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.filter(token_hash=token_hash(token)).select_related("member", "union").first()


def members_to_invite(union: Union, *, today: datetime.date | None = None) -> QuerySet[Member]:
    """The union's members in force with their latest invitation (when it was issued, until when it is
    valid, whether it was used or replaced): one query per page of the list."""
    day = today or timezone.localdate()
    latest = Invitation.objects.filter(member_id=OuterRef("pk")).order_by("-issued_at", "-id")
    return (
        Member.objects.filter(in_force_on(day), union=union)
        .select_related("group")
        .annotate(
            invited_at=Subquery(latest.values("issued_at")[:1]),
            invitation_expires=Subquery(latest.values("expires_at")[:1]),
            invitation_used=Subquery(latest.values("used_at")[:1]),
            invitation_replaced=Subquery(latest.values("revoked_at")[:1]),
        )
        .order_by("member_number", "id")
    )


# --- opinions -------------------------------------------------------------------------------------------


def opinions_of_member(member: Member) -> QuerySet[MemberOpinion]:
    """What the member sent this union, newest first, with the answers (public and private)."""
    return MemberOpinion.objects.filter(member=member, union_id=member.union_id).order_by("-sent_at", "-id")


def opinions_of_union(union: Union) -> QuerySet[MemberOpinion]:
    """For the union's office and chair: the unanswered first (oldest first), then the answered."""
    return (
        MemberOpinion.objects.filter(union=union)
        .select_related("member")
        .order_by("answered_at", "sent_at", "id")
    )


def public_answers(union_ids: Iterable[int], *, limit: int | None = 50) -> QuerySet[MemberOpinion]:
    """S5.4: the questions the union answered publicly, newest first: only the question, the rating and
    the answer are read, never who asked."""
    rows = (
        MemberOpinion.objects.filter(union_id__in=list(union_ids), answer_public=True)
        .only("union_id", "kind", "rating", "text", "answer", "answered_at")
        .order_by("-answered_at", "-id")
    )
    return rows[:limit] if limit else rows


def unanswered_sent_between(since: datetime.datetime, before: datetime.datetime) -> QuerySet[MemberOpinion]:
    """Opinions without an answer sent in the span (the reminder sweep narrows by working days)."""
    return (
        MemberOpinion.objects.filter(answered_at__isnull=True, sent_at__gte=since, sent_at__lt=before)
        .select_related("union")
        .order_by("sent_at", "id")
    )
