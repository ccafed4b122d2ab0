"""The person's page of personal access tokens (issue 32): list, create (the secret shown once),
revoke. A normal page, not the API: the API cannot create its own credentials."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from api.forms import TokenForm
from api.models import PersonalAccessToken
from api.services import token_create, token_revoke


def _render(request, *, form: TokenForm, created: str = "", status: int = 200):
    tokens = PersonalAccessToken.objects.filter(user=request.user)
    return render(
        request, "api/tokens.html", {"form": form, "tokens": tokens, "created": created}, status=status
    )


@login_required
def tokens(request):
    if request.method != "POST":
        return _render(request, form=TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _render(request, form=form, status=400)  # what was typed stays in the form
    _token, raw = token_create(
        user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
    )
    # shown on this response only: the secret is never stored, so it cannot be shown again
    return _render(request, form=TokenForm(), created=raw)


@login_required
@require_POST
def token_revoke_view(request, pk: int):
    token = get_object_or_404(PersonalAccessToken, pk=pk, user=request.user)  # another's: 404
    token_revoke(token=token, user=request.user)
    messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("api_pages:tokens")
