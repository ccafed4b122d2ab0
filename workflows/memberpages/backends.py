"""Members sign in with their member number and the password they set when they accepted their invitation
(S5.4): their account's username is generated and never shown. Only a membership in force lets them in
(S5.3): the day a member leaves the union, signing in by number stops working too.

With local passwords switched off for the organ's staff (LOCAL_PASSWORD_LOGIN=break_glass, issue 31), a
member's number still opens the members' pages, but not an account that holds a seat in force or is
staff: those sign in through the organ's identity provider like every officer."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from core.models import Seat
from core.sso.conf import break_glass_on, break_glass_usernames

from .selectors import membership_by_number


class MemberNumberBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        member = membership_by_number(username.strip())
        if member is None or member.person is None:
            return None
        user = member.person
        if (
            user.check_password(password)
            and self.user_can_authenticate(user)
            and not _officer_locked_out(user)
        ):
            return user
        return None


def _officer_locked_out(user) -> bool:
    if not break_glass_on() or user.username in break_glass_usernames():
        return False
    return user.is_staff or Seat.objects.in_force().filter(person=user).exists()
