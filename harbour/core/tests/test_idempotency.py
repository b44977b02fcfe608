"""The same write sent twice is done once (security checklist 23; harbour/core/idempotency.py):
a referral form sent twice, one after the other or both at once, records one referral; an API
write repeated with the same Idempotency-Key opens one child's record and gets the same answer."""

from __future__ import annotations

import datetime as dt
import threading
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from harbour.accounts.models import ApiToken, Role
from harbour.children.models import Child
from harbour.core.idempotency import REPLAYED
from harbour.core.models import Submission
from harbour.referrals.models import Referral

pytestmark = pytest.mark.django_db


def referral_form(**overrides: str) -> dict[str, str]:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    form = {
        # A rendered form carries its own CSRF token: this is what makes two sends "the same form".
        "csrfmiddlewaretoken": "token-of-this-rendered-form",
        "received_on-day": str(yesterday.day), "received_on-month": str(yesterday.month),
        "received_on-year": str(yesterday.year), "received_time": "14:30",
        "referring_authority": "Kent County Council", "nts_reference": "NTS-2026-0001",
        "given_names": "Dawit", "family_name": "Tesfay", "sex": "M", "interpreter_needed": "yes",
        "current_location_kind": "hotel", "age_assessment_status": "not_disputed",
        "documents_received": "Home Office letter",
    }
    form.update(overrides)
    return form


@pytest.fixture
def leader(make_user, make_team):
    return make_user(Role.TEAM_LEADER, team=make_team())


def test_the_same_referral_form_sent_twice_records_one_referral_and_answers_alike(leader, signed_in):
    client = signed_in(leader)
    first = client.post("/referrals/new/", referral_form())
    second = client.post("/referrals/new/", referral_form())
    referral = Referral.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/referrals/{referral.pk}/"
    assert REPLAYED not in first and second[REPLAYED] == "true"
    assert Child.unscoped.count() == 1


def test_a_new_rendering_of_the_form_is_a_new_submission(leader, signed_in):
    client = signed_in(leader)
    client.post("/referrals/new/", referral_form())
    again = client.post("/referrals/new/", referral_form(csrfmiddlewaretoken="token-of-another-rendering"))
    # Not replayed: checked as usual, so the page shows the child just recorded as a possible duplicate.
    assert again.status_code == 200 and REPLAYED not in again
    assert "Dawit" in again.content.decode()
    assert Referral.objects.count() == 1


def test_a_refused_form_is_not_kept_so_the_corrected_or_same_form_is_checked_again(leader, signed_in):
    client = signed_in(leader)
    refused = client.post("/referrals/new/", referral_form(given_names="", family_name=""))
    assert refused.status_code == 422
    assert not Submission.objects.exists()
    assert client.post("/referrals/new/", referral_form(given_names="", family_name="")).status_code == 422
    assert client.post("/referrals/new/", referral_form()).status_code == 302
    assert Referral.objects.count() == 1


def test_another_person_sending_the_same_body_is_not_given_the_first_answer(leader, make_user, signed_in):
    signed_in(leader).post("/referrals/new/", referral_form())
    other = make_user(Role.TEAM_LEADER, team=leader.team)
    again = signed_in(other).post("/referrals/new/", referral_form())
    assert REPLAYED not in again and again.status_code == 200
    assert Referral.objects.count() == 1


@pytest.fixture
def api(make_user) -> tuple[Any, Client, str]:
    manager = make_user(Role.TEAM_MANAGER)
    token, raw = ApiToken.issue(user=manager, name="case system")
    return token, Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), raw


def child_body(worker: Any, **overrides: Any) -> dict[str, Any]:
    return {"given_names": "Amani", "family_name": "Tesfay", "date_of_birth": "2011-04-02",
            "social_worker_id": str(worker.pk), **overrides}


