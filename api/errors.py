"""One JSON shape for every error of the API (issue 32), with the message in the request's language:

    {"error": {"status": 403, "code": "permission_denied", "message": "…", "fields": {…}}}

DRF's own exceptions, Django's PermissionDenied and Http404, and the django ValidationError the
services raise (gettext messages) all come out in it; "fields" is present only for a validation error
that names fields (a non-field message has the key "non_field_errors")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response

NOT_FOUND = _("Not found, or not yours to see.")
FORBIDDEN = _("You do not have permission to do this.")
INVALID = _("The request is not valid: see the fields.")
TOKEN_INVALID = _("The access token is unknown, revoked or expired.")
TOKEN_USER_INACTIVE = _("The account of this access token is disabled.")
TOKEN_DAYS = _("A token lives between 1 and %(max)s days.")
TOKEN_NAME = _("Give the token a name, so you know later what uses it.")
THROTTLED = _("Too many requests. Please wait %(seconds)s seconds and try again.")
NOT_AUTHENTICATED = _("Sign in, or send a personal access token (Authorization: Bearer …).")
METHOD_NOT_ALLOWED = _("This method is not allowed here.")
NOT_ACCEPTABLE = _("This API answers in JSON only.")
UNSUPPORTED_MEDIA_TYPE = _("Send the request body as JSON.")
PARSE_ERROR = _("The request body is not valid JSON.")
SERVER_ERROR = _("Something went wrong on our side. Please try again later.")

_MESSAGES: dict[type, Any] = {
    exceptions.NotAuthenticated: NOT_AUTHENTICATED,
    exceptions.PermissionDenied: FORBIDDEN,
    exceptions.NotFound: NOT_FOUND,
    exceptions.MethodNotAllowed: METHOD_NOT_ALLOWED,
    exceptions.NotAcceptable: NOT_ACCEPTABLE,
    exceptions.UnsupportedMediaType: UNSUPPORTED_MEDIA_TYPE,
    exceptions.ParseError: PARSE_ERROR,
}


def _flatten(detail: Any) -> Any:
    """DRF's nested ErrorDetail lists and dicts as plain strings, keeping the structure."""
    if isinstance(detail, dict):
        return {force_str(key): _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list | tuple):
        return [_flatten(item) for item in detail]
    return force_str(detail)


def error_body(*, status_code: int, code: str, message: Any, fields: dict | None = None) -> dict:
    """The one shape; the API's own views use it too (api.schema documents it as ErrorResponse)."""
    body: dict[str, Any] = {"status": status_code, "code": code, "message": force_str(message)}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _from_django_validation(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError({k: [force_str(m) for m in v] for k, v in exc.message_dict.items()})
    return exceptions.ValidationError({"non_field_errors": [force_str(m) for m in exc.messages]})


def _message(exc: exceptions.APIException) -> Any:
    """A translated sentence: ours for the known kinds, the exception's own when it was raised with one."""
    if isinstance(exc, exceptions.Throttled):
        return THROTTLED % {"seconds": int(exc.wait or 1)}
    if isinstance(exc, exceptions.ValidationError):
        # A service's refusal (one sentence, no field) is the message itself.
        detail = exc.detail
        if isinstance(detail, dict) and list(detail) == ["non_field_errors"]:
            detail = detail["non_field_errors"]
        if isinstance(detail, list) and detail and isinstance(detail[0], str):
            return detail[0]
        return INVALID
    if isinstance(exc, exceptions.AuthenticationFailed):
        return exc.detail
    default = _MESSAGES.get(type(exc))
    # A view that raised PermissionDenied/NotFound with its own sentence (an errors.py constant) keeps it.
    if default is not None and force_str(exc.detail) == force_str(type(exc).default_detail):
        return default
    return exc.detail if isinstance(exc.detail, str) else (default or exc.default_detail)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every error in one shape; the rest is Django's (500)."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*([force_str(exc)] if exc.args and exc.args[0] else []))
    elif isinstance(exc, DjangoValidationError):
        exc = _from_django_validation(exc)
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    fields = None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = _flatten(detail)
    code = exc.get_codes() if not isinstance(exc, exceptions.ValidationError) else "invalid"
    body = error_body(
        status_code=exc.status_code,
        code=code if isinstance(code, str) else exc.default_code,
        message=_message(exc),
        fields=fields,
    )
    # imported here: rest_framework.views imports the authentication classes, which import this module
    from rest_framework.views import set_rollback

    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)
