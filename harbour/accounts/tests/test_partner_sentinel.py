"""The partner sentinel (security checklist item 4): a child whose restricted fields hold unique
sentinel strings is shared with a partner of every kind of agency, and every GET page, API answer
and export in the URLconf is requested as each of them. No sentinel may appear in any answer: the
signed-in partner views carry no restricted field for any kind of agency (what each agency may see
of the single referral form travels by its own link, `harbour/referrals/tests/test_distribution.py`).

The routes are found by walking the URLconf, so a page added later is requested without anyone
listing it; a route with a path parameter this test has no value for fails the test until one is
added. The reviews, leaving-care, UASC, forecasting and returns pages answer a partner 403 or 404.
Django's admin (`admin/`) is left out: it answers only staff, and no partner is staff (asserted).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from harbour.accounts.models import ApiToken, PartnerAgency, Role, User
from harbour.children.models import ChronologyEntry
from harbour.core.tests.pdf_text import pdf_text
from harbour.documents.models import Document
from harbour.placements.models import NeedsProfile, PlacementRequest
from harbour.referrals.models import Referral
from harbour.uasc.models import AsylumClaim, NrmReferral

pytestmark = pytest.mark.django_db

SENTINELS = {
    "religion": "SNTLreligion9101",
    "nationality": "SNTLnationality9102",
    "home_office_reference": "SNTL-HO-9103",
    "port_reference": "SNTL-PORT-9104",
    "health_information": "SNTLhealth9105",
    "safety_information": "SNTLsafety9106",
    "trafficking_indicators": "SNTLtrafficking9107",
    "family_links": "SNTLfamily9108",
    "legal_representative": "SNTLlawyer9109",
    "current_location": "SNTLlocation9110",
    "chronology": "SNTLchronology9111",
    "needs_detail": "SNTLneeds9112",
    "asylum_lawyer": "SNTLasylumlawyer9113",
    "nrm_safety_plan": "SNTLnrmplan9114",
    "placement_choice_reason": "SNTLchoice9115",
}
# Restricted facts held as codes: their words must not appear either.
RESTRICTED_WORDS = ["Gypsy or Roma"]
PARTNER_KINDS = [PartnerAgency.Kind.HEALTH, PartnerAgency.Kind.EDUCATION, PartnerAgency.Kind.POLICE,
                 PartnerAgency.Kind.MASH, PartnerAgency.Kind.PROVIDER]
CLOSED_TO_PARTNERS = ("reviews/", "leaving-care/", "uasc/", "forecasting/", "returns/", "api/v1/reviews/",
                      "api/v1/leaving-care/", "api/v1/forecasts")
_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _walk(patterns: list, prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def partner_routes() -> list[str]:
    return sorted({route for route in _walk(get_resolver().url_patterns) if not route.startswith("admin/")})


@pytest.fixture
def world(make_team, make_user, make_agency, make_child, share_with):
    team = make_team()
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    child = make_child(social_worker=worker, given_names="Shared", family_name="Sentinelchild", ethnicity="WROM",
                       is_uasc=True, **{f: SENTINELS[f] for f in (
                           "religion", "nationality", "home_office_reference", "port_reference")})
    ChronologyEntry.objects.create(child=child, kind="note", occurred_at=timezone.now() - dt.timedelta(days=1),
                                   title=SENTINELS["chronology"], description=SENTINELS["chronology"],
                                   recorded_by=worker)
    NeedsProfile.objects.create(child=child, needs=["trauma"], needs_detail=SENTINELS["needs_detail"])
    referral = Referral.objects.create(
        child=child, team=team, received_at=timezone.now() - dt.timedelta(days=1), nts_reference="NTS-1",
        referring_authority="Kent", transfer_due=timezone.localdate() + dt.timedelta(days=4),
        transfer_working_days=5, status=Referral.Status.ACCEPTED, recorded_by=worker,
        **{f: SENTINELS[f] for f in ("health_information", "safety_information", "trafficking_indicators",
                                     "family_links", "legal_representative", "current_location")})
    AsylumClaim.objects.create(child=child, claimed_on=timezone.localdate() - dt.timedelta(days=30),
                               sef_due=timezone.localdate() + dt.timedelta(days=30), updated_by=worker,
                               legal_representative=SENTINELS["asylum_lawyer"])
    nrm = NrmReferral.objects.create(child=child, referred_on=timezone.localdate() - dt.timedelta(days=10),
                                     safety_plan=SENTINELS["nrm_safety_plan"], updated_by=worker)
    partners = {}
    for kind in PARTNER_KINDS:
        agency = make_agency(kind)
        share_with(child, agency, by=worker)
        partners[str(kind)] = make_user(Role.PARTNER, agency=agency)
    # A real record for every kind of path parameter the partner routes take; the others are
    # records a partner never has, so any value shows the answer a partner gets.
    document = Document.objects.create(child=child, kind=Document.Kind.AGE_ASSESSMENT, original_name="assessment.pdf",
                                       stored_name=uuid.uuid4().hex, content_type="application/pdf", size=1,
                                       sha256="0" * 64, uploaded_by=worker)
    # A real placement request for the child, with the council's reasons for its choice on it.
    request = PlacementRequest.objects.create(child=child, needed_from=timezone.localdate(), created_by=worker,
                                              choice_reason=SENTINELS["placement_choice_reason"])
    values = {"child_id": child.pk, "referral_id": referral.pk, "nrm_referral_id": nrm.pk, "document_id": document.pk,
              "request_id": request.pk}
    return {"child": child, "partners": partners, "values": values}


# Parameters whose records no partner can reach: a well-formed value that names nothing.
UNREACHABLE = {
    "provider_id": uuid.UUID(int=2), "recipient_id": uuid.UUID(int=3),
    "offer_id": uuid.UUID(int=4), "scenario_id": uuid.UUID(int=5), "run_id": uuid.UUID(int=6),
    "copy_id": uuid.UUID(int=7), "task_id": uuid.UUID(int=8), "token": "not-a-real-token",
    "action_id": 1, "member_id": 1, "lead_id": 1, "delegation_id": 1, "invitation_id": 1,
    "measure": "reviews-on-time", "period_key": "2025-26", "report_id": uuid.UUID(int=9), "section": "nts",
    "key": "director", "hold_id": uuid.UUID(int=10), "proposal_id": uuid.UUID(int=11),
    "merge_id": uuid.UUID(int=12),
}


def url_for(route: str, values: dict[str, object]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(2)
        known = {**UNREACHABLE, **values}
        if name not in known:
            pytest.fail(f"/{route}: add a value for the path parameter <{name}> to this test")
        return str(known[name])
    return "/" + _PARAMETER.sub(fill, route)


def test_the_walk_finds_the_partner_facing_routes():
    routes = set(partner_routes())
    assert {"children/<str:child_id>/", "api/v1/children/<child_id>", "api/v1/children", ""} <= routes
    assert len(routes) > 150


def _leaks(body: str) -> list[str]:
    return [s for s in [*SENTINELS.values(), *RESTRICTED_WORDS] if s in body]


@pytest.mark.parametrize("kind", [str(k) for k in PARTNER_KINDS])
def test_no_restricted_field_reaches_any_partner_page_api_answer_or_export(kind, world, signed_in):
    partner: User = world["partners"][kind]
    assert not partner.is_staff and not partner.is_superuser
    web = signed_in(partner)
    _, raw = ApiToken.issue(user=partner, name="sentinel")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    # Sanity: the sentinels are on record and the partner sees the shared child.
    detail = web.get(f"/children/{world['child'].pk}/")
    assert detail.status_code == 200 and "Sentinelchild" in detail.content.decode()

    leaks, opened, wrongly_open = [], [], []
    for route in partner_routes():
        path = url_for(route, world["values"])
        response = (api if route.startswith("api/") else web).get(path)
        if response.status_code == 200:
            opened.append(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.get("Content-Type", "").startswith("application/pdf"):
            text = pdf_text(body)  # the text drawn on the pages: the bytes hold glyph ids, not words
        else:
            text = body.decode("utf-8", errors="replace")
        found = _leaks(text)
        if found:
            leaks.append(f"{path} ({response.status_code}): {', '.join(found)}")
        if route.startswith(CLOSED_TO_PARTNERS) and response.status_code not in (403, 404, 405):
            wrongly_open.append(f"{path}: {response.status_code}")
    assert leaks == []
    assert wrongly_open == []
    assert f"/children/{world['child'].pk}/" in opened  # the walk reached the shared child's page


def test_a_sentinel_drawn_in_a_pdf_is_found_by_the_walk():
    """The walk reads a PDF's text, so a restricted field printed in one would fail it."""
    from weasyprint import HTML

    pdf = HTML(string=f"<p>Religion: {SENTINELS['religion']}</p>").write_pdf()
    assert SENTINELS["religion"].encode() not in pdf  # the bytes alone would hide it
    assert _leaks(pdf_text(pdf)) == [SENTINELS["religion"]]
