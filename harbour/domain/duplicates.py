"""Whether a child already on record may be the child just referred.

Never decides: it ranks candidates and says why, and a person links the records or goes on.
Names of children arriving through the NTS are written many ways (Mohammed, Muhammad, Mohamad,
محمد), a family name is often missing on one record, and a child without documents is often
given 1 January of their claimed year of birth (reference.md 5.1; security.md 1.3, Primero's
phonetic search). Each clue adds to a score and gives a reason in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .names import search_key, sound_key

REFERENCE_SCORE = 100
GIVEN_NAME_SCORE = 30
OTHER_NAME_SCORE = 15
SAME_DATE_OF_BIRTH_SCORE = 30
FIRST_OF_JANUARY_SCORE = 15
CLOSE_YEAR_SCORE = 5
NATIONALITY_SCORE = 5
DIFFERENT_SEX_PENALTY = 30
DISTANT_DATE_OF_BIRTH_PENALTY = 20
# A candidate is shown from this score; at the strong score the page says it is likely the same child.
POSSIBLE = 40
STRONG = 70


@dataclass(frozen=True)
class PersonFacts:
    given_names: str = ""
    family_name: str = ""
    other_names: tuple[str, ...] = ()
    dates_of_birth: tuple[date, ...] = ()
    home_office_reference: str = ""
    port_reference: str = ""
    nationality: str = ""
    sex: str = "U"


@dataclass(frozen=True)
class PossibleMatch:
    score: int
    reasons: tuple[str, ...]

    @property
    def strong(self) -> bool:
        return self.score >= STRONG


def _reference(value: str) -> str:
    return "".join(value.upper().split())


def _sounds(text: str) -> set[str]:
    return {key for word in search_key(text).split() if (key := sound_key(word))}


def _all_sounds(person: PersonFacts) -> set[str]:
    found: set[str] = set()
    for name in (person.given_names, person.family_name, *person.other_names):
        found |= _sounds(name)
    return found


def _first_given(person: PersonFacts) -> str:
    words = search_key(person.given_names).split()
    return words[0] if words else ""


def _name_clues(referral: PersonFacts, candidate: PersonFacts) -> tuple[int, list[str]]:
    score, reasons = 0, []
    given_r, given_c = _first_given(referral), _first_given(candidate)
    candidate_sounds = _all_sounds(candidate)
    if given_r and given_c and given_r == given_c:
        score += GIVEN_NAME_SCORE
        reasons.append(f"Given name the same ({referral.given_names.split()[0]})")
    elif given_r and sound_key(given_r) in candidate_sounds:
        score += GIVEN_NAME_SCORE
        shown = candidate.given_names or next(iter(candidate.other_names), "")
        reasons.append(f"Given name sounds the same ({referral.given_names.split()[0]}, {shown})")
    elif not given_r and _all_sounds(referral) & candidate_sounds:
        score += GIVEN_NAME_SCORE
        reasons.append("A name sounds the same")
    others = (_all_sounds(referral) - {sound_key(given_r)}) & candidate_sounds
    if others:
        score += OTHER_NAME_SCORE * len(others)
        reasons.append("Other names sound the same" if len(others) > 1 else "Another name sounds the same")
    if score and bool(referral.family_name.strip()) != bool(candidate.family_name.strip()):
        reasons.append("Family name missing on one record")
    return score, reasons


def _date_clues(referral: PersonFacts, candidate: PersonFacts) -> tuple[int, list[str]]:
    if not referral.dates_of_birth or not candidate.dates_of_birth:
        return 0, []
    pairs = [(a, b) for a in referral.dates_of_birth for b in candidate.dates_of_birth]
    if any(a == b for a, b in pairs):
        same = next(a for a, b in pairs if a == b)
        return SAME_DATE_OF_BIRTH_SCORE, [f"Same date of birth ({same.day} {same:%B %Y})"]
    for a, b in pairs:
        if a.year == b.year and ((a.month, a.day) == (1, 1) or (b.month, b.day) == (1, 1)):
            return FIRST_OF_JANUARY_SCORE, [
                f"Born in {a.year}, and one record gives 1 January: often given when the real date is not known"
            ]
    closest = min(abs(a.year - b.year) for a, b in pairs)
    if closest <= 1:
        return CLOSE_YEAR_SCORE, ["Dates of birth within a year of each other"]
    if closest > 2:
        return -DISTANT_DATE_OF_BIRTH_PENALTY, []
    return 0, []


def compare_people(referral: PersonFacts, candidate: PersonFacts) -> PossibleMatch | None:
    """How far ``candidate`` (a child on record) may be the child in ``referral``; None when unlikely.

    A shared Home Office or port reference is nearly conclusive; otherwise at least one name must
    sound the same (the Latin consonant skeleton, which Arabic script meets too), and the dates of
    birth, sex and nationality add or take away.
    """
    score, reasons = 0, []
    for mine, theirs, label in (
        (referral.home_office_reference, candidate.home_office_reference, "Home Office reference"),
        (referral.port_reference, candidate.port_reference, "port reference"),
    ):
        if mine.strip() and _reference(mine) == _reference(theirs):
            score += REFERENCE_SCORE
            reasons.append(f"Same {label}")
    name_score, name_reasons = _name_clues(referral, candidate)
    if not name_score and not score:
        return None
    score += name_score
    reasons += name_reasons
    date_score, date_reasons = _date_clues(referral, candidate)
    score += date_score
    reasons += date_reasons
    if referral.sex in {"M", "F"} and candidate.sex in {"M", "F"} and referral.sex != candidate.sex:
        score -= DIFFERENT_SEX_PENALTY
        reasons.append("Recorded sex differs")
    if referral.nationality.strip() and search_key(referral.nationality) == search_key(candidate.nationality):
        score += NATIONALITY_SCORE
        reasons.append(f"Same nationality ({candidate.nationality})")
    if score < POSSIBLE:
        return None
    return PossibleMatch(score=score, reasons=tuple(reasons))
