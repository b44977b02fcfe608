from __future__ import annotations

import datetime as dt

from django import forms

from harbour.core.forms import GovukDateField, GovukForm
from harbour.domain.previous_permanence import ORDERS
from harbour.domain.ssda903 import VALIDATOR_YEARS, CollectionYear


def year_choices(today: dt.date) -> list[tuple[str, str]]:
    """The years the DfE's rules can check, newest first; the year in progress is 'to date'."""
    latest = today.year + 1 if today >= dt.date(today.year, 4, 1) else today.year
    choices = []
    for ending in range(min(latest, VALIDATOR_YEARS.stop - 1), VALIDATOR_YEARS.start - 1, -1):
        year = CollectionYear(ending)
        label = f"{year.label}, to date" if ending == latest else f"{year.label}, ended 31 March {ending}"
        choices.append((str(ending), label))
    return choices


class RunReturnForm(GovukForm):
    year = forms.ChoiceField(
        label="Which collection year?", widget=forms.RadioSelect,
        error_messages={"required": "Select the collection year", "invalid_choice": "Select the collection year"},
    )

    def __init__(self, *args: object, today: dt.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["year"].choices = year_choices(today)  # type: ignore[attr-defined]


class PreviousPermanenceForm(GovukForm):
    order = forms.ChoiceField(
        label="Before coming into care, did the child have a permanence order?", widget=forms.RadioSelect,
        choices=list(ORDERS.items()),
        error_messages={"required": "Select whether the child had a previous permanence order"},
    )
    local_authority = forms.CharField(
        label="Code of the council where the order was made", required=False, max_length=3,
        help_text="3 digits, for example 383 for Leeds; 999 if not known; WAL, SCO, NIR or NUK for a court "
                  "outside England. Leave empty if there was no order",
    )
    made_on = GovukDateField(label="Date the order was made", required=False, past_or_today=True,
                             help_text="For example, 14 1 2019. Leave empty if there was no order")
