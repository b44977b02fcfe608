"""The API, attacked (security checklist 27; issue 10): Schemathesis generates requests from the
published OpenAPI document, `/api/v1/openapi.json`, for every operation in it, and sends each one
with a token for every role. No answer may be a server error, every answer must match the
document (status code, content type, body), and no restricted field may reach a partner's or a
provider's token.

The operations come from the document itself, so an endpoint added later is attacked without
anyone listing it. Each generated request is sent twice: as generated (random identifiers, which
must answer 404 like any child out of scope) and with each identifier in the path replaced by a
real record of that kind, so that the handlers behind the 404 are reached too. Valid requests on
real records go to every role's token; random identifiers and invalid input (refused before any
record is read) go to one token drawn for each example.

`HARBOUR_API_FUZZ_EXAMPLES` sets the number of generated requests per operation and mode
(valid and invalid input); the default keeps the whole test to a few minutes on two cores.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from harbour.accounts.models import ApiToken, PartnerAgency, Role
from harbour.placements import services_requests
from harbour.placements.models import Provider, RequestRecipient
from harbour.placements.tests.test_provider_sentinel import (
    DATE_SENTINELS,
    RESTRICTED_WORDS,
    SENTINELS,
    referral,
    secret_child,
)
from harbour.placements.tests.test_requests_support import (
    NEEDED,
    NOW,
    TODAY,
    make_provider,
    make_request,
    people,
    provider_agency,
)

__all__ = ["make_provider", "make_request", "people", "provider_agency", "referral", "secret_child"]

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("HARBOUR_API_FUZZ_EXAMPLES", "6"))

# Special-category and confidential facts (security checklist item 4) that no partner agency's
# token may be given, whatever the agency was shared: neither under these keys nor as values.
RESTRICTED_KEYS = frozenset({
    "ethnicity", "religion", "nationality", "home_office_reference", "port_reference", "health_information",
    "safety_information", "trafficking_indicators", "family_links", "legal_representative", "needs_detail", "current_location", "is_uasc", "upn",
})
RESTRICTED_FOR_PARTNERS = {name: SENTINELS[name] for name in (
    "religion", "nationality", "home_office_reference", "port_reference", "upn", "needs_detail", "health_information",
    "safety_information", "trafficking_indicators", "family_links", "legal_representative", "current_location",
    "chronology_title", "chronology_description")}


@dataclass(frozen=True)
class Caller:
    label: str
    token: str
    # "council": sees what its role allows; "partner": an agency the child was shared with (name,
    # date of birth and language, nothing restricted); "provider": a provider agency (nothing
    # that identifies the child).
    kind: str


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def restricted_in(kind: str, body: str) -> list[str]:
    """The restricted keys and values a partner or provider would be shown by this answer body."""
    folded = body.casefold()
    values = RESTRICTED_FOR_PARTNERS if kind == "partner" else SENTINELS
    found = [name for name, value in values.items() if value.casefold() in folded]
    found += [words for words in RESTRICTED_WORDS if words.casefold() in folded]
    if kind == "provider":
        found += [day for day in DATE_SENTINELS if day.casefold() in folded]
    try:
        found += sorted(set(_keys(json.loads(body))) & RESTRICTED_KEYS)
    except ValueError:
        pass
    return found


def check_no_restricted_field(kind: str) -> Any:
    """A Schemathesis check: the answer to a partner's or provider's token holds nothing restricted."""
    def no_restricted_field_for_partners(ctx: Any, response: Any, case: Any) -> bool | None:
        found = restricted_in(kind, response.text)
        if found:
            raise AssertionError(f"A {kind} token was shown restricted data: {found}")
        return None
    return no_restricted_field_for_partners


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def world(people, secret_child, referral, make_user, make_provider, provider_agency, make_request, share_with,
          django_capture_on_commit_callbacks) -> tuple[list[Caller], dict[str, str]]:
    """A child whose every restricted field holds a sentinel, shared with a health partner and sent
    to a provider for a placement; one token for each role."""
    oak = provider_agency(name="Oak Care Ltd", email="placements@oak.example")
    ours = make_provider(name="Oak House", kind=Provider.Kind.CHILDRENS_HOME, partner_agency=oak)
    carer = make_provider(name="Council carer")
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(secret_child, referral=referral, send=True)
    offer = services_requests.offer_record(actor=people.officer, request=request, provider=carer,
                                           available_from=NEEDED, now=NOW, today=TODAY)
    health = PartnerAgency.objects.create(name="Harbourside Health", kind=PartnerAgency.Kind.HEALTH)
    share_with(secret_child, health, by=people.worker)
    users = {
        Role.SOCIAL_WORKER: people.worker, Role.TEAM_LEADER: people.leader, Role.TEAM_MANAGER: people.manager,
        Role.PLACEMENTS_OFFICER: people.officer, Role.COMMISSIONING_OFFICER: people.commissioner,
    }
    for role in Role:
        if role not in users and role != Role.PARTNER:
            users[role] = make_user(role, team=people.team if role != Role.ADMINISTRATOR else None)
    callers = [Caller(str(role), ApiToken.issue(user=user, name="fuzz")[1], "council") for role, user in users.items()]
    callers.append(Caller("partner (health, child shared)",
                          ApiToken.issue(user=make_user(Role.PARTNER, agency=health), name="fuzz")[1], "partner"))
    callers.append(Caller("partner (provider sent the request)",
                          ApiToken.issue(user=make_user(Role.PARTNER, agency=oak), name="fuzz")[1], "provider"))
    assert RequestRecipient.objects.filter(request=request, provider=ours).exists()
    real_ids = {"child_id": str(secret_child.pk), "referral_id": str(referral.pk), "provider_id": str(ours.pk),
                "request_id": str(request.pk), "offer_id": str(offer.pk),
                "action_id": str(_iro_action(secret_child, users).pk),
                "scenario_id": str(_saved_scenario(users[Role.DIRECTOR]).pk),
                "report_id": str(_board_report(users[Role.PERFORMANCE_ANALYST]).pk)}
    real_ids["merge_id"] = str(_merge_proposal(secret_child, people.worker).pk)
    return callers, real_ids


def _merge_proposal(child: Any, worker: Any) -> Any:
    """A proposal that a second record of the child is the same child (harbour.merging, ADR 0019)."""
    from django.utils import timezone

    from harbour.accounts.models import Allocation
    from harbour.children import services as children
    from harbour.merging import services as merging

    twin = children.child_create(actor=worker, identity={"given_names": "Twin", "family_name": "Record"},
                                 date_of_birth=None, date_of_birth_source="", social_worker=worker, today=TODAY)
    # One allocated social worker at a time: the twin's ends today (still in the worker's caseload).
    Allocation.objects.filter(child=twin).update(end=max(TODAY, timezone.localdate()))
    return merging.propose_merge(actor=worker, kept=child, merged=twin, reason="Same Home Office reference")


def _iro_action(child: Any, users: dict[str, Any]) -> Any:
    """An action an IRO raised on the child's file with its social worker (harbour.reviews)."""
    from harbour.reviews.models import QualityAction

    return QualityAction.objects.create(
        child=child, raised_by=users[Role.IRO], raised_on=TODAY, description="Update the care plan",
        social_worker=users[Role.SOCIAL_WORKER], due_on=TODAY + dt.timedelta(days=10))


