"""The scheduled command that marks providers who have not answered."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from harbour.placements.models import RequestRecipient

from .test_requests_support import *  # noqa: F403 (fixtures)
from .test_requests_support import NOW

pytestmark = pytest.mark.django_db


def test_waiting_answers_past_the_set_hours_become_no_answer(people: Any, child: Any, make_request: Any,
                                                            make_provider: Any) -> None:
    make_provider(name="Slow Fostering")
    with time_machine.travel(NOW, tick=False):
        request = make_request(child, send=True)
    waiting = RequestRecipient.objects.filter(request=request, answer=RequestRecipient.Answer.WAITING).count()
    assert waiting > 0
    out = StringIO()
    with time_machine.travel(NOW + dt.timedelta(hours=47), tick=False):
        call_command("placement_no_answers", stdout=out)
    assert out.getvalue().startswith("Marked 0 providers")
    with time_machine.travel(NOW + dt.timedelta(hours=49), tick=False):
        call_command("placement_no_answers", stdout=out)
    assert f"Marked {waiting} provider" in out.getvalue()
    assert not RequestRecipient.objects.filter(request=request, answer=RequestRecipient.Answer.WAITING).exists()
