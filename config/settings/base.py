"""Settings shared by every environment. Environment variables decide the rest.

SQLite by default so that `make run` needs nothing; DATABASE_URL points at PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("HARBOUR_SECRET_KEY", "insecure-development-key-change-me-in-production")
DEBUG = env_bool("HARBOUR_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("HARBOUR_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "harbour.core",
    "harbour.accounts",
    "harbour.audit",
    "harbour.children",
    "harbour.placements",
    "harbour.reviews",
    "harbour.leaving_care",
    "harbour.referrals",
    "harbour.allocation",
    "harbour.api",
    "harbour.returns",
    "harbour.uasc",
    "harbour.forecasting",
    "harbour.retention",
    "harbour.documents",
    "harbour.reporting",
    "harbour.reporting.board",
    "harbour.snapshot",
    "harbour.merging",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "harbour.core.middleware.RequestIdMiddleware",
    "harbour.audit.bulk.RequestActorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "harbour.core.middleware.RequestBodyLimitMiddleware",
    "harbour.accounts.middleware.SessionLifetimeMiddleware",
    "harbour.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "harbour.core.idempotency.IdempotencyMiddleware",
]

# A 10MB upload (harbour/documents/forms.py) and the rest of its form; larger bodies are refused unread.
HARBOUR_MAX_REQUEST_BYTES = 11 * 1024 * 1024

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "harbour.core.jinja.environment",
            "context_processors": ["harbour.core.context.navigation"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]
FORM_RENDERER = "django.forms.renderers.DjangoTemplates"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web process read while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles any query its planner costs above jit_above_cost to machine code. Harbour's
    # queries over a large council cross that line and a page spent 2.3 s of 2.9 s compiling a plan
    # that then ran in half a second (the sufficiency dashboard; benchmarks/README.md). Short
    # queries, many users: the JIT never pays here.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/sign-in/"
LOGIN_REDIRECT_URL = "/"

# Sign-in throttling: five failures for one username from one address locks that pair.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "harbour.accounts.views.locked_out"

# Sessions: 30 minutes idle, 10 hours at most, kept on the server.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
HARBOUR_SESSION_IDLE_SECONDS = int(os.environ.get("HARBOUR_SESSION_IDLE_SECONDS", "1800"))
# The last-seen time is written at most this often (harbour/accounts/middleware.py): one write fewer on most pages.
HARBOUR_SESSION_LAST_SEEN_EVERY_SECONDS = 60
HARBOUR_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("HARBOUR_SESSION_ABSOLUTE_SECONDS", str(10 * 3600)))
SESSION_COOKIE_AGE = HARBOUR_SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# The second factor. Production requires it; the demo council may relax it and says so.
HARBOUR_REQUIRE_TWO_FACTOR = env_bool("HARBOUR_REQUIRE_TWO_FACTOR", True)
HARBOUR_DEMO = env_bool("HARBOUR_DEMO", False)
# Background work (ADR 0011): the database backend, run by `harbour db_worker` (`make run` starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The SSDA903 validator runs in its own virtual environment (`make validator`).
HARBOUR_903_VALIDATOR_PYTHON = os.environ.get(
    "HARBOUR_903_VALIDATOR_PYTHON", str(BASE_DIR / ".validator-venv" / "bin" / "python")
)
# The council's ONS code (E06..., E08..., E09..., E10...): the validator decides from it whether a
# placement is in or out of area.
HARBOUR_LA_ONS_CODE = os.environ.get("HARBOUR_LA_ONS_CODE", "E06000999")
HARBOUR_COUNCIL_NAME = os.environ.get("HARBOUR_COUNCIL_NAME", "Harbourside Council")
HARBOUR_BASE_URL = os.environ.get("HARBOUR_BASE_URL", "http://127.0.0.1:8000").rstrip("/")  # links in emails

# Email goes through the outbox (harbour.core.outbox), after commit, by SMTP.
EMAIL_BACKEND = os.environ.get("HARBOUR_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("HARBOUR_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("HARBOUR_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("HARBOUR_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HARBOUR_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("HARBOUR_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("HARBOUR_EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("HARBOUR_FROM_EMAIL", "harbour@harbourside.example")
OTP_TOTP_ISSUER = "Harbour"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# The GOV.UK body-class snippet is the one inline script, allowed by its published hash.
GOVUK_BODY_CLASS_SCRIPT_HASH = "'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", GOVUK_BODY_CLASS_SCRIPT_HASH],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HARBOUR_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
