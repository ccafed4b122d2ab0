"""Installation: make a person's account one of the three platform administrators (三员分立)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.models import User
from core.security.models import PlatformRoleKind
from core.security.roles import platform_role_grant


class Command(BaseCommand):
    help = "Grant a platform role (system, security or auditor) to an account, at installation."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=PlatformRoleKind.values)

    def handle(self, *args, username, role, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account {username!r}.")
        try:
            platform_role_grant(actor=None, user=user, role=role)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{username}: {PlatformRoleKind(role).label}")
