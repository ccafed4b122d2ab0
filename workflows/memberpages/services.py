"""Writing the members' pages (S5.4): invitations issued by the union's office and accepted by members,
members' opinions and evaluations, and the union's answers.

Rights: the union's chair and office staff (``can_manage_seats``, as for the seats and the roster) invite
members and answer them. A member acts through their membership in force (S5.3), never through a seat:
accepting an invitation makes an account with no seat and no permission row, and the account only opens
the members' pages while the membership lasts (``selectors.active_membership``)."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from core.models import Union, User
from core.selectors import union_access
from core.services.events import event_record
from notifications.models import Notification
from notifications.services import notifications_create_once
from workflows.members.models import Member

from . import errors, selectors
from .models import RATINGS, Invitation, MemberOpinion, OpinionKind

CODE_DIGITS = 8
MAX_FAILED_CODES = 5


def _assert_manager(actor: User, union: Union) -> None:
    if not union_access(user=actor, union=union).can_manage_seats:
        raise PermissionDenied(errors.NOT_MANAGER)


# --- invitations ----------------------------------------------------------------------------------------


def code_hash(member_number: str, code: str) -> str:
    """The code is eight digits: keyed by the site's secret and the member number, so a copied table
    does not give the codes away."""
    return salted_hmac(
        "memberpages.invitation.code", f"{member_number}:{code}", algorithm="sha256"
    ).hexdigest()


@dataclass(frozen=True)
class Issued:
    """An invitation as issued: the clear token and code exist only here, for the printed page and the
    e-mail."""

    invitation: Invitation
    member: Member
    token: str
    code: str


@transaction.atomic
def invitations_issue(
    *, actor: User, union: Union, member_ids: list[int], now: datetime.datetime | None = None
) -> list[Issued]:
    """S5.4: one invitation per chosen member of the union in force, valid for the union's rule's days.
    An open invitation of the same member is replaced (revoked). A member already linked to an account is
    refused: a new invitation would let whoever holds it set that account's password."""
    _assert_manager(actor, union)
    if not member_ids:
        raise ValidationError({"members": errors.NO_MEMBERS_CHOSEN})
    now = now or timezone.now()
    today = timezone.localdate(now)
    members = list(
        Member.objects.select_for_update()
        .filter(selectors.in_force_on(today), pk__in=member_ids, union=union)
        .order_by("member_number", "id")
    )
    # another union's member, or one who has left, is refused without naming them
    problems = [] if len(members) == len(set(member_ids)) else [ValidationError(errors.MEMBER_ELSEWHERE)]
    problems += [
        ValidationError(errors.MEMBER_HAS_ACCOUNT, params={"name": m.name}) for m in members if m.person_id
    ]
    if problems:
        raise ValidationError({"members": problems})
    Invitation.objects.filter(member__in=members, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    expires = now + datetime.timedelta(days=selectors.rule_for(union).invitation_valid_days)
    issued = []
    for member in members:
        token = secrets.token_urlsafe(24)
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        invitation = Invitation(
            union=union,
            member=member,
            token_hash=selectors.token_hash(token),
            code_hash=code_hash(member.member_number, code),
            issued_by=actor,
            issued_at=now,
            expires_at=expires,
        )
        issued.append(Issued(invitation, member, token, code))
    Invitation.objects.bulk_create([i.invitation for i in issued])
    event_record(
        verb="members_invited",
        actor=actor,
        union=union,
        detail={"invitations": [i.invitation.pk for i in issued]},
    )
    return issued


def invitation_problem(invitation: Invitation, *, now: datetime.datetime | None = None) -> str | None:
    """Why an invitation no longer opens the pages, as the message to show, or None."""
    now = now or timezone.now()
    if invitation.used_at is not None:
        return str(errors.LINK_USED)
    if invitation.revoked_at is not None:
        return str(errors.LINK_REPLACED)
    if invitation.expires_at <= now:
        return str(errors.LINK_EXPIRED) % {"date": timezone.localdate(invitation.expires_at).isoformat()}
    today = timezone.localdate(now)
    if not Member.objects.filter(selectors.in_force_on(today), pk=invitation.member_id).exists():
        return str(errors.MEMBERSHIP_ENDED)
    return None


def invitation_check_code(*, member_number: str, code: str) -> Invitation:
    """S5.4: the invitation a member opens with their member number and the code. A wrong code counts
    against the member's open invitation (committed even though the answer is a refusal); after
    ``MAX_FAILED_CODES`` the code no longer opens it and the union issues a new one."""
    member_number, code = member_number.strip(), "".join(code.split())
    candidates = list(
        Invitation.objects.filter(member__member_number=member_number)
        .select_related("member", "union")
        .order_by("-issued_at", "-id")[:20]
    )
    wanted = code_hash(member_number, code)
    match = next((i for i in candidates if constant_time_compare(i.code_hash, wanted)), None)
    open_ids = [i.pk for i in candidates if i.is_open]
    if match is None or (match.is_open and match.failed_codes >= MAX_FAILED_CODES):
        if match is None and open_ids:
            Invitation.objects.filter(pk__in=open_ids).update(failed_codes=F("failed_codes") + 1)
        locked = any(i.failed_codes + 1 >= MAX_FAILED_CODES for i in candidates if i.is_open)
        raise ValidationError(errors.TOO_MANY_CODES if locked else errors.WRONG_CODE)
    problem = invitation_problem(match)
    if problem is not None:
        raise ValidationError(problem)
    return match


def _username() -> str:
    """Never shown: the member signs in with their member number (backends.MemberNumberBackend)."""
    while True:
        candidate = f"member-{secrets.token_hex(6)}"
        if not User.objects.filter(username=candidate).exists():
            return candidate


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str, password_again: str) -> User:
    """S5.4: the member sets a password (Django's validators) and gets a new account linked to their
    membership; the invitation is used. An existing account with the same e-mail is never reused: a member
    always gets an account of their own, made here."""
    invitation = (
        Invitation.objects.select_for_update().select_related("member", "union").get(pk=invitation.pk)
    )
    problem = invitation_problem(invitation)
    if problem is not None:
        raise ValidationError(problem)
    member = invitation.member
    if member.person_id is not None:
        raise ValidationError(errors.LINK_USED)
    if password != password_again:
        raise ValidationError({"password_again": errors.PASSWORDS_DIFFER})
    user = User(username=_username(), full_name=member.name, email=member.email, phone=member.phone)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean()
    user.save()
    # compare-and-set: a second tab accepting the same member's invitation finds the member linked
    if Member.objects.filter(pk=member.pk, person__isnull=True).update(person=user) != 1:
        raise ValidationError(errors.LINK_USED)
    invitation.used_at = timezone.now()
    invitation.account = user
    invitation.save(update_fields=["used_at", "account"])
    event_record(verb="member_joined_pages", actor=user, subject=invitation, union=invitation.union)
    return user


