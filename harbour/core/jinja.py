"""The Jinja2 environment for every page: GOV.UK macros, URL and static helpers, GOV.UK dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from harbour.core.languages import language_tag


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def long_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day} {value:%B %Y}"


def long_date_with_day(value: dt.date | None) -> str:
    return f"{value:%A} {long_date(value)}" if value else ""


def short_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day} {value:%b %Y}"


def time_of_day(value: dt.datetime) -> str:
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    return f"{hour}:{value.minute:02d}{suffix}"


def date_time(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return f"{long_date(value)} at {time_of_day(value)}"


DUTY_LABELS = {
    "nts_transfer": "NTS transfer",
    "care_plan": "Care plan",
    "first_review": "First review",
    "second_review": "Second review",
    "review": "Review",
    "visit": "Statutory visit",
    "health_assessment": "Health assessment",
    "pep": "Personal education plan",
    "needs_assessment": "Leaving-care needs assessment",
}


ROUTE_LABELS = {
    "children:detail": "Overview",
    "children:identity": "Identity and age",
    "children:legal": "Legal status and care",
    "children:edit_identity": "Change identity details",
    "children:add_name": "Add a name or spelling",
    "children:add_date_of_birth": "Record a date of birth",
    "children:add_legal_status": "Record a legal status",
    "children:add_period": "Record a period looked after",
    "children:add_chronology_entry": "Add to the timeline",
    "children:access_log": "Who has looked at this record",
    "api:get_child": "API: the child's record",
    "api:child_deadlines": "API: deadlines",
    "api:child_timeline": "API: timeline",
    "referrals:workspace": "NTS referral",
    "referrals:decide": "NTS referral: decision",
    "referrals:form": "Single referral form",
    "referrals:form_pdf": "Single referral form (PDF)",
    "referrals:agencies": "NTS referral: agencies",
    "referrals:send_form": "NTS referral: form sent to agencies",
    "referrals:chase": "NTS referral: agency chased",
    "referrals:sign_off": "Section 20 sign-off",
    "referrals:placement": "NTS referral: placement",
    "referrals:arrival": "NTS referral: arrival",
    "referrals:arrival_done": "NTS referral: after arrival",
    "referrals:arrival_task_complete": "NTS referral: task done",
    "shared:form": "Partner's copy of the referral form",
    "shared:form_pdf": "Partner's copy of the referral form (PDF)",
    "shared:acknowledge": "Partner acknowledged the referral form",
    "shared:add": "Partner added information",
    "allocation:child": "Allocation from the rota",
    "allocation:override": "Allocation to someone else",
    "api:get_referral": "API: NTS referral",
    "api:decide_referral": "API: NTS referral decision",
    "api:send_form": "API: referral form sent",
    "api:form_copies": "API: referral form copies",
    "api:sign_off": "API: section 20 sign-off",
    "api:allocation_proposal": "API: rota proposal",
    "api:allocate": "API: allocation",
    "api:confirm_placement": "API: placement confirmed",
    "api:record_arrival": "API: arrival",
    "placements:directory": "Provider directory",
    "placements:directory_new": "Add a provider",
    "placements:directory_provider": "Provider",
    "placements:directory_change": "Change a provider",
    "placements:directory_vacancies": "Update a provider's vacancies",
    "placements:matching_settings": "Matching settings",
    "placements:sufficiency": "Sufficiency",
    "placements:requests": "Placement requests",
    "placements:request_new": "Placement request: new",
    "placements:request": "Placement request",
    "placements:request_edit": "Placement request: changed",
    "placements:request_send": "Placement request: sent to providers",
    "placements:request_no_answer": "Placement request: no answers marked",
    "placements:request_offer": "Placement request: offer recorded",
    "placements:request_decline": "Placement request: decline recorded",
    "placements:request_offers": "Placement request: offers compared",
    "placements:offer_child_view": "Placement request: child's view of an offer",
    "placements:request_choice": "Placement request: the child's choice",
    "placements:request_place": "Placement request: placement started",
    "placements:provider_requests": "Provider: requests sent to them",
    "placements:provider_request": "Provider: a placement request",
    "placements:provider_offer": "Provider: offer made",
    "placements:provider_decline": "Provider: declined",
    "api:create_placement_request": "API: placement request made",
    "api:get_placement_request": "API: placement request",
    "api:send_placement_request": "API: placement request sent",
    "api:placement_request_answer": "API: provider's answer",
    "api:placement_request_offers": "API: offers compared",
    "api:offer_child_view": "API: child's view of an offer",
    "api:placement_request_choice": "API: the child's choice",
    "api:placement_request_placement": "API: placement started",
    "api:provider_placement_requests": "API: provider's requests",
    "placements:child": "Placements",
    "placements:child_start": "Start a placement",
    "placements:child_change": "Record a change of placement",
    "placements:child_end": "End a placement",
    "placements:needs": "Needs from a placement",
    "api:list_providers": "API: provider directory",
    "api:get_provider": "API: provider",
    "api:update_vacancies": "API: provider vacancies",
    "api:provider_sufficiency": "API: sufficiency",
    "api:child_placements": "API: placements",
    "api:current_placement": "API: current placement",
    "api:start_placement": "API: placement started",
    "api:change_placement": "API: change of placement",
    "api:end_placement": "API: placement ended",
    "api:child_needs": "API: needs from a placement",
    "api:save_needs": "API: needs from a placement changed",
}


def route_label(route: str) -> str:
    return ROUTE_LABELS.get(route, route)


def duty_label(duty: str) -> str:
    return DUTY_LABELS.get(str(duty), str(duty).replace("_", " ").capitalize())


def days_left(due: dt.date, today: dt.date) -> str:
    from harbour.core.calendar import council_calendar
    from harbour.domain.formatting import working_days_left_phrase

    return working_days_left_phrase(due, today, council_calendar())


def age_on(date_of_birth: dt.date | None, on: dt.date) -> str:
    from harbour.domain.ages import age_on as domain_age_on

    return str(domain_age_on(date_of_birth, on)) if date_of_birth else "Not known"


def timeline_items(items: Any) -> list[dict[str, Any]]:
    """Timeline entries in the shape the MoJ timeline macro takes."""
    return [
        {"title": i.title, "byline": i.byline, "datetime": i.at, "description": i.description}
        for i in items
    ]


def environment(**options: Any) -> Environment:
    loader = options.pop("loader")
    options["loader"] = ChoiceLoader(
        [loader, PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]
    )
    options.setdefault("autoescape", True)
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do"]
    env = Environment(**options)  # noqa: S701 - autoescape is set above
    env.globals.update(
        url=url,
        static=static,
        service_name="Harbour",
        council_name=settings.HARBOUR_COUNCIL_NAME,
        demo_mode=settings.HARBOUR_DEMO,
        session_timeout_seconds=settings.HARBOUR_SESSION_IDLE_SECONDS,
        days_left=days_left,
        local_today=timezone.localdate,
        timeline_items=timeline_items,
        age_on=age_on,
        language_tag=language_tag,
    )
    env.filters.update(
        long_date=long_date, long_date_with_day=long_date_with_day, short_date=short_date,
        date_time=date_time, time_of_day=time_of_day, duty_label=duty_label, route_label=route_label,
    )
    return env
