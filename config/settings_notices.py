"""Settings of issue 31's notices part, read from the environment like the rest (imported at the end of
config/settings.py)."""

from __future__ import annotations