# --- opinions and answers -------------------------------------------------------------------------------


@transaction.atomic
def opinion_send(*, member: Member, kind: str, rating: int | None, text: str) -> MemberOpinion:
    """S5.4: a member's opinion, or an evaluation of the union's work with a rating from 1 to 5."""
    text = (text or "").strip()
    problems: dict[str, list] = {}
    if not text:
        problems.setdefault("text", []).append(errors.TEXT_EMPTY)
    if rating is not None and rating not in RATINGS:
        problems.setdefault("rating", []).append(errors.RATING_RANGE)
    elif kind == OpinionKind.EVALUATION and rating is None:
        problems.setdefault("rating", []).append(errors.RATING_NEEDED)
    if problems:
        raise ValidationError(problems)
    opinion = MemberOpinion(union_id=member.union_id, member=member, kind=kind, rating=rating, text=text)
    opinion.full_clean()
    opinion.save()
    event_record(verb="member_opinion_sent", actor=member.person, subject=opinion, union=member.union)
    return opinion


@transaction.atomic
def opinion_answer(*, actor: User, opinion: MemberOpinion, answer: str, public: bool) -> MemberOpinion:
    """S5.4: the union's answer, public (on the open-affairs page, without the member's name) or private
    (only the member sees it). Answered once; the member is told in the app."""
    _assert_manager(actor, opinion.union)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": errors.ANSWER_EMPTY})
    now = timezone.now()
    updated = MemberOpinion.objects.filter(pk=opinion.pk, answered_at__isnull=True).update(
        answer=answer, answer_public=public, answered_at=now, answered_by=actor
    )
    if updated != 1:
        raise ValidationError(errors.ALREADY_ANSWERED)
    opinion.refresh_from_db()
    event_record(
        verb="member_opinion_answered",
        actor=actor,
        subject=opinion,
        union=opinion.union,
        detail={"public": public},
    )
    person_id = Member.objects.filter(pk=opinion.member_id).values_list("person_id", flat=True).first()
    if person_id:  # told in the app (and by e-mail where they chose it), once per opinion
        notifications_create_once(
            [
                Notification(
                    recipient_id=person_id,
                    union_id=opinion.union_id,
                    title=_("The union has answered your opinion")[:200],
                    body=answer[:500],
                    url=reverse("memberpages:opinions"),
                    dedupe_key=f"memberpages-answer:{opinion.pk}",
                )
            ]
        )
    return opinion
