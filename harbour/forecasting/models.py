"""Forecast settings (caseloads, what posts and placements cost) and saved, named scenarios.

The history the forecasts learn from is not copied here: it is read from the children's records
(periods looked after, legal statuses, placements, personal advisers) each time a forecast runs.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from harbour.core.models import Record


def _money(label: str, default: str, help_text: str = "") -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(label, max_digits=10, decimal_places=2, default=Decimal(default),
                               validators=[MinValueValidator(Decimal(0))], help_text=help_text)


class ForecastSettings(models.Model):
    """One row: the council's caseloads and costs that turn a forecast into posts and money.

    The defaults are starting figures for a council to replace with its own: caseloads as the demo
    council allocates, and costs as round example figures, not national rates.
    """

    social_worker_caseload = models.PositiveSmallIntegerField(
        "children per social worker", default=15, validators=[MinValueValidator(1)],
        help_text="The council's caseload target for a social worker of children in care.")
    personal_adviser_caseload = models.PositiveSmallIntegerField(
        "care leavers per personal adviser", default=22, validators=[MinValueValidator(1)])
    iro_caseload = models.PositiveSmallIntegerField(
        "children per IRO", default=60, validators=[MinValueValidator(50), MaxValueValidator(70)],
        help_text="50 to 70 children per full-time IRO (IRO Handbook 2010).")
    supported_lodgings_caseload = models.PositiveSmallIntegerField(
        "young people per supported lodgings coordinator", default=20, validators=[MinValueValidator(1)])
    social_worker_cost = _money("social worker, a year with on-costs", "55000")
    personal_adviser_cost = _money("personal adviser, a year with on-costs", "40000")
    iro_cost = _money("IRO, a year with on-costs", "62000")
    supported_lodgings_cost = _money("supported lodgings coordinator, a year with on-costs", "38000")
    foster_weekly_cost = _money("foster care, a week", "650")
    residential_weekly_cost = _money("children's homes and residential care, a week", "5500")
    supported_weekly_cost = _money("supported accommodation, a week", "1500")
    other_weekly_cost = _money("other placements, a week", "500")
    care_leaver_weekly_funding = _money(
        "Home Office funding for a former unaccompanied care leaver, a week", "270",
        "£270 a week in 2023-24 (Home Office leaving care funding instructions 2023 to 2024).")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = "forecast settings"
        verbose_name_plural = "forecast settings"

    @classmethod
    def current(cls) -> ForecastSettings:
        row, _ = cls.objects.get_or_create(pk=1)
        return row


class SavedScenario(Record):
    """A named scenario and the figures it gave when last run, to compare and run again."""

    name = models.CharField(max_length=100, unique=True)
    parameters = models.JSONField(help_text="The scenario's values, as harbour.domain.forecasting.scenario takes them.")
    figures = models.JSONField(default=dict, help_text="The yearly figures of the last run.")
    history_fingerprint = models.CharField(max_length=64, help_text="What the history looked like when last run.")
    ran_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ran_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
