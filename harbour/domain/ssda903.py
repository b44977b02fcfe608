"""The SSDA903 return: collection years, code lists that change by year, and the validator's known
false positives.

Sources (reference.md section 4): the column lists and code lists of the maintained validator
data-to-insight/csc-validator-be-903 (``lac_validator/config.py`` and the rule packs
``lac2022_23`` to ``lac2026_27``) [primary for the validator], and the DfE's "Children looked after
return: guide" as reproduced there [secondary]. The validator's quirks are from
``shared/domain/ssda903-validator-notes.md``, each checked against the validator's code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from harbour.domain.ages import birthday

__all__ = [
    "COLUMNS",
    "FIRST_IMPORT_YEAR",
    "HARBOUR_RULES",
    "REASONS_CEASED",
    "VALIDATOR_YEARS",
    "CollectionYear",
    "KnownFalsePositive",
    "collection_year",
    "date_903",
    "header_sex",
    "ChildInReturn",
    "known_false_positive",
    "parse_date_903",
    "reviews_outside_care",
    "valid_places",
]

# The first year a council's past returns are imported from (issue 8: "2017 onward").
FIRST_IMPORT_YEAR = 2017
# The rule packs the validator ships: lac2022_23 (collection year 2023) to lac2026_27 (2027).
VALIDATOR_YEARS = range(2023, 2028)

# Each file's columns in the DfE's order (validator config.py). The validator recognises a table by
# its exact set of columns, not by its file name.
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": (
        "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
        "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
    ),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "OC2": (
        "CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS",
        "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "AD1": (
        "CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR",
    ),
    "PlacedAdoption": ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "SWEpisodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
}

_PLACES_2022_23 = frozenset(
    {"A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1",
     "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1"}
)
# 2024-25 added K3 (registered supported accommodation); 2025-26 removed H5 and P2 and split Z1
# into Z11 to Z14 (reference 4.3, 4.11).
_PLACES_2024_25 = _PLACES_2022_23 | {"K3"}
_PLACES_2025_26 = (_PLACES_2024_25 - {"H5", "P2", "Z1"}) | {"Z11", "Z12", "Z13", "Z14"}


# REC, the reason an episode ceased (reference 4.3): X1 when another episode starts the same day.
REASONS_CEASED = frozenset(
    {"X1", "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E5", "E6", "E7",
     "E8", "E9", "E14", "E15", "E16", "E17"}
)


@dataclass(frozen=True)
class CollectionYear:
    """The collection year ending on 31 March of ``ending``: 1 April ``ending - 1`` to 31 March."""

    ending: int

    @property
    def start(self) -> date:
        return date(self.ending - 1, 4, 1)

    @property
    def end(self) -> date:
        return date(self.ending, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.ending - 1}-{str(self.ending)[2:]}"

    def includes(self, start: date, end: date | None) -> bool:
        """Whether a spell from ``start`` to ``end`` (open when None) falls partly in the year."""
        return start <= self.end and (end is None or end >= self.start)


def collection_year(ending: int, *, today: date) -> CollectionYear:
    """The collection year ending on 31 March ``ending``, refused when it cannot be a return.

    A return covers a year that has begun (SSDA903 guide, reference 4); Harbour imports past
    returns from 2017 (issue 8).
    """
    latest = today.year + 1 if today >= date(today.year, 4, 1) else today.year
    if not FIRST_IMPORT_YEAR <= ending <= latest:
        raise ValueError(
            f"Year must be between {FIRST_IMPORT_YEAR} and {latest}, the year in which the collection "
            f"ends on 31 March"
        )
    return CollectionYear(ending)


def date_903(value: date | None) -> str:
    """Dates in the return are written dd/mm/YYYY (validator config; reference 4.1)."""
    return "" if value is None else value.strftime("%d/%m/%Y")


def parse_date_903(text: str) -> date:
    """Read a dd/mm/YYYY date; ValueError names the expected form."""
    parts = text.strip().split("/")
    if len(parts) != 3 or not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
        raise ValueError(f"'{text}' is not a date in the form dd/mm/yyyy")
    day, month, year = (int(part) for part in parts)
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ValueError(f"'{text}' is not a real date ({error})") from error


def header_sex(sex: str, year: CollectionYear) -> str:
    """Header SEX: M, F or U from 2024-25 (validator rule 101, lac2024_25); 1 male, 2 female before.

    Before 2024-25 there was no code for a sex not known; a child recorded as not known is returned
    as blank so the validator asks for it rather than Harbour guessing (reference 4.2).
    """
    if year.ending >= 2025:
        return sex if sex in {"M", "F", "U"} else "U"
    return {"M": "1", "F": "2"}.get(sex, "")


def valid_places(year: CollectionYear) -> frozenset[str]:
    """Placement types (PLACE) the return accepts in a collection year (reference 4.3)."""
    if year.ending >= 2026:
        return _PLACES_2025_26
    if year.ending >= 2025:
        return _PLACES_2024_25
    return _PLACES_2022_23


@dataclass(frozen=True)
class KnownFalsePositive:
    rule: str
    reason: str


@dataclass(frozen=True)
class ChildInReturn:
    """What the classification needs of one child's rows in the return."""

    date_of_birth: date | None
    episodes: Sequence[Mapping[str, str]]  # the child's Episodes rows, as written
    is_care_leaver: bool  # the child has an OC3 row
    previous_year_loaded: bool


