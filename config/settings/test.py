"""Test settings: the real security settings, fast password hashing, no outside calls."""

from .base import *  # noqa: F403
from .base import PASSWORD_HASHERS

# Argon2 is kept first so the hashing test is real; tests that create many users pay for it.
PASSWORD_HASHERS = PASSWORD_HASHERS
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HARBOUR_REQUIRE_TWO_FACTOR = True
HARBOUR_DEMO = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run at once, inside the test, once the transaction that queued them commits.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Every request writes the session's last-seen time, so a page's query count does not depend on the
# second it runs in; the once-a-minute write has its own test (test_sign_in.py).
HARBOUR_SESSION_LAST_SEEN_EVERY_SECONDS = 0
