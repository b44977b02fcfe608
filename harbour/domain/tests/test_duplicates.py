from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harbour.domain.duplicates import STRONG, PersonFacts, PossibleMatch, compare_people
from harbour.domain.names import sound_key
from harbour.domain.tests.support import d

REFERRED = PersonFacts(
    given_names="Mohammed", family_name="Noori", other_names=("محمد نوری",),
    dates_of_birth=(d("2010-01-01"),), home_office_reference="U1234567", nationality="Afghan", sex="M",
)

CASES = [
    # (candidate on record, shown?, strong?, a reason that must be given, case)
    (PersonFacts("Muhammad", "Noori", dates_of_birth=(d("2010-01-01"),), nationality="Afghan", sex="M"),
     True, True, "Given name sounds the same (Mohammed, Muhammad)", "transliteration-same-date"),
    (PersonFacts("Mohamad", "", dates_of_birth=(d("2010-06-14"),), sex="M"),
     True, False, "Family name missing on one record", "family-name-missing-and-1-january"),
    (PersonFacts("", "", other_names=("محمد",), dates_of_birth=(d("2010-01-01"),), sex="M"),
     True, False, "Given name sounds the same (Mohammed, محمد)", "arabic-script-only"),
    (PersonFacts("Ali", "Rezaei", dates_of_birth=(d("2009-03-02"),), home_office_reference="u123 4567"),
     True, True, "Same Home Office reference", "same-home-office-reference-other-name"),
    (PersonFacts("Mohammed", "Karimi", dates_of_birth=(d("2004-05-05"),), sex="M"),
     False, False, "", "common-given-name-born-years-apart"),
    (PersonFacts("Mohammed", "Noori", dates_of_birth=(d("2010-01-01"),), sex="F"),
     True, False, "Recorded sex differs", "different-sex-lowers-the-score"),
    (PersonFacts("Yonas", "Tesfay", dates_of_birth=(d("2010-01-01"),), sex="M"),
     False, False, "", "same-date-different-name"),
]


@pytest.mark.parametrize(("candidate", "shown", "strong", "reason"), [c[:4] for c in CASES], ids=[c[4] for c in CASES])
def test_compare_people(candidate: PersonFacts, shown: bool, strong: bool, reason: str) -> None:
    match = compare_people(REFERRED, candidate)
    assert (match is not None) is shown
    if match:
        assert match.strong is strong, match
        assert reason in match.reasons


@pytest.mark.parametrize("spelling", ["Mohammed", "Muhammad", "Mohamad", "Mohamed", "محمد"])
def test_spellings_of_one_name_meet(spelling: str) -> None:
    assert sound_key(spelling) == "mhmd"


def test_strong_match_scores_at_least_the_strong_mark() -> None:
    match = compare_people(REFERRED, PersonFacts("Muhammad", "Noori", dates_of_birth=(d("2010-01-01"),), sex="M"))
    assert match is not None and match.score >= STRONG


# A labelled set: pairs of records marked by hand as one child or two (security checklist 31).
# Spelling and dating variants are those of NTS referrals; see the file's "about".
PAIRS = json.loads((Path(__file__).parent / "data" / "duplicate_pairs.json").read_text(encoding="utf-8"))["pairs"]


def _facts(record: dict[str, Any]) -> PersonFacts:
    return PersonFacts(
        given_names=record.get("given", ""), family_name=record.get("family", ""),
        other_names=tuple(record.get("other", ())), dates_of_birth=tuple(d(day) for day in record.get("dob", ())),
        home_office_reference=record.get("ho", ""), port_reference=record.get("port", ""),
        nationality=record.get("nationality", ""), sex=record.get("sex", "U"),
    )


def _shown(pair: dict[str, Any]) -> list[PossibleMatch | None]:
    """Either record can be the new referral and the other the child on record: both ways."""
    a, b = _facts(pair["a"]), _facts(pair["b"])
    return [compare_people(a, b), compare_people(b, a)]


def test_the_labelled_set_finds_at_least_95_percent_of_children_recorded_twice() -> None:
    same = [pair for pair in PAIRS if pair["label"] == "same"]
    assert len(same) >= 50
    found = [match is not None for pair in same for match in _shown(pair)]
    missed = sorted({pair["case"] for pair in same if None in _shown(pair)})
    assert sum(found) / len(found) >= 0.95, missed


def test_the_labelled_set_never_calls_two_children_likely_the_same_and_rarely_shows_them() -> None:
    different = [pair for pair in PAIRS if pair["label"] == "different"]
    assert len(different) >= 15
    matches = [match for pair in different for match in _shown(pair)]
    assert not any(match and match.strong for match in matches)
    assert sum(match is not None for match in matches) / len(matches) <= 0.10
