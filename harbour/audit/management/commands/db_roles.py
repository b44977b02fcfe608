"""harbour db-roles: the owner and application database roles that keep the audit append-only."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from harbour.audit.database_roles import RoleError, grant_roles


class Command(BaseCommand):
    help = (
        "Make OWNER own every table in the PostgreSQL database in DATABASE_URL and give APP only what the "
        "application needs: read and write case data, read and add to the audit tables, own nothing, so it "
        "cannot drop or disable the audit's triggers. Run it as the database owner or a superuser after every "
        "`harbour migrate`; it is safe to run again. See docs/how-to/database-roles.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--owner", default="harbour_owner", help="The role that owns the tables (migrations run as it)")
        parser.add_argument("--app", default="harbour_app", help="The role Harbour serves requests with")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            tables = grant_roles(connection, owner=options["owner"], app=options["app"])
        except RoleError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{options['owner']} owns {len(tables)} tables; {options['app']} may read and write case "
                          f"data and only add to the audit tables")
