"""harbour subject-access CHILD_ID: write a child's whole record to a ZIP for a subject access request."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.audit.services import log_access
from harbour.children import subject_access
from harbour.children.models import Child

OPERATOR = "the command line (harbour subject-access)"


class Command(BaseCommand):
    help = (
        "Write everything Harbour holds about the child CHILD_ID to FILE, a ZIP of a readable HTML chronology "
        "and the complete JSON, with third-party data marked for review. Audited with the reference and reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("child_id", help="The child's id, as in the address of their record")
        parser.add_argument("--reference", required=True, help="The subject access request's reference")
        parser.add_argument("--reason", required=True, help="Who asked, and on whose behalf")
        parser.add_argument("--out", required=True, type=Path, help="The ZIP file to write (it must not exist)")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        try:
            child_id = uuid.UUID(options["child_id"])
        except ValueError:
            child_id = None
        # The operator has the server, so every child; the read is still logged.
        child = Child.unscoped.filter(pk=child_id).first() if child_id else None
        if child is None:
            raise CommandError(f"CHILD_ID {options['child_id']!r}: No child has the id; copy it from the record's address")
        if out.exists():
            raise CommandError(f"--out {out}: the file already exists; choose a new name")
        if not out.parent.is_dir():
            raise CommandError(f"--out {out}: the folder {out.parent} does not exist")
        try:
            export, content = subject_access.export_record(
                actor=None, child=child, reference=options["reference"], reason=options["reason"],
                exported_by=OPERATOR, via="command line",
            )
        except ValidationError as error:
            raise CommandError("; ".join(f"--{field}: {' '.join(messages)}"
                                         for field, messages in error.message_dict.items())) from error
        log_access(user=None, child_id=child.pk, route="command line: subject-access",
                   purpose="subject access export", accessed_by=OPERATOR)
        out.write_bytes(content)
        self.stdout.write(f"Wrote {out}: {len(export.records)} records of {len(export.counts)} kinds, oldest first. "
                          "Review every value marked as third party before release.")
