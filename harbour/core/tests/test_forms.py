"""GOV.UK date field and error-list behaviour (harbour.core.forms)."""

import datetime

import pytest
from django import forms

from harbour.core.forms import (
    GovukDateField,
    GovukDateInput,
    GovukForm,
    error_list,
    parse_month,
)

TODAY = datetime.date(2026, 11, 4)


class DateForm(GovukForm):
    date_of_birth = GovukDateField(
        label="Date of birth", past_or_today=True, today=lambda: TODAY, autocomplete_bday=True
    )


class OptionalDateForm(GovukForm):
    review_date = GovukDateField(label="Review date", required=False)


class MixedForm(GovukForm):
    full_name = forms.CharField(label="Full name", error_messages={"required": "Enter full name"})
    arrival = GovukDateField(label="Arrival date")
    placement = forms.ChoiceField(
        label="Placement type",
        choices=[("foster", "Foster care"), ("residential", "Residential")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select placement type"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("full_name") == "Clash":
            raise forms.ValidationError("These details clash with another record")
        return cleaned


def submit(form_class, prefix_name, day, month, year, **extra):
    data = {f"{prefix_name}-day": day, f"{prefix_name}-month": month, f"{prefix_name}-year": year}
    data.update(extra)
    return form_class(data=data)


DATE_CASES = [
    # id, (day, month, year), expected date or None, expected message, expected parts
    pytest.param(("4", "1", "2026"), datetime.date(2026, 1, 4), None, [], id="4/1/2026 valid"),
    pytest.param(("04", "01", "2026"), datetime.date(2026, 1, 4), None, [], id="leading zeros"),
    pytest.param((" 4 ", " 1 ", " 2026 "), datetime.date(2026, 1, 4), None, [], id="spaces"),
    pytest.param(
        ("31", "2", "2026"), None, "Date of birth must be a real date", ["day"], id="31/2/2026"
    ),
    pytest.param(("29", "2", "2024"), datetime.date(2024, 2, 29), None, [], id="29/2/2024 valid"),
    pytest.param(
        ("29", "2", "2026"),
        None,
        "Date of birth must be a real date",
        ["day"],
        id="29/2/2026 invalid",
    ),
    pytest.param(("4", "jan", "2026"), datetime.date(2026, 1, 4), None, [], id="jan as month"),
    pytest.param(("4", "January", "2026"), datetime.date(2026, 1, 4), None, [], id="January"),
    pytest.param(("4", "SEPT", "2025"), datetime.date(2025, 9, 4), None, [], id="SEPT"),
    pytest.param(
        ("4", "13", "2026"), None, "Date of birth must be a real date", ["month"], id="month 13"
    ),
    pytest.param(
        ("4", "janvier", "2026"),
        None,
        "Date of birth must be a real date",
        ["month"],
        id="unknown month name",
    ),
    pytest.param(
        ("0", "1", "2026"), None, "Date of birth must be a real date", ["day"], id="day 0"
    ),
    pytest.param(
        ("x", "y", "2026"),
        None,
        "Date of birth must be a real date",
        ["day", "month"],
        id="letters in day and month",
    ),
    pytest.param(
        ("", "", ""), None, "Enter date of birth", ["day", "month", "year"], id="all blank"
    ),
    pytest.param(
        ("", "1", "2026"), None, "Date of birth must include a day", ["day"], id="blank day"
    ),
    pytest.param(
        ("4", "", "2026"), None, "Date of birth must include a month", ["month"], id="blank month"
    ),
    pytest.param(
        ("4", "1", ""), None, "Date of birth must include a year", ["year"], id="blank year"
    ),
    pytest.param(
        ("", "", "2026"),
        None,
        "Date of birth must include a day and month",
        ["day", "month"],
        id="blank day and month",
    ),
    pytest.param(
        ("4", "", ""),
        None,
        "Date of birth must include a month and year",
        ["month", "year"],
        id="blank month and year",
    ),
    pytest.param(
        ("", "1", ""),
        None,
        "Date of birth must include a day and year",
        ["day", "year"],
        id="blank day and year",
    ),
    pytest.param(
        ("4", "1", "26"), None, "Year must include 4 numbers", ["year"], id="2-digit year"
    ),
    pytest.param(
        ("4", "1", "20266"), None, "Year must include 4 numbers", ["year"], id="5-digit year"
    ),
    pytest.param(("4", "11", "2026"), TODAY, None, [], id="today with past_or_today"),
    pytest.param(
        ("5", "11", "2026"),
        None,
        "Date of birth must be today or in the past",
        ["day", "month", "year"],
        id="future date with past_or_today",
    ),
]


@pytest.mark.parametrize(("parts", "expected", "message", "error_parts"), DATE_CASES)
def test_date_field(parts, expected, message, error_parts):
    form = submit(DateForm, "date_of_birth", *parts)
    valid = form.is_valid()
    bound = form["date_of_birth"]
    if message is None:
        assert valid, form.errors
        assert form.cleaned_data["date_of_birth"] == expected
        assert bound.error_parts == []
    else:
        assert not valid
        assert form.errors["date_of_birth"] == [message]
        assert bound.error_parts == error_parts
        assert form.error_list() == [(f"id_date_of_birth-{error_parts[0]}", message)]


def test_optional_date_blank_is_none():
    form = submit(OptionalDateForm, "review_date", "", "", "")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["review_date"] is None


def test_optional_date_partly_blank_is_an_error():
    form = submit(OptionalDateForm, "review_date", "4", "", "2026")
    assert not form.is_valid()
    assert form.errors["review_date"] == ["Review date must include a month"]


def test_future_date_allowed_without_past_or_today():
    form = submit(OptionalDateForm, "review_date", "1", "1", "2099")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["review_date"] == datetime.date(2099, 1, 1)


def test_today_defaults_to_localdate():
    field = GovukDateField(label="Date", past_or_today=True)
    from django.utils import timezone

    assert field.today is timezone.localdate


def test_values_preserved_after_failed_submit():
    form = submit(DateForm, "date_of_birth", "31", "feb", "2026")
    assert not form.is_valid()
    bound = form["date_of_birth"]
    assert bound.date_parts == {"day": "31", "month": "feb", "year": "2026"}
    items = {item["name"]: item for item in bound.govuk_items}
    assert items["day"]["value"] == "31"
    assert items["month"]["value"] == "feb"
    assert "govuk-input--error" in items["day"]["classes"]
    assert "govuk-input--error" not in items["month"]["classes"]
    assert items["year"]["classes"].startswith("govuk-input--width-4")
    assert items["day"]["autocomplete"] == "bday-day"


def test_initial_date_is_split_into_parts():
    form = DateForm(initial={"date_of_birth": datetime.date(2010, 3, 14)})
    assert form["date_of_birth"].date_parts == {"day": "14", "month": "3", "year": "2010"}
    assert form["date_of_birth"].error_parts == []


def test_widget_names_ids_and_autocomplete():
    form = DateForm()
    bound = form["date_of_birth"]
    assert bound.id_for_label == "id_date_of_birth-day"
    assert bound.field.widget.govuk_kind == "date"
    html = str(bound)  # Django-template rendering of the widget still works
    for part in ("day", "month", "year"):
        assert f'name="date_of_birth-{part}"' in html
        assert f'id="id_date_of_birth-{part}"' in html
        assert f'autocomplete="bday-{part}"' in html
    assert 'inputmode="numeric"' in html


def test_no_bday_autocomplete_by_default():
    widget = GovukDateInput()
    assert "autocomplete" not in widget.widgets[0].attrs
    items = OptionalDateForm()["review_date"].govuk_items
    assert all("autocomplete" not in item for item in items)


def test_has_changed():
    field = GovukDateField(label="Date")
    assert not field.has_changed(datetime.date(2026, 1, 4), ["4", "jan", "2026"])
    assert field.has_changed(datetime.date(2026, 1, 4), ["5", "1", "2026"])
    assert field.has_changed(None, ["31", "2", "2026"])


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1", 1),
        ("01", 1),
        ("12", 12),
        ("jan", 1),
        ("Jan.", 1),
        ("february", 2),
        ("Sep", 9),
        ("sept", 9),
        ("DECEMBER", 12),
        ("0", None),
        ("13", None),
        ("ja", None),
        ("", None),
    ],
)
def test_parse_month(text, number):
    assert parse_month(text) == number


