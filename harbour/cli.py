"""The `harbour` command: Django's management commands plus Harbour's own."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["harbour", *sys.argv[1:]])


if __name__ == "__main__":
    main()