def known_false_positive(
    rule: str, year: CollectionYear, child: ChildInReturn, row: Mapping[str, str] | None = None
) -> KnownFalsePositive | None:
    """Whether a validator result is one Harbour knows to be wrong for this child, and why.

    Each case is from shared/domain/ssda903-validator-notes.md, checked in the validator's code:
    a true return can carry these results, so they are shown apart from real errors. ``row`` is the
    flagged row as written, when the result names one: some cases hold for one episode only. Rules 575,
    577, SW17STG2 and SW11bSTG2 were found running 0.1.17 on a hand-built return (harbour/returns/tests/test_return_files.py).

    * 218 on a short-break episode (LS V3 or V4): rule 214 forbids a URN there and the DfE guide
      collects no placement details for short breaks, but rule 218 as coded (lac2025_26) exempts
      placement types only, so such an episode in a foster or residential placement fails one of
      the two whatever is returned.
    * 241 on a K3 episode: the DfE rule compares the placement's authority with the authorities in
      which the URN's provider has premises (Ofsted's lookup); the validator (lac2025_26) compares it
      with the council sending the return, so every out-of-area registered supported accommodation
      placement fails.
    """
    row = row or {}
    if rule == "218" and row.get("LS") in {"V3", "V4"}:
        return KnownFalsePositive(rule, "Rule 214 forbids a URN on a short-break (V3, V4) episode and rule 218 "
                                        "asks for one: one of the two always fails.")
    if rule == "241" and row.get("PLACE") == "K3":
        return KnownFalsePositive(rule, "The validator compares an out-of-area K3 placement's authority with the "
                                        "council sending the return, not with where the provider has premises.")
    started = sum(1 for row in child.episodes if row.get("RNE") == "S")
    if rule == "SW12STG2" and started >= 2:
        return KnownFalsePositive(rule, "The validator compares every episode with every social worker episode, "
                                        "so a child with two periods of care in the year is flagged.")
    if rule in {"1001", "1002"} and child.previous_year_loaded and child.is_care_leaver:
        return KnownFalsePositive(rule, "With last year's files loaded the validator sees only two years of "
                                        "episodes, so a care leaver aged 19 to 21 looks as if never in care.")
    if rule == "146" and year.ending == 2025 and any(row.get("PLACE") == "K3" for row in child.episodes):
        return KnownFalsePositive(rule, "The 2024-25 rule pack lists placement k3 in lower case, so every K3 "
                                        "placement fails rule 146 in that year.")
    still_looked_after = any(row.get("DEC") == "" for row in child.episodes)
    if rule in {"575", "577"} and still_looked_after:
        return KnownFalsePositive(rule, "The validator flags a missing episode still open on 31 March even though "
                                        "the child is still looked after, so it need not have ended.")
    if rule == "SW11bSTG2" and child.episodes and not still_looked_after:
        return KnownFalsePositive(rule, "The validator asks for a social worker episode after one that ended in "
                                        "the last days of March, even for a child who had left care by then.")
    if rule == "SW17STG2" and child.episodes and not still_looked_after:
        return KnownFalsePositive(rule, "The validator asks for a social worker episode open on 31 March for a "
                                        "child who was no longer looked after then.")
    if rule == "1016" and child.date_of_birth is not None and birthday(child.date_of_birth, 18) == year.end:
        return KnownFalsePositive(rule, "The validator treats a young person whose 18th birthday is 31 March as 17.")
    return None


# Harbour's own checks, for what the DfE's guide requires and csc-validator-be-903 (0.1.17) does
# not check; each is reported like a validator rule, under a code the DfE does not use.
REVIEW_OUTSIDE_CARE = "H01"
HARBOUR_RULES: Mapping[str, str] = {
    REVIEW_OUTSIDE_CARE: "The review is dated outside the child's periods of care in the return: check the date "
                         "of the review, or the dates the child started or stopped being looked after",
}


def reviews_outside_care(reviews: Sequence[Mapping[str, str]],
                         episodes: Sequence[Mapping[str, str]]) -> list[int]:
    """The positions in ``reviews`` (one child's Reviews rows) of the reviews dated outside every
    one of the child's episodes (``episodes``, their Episodes rows; an episode with no DEC is still
    open), from the day it started to the day it ended, both counted.

    A review is a review of a looked-after child's case (SI 2010/959 regs 32 and 33 [primary]), and
    the return's Reviews file holds the reviews of children looked after in the year (DfE SSDA903
    guide, reference 4.4); a review outside every episode means a wrong review date or a wrong
    period of care. Rows whose dates cannot be read are left to the validator's date rules (166).
    """
    spans: list[tuple[date, date | None]] = []
    for episode in episodes:
        try:
            start = parse_date_903(episode.get("DECOM", ""))
            end = parse_date_903(episode["DEC"]) if episode.get("DEC", "").strip() else None
        except ValueError:
            return []  # unreadable episodes: the validator's rules report them, and nothing here is sure
        spans.append((start, end))
    outside = []
    for position, review in enumerate(reviews):
        try:
            held = parse_date_903(review.get("REVIEW", ""))
        except ValueError:
            continue
        if not any(start <= held and (end is None or held <= end) for start, end in spans):
            outside.append(position)
    return outside