def test_label_with_acronym_keeps_case():
    class NtsForm(GovukForm):
        referral = GovukDateField(label="NTS referral date")

    form = NtsForm(data={"referral-day": "", "referral-month": "", "referral-year": ""})
    assert not form.is_valid()
    assert form.errors["referral"] == ["Enter NTS referral date"]


def test_custom_error_message():
    class CustomForm(GovukForm):
        arrival = GovukDateField(
            label="Arrival date", error_messages={"required": "Enter the date the child arrived"}
        )

    form = CustomForm(data={})
    assert not form.is_valid()
    assert form.errors["arrival"] == ["Enter the date the child arrived"]


def test_error_list_order_and_anchors():
    form = MixedForm(
        data={
            "full_name": "",
            "arrival-day": "4",
            "arrival-month": "",
            "arrival-year": "2026",
        }
    )
    assert not form.is_valid()
    assert form.error_list() == [
        ("id_full_name", "Enter full name"),
        ("id_arrival-month", "Arrival date must include a month"),
        ("id_placement", "Select placement type"),
    ]


def test_error_list_non_field_errors_have_no_anchor():
    form = MixedForm(
        data={
            "full_name": "Clash",
            "arrival-day": "4",
            "arrival-month": "1",
            "arrival-year": "2026",
            "placement": "foster",
        }
    )
    assert not form.is_valid()
    assert form.error_list() == [(None, "These details clash with another record")]


