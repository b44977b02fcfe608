"""The demo council lets the walk-through happen: the IRO signs in to children with reviews overdue
and due soon, the social worker has an action from the IRO to answer, late reviews say why."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from harbour.accounts.access import children_visible_to
from harbour.accounts.models import User
from harbour.core.calendar import council_calendar
from harbour.reviews import selectors
from harbour.reviews.models import QualityAction, Review


@pytest.fixture
def council(settings, db):
    settings.HARBOUR_DEMO = True
    out = StringIO()
    call_command("demo", children=120, seed=2026, stdout=out)
    return out.getvalue()


def test_the_iro_has_reviews_overdue_and_due_soon(council: str) -> None:
    iro = User.objects.get(username="iro")
    today = timezone.localdate()
    rows = selectors.reviews_due(children_visible_to(iro), today=today, calendar=council_calendar())
    states = [row.state(today) for row in rows]
    assert states.count("overdue") >= 1 and states.count("soon") >= 1


def test_the_social_worker_has_an_open_action_from_the_iro(council: str) -> None:
    worker = User.objects.get(username="socialworker")
    actions = QualityAction.objects.filter(social_worker=worker, raised_by__username="iro")
    assert actions.filter(responded_on__isnull=True, due_on__gte=timezone.localdate()).count() == 1
    assert actions.filter(responded_on__isnull=False).count() == 1
    # The IRO can see the child the actions are about.
    iro = User.objects.get(username="iro")
    assert children_visible_to(iro).filter(pk=actions.first().child_id).exists()


def test_every_late_review_has_its_due_date_and_a_reason(council: str) -> None:
    late = [r for r in Review.objects.select_related("late_reason") if r.due_on and r.held_on > r.due_on]
    assert late and all(r.late_reason is not None for r in late)
    assert not Review.objects.filter(due_on__isnull=True).exists()
    assert "reviews held late, with a reason" in council
