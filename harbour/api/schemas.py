from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema


class ChildSummaryOut(Schema):
    id: uuid.UUID
    full_name: str
    preferred_name: str
    date_of_birth: dt.date | None


class ChildPartnerOut(Schema):
    """What a partner agency may see: no ethnicity, religion, immigration or health details."""

    id: uuid.UUID
    full_name: str
    preferred_name: str
    date_of_birth: dt.date | None
    first_language: str
    interpreter_needed: bool | None


class DateOfBirthOut(Schema):
    date_of_birth: dt.date
    source: str
    recorded_at: dt.datetime
    in_use: bool


class ChildOut(Schema):
    id: uuid.UUID
    given_names: str
    family_name: str
    preferred_name: str
    names_in_original_script: str
    other_names: list[str]
    date_of_birth: dt.date | None
    date_of_birth_source: str
    dates_of_birth: list[DateOfBirthOut]
    sex: str
    ethnicity: str
    nationality: str
    first_language: str
    other_languages: str
    interpreter_needed: bool | None
    religion: str
    upn: str
    upn_unknown_reason: str
    home_office_reference: str
    port_reference: str
    is_uasc: bool
    version: int


class ChildIn(Schema):
    given_names: str = Field("", max_length=200)
    family_name: str = Field("", max_length=200)
    preferred_name: str = Field("", max_length=200)
    names_in_original_script: str = Field("", max_length=300)
    date_of_birth: dt.date | None = None
    date_of_birth_source: str = Field("claimed", pattern="^(claimed|home_office|assessed|document)$")
    sex: str = Field("U", pattern="^[MFU]$")
    ethnicity: str = Field("NOBT", min_length=4, max_length=4)
    nationality: str = Field("", max_length=100)
    first_language: str = Field("", max_length=100)
    other_languages: str = Field("", max_length=300)
    interpreter_needed: bool | None = None
    religion: str = Field("", max_length=100)
    home_office_reference: str = Field("", max_length=40)
    port_reference: str = Field("", max_length=40)
    is_uasc: bool = False
    social_worker_id: uuid.UUID


class DeadlineOut(Schema):
    duty: str
    due: dt.date
    status: str
    met_on: dt.date | None
    basis: str


class DeadlinesOut(Schema):
    deadlines: list[DeadlineOut]


class TimelineItemOut(Schema):
    kind: str
    title: str
    at: str
    byline: str
    description: str


class ErrorItem(Schema):
    loc: list[str]
    msg: str


class ErrorOut(Schema):
    detail: list[ErrorItem]
