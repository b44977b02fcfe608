"""Two people starting a placement for the same child at the same moment: the child's row is locked,
so the second waits, then sees the first placement and is refused in words (not a database error).
PostgreSQL only: SQLite has no row locks to test."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from harbour.accounts.models import Role
from harbour.children import services as child_services
from harbour.placements import services_placements as services
from harbour.placements.models import Placement

TODAY = dt.date(2026, 11, 20)

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_simultaneous_starts_is_refused(make_user: Any, make_team: Any, make_child: Any) -> None:
    worker = make_user(Role.SOCIAL_WORKER, team=make_team())
    officer = make_user(Role.PLACEMENTS_OFFICER)
    child = make_child(social_worker=worker)
    child_services.period_looked_after_add(actor=worker, child=child, start=dt.date(2026, 9, 1), end=None,
                                           today=TODAY)
    outcome: dict[str, Any] = {}

    def second() -> None:
        try:
            services.placement_start(actor=officer, child=child, start=dt.date(2026, 9, 1), placement_type="K2",
                                     carer_or_provider="Elm Lodge", today=TODAY)
            outcome["result"] = "started"
        except ValidationError as error:
            outcome["result"] = error.message_dict
        finally:
            connections.close_all()

    with transaction.atomic():
        services.placement_start(actor=worker, child=child, start=dt.date(2026, 9, 1), placement_type="U6",
                                 carer_or_provider="Ms Haile", today=TODAY)
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.5)
        assert thread.is_alive(), "the second start should wait for the first to commit"
    thread.join(timeout=10)
    assert outcome["result"] == {"start": ["The child already has a placement with Ms Haile from 1 September 2026. "
                                           "End it first or record a change of placement"]}
    assert list(Placement.objects.filter(child=child).values_list("carer_or_provider", flat=True)) == ["Ms Haile"]
