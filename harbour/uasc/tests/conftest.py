"""The leaving-care test fixtures serve here too: the same young people."""

from harbour.leaving_care.tests.conftest import adviser, date_fields, today, worker, young_person

__all__ = ["adviser", "date_fields", "today", "worker", "young_person"]
