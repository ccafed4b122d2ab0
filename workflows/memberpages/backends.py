"""Members sign in with their member number and the password they set when they accepted their invitation
(S5.4): their account's username is generated and never shown. Only a membership in force lets them in
(S5.3): the day a member leaves the union, signing in by number stops working too."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .selectors import membership_by_number


class MemberNumberBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        member = membership_by_number(username.strip())
        if member is None or member.person is None:
            return None
        user = member.person
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
