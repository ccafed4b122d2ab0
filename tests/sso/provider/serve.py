"""Start the test provider: create its tables, its client (Wuyi) and its people, then serve on
127.0.0.1:$OIDC_PROVIDER_PORT until stopped. The client and the people come as JSON in
$OIDC_PROVIDER_SEED: {"client_id", "client_secret", "redirect_uri", "post_logout_redirect_uri",
"people": [{"username", "password", "email", "employee_number", "phone_number"}]}."""

from __future__ import annotations

import json
import os

import django
from django.core.management import call_command


def seed(data: dict) -> None:
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    from tests.sso.provider.models import Claims

    Application.objects.create(
        name="Wuyi",
        client_id=data["client_id"],
        client_secret=data["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=data["redirect_uri"],
        post_logout_redirect_uris=data["post_logout_redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,  # the organ's own application: no consent screen
    )
    for person in data["people"]:
        user = User.objects.create_user(
            person["username"], email=person["email"], password=person["password"]
        )
        Claims.objects.create(
            user=user, employee_number=person["employee_number"], phone_number=person["phone_number"]
        )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.sso.provider.settings")
    django.setup()
    call_command("migrate", verbosity=0)
    seed(json.loads(os.environ["OIDC_PROVIDER_SEED"]))
    call_command(
        "runserver", f"127.0.0.1:{os.environ['OIDC_PROVIDER_PORT']}", use_reloader=False, skip_checks=True
    )


if __name__ == "__main__":
    main()
