from __future__ import annotations

import pytest

from harbour.domain.duplicates import STRONG, PersonFacts, compare_people
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
