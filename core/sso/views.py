"""The sign-in's own pages around mozilla-django-oidc's views: its start and callback refuse when single
sign-on is not set up (404), a refused sign-in gets a page saying why (403), and the sign-out hands a
person who came through the provider on to the provider's end-session endpoint."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import conf, errors
from .backends import DISABLED, REFUSAL_ATTRIBUTE, SEVERAL

# Set at a sign-in through the provider: its ID token, the hint its end-session endpoint wants, for
# the sign-out (Django's session has ended by then). Sent only to /oidc/ (HttpOnly): to the sign-out page.
SSO_COOKIE = "wuyi_sso_id_token"
COOKIE_PATH = "/oidc/"
REFUSALS = {DISABLED: errors.SSO_PERSON_DISABLED, SEVERAL: errors.SSO_SEVERAL_PEOPLE}


class AuthenticateView(OIDCAuthenticationRequestView):
    def dispatch(self, request, *args, **kwargs):
        if not conf.sso_enabled():
            raise Http404(errors.SSO_OFF)
        return super().dispatch(request, *args, **kwargs)


class CallbackView(OIDCAuthenticationCallbackView):
    def dispatch(self, request, *args, **kwargs):
        if not conf.sso_enabled():
            raise Http404(errors.SSO_OFF)
        return super().dispatch(request, *args, **kwargs)

    def login_failure(self):
        reason = getattr(self.request, REFUSAL_ATTRIBUTE, None)
        message = REFUSALS.get(reason, errors.SSO_UNKNOWN_PERSON if reason else errors.SSO_FAILED)
        response = render(self.request, "sso/refused.html", {"message": message}, status=403)
        response.delete_cookie(SSO_COOKIE, path=COOKIE_PATH)
        return response

    def login_success(self):
        response = super().login_success()
        id_token = self.request.session.pop("oidc_id_token", None)
        if id_token and conf.logout_endpoint():
            response.set_cookie(
                SSO_COOKIE,
                id_token,
                path=COOKIE_PATH,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def provider_logout_url(request, id_token: str) -> str:
    """The provider's end-session endpoint (OpenID Connect RP-initiated logout) with the ID token as the
    hint, coming back to Wuyi's sign-in page."""
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
    )
    return f"{conf.logout_endpoint()}?{query}"


@require_GET
def signed_out(request) -> HttpResponse:
    """LOGOUT_REDIRECT_URL while the provider has an end-session endpoint. A page, not a redirect: the
    sign-out is a form, and the CSP's form-action 'self' would stop a redirect to the provider. It
    refreshes to the provider for those who came through it, to the sign-in page for the others."""
    id_token = request.COOKIES.get(SSO_COOKIE, "")
    through_provider = bool(conf.sso_enabled() and conf.logout_endpoint() and id_token)
    target = provider_logout_url(request, id_token) if through_provider else reverse("login")
    response = render(
        request, "sso/signed_out.html", {"target": target, "through_provider": through_provider}
    )
    response.delete_cookie(SSO_COOKIE, path=COOKIE_PATH)
    return response