def test_error_list_function_works_on_plain_forms_and_unbound():
    class Plain(forms.Form):
        name = forms.CharField(label="Name", error_messages={"required": "Enter name"})

    assert error_list(Plain()) == []
    form = Plain(data={})
    assert error_list(form) == [("id_name", "Enter name")]


def test_error_list_respects_auto_id_and_prefix():
    form = MixedForm(data={}, auto_id="%s", prefix="x")
    assert not form.is_valid()
    anchors = [anchor for anchor, _ in form.error_list()]
    assert anchors == ["x-full_name", "x-arrival-day", "x-placement"]


# --- The Jinja macros in macros/forms.html, rendered by the project's Jinja2 engine ---


def render_macro(source, **context):
    from django.template import engines

    template = engines["jinja2"].from_string(
        '{% from "macros/forms.html" import error_summary, field, submit %}' + source
    )
    return template.render(context)


def test_error_summary_macro_links_and_nothing_when_valid():
    form = MixedForm(data={"full_name": "", "arrival-day": "4", "arrival-year": "2026"})
    form.is_valid()
    html = render_macro("{{ error_summary(form) }}", form=form)
    assert "There is a problem" in html
    assert 'href="#id_full_name"' in html
    assert 'href="#id_arrival-month"' in html
    assert 'href="#id_placement"' in html
    assert render_macro("{{ error_summary(form) }}", form=MixedForm()).strip() == ""


def test_field_macro_date_keeps_values_and_marks_wrong_part():
    form = submit(DateForm, "date_of_birth", "4", "", "2026")
    form.is_valid()
    html = render_macro("{{ field(form.date_of_birth) }}", form=form)
    assert "govuk-date-input" in html
    assert "Date of birth must include a month" in html
    assert 'name="date_of_birth-day"' in html
    assert 'value="4"' in html
    assert 'value="2026"' in html
    assert 'autocomplete="bday-day"' in html
    month_input = html.split('id="id_date_of_birth-month"')[0].rsplit("<input", 1)[1]
    assert "govuk-input--error" in month_input


def test_field_macro_picks_component_by_widget():
    form = MixedForm(data={"full_name": "<b>Amira</b>", "placement": "residential"})
    html = render_macro(
        "{{ field(form.full_name, spellcheck=false) }}{{ field(form.placement, small=true) }}"
        '{{ submit("Save") }}',
        form=form,
    )
    assert 'class="govuk-input' in html
    assert 'value="&lt;b&gt;Amira&lt;/b&gt;"' in html  # escaped, preserved
    assert 'spellcheck="false"' in html
    assert "govuk-radios govuk-radios--small" in html
    assert 'value="residential" checked' in html
    assert 'data-prevent-double-click="true"' in html
