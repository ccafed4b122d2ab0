"""S5.4: members are invited by the union's office with a one-time link or a code, set a password and get an
account of their own linked to their membership; a used, replaced or expired invitation and a wrong code are
refused clearly."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import Role, Seat, UnionUserObjectPermission, User
from tests.factories import UserFactory, seated
from tests.memberpages.conftest import make_member, shows
from tests.scenarios import travel
from workflows.memberpages import errors, services
from workflows.memberpages.backends import MemberNumberBackend
from workflows.memberpages.models import Invitation, MemberPagesRule
from workflows.members.models import Member

pytestmark = pytest.mark.django_db
PASSWORD = "Zhong-hua-2026!"
INVITE = "memberpages:invitations"


def _issue(client, union, members, *, email=True):
    data = {"members": [m.pk for m in members]}
    if email:
        data["email"] = "on"
    return client.post(reverse(INVITE, args=[union.pk]), data)


def _printed(response) -> dict[str, tuple[str, str]]:
    """member number → (link path, code) from the printable page."""
    html = response.content.decode()
    found = {}
    for number, link, code in re.findall(
        r'data-testid="number">(\S+)</span>.*?data-testid="link">(\S+)</p>'
        r'.*?data-testid="code">([\d ]+)</p>',
        html,
        flags=re.S,
    ):
        found[number] = (link.removeprefix("http://testserver"), code)
    return found


def test_S5_4_office_issues_invitations_printed_and_emailed_storing_only_hashes(cast, login):
    with_mail = make_member(cast.union, name="李红", email="lihong@example.cn")
    without = make_member(cast.union, name="王强")
    client = login(cast.office)

    page = client.get(reverse(INVITE, args=[cast.union.pk]))
    assert page.status_code == 200 and "李红" in page.content.decode()
    response = _issue(client, cast.union, [with_mail, without])

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # the clear links are never kept by a cache
    printed = _printed(response)
    assert set(printed) == {with_mail.member_number, without.member_number}
    link, code = printed[with_mail.member_number]
    token = link.removeprefix("/join/").strip("/")
    invitation = Invitation.objects.get(member=with_mail)
    # only hashes are stored: the clear token and code are on the page and in the e-mail alone
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash and code.replace(" ", "") not in invitation.code_hash
    assert invitation.expires_at == invitation.issued_at + datetime.timedelta(days=7)
    (message,) = mail.outbox  # the member without an address gets the printout only
    assert (
        message.to == ["lihong@example.cn"] and link in message.body and code.replace(" ", "") in message.body
    )
    # a new invitation replaces the open one
    _issue(client, cast.union, [with_mail], email=False)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Invitation.objects.filter(member=with_mail, revoked_at__isnull=True).count() == 1


def test_S5_4_member_opens_the_link_sets_a_password_and_gets_a_new_account(cast, client, login):
    member = make_member(cast.union, name="李红", email="shared@example.cn")
    existing = UserFactory(username="li-hong", email="shared@example.cn")  # never reused silently
    (issued,) = services.invitations_issue(actor=cast.office, union=cast.union, member_ids=[member.pk])
    url = reverse("memberpages:join_link", args=[issued.token])

    page = client.get(url)
    assert page.status_code == 200 and "李红" in page.content.decode()
    # bad passwords: refused with the validators' words, nothing made
    differ = client.post(url, {"password": PASSWORD, "password_again": PASSWORD + "x"})
    assert differ.status_code == 400 and shows(differ, errors.PASSWORDS_DIFFER)
    weak = client.post(url, {"password": "12345678", "password_again": "12345678"})
    assert weak.status_code == 400 and "invalid-feedback" in weak.content.decode()
    assert not User.objects.filter(username__startswith="member-").exists()
    member.refresh_from_db()
    assert member.person_id is None

    done = client.post(url, {"password": PASSWORD, "password_again": PASSWORD})

    assert done.status_code == 302 and done["Location"] == reverse("memberpages:home")
    member.refresh_from_db()
    account = member.person
    assert account.pk != existing.pk and account.username.startswith("member-")
    assert account.full_name == "李红" and account.check_password(PASSWORD)
    # a member gets no seat and no permission row: nothing but the members' pages
    assert not Seat.objects.filter(person=account).exists()
    assert not UnionUserObjectPermission.objects.filter(user=account).exists()
    assert client.get(reverse("memberpages:home")).status_code == 200
    # the member signs in again with the member number; the username is never needed
    assert (
        MemberNumberBackend().authenticate(None, username=member.member_number, password=PASSWORD) == account
    )
    # opening the link again while signed in as that member just lands on the pages
    assert client.get(url)["Location"] == reverse("memberpages:home")


def test_S5_4_link_used_twice_replaced_or_expired_is_refused(cast, client):
    first, second, third = (make_member(cast.union) for _ in range(3))
    (used,) = services.invitations_issue(actor=cast.office, union=cast.union, member_ids=[first.pk])
    (replaced,) = services.invitations_issue(actor=cast.office, union=cast.union, member_ids=[second.pk])
    newer = services.invitations_issue(actor=cast.office, union=cast.union, member_ids=[second.pk])[0]
    services.invitation_accept(invitation=used.invitation, password=PASSWORD, password_again=PASSWORD)

    again = client.get(reverse("memberpages:join_link", args=[used.token]))
    assert again.status_code == 410 and shows(again, errors.LINK_USED)
    post_again = client.post(
        reverse("memberpages:join_link", args=[used.token]),
        {"password": PASSWORD, "password_again": PASSWORD},
    )
    assert post_again.status_code == 410 and User.objects.filter(username__startswith="member-").count() == 1
    old = client.get(reverse("memberpages:join_link", args=[replaced.token]))
    assert old.status_code == 410 and shows(old, errors.LINK_REPLACED)
    assert client.get(reverse("memberpages:join_link", args=[newer.token])).status_code == 200
    unknown = client.get(reverse("memberpages:join_link", args=["not-a-token"]))
    assert unknown.status_code == 404 and shows(unknown, errors.LINK_UNKNOWN)

    # the invitation's days are data: the department union's rule (3 days) is the nearest one here
    MemberPagesRule.objects.create(union=None, invitation_valid_days=14)
    MemberPagesRule.objects.create(union=cast.union.parent, invitation_valid_days=3)
    (short,) = services.invitations_issue(actor=cast.office, union=cast.union, member_ids=[third.pk])
    assert short.invitation.expires_at - short.invitation.issued_at == datetime.timedelta(days=3)
    with travel(timezone.now() + datetime.timedelta(days=3, minutes=1)):
        late = client.get(reverse("memberpages:join_link", args=[short.token]))
        assert late.status_code == 410
        day = timezone.localdate(short.invitation.expires_at).isoformat()
        assert shows(late, str(errors.LINK_EXPIRED) % {"date": day})


def test_S5_4_code_with_member_number_wrong_code_kept_then_locked(cast, client):
    member = make_member(cast.union, name="赵敏")
    other = make_member(cast.union)
    (issued,) = services.invitations_issue(actor=cast.office, union=cast.union, member_ids=[member.pk])
    (locked,) = services.invitations_issue(actor=cast.office, union=cast.union, member_ids=[other.pk])
    join = reverse("memberpages:join")
    wrong_code = "00000000" if issued.code != "00000000" else "11111111"

    empty = client.post(join, {})
    assert (
        empty.status_code == 400 and shows(empty, errors.NUMBER_NEEDED) and shows(empty, errors.CODE_NEEDED)
    )
    wrong = client.post(join, {"member_number": member.member_number, "code": wrong_code})
    assert wrong.status_code == 400 and shows(wrong, errors.WRONG_CODE)
    assert f'value="{member.member_number}"' in wrong.content.decode()  # what was typed is kept
    assert f'value="{wrong_code}"' in wrong.content.decode()
    nobody = client.post(join, {"member_number": "X999", "code": issued.code})
    assert nobody.status_code == 400 and shows(nobody, errors.WRONG_CODE)

    # the right code (typed with a space) leads to the password; a mismatch keeps number and code
    step = client.post(
        join, {"member_number": member.member_number, "code": f"{issued.code[:4]} {issued.code[4:]}"}
    )
    assert step.status_code == 200 and 'data-testid="password-form"' in step.content.decode()
    body = {"member_number": member.member_number, "code": issued.code, "step": "password"}
    differ = client.post(join, {**body, "password": PASSWORD, "password_again": "x"})
    assert differ.status_code == 400 and shows(differ, errors.PASSWORDS_DIFFER)
    done = client.post(join, {**body, "password": PASSWORD, "password_again": PASSWORD})
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.person is not None
    client.logout()
    reused = client.post(join, {"member_number": member.member_number, "code": issued.code})
    assert reused.status_code == 400 and shows(reused, errors.LINK_USED)

    # five wrong codes lock the other member's invitation: the right code no longer opens it
    for _ in range(services.MAX_FAILED_CODES):
        client.post(join, {"member_number": other.member_number, "code": wrong_code})
    blocked = client.post(join, {"member_number": other.member_number, "code": locked.code})
    assert blocked.status_code == 400 and shows(blocked, errors.TOO_MANY_CODES)


def test_S5_4_who_may_invite_and_whom(cast, tree, login, member_of):
    linked = member_of(cast.union, person=UserFactory(), name="已开通")
    elsewhere = member_of(tree["b1"], name="外单位会员")
    gone = member_of(cast.union, left_on=timezone.localdate())

    for person in (cast.office, cast.chair):
        refused = _issue(login(person), cast.union, [linked])
        assert refused.status_code == 400 and shows(
            refused, str(errors.MEMBER_HAS_ACCOUNT) % {"name": "已开通"}
        )
    for other in (elsewhere, gone):  # refused without naming another union's member
        response = _issue(login(cast.office), cast.union, [other])
        assert response.status_code == 400 and shows(response, errors.MEMBER_ELSEWHERE)
        assert "外单位会员" not in response.content.decode()
    nobody = login(cast.office).post(reverse(INVITE, args=[cast.union.pk]), {})
    assert nobody.status_code == 400 and shows(nobody, errors.NO_MEMBERS_CHOSEN)
    assert not Invitation.objects.exists()
    # a representative sees the union but may not invite; another union's chair does not see it
    assert login(cast.representatives[0]).get(reverse(INVITE, args=[cast.union.pk])).status_code == 403
    assert login(cast.outsider).get(reverse(INVITE, args=[cast.union.pk])).status_code == 404
    fresh = member_of(cast.union)
    assert _issue(login(cast.outsider), cast.union, [fresh]).status_code == 404
    assert not Invitation.objects.exists()


def test_S5_4_signed_in_visitor_cannot_accept_an_invitation(cast, login, member_of):
    member = member_of(cast.union)
    (issued,) = services.invitations_issue(actor=cast.office, union=cast.union, member_ids=[member.pk])
    client = login(seated(cast.union, Role.MEMBER, "union_committee"))
    response = client.post(
        reverse("memberpages:join_link", args=[issued.token]),
        {"password": PASSWORD, "password_again": PASSWORD},
    )
    assert response.status_code == 403 and shows(response, errors.SIGNED_IN)
    assert client.get(reverse("memberpages:join")).status_code == 403
    assert Member.objects.get(pk=member.pk).person_id is None


def test_S5_3_member_number_sign_in_ends_with_the_membership(cast, member_of):
    user = UserFactory()
    user.set_password(PASSWORD)
    user.save()
    member = member_of(cast.union, person=user)
    backend = MemberNumberBackend()
    assert backend.authenticate(None, username=member.member_number, password=PASSWORD) == user
    assert backend.authenticate(None, username=member.member_number, password="wrong") is None
    Member.objects.filter(pk=member.pk).update(left_on=timezone.localdate())
    assert backend.authenticate(None, username=member.member_number, password=PASSWORD) is None