def _saved_scenario(director: Any) -> Any:
    """A saved forecast scenario, small enough (one year, the fewest runs allowed) to run again in a fuzz example."""
    from harbour.forecasting import services as forecasting

    loaded = forecasting.load(director, today=TODAY)
    values = {**forecasting.scenario_values(loaded.learnt(horizon_years=1)), "runs": "1000"}
    return forecasting.save_scenario(actor=director, name="Fuzz scenario",
                                     run=loaded.run(forecasting.scenario_from_values(values)))


def _board_report(analyst: Any) -> Any:
    """A published Corporate Parenting Board report (harbour.reporting.board), so its PDF answers 200."""
    from harbour.domain.board_report import parse_period
    from harbour.reporting.board import services as board

    report = board.draft_report(user=analyst, period=parse_period("2026-27-Q1"), today=TODAY)
    for section in report.commentaries.values_list("section", flat=True):
        report.refresh_from_db()
        board.save_commentary(user=analyst, report=report, section=section, text="", nothing_to_add=True,
                              version=report.version)
    report.refresh_from_db()
    return board.publish(user=analyst, report=report, version=report.version)


@pytest.fixture
def keep_the_test_connection():
    """Schemathesis calls the WSGI handler itself, whose request signals close "old" connections:
    on PostgreSQL that would close the test's transaction. Django's test client unhooks them too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _operations() -> list[Any]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_answers_every_role_without_a_server_error_and_as_documented(world, keep_the_test_connection):
    callers, real_ids = world
    operations = _operations()
    # The walk must not find nothing: a floor, not the list.
    assert len(operations) >= 30
    unknown = {name for op in operations for name in re.findall(r"{(\w+)}", op.path)} - set(real_ids)
    assert unknown == set(), f"Add a real record for these path parameters to the fixture: {unknown}"
    failures: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _attack(operation, mode, callers, real_ids)
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 (every failing operation is reported at once)
                failures.append(f"{operation.label} ({mode}): {str(error)[:1500]}")
    assert failures == [], "\n\n".join(failures)


def _attack(operation: Any, mode: GenerationMode, callers: list[Caller], real_ids: dict[str, str]) -> None:
    """Valid input goes to every role wherever the records are real; random identifiers (404 for
    everyone) and invalid input (refused before any record is read) go to one role drawn per request,
    which keeps the test to minutes."""
    checks = [*CHECKS, negative_data_rejection] if mode == GenerationMode.NEGATIVE else CHECKS

    @given(case=operation.as_strategy(generation_mode=mode), drawn=st.sampled_from(callers))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def attack(case: Any, drawn: Caller) -> None:
        as_generated = dict(case.path_parameters or {})
        variants = [(as_generated, [drawn] if as_generated or mode == GenerationMode.NEGATIVE else callers)]
        if as_generated:
            real = {name: real_ids[name] for name in as_generated}
            variants.append((real, callers if mode == GenerationMode.POSITIVE else [drawn]))
        for path_parameters, who in variants:
            case.path_parameters = path_parameters
            for caller in who:
                extra = [] if caller.kind == "council" else [check_no_restricted_field(caller.kind)]
                case.call_and_validate(headers={"Authorization": f"Bearer {caller.token}"},
                                       checks=checks, additional_checks=extra)

    attack()
