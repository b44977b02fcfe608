"""What `make run` uses: the demo council on SQLite, on this machine only."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("HARBOUR_DEBUG", False)
HARBOUR_DEMO = env_bool("HARBOUR_DEMO", True)
# The demo council relaxes the second factor so a newcomer can look around; the sign-in page says so.
HARBOUR_REQUIRE_TWO_FACTOR = env_bool("HARBOUR_REQUIRE_TWO_FACTOR", False)
# The demo council's addresses are made up: emails are printed in the terminal that runs `make run`,
# so a newcomer can follow a partner's link from there.
EMAIL_BACKEND = os.environ.get("HARBOUR_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The demo council borrows Portsmouth's real postcodes (harbour/core/demo_data.py), so its SSDA903
# return is checked as Portsmouth's: the validator works out in or out of area from this code.
HARBOUR_LA_ONS_CODE = os.environ.get("HARBOUR_LA_ONS_CODE", "E06000044")
