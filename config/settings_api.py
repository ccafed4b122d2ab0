"""Settings of the REST API (issue 32), imported at the end of config/settings.py."""

from __future__ import annotations
