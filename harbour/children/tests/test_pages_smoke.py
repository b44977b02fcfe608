"""Every page of the child's record answers for the people who may see it."""

from __future__ import annotations

import pytest

from harbour.accounts.models import Role


@pytest.fixture
def team_worker(make_team, make_user):
    team = make_team()
    return make_user(Role.SOCIAL_WORKER, team=team)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["children:detail", "children:identity", "children:legal", "children:edit_identity",
                                  "children:add_name", "children:add_date_of_birth", "children:add_legal_status",
                                  "children:add_period"])
def test_child_pages_answer_for_the_allocated_social_worker(page, team_worker, make_child, signed_in):
    from django.urls import reverse

    child = make_child(social_worker=team_worker, given_names="Mohammed", family_name="Ahmadi")
    response = signed_in(team_worker).get(reverse(page, args=[child.pk]))
    assert response.status_code == 200, response.content[:2000]
    assert b"Mohammed" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/children/", "/search/?q=mohamad", "/timescales/", "/accessibility/", "/help/",
                                  "/privacy/", "/children/new/"])
def test_service_pages_answer(path, team_worker, make_child, signed_in):
    make_child(social_worker=team_worker, given_names="Mohammed", family_name="Ahmadi")
    response = signed_in(team_worker).get(path)
    assert response.status_code == 200, response.content[:3000]