def test_an_api_write_repeated_with_its_key_opens_one_record_and_gives_the_same_answer(api, make_user):
    _, client, _ = api
    worker = make_user(Role.SOCIAL_WORKER)
    send = lambda body, key: client.post("/api/v1/children", body, content_type="application/json",  # noqa: E731
                                         HTTP_IDEMPOTENCY_KEY=key)
    first, second = send(child_body(worker), "create-amani-1"), send(child_body(worker), "create-amani-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() and second[REPLAYED] == "true"
    assert Child.unscoped.count() == 1
    # The same key for another request is refused, naming the header; a new key is a new request.
    clash = send(child_body(worker, given_names="Selam"), "create-amani-1")
    assert clash.status_code == 422
    assert clash.json() == {"detail": [{"loc": ["header", "Idempotency-Key"], "msg": (
        "This Idempotency-Key was used for a different request: use a new key for a new request")}]}
    assert send(child_body(worker, given_names="Selam"), "create-selam-1").status_code == 201
    assert Child.unscoped.count() == 2


def test_without_a_key_each_api_write_is_done(api, make_user):
    _, client, _ = api
    worker = make_user(Role.SOCIAL_WORKER)
    for _ in range(2):
        assert client.post("/api/v1/children", child_body(worker), content_type="application/json").status_code == 201
    assert Child.unscoped.count() == 2


def test_a_revoked_token_is_not_given_the_stored_answer(api, make_user):
    token, client, _ = api
    worker = make_user(Role.SOCIAL_WORKER)
    client.post("/api/v1/children", child_body(worker), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    token.revoked_at = timezone.now()
    token.save()
    again = client.post("/api/v1/children", child_body(worker), content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 401 and "Amani" not in again.content.decode()


@pytest.mark.parametrize("key", ["", "x" * 256, "bad\nkey"])
def test_a_malformed_key_is_refused_naming_the_header(api, make_user, key):
    _, client, _ = api
    response = client.post("/api/v1/children", child_body(make_user(Role.SOCIAL_WORKER)),
                           content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert not Child.unscoped.exists()


def test_rows_older_than_a_day_are_removed_when_a_new_one_is_made(api, make_user):
    _, client, _ = api
    old = Submission.objects.create(scope="s", key="k", fingerprint="f", state=Submission.State.DONE)
    Submission.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=1, minutes=1))
    client.post("/api/v1/children", child_body(make_user(Role.SOCIAL_WORKER)), content_type="application/json",
                HTTP_IDEMPOTENCY_KEY="k-2")
    assert not Submission.objects.filter(pk=old.pk).exists() and Submission.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_the_same_moment_records_one_referral(leader, signed_in):
    if connection.vendor != "postgresql":
        pytest.skip("two requests at once need PostgreSQL (set DATABASE_URL)")
    # One browser session (a double click), two connections.
    first = signed_in(leader)
    second = Client()
    second.cookies = SimpleCookie(first.cookies.output(header="", sep=";"))
    clients = [first, second]
    barrier = threading.Barrier(2)
    answers: list[Any] = [None, None]

    def send(i: int) -> None:
        try:
            barrier.wait(10)
            answers[i] = clients[i].post("/referrals/new/", referral_form())
        except BaseException as error:  # noqa: BLE001 (reported below)
            answers[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    referral = Referral.objects.get()
    assert [a.status_code for a in answers] == [302, 302], answers
    assert {a["Location"] for a in answers} == {f"/referrals/{referral.pk}/"}
    assert sum(REPLAYED in a for a in answers) == 1


def test_a_page_kept_from_before_signing_in_again_is_a_new_submission(leader, signed_in):
    signed_in(leader).post("/referrals/new/", referral_form())
    again = signed_in(leader).post("/referrals/new/", referral_form())  # another session, the same body
    assert REPLAYED not in again and Referral.objects.count() == 1


def test_signing_out_is_never_answered_from_the_store(leader, signed_in):
    client = signed_in(leader)
    form = {"csrfmiddlewaretoken": "token-of-this-rendered-form"}
    assert client.post("/accounts/sign-out/", form).status_code == 302
    assert not Submission.objects.exists()


def test_a_repeat_while_the_first_is_still_running_too_long_is_told_to_wait(leader, signed_in, api, make_user,
                                                                            monkeypatch):
    monkeypatch.setattr("harbour.core.idempotency.WAIT_SECONDS", 0.0)
    client = signed_in(leader)
    client.post("/referrals/new/", referral_form())
    _, api_client, _ = api
    worker = make_user(Role.SOCIAL_WORKER)
    api_client.post("/api/v1/children", child_body(worker), content_type="application/json",
                    HTTP_IDEMPOTENCY_KEY="k-3")
    Submission.objects.update(state=Submission.State.RUNNING)  # as if both first requests were still being done
    page = client.post("/referrals/new/", referral_form())
    assert page.status_code == 409 and "This form is still being sent" in page.content.decode()
    answer = api_client.post("/api/v1/children", child_body(worker), content_type="application/json",
                             HTTP_IDEMPOTENCY_KEY="k-3")
    assert answer.status_code == 409 and answer.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert Referral.objects.count() == Child.unscoped.count() - 1 == 1
