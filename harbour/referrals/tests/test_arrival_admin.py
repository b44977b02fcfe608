"""Home Office rates as dated settings in the admin: checked when saved, audited, and the claims
made from them shown but never changed there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory

from harbour.accounts.models import Role
from harbour.audit.models import AuditEvent
from harbour.referrals import admin_funding
from harbour.referrals.models import FundingClaim, HomeOfficeFundingRate

pytestmark = pytest.mark.django_db

GOOD = {"description": "Under 18 from April 2027", "start": "2027-04-01", "end": "", "min_age": "0", "max_age": "17",
        "nightly_rate": "150.00", "one_off_amount": "0", "source": "[primary] gov.uk funding instructions 2027-28"}


def test_rates_and_claims_are_in_the_admin():
    assert isinstance(admin.site._registry[HomeOfficeFundingRate], admin_funding.HomeOfficeFundingRateAdmin)
    assert isinstance(admin.site._registry[FundingClaim], admin_funding.FundingClaimAdmin)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"end": "2027-03-31"}, "end", "End date must be the same as or after the start date"),
    ({"min_age": "16", "max_age": "15"}, "max_age", "The oldest age must be the same as or more than the youngest age"),
    ({"max_age": "18"}, "max_age", "The oldest age must be 17 or less: the rates for children stop at 18"),
    ({"nightly_rate": "-1"}, "nightly_rate", "Enter an amount of 0 or more"),
])
def test_a_rate_that_cannot_be_right_is_refused(changes, field, message):
    form = admin_funding.HomeOfficeFundingRateForm({**GOOD, **changes})
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_saving_a_rate_is_audited(make_user):
    administrator = make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    request = RequestFactory().post("/admin/")
    request.user = administrator
    model_admin = admin.site._registry[HomeOfficeFundingRate]
    form = admin_funding.HomeOfficeFundingRateForm(GOOD)
    assert form.is_valid(), form.errors
    rate = form.save(commit=False)
    model_admin.save_model(request, rate, form, change=False)
    rate.nightly_rate = Decimal("151.00")
    model_admin.save_model(request, rate, form, change=True)
    events = list(AuditEvent.objects.filter(record_type="referrals.HomeOfficeFundingRate").order_by("at"))
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].changes == {"nightly_rate": ["150.00", "151.00"]} and events[1].actor == administrator
    model_admin.delete_queryset(request, HomeOfficeFundingRate.objects.filter(pk=rate.pk))
    assert not HomeOfficeFundingRate.objects.exists()
    assert AuditEvent.objects.filter(record_type="referrals.HomeOfficeFundingRate", action="delete").count() == 1


def test_a_claim_is_read_only_in_the_admin(make_user):
    request = RequestFactory().get("/admin/")
    request.user = make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    claims = admin.site._registry[FundingClaim]
    assert not claims.has_add_permission(request)
    assert not claims.has_change_permission(request)
    assert not claims.has_delete_permission(request)
    assert claims.has_view_permission(request)


def test_the_list_shows_money_and_ages_as_people_read_them():
    rate = HomeOfficeFundingRate(description="x", start=dt.date(2027, 4, 1), min_age=16, max_age=17,
                                 nightly_rate=Decimal("95.50"), one_off_amount=Decimal("6000"), source="s")
    model_admin = admin.site._registry[HomeOfficeFundingRate]
    assert (model_admin.ages(rate), model_admin.nightly(rate), model_admin.one_off(rate)) == ("16 to 17", "£95.50", "£6,000")
