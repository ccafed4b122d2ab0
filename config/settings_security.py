"""Settings of issue 31's security part, read from the environment like the rest (imported at the end of
config/settings.py). What each one shows for 等保 2.0: README, Security, "等保 2.0"."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import env_int, env_str

_BASE_DIR = Path(__file__).resolve().parent.parent
_VAR_DIR = Path(env_str("WUYI_VAR_DIR", str(_BASE_DIR / "var")))

# The 等保 2.0 level the deployment is graded at: 2 (default) or 3. Level three makes a second factor
# (TOTP) required for the platform administrators and for everyone holding an officer's seat.
DENGBAO_LEVEL = env_int("DENGBAO_LEVEL", 2, minimum=2)
if DENGBAO_LEVEL not in (2, 3):
    raise ImproperlyConfigured(f"DENGBAO_LEVEL={DENGBAO_LEVEL!r} must be 2 or 3")

# Audit log retention: no entry is removed before this many days (both levels require at least 180,
# so a smaller value stops start-up). Older whole months are exported and then dropped.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180, minimum=180)
AUDIT_ARCHIVE_DIR = Path(env_str("AUDIT_ARCHIVE_DIR", str(_VAR_DIR / "audit-archive")))
# The most rows one export of the auditor's page writes (a narrower search exports the rest)
AUDIT_EXPORT_MAX_ROWS = env_int("AUDIT_EXPORT_MAX_ROWS", 100_000, minimum=1)

# Passwords: a password older than this must be changed at the next sign-in with it; the last
# PASSWORD_HISTORY_COUNT passwords cannot be used again.
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90, minimum=1)
PASSWORD_HISTORY_COUNT = env_int("PASSWORD_HISTORY_COUNT", 5, minimum=1)

# A person holds at most this many signed-in sessions; signing in once more ends the oldest.
MAX_SESSIONS_PER_PERSON = env_int("MAX_SESSIONS_PER_PERSON", 3, minimum=1)

# The issuer shown by authenticator apps beside the account (django-otp's TOTP devices)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Wuyi")
