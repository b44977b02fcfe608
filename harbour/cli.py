"""The `harbour` command: Django's management commands plus Harbour's own."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    # Harbour's own commands are spelt with hyphens (`harbour nts-alerts`); Django's modules cannot be.
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["harbour", *args])


if __name__ == "__main__":
    main()
