"""Wuyi settings: one module, driven by environment variables (see README).

Defaults boot a local instance with no servers to install: the embedded PostgreSQL 18 that
``make run`` starts under ``var/pgdata`` and Celery's filesystem transport. Production values come
from the environment; with ``DEBUG=false`` the default secret key and a missing DATABASE_URL are
refused.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("WUYI_VAR_DIR", str(BASE_DIR / "var")))

DEFAULT_SECRET_KEY = "wuyi-insecure-development-key-change-me"
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", DEFAULT_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG=false "
        "(the built-in development key is refused in production)"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_ROOT = env_str("SITE_ROOT", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "csp",
    "config.apps.WuyiStaticFilesConfig",
    "django.contrib.humanize",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "viewflow",
    "viewflow.workflow",
    "core",
    "notifications",
    "workflows",
    "workflows.budget.apps.BudgetConfig",
    "workflows.plan.apps.PlanConfig",
    "workflows.reports.apps.ReportsConfig",
    "workflows.final_accounts.apps.FinalAccountsConfig",
    "workflows.budget_adjustment.apps.BudgetAdjustmentConfig",
    "workflows.execution.apps.ExecutionConfig",
    "workflows.expenditure.apps.ExpenditureConfig",
    "workflows.party.apps.PartyConfig",
    "workflows.training.apps.TrainingConfig",
    "workflows.roster.apps.RosterConfig",
    "workflows.institutions.apps.InstitutionsConfig",
    "workflows.contacts.apps.ContactsConfig",
    "workflows.members.apps.MembersConfig",
    "workflows.dues.apps.DuesConfig",
    "workflows.memberpages.apps.MemberPagesConfig",
    "workflows.surveys.apps.SurveysConfig",
    "workflows.modelhome.apps.ModelHomeConfig",
    "workflows.outputs.apps.OutputsConfig",
    "workflows.meetingpapers.apps.MeetingPapersConfig",
    "workflows.archive.apps.ArchiveConfig",
    "core.sso.apps.SsoConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api.apps.ApiConfig",
    "core.security.apps.SecurityConfig",
    "oversight",
    "workbench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (settings under Security).
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.security.middleware.SecurityGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-axes must come last: it turns lockouts into the lockout response.
    "axes.middleware.AxesMiddleware",
]

# viewflow would otherwise append its own site and Turbo middleware; Wuyi serves its own pages.
VIEWFLOW = {"AUTOREGISTER": False}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.bell",
                "workflows.context_processors.inbox_badge",
                "core.context_processors.nav",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------


def _embedded_database_url() -> str:
    """The embedded PostgreSQL that ``make run`` starts (scripts/embedded_pg.py) under VAR_DIR/pgdata.
    It listens on a Unix socket only, in the directory postmaster.pid names (the data directory unless
    that path is too long for a socket). Nothing is started here: a server that is not running makes
    the first connection fail, naming the socket."""
    pgdata = VAR_DIR / "pgdata"
    try:
        socket_dir = (pgdata / "postmaster.pid").read_text().splitlines()[4].strip() or str(pgdata)
    except (OSError, IndexError):
        socket_dir = str(pgdata)
    return f"postgres://postgres@{quote(str(Path(socket_dir).resolve()), safe='')}/wuyi"


DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DATABASE_URL must be set when DEBUG=false (postgres://USER:PASSWORD@HOST:5432/NAME); "
            "the embedded PostgreSQL under var/pgdata is for `make run` only"
        )
    DATABASE_URL = _embedded_database_url()
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))
except (ValueError, KeyError) as exc:
    raise ImproperlyConfigured(f"DATABASE_URL={DATABASE_URL!r} cannot be parsed: {exc}") from exc
if _db["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        f"DATABASE_URL={DATABASE_URL!r}: Wuyi runs on PostgreSQL 15 to 18 only (postgres://…); "
        "SQLite is not supported. Unset DATABASE_URL and use `make run`, which starts an embedded "
        "PostgreSQL under var/pgdata."
    )
_db["CONN_HEALTH_CHECKS"] = True
if not env_bool("DB_JIT", False):
    # Wuyi's queries are short OLTP reads; PostgreSQL's JIT compiled some oversight plans for
    # 85–440 ms where they run in 2–40 ms (bench/results/explain-oversight-*-full.txt).
    options = _db.setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches -----------------------------------------------------------------------------------
# "inbox": rendered to-do pages (workflows/inbox_cache.py). Every hit is checked against
# PostgreSQL's change log first, so a cache of each web process (the default) or a shared one
# (INBOX_CACHE_URL=redis://…, fewer renders with many workers) is equally right.
INBOX_CACHE_SECONDS = env_int("INBOX_CACHE_SECONDS", 600, minimum=0)
_INBOX_CACHE_URL = env_str("INBOX_CACHE_URL", "")
# The working-day calendar, reminder rules and step durations, read by every workflow step, are
# kept in each process's memory this long (core/refcache.py); a write through the app clears the
# writing process's copy at once. 0: read them from PostgreSQL every time.
REFERENCE_CACHE_SECONDS = env_int("REFERENCE_CACHE_SECONDS", 60, minimum=0)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "inbox": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _INBOX_CACHE_URL}
        if _INBOX_CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "wuyi-inbox",
            "OPTIONS": {"MAX_ENTRIES": env_int("INBOX_CACHE_ENTRIES", 2000, minimum=1)},
        }
    ),
}

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # S5.4: members sign in with their member number while their membership is in force
    "workflows.memberpages.backends.MemberNumberBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "core.security.passwords.PasswordHistoryValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Guardian: no anonymous user row; Wuyi has no anonymous access.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Login throttling (django-axes): failures are counted per username and IP pair, per IP across
# usernames (one password tried against many accounts) and per username across IPs (one account
# tried from many addresses); any of the three reaching the limit locks for the cool-off time.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# A successful sign-in clears only its own username and IP pair (core.signals): axes' own reset would
# also clear the address's failures on other usernames, so signing in to one's own account between
# guesses would slip past the per-IP count.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False

# Idle session timeout: the session ends after this many seconds without a request.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 1800, minimum=60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Security (production) ------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SILENCED_SYSTEM_CHECKS = []
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if env_bool("USE_X_FORWARDED_PROTO", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")

# Content-Security-Policy (django-csp 4): pages load only Wuyi's own files. Templates carry no inline
# script, event handler or style attribute (static/js/wuyi.js reads data attributes; wuyi.css has the
# classes; tests/test_security_headers.py keeps it so), hence no 'unsafe-inline' and no nonces (the
# inbox cache serves a page again, nonce and all). data: images are Bootstrap's CSS icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# Permissions-Policy (config.middleware): browser features no Wuyi page uses, refused to the page
# and to anything it embeds. Names Chromium does not know are left out (it logs an error for each).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "serial",
        "hid",
        "browsing-topics",
    )
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# In development (and the test live server) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded files are never served from a URL of their own: core.files' download views check the
# right to the document first. MEDIA_URL is what the Accel-Redirect internal location maps to.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/protected-media/"
# Issue 33: a folder with the organ's licensed fonts for official documents (fangsong.ttf, xiaobiaosong.ttf,
# kaiti.ttf, heiti.ttf, songti.ttf; workflows.outputs.pdf); empty: Debian's free substitutes only.
FONTS_DIR = env_str("FONTS_DIR", "")
# How a download view sends the file: "" streams it from Django (FileResponse); "x-accel-redirect"
# hands it to nginx (an `internal` location at MEDIA_URL whose alias is MEDIA_ROOT); "x-sendfile"
# hands it to Apache's mod_xsendfile / lighttpd (the header carries the file's absolute path).
FILE_SENDING = env_str("FILE_SENDING", "")
if FILE_SENDING not in ("", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured("FILE_SENDING must be empty, 'x-accel-redirect' or 'x-sendfile'")
# The upload limit is enforced while the request streams (core.uploads.LimitedUploadHandler stops
# reading at the limit); the front server's own body limit should be a little above it.
FILE_UPLOAD_HANDLERS = [
    "core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Mail -----------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds an SMTP operation may block. Bounds a delivery attempt well inside its lease
# (notifications.services.delivery.LEASE), so a retry after the lease never overlaps a live attempt.
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "wuyi@localhost")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "processed", "control"):
        (VAR_DIR / "celery" / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The whole beat schedule. Beat only enqueues idempotent sweeps; PostgreSQL is the truth.
CELERY_BEAT_SCHEDULE = {
    # Seats end (and start) on calendar days: derive object permissions again every night so
    # that access ends with the term even when nobody edits the seat.
    "sync-seat-permissions": {
        "task": "core.tasks.sync_seat_permissions",
        "schedule": crontab(hour=0, minute=5),
    },
    # Opinion solicitations close at their due date: unanswered recipients become "no reply" and
    # the drafter gets the consolidation task. Every 10 minutes; the sweep is idempotent.
    "close-overdue-opinions": {
        "task": "workflows.tasks.close_overdue_opinions",
        "schedule": crontab(minute="*/10"),
    },
    # Reminders and escalations due now become notifications and deliveries. The sweep
    # claims rows with SKIP LOCKED and dedupes by a unique key, so a second beat changes nothing.
    "send-due-reminders": {"task": "notifications.tasks.send_due_reminders", "schedule": crontab()},
    # Deliveries left pending (worker killed, Redis restarted, channel failing) are enqueued again.
    "redeliver": {"task": "notifications.tasks.redeliver", "schedule": crontab()},
    # The daily digest on working days at 09:00 (the task checks the working-day calendar).
    "daily-digest": {"task": "notifications.tasks.daily_digest", "schedule": crontab(hour=9, minute=0)},
    # Obligations: this and next year's exist; pending → late → missed by the dates.
    "nightly-calendar": {
        "task": "notifications.tasks.nightly_calendar",
        "schedule": crontab(hour=0, minute=15),
    },
    # S3.4: a budget adjustment still open after 30 September (union's time zone) lapses. Every five
    # minutes; the sweep re-reads each adjustment under its process lock, so a double run does nothing
    # (approvals after the cutoff are refused at once, whether or not the sweep has run).
    "lapse-budget-adjustments": {
        "task": "workflows.budget_adjustment.tasks.lapse_adjustments",
        "schedule": crontab(minute="*/5"),
    },
    # The oversight pages' figures for the whole province (stuck counts, scorecard totals,
    # efficiency), too costly to count per request; each page shows their moment. Idempotent: a
    # second run finds them fresh (oversight.rollups).
    # S1.2: the hearings' action items, before their due dates and weekly while overdue
    "party-action-items": {
        "task": "workflows.party.tasks.remind_action_items",
        "schedule": crontab(hour=8, minute=30),
    },
    # S4.2: the chair is told 30, 7 and 1 days before a social union worker's contract ends
    "roster-contract-ends": {
        "task": "workflows.roster.tasks.remind_contract_ends",
        "schedule": crontab(hour=8, minute=40),
    },
    # S4.4: committee members are told once per period of a contact a whole period without contact,
    # and once of a follow-up past its due date (idempotent: Notification.dedupe_key)
    "contacts-overdue": {
        "task": "workflows.contacts.tasks.remind_overdue_contacts",
        "schedule": crontab(hour=8, minute=50),
    },
    # S5.2: a satisfaction survey past its closing day takes no more answers (the answer page refuses them
    # already); the sweep marks it closed so its results are final. Idempotent, after midnight
    "surveys-close-due": {
        "task": "workflows.surveys.tasks.close_due_surveys",
        "schedule": crontab(hour=0, minute=20),
    },
    # S5.3: what was approved or recorded since the last run is filed in its union's archive (set-based;
    # idempotent: one record per source, workflows.archive.filing)
    "archive-collect": {"task": "workflows.archive.tasks.collect_archive", "schedule": crontab(minute=35)},
    # S5.4: the chair is told of members' opinions unanswered after the union's working days (10 by
    # default, MemberPagesRule; idempotent: Notification.dedupe_key)
    "memberpages-unanswered": {
        "task": "workflows.memberpages.tasks.remind_unanswered",
        "schedule": crontab(hour=8, minute=55),
    },
    # Issue 33: the seat holders of a noticed meeting are reminded once, the rule's working days before it
    # (NoticeRule, 1 by default; idempotent: MeetingNotice.reminded_at and Notification.dedupe_key)
    "meetingpapers-remind": {
        "task": "workflows.meetingpapers.tasks.remind_meeting_notices",
        "schedule": crontab(hour=8, minute=35),
    },
    "oversight-rollups": {"task": "oversight.tasks.refresh_rollups", "schedule": crontab(minute="*/5")},
    # 等保 2.0: next month's audit-log partition exists; months past AUDIT_RETENTION_DAYS are exported whole
    # (gzip under AUDIT_ARCHIVE_DIR) and dropped. Daily; idempotent (core.security.partitions).
    "audit-partitions": {
        "task": "core.security.tasks.audit_partitions",
        "schedule": crontab(hour=1, minute=10),
    },
    # The inbox change log keeps what a cached to-do page may still be checked against; older rows go.
    "prune-inbox-changes": {
        "task": "workflows.tasks.prune_inbox_changes",
        "schedule": crontab(minute="*/10"),
    },
}

# --- Logging --------------------------------------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # WeasyPrint tells every step of every PDF at INFO; fontTools every table it subsets
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Wuyi -----------------------------------------------------------------------------------
WUYI_UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)

# --- The organ's IT (issue 31) and the REST API (issue 32): each part's settings in its own module ------
from config.settings_api import *  # noqa: E402, F403
from config.settings_notices import *  # noqa: E402, F403
from config.settings_security import *  # noqa: E402, F403
from config.settings_sso import *  # noqa: E402, F403

AUTHENTICATION_BACKENDS = sso_authentication_backends(AUTHENTICATION_BACKENDS)  # noqa: F405 (issue 31)
