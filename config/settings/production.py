"""Production: secrets and hosts from the environment, HTTPS only, the second factor required."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
HARBOUR_DEMO = False
HARBOUR_REQUIRE_TWO_FACTOR = True
SECRET_KEY = os.environ.get("HARBOUR_SECRET_KEY", "")
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
