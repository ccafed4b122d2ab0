"""Sending a stored file to someone whose right to it the calling view has checked.

No URL serves the media folder: every download goes through a view that checks the same right as
the page the file belongs to, then calls ``file_response``. PDF and images open in the browser
(inline, with the type recognised from the content and ``nosniff``); everything else downloads.
The original name goes out in Content-Disposition (RFC 6266 / RFC 5987, so Chinese names survive).

``FILE_SENDING`` chooses who sends the bytes: Django itself (``FileResponse``, the default), or the
front server, which is told the file by ``X-Accel-Redirect`` (nginx: an ``internal`` location at
``MEDIA_URL`` aliased to ``MEDIA_ROOT``) or ``X-Sendfile`` (Apache mod_xsendfile, lighttpd).
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from core.uploads import kind_of

OCTET_STREAM = "application/octet-stream"


def file_response(fieldfile, *, name: str) -> HttpResponse:
    if not fieldfile or not fieldfile.storage.exists(fieldfile.name):
        raise Http404("the file is not in storage")
    with fieldfile.open("rb") as handle:
        kind = kind_of(handle)
    inline = kind is not None and kind.inline
    content_type = kind.content_type if kind else OCTET_STREAM
    if settings.FILE_SENDING:
        response = HttpResponse(content_type=content_type)
        if settings.FILE_SENDING == "x-accel-redirect":
            response["X-Accel-Redirect"] = quote(settings.MEDIA_URL.rstrip("/") + "/" + fieldfile.name)
        else:
            response["X-Sendfile"] = fieldfile.path
    else:
        response = FileResponse(fieldfile.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, name)
    response["X-Content-Type-Options"] = "nosniff"
    # Only the people with the right may have it: no shared cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response
