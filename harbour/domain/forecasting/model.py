"""The stock-and-flow (Markov) model: fitted from the council's history, run many times.

The state is the number of children in care by stream (unaccompanied or not), age in quarters of
a year and placement group, and the number of supported care leavers by stream and age. Each
quarter, in this order: some children leave care (a rate by age band learnt from the history),
some move to another placement group (rates and destinations by age band and group), children
arrive (other entries as learnt; unaccompanied children at the scenario's rate while the council
is below its NTS threshold, reference.md 1.2), and everyone is a quarter older. A child who turns
18 in care becomes a care leaver, supported to 21, and to 25 at the rate learnt from who asked
(reference.md 3.1 and 3.2). The draws are binomial and Poisson, so each run differs; the spread
across at least 1,000 runs is the band on the charts. The same seed gives the same runs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from ..ages import birthday
from .history import (
    ADULT_AGE,
    CHILD_AGE_QUARTERS,
    DAYS_PER_QUARTER,
    GROUPS,
    LEAVER_AGE_QUARTERS,
    SUPPORT_TO,
    ChildHistory,
    PlacementGroup,
    add_quarters,
    age_in_quarters,
    placement_group,
)
from .scenario import DEFAULT_THRESHOLD_PERCENT, Scenario

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# DfE age bands for children looked after (under 1, 1 to 4, 5 to 9, 10 to 15, 16 and 17).
BAND_EDGES = (0, 1, 5, 10, 16, 18)
BAND_LABELS = ("Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and 17")
# A band with less than a child-year of time in care in the history borrows the stream's overall rate.
MIN_EXPOSURE_QUARTERS = 4.0
STREAMS = (False, True)  # index 0: other children; 1: unaccompanied asylum-seeking children
G = len(GROUPS)
QUARTERS_TO_21 = (SUPPORT_TO - ADULT_AGE) * 4
QUANTILES = (5, 25, 50, 75, 95)


def band_of_quarter(age_quarter: int) -> int:
    years = age_quarter // 4
    return next(i for i in range(len(BAND_EDGES) - 1) if BAND_EDGES[i] <= years < BAND_EDGES[i + 1])


_BAND_OF_QUARTER = np.array([band_of_quarter(q) for q in range(CHILD_AGE_QUARTERS)])


def _probability(events: float, quarters: float) -> float:
    """A quarter's chance of the event from a count over time at risk (constant hazard)."""
    return 0.0 if quarters <= 0 else 1.0 - math.exp(-events / quarters)


@dataclass(frozen=True)
class Segment:
    start: date
    end: date  # inclusive
    group: PlacementGroup


def segments(child: ChildHistory, start: date, end: date | None, until: date) -> list[Segment]:
    """A period looked after as stretches in one placement group; days with no placement count as other."""
    last = min(end or until, until, birthday(child.date_of_birth, ADULT_AGE) - timedelta(days=1))
    found: list[Segment] = []
    cursor = start
    for placement in sorted(child.placements, key=lambda p: p.start):
        first = max(placement.start, cursor)
        final = min(placement.end or last, last)
        if first > final:
            continue
        if first > cursor:
            found.append(Segment(cursor, first - timedelta(days=1), PlacementGroup.OTHER))
        found.append(Segment(first, final, placement_group(placement.code)))
        cursor = final + timedelta(days=1)
    if cursor <= last:
        found.append(Segment(cursor, last, PlacementGroup.OTHER))
    merged: list[Segment] = []
    for segment in found:
        if merged and merged[-1].group == segment.group:
            merged[-1] = replace(merged[-1], end=segment.end)
        else:
            merged.append(segment)
    return merged


@dataclass(frozen=True)
class Rates:
    """What the history says, as quarterly probabilities, with the counts behind them."""

    fit_start: date
    fit_end: date
    exit: FloatArray  # (stream, age quarter)
    move: FloatArray  # (stream, age quarter, from group)
    destination: FloatArray  # (stream, age quarter, from group, to group), rows sum to 1
    entry_mix: FloatArray  # (stream, age quarter, group), each stream sums to 1
    entries_per_year: tuple[float, float]  # other children, unaccompanied children
    share_supported_to_25: float | None  # None: nobody in the history reached 21 after leaving care
    counts: dict[str, int]

    @property
    def years(self) -> float:
        return (self.fit_end - self.fit_start).days / 365.25


def _split_by_band(child: ChildHistory, segment: Segment, low: date, high: date) -> list[tuple[int, float]]:
    """(band, days) for the part of a segment inside [low, high)."""
    first, last = max(segment.start, low), min(segment.end, high - timedelta(days=1))
    parts = []
    for band in range(len(BAND_EDGES) - 1):
        band_start = birthday(child.date_of_birth, BAND_EDGES[band])
        band_end = birthday(child.date_of_birth, BAND_EDGES[band + 1]) - timedelta(days=1)
        a, b = max(first, band_start), min(last, band_end)
        if a <= b:
            parts.append((band, float((b - a).days + 1)))
    return parts


def _band_on(child: ChildHistory, day: date) -> int:
    return band_of_quarter(min(age_in_quarters(child.date_of_birth, day), CHILD_AGE_QUARTERS - 1))


@dataclass
class _Tally:
    """Counts and time at risk gathered from the history, before they become rates."""

    exposure: FloatArray  # (stream, band, group) quarters in care
    exits: FloatArray  # (stream, band)
    moves: FloatArray  # (stream, band, from group, to group)
    entries: FloatArray  # (stream, age quarter, group)
    reached_21: int = 0
    supported_after_21: int = 0


def _tally(histories: Sequence[ChildHistory], fit_start: date, fit_end: date) -> _Tally:
    bands = len(BAND_EDGES) - 1
    tally = _Tally(exposure=np.zeros((2, bands, G)), exits=np.zeros((2, bands)), moves=np.zeros((2, bands, G, G)),
                   entries=np.zeros((2, CHILD_AGE_QUARTERS, G)))
    for child in histories:
        stream = int(child.is_uasc)
        periods = child.counted_periods()
        for period in periods:
            parts = segments(child, period.start, period.end, fit_end)
            if not parts:
                continue
            for segment in parts:
                for band, days in _split_by_band(child, segment, fit_start, fit_end):
                    tally.exposure[stream, band, segment.group] += days / DAYS_PER_QUARTER
            for before, after in zip(parts, parts[1:], strict=False):
                if fit_start <= after.start < fit_end:
                    tally.moves[stream, _band_on(child, after.start), before.group, after.group] += 1
            if fit_start <= period.start < fit_end and period.start >= child.date_of_birth:
                age_q = min(age_in_quarters(child.date_of_birth, period.start), CHILD_AGE_QUARTERS - 1)
                tally.entries[stream, age_q, parts[0].group] += 1
            if period.end is not None and fit_start <= period.end < fit_end and not child.aged_out(period):
                tally.exits[stream, _band_on(child, period.end)] += 1
        if periods and child.aged_out(periods[-1]):
            turned_21 = birthday(child.date_of_birth, SUPPORT_TO)
            if fit_start <= turned_21 < fit_end:
                tally.reached_21 += 1
                tally.supported_after_21 += any(spell.end is None or spell.end >= turned_21 for spell in child.adviser)
    return tally


def _band_rates(tally: _Tally) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Exit and move chances by (stream, band) and destinations; a thin band borrows the overall rate."""
    bands = len(BAND_EDGES) - 1
    exit_by_band = np.zeros((2, bands))
    move_by_band = np.zeros((2, bands, G))
    destination_by_band = np.zeros((2, bands, G, G))
    for stream in range(2):
        pooled_exit = _probability(tally.exits[stream].sum(), tally.exposure[stream].sum())
        for band in range(bands):
            time = tally.exposure[stream, band].sum()
            exit_by_band[stream, band] = (_probability(tally.exits[stream, band].sum(), time)
                                          if time >= MIN_EXPOSURE_QUARTERS else pooled_exit)
            for group in range(G):
                group_time = tally.exposure[stream, band, group]
                counts = tally.moves[stream, band, group]
                if group_time < MIN_EXPOSURE_QUARTERS:
                    counts = tally.moves[stream, :, group].sum(axis=0)
                    group_time = tally.exposure[stream, :, group].sum()
                move_by_band[stream, band, group] = _probability(counts.sum(), group_time)
                if counts.sum() > 0:
                    destination_by_band[stream, band, group] = counts / counts.sum()
    return exit_by_band, move_by_band, destination_by_band


def fit(histories: Sequence[ChildHistory], *, fit_start: date, fit_end: date) -> Rates:
    """Learn the rates from what happened between ``fit_start`` and ``fit_end`` (not including it).

    Exits: periods that ended before the 18th birthday. Moves: a change of placement group within a
    period. Entries: periods that began. Support to 25: care leavers who reached 21 in the window
    with a personal adviser allocated on or after their 21st birthday.
    """
    if fit_end <= fit_start:
        raise ValueError("fit_end must be after fit_start")
    tally = _tally(histories, fit_start, fit_end)
    exit_by_band, move_by_band, destination_by_band = _band_rates(tally)
    entries = tally.entries
    years = (fit_end - fit_start).days / 365.25
    entry_mix = np.zeros((2, CHILD_AGE_QUARTERS, G))
    for stream in range(2):
        total = entries[stream].sum()
        if total > 0:
            entry_mix[stream] = entries[stream] / total
        else:
            # No entries in the history: arrivals are taken as 16-year-olds in foster care, the
            # commonest age of an unaccompanied child (reference.md 8.1: 87% aged 16 or over).
            entry_mix[stream, 16 * 4, PlacementGroup.FOSTER] = 1.0
    return Rates(
        fit_start=fit_start, fit_end=fit_end,
        exit=exit_by_band[:, _BAND_OF_QUARTER],
        move=move_by_band[:, _BAND_OF_QUARTER, :],
        destination=destination_by_band[:, _BAND_OF_QUARTER, :, :],
        entry_mix=entry_mix,
        entries_per_year=(float(entries[0].sum() / years), float(entries[1].sum() / years)),
        share_supported_to_25=(tally.supported_after_21 / tally.reached_21) if tally.reached_21 else None,
        counts={"entries": int(entries.sum()), "exits": int(tally.exits.sum()), "moves": int(tally.moves.sum()),
                "child_years": int(tally.exposure.sum() / 4), "care_leavers_reaching_21": tally.reached_21},
    )


def learnt_scenario(rates: Rates, *, horizon_years: int, runs: int, seed: int, child_population: int,
                    threshold_percent: Decimal = DEFAULT_THRESHOLD_PERCENT,
                    default_percent_to_25: Decimal = Decimal(0)) -> Scenario:
    """The central scenario: arrivals and support to 25 as the history shows them."""
    share = rates.share_supported_to_25
    return Scenario(
        horizon_years=horizon_years, runs=runs, seed=seed, child_population=child_population,
        threshold_percent=threshold_percent,
        uasc_arrivals_per_year=Decimal(str(round(rates.entries_per_year[1], 1))),
        spontaneous_uasc_per_year=Decimal(0),
        other_entries_per_year=Decimal(str(round(rates.entries_per_year[0], 1))),
        percent_supported_to_25=(Decimal(str(round(share * 100, 1))) if share is not None else default_percent_to_25),
    )


@dataclass(frozen=True)
class State:
    """Children in care (stream, age quarter, group) and supported care leavers (stream, quarters past 18)."""

    on: date
    care: IntArray
    leavers: IntArray

    @property
    def children_in_care(self) -> int:
        return int(self.care.sum())

    @property
    def uasc_in_care(self) -> int:
        return int(self.care[1].sum())

    @property
    def care_leavers(self) -> int:
        return int(self.leavers.sum())


def state_on(histories: Sequence[ChildHistory], day: date) -> State:
    """Who was in care, where, and who was a supported care leaver, on ``day``."""
    care = np.zeros((2, CHILD_AGE_QUARTERS, G), dtype=np.int64)
    leavers = np.zeros((2, LEAVER_AGE_QUARTERS), dtype=np.int64)
    for child in histories:
        if child.date_of_birth > day:
            continue
        age_q = age_in_quarters(child.date_of_birth, day)
        if child.in_care_on(day):
            care[int(child.is_uasc), min(age_q, CHILD_AGE_QUARTERS - 1), child.group_on(day)] += 1
        elif child.supported_leaver_on(day):
            past_18 = min(max(age_q - CHILD_AGE_QUARTERS, 0), LEAVER_AGE_QUARTERS - 1)
            leavers[int(child.is_uasc), past_18] += 1
    return State(on=day, care=care, leavers=leavers)


@dataclass(frozen=True)
class Runs:
    """Every run's figures at the end of each quarter (axis 0: run, axis 1: quarter)."""

    start: date
    quarter_ends: list[date]
    in_care_by_group: IntArray  # (run, quarter, group)
    uasc_in_care: IntArray
    uasc_by_age: IntArray  # (run, quarter, age in years 0 to 17)
    care_leavers: IntArray
    uasc_care_leavers_under_21: IntArray
    uasc_arrivals: IntArray  # during the quarter
    other_entries: IntArray
    scenario: Scenario

    @property
    def children_in_care(self) -> IntArray:
        total: IntArray = self.in_care_by_group.sum(axis=2)
        return total


def _spread(rng: np.random.Generator, counts: IntArray, mix: FloatArray) -> IntArray:
    """Share each run's arrivals among ages and groups: (run,) counts and an (age, group) mix.

    One categorical draw per arrival, counted per run: the same as a multinomial for each run,
    and much faster when most runs have few arrivals.
    """
    flat = mix.ravel()
    total = flat.sum()
    flat = flat / total if total > 0 else np.full(flat.shape, 1.0 / flat.size)
    runs, cells = counts.shape[0], flat.size
    chosen = rng.choice(cells, size=int(counts.sum()), p=flat)
    owner = np.repeat(np.arange(runs), counts)
    drawn: IntArray = np.bincount(owner * cells + chosen, minlength=runs * cells).reshape(runs, *mix.shape)
    return drawn


def _destinations(destination: FloatArray) -> FloatArray:
    """Where a mover goes; a group with no moves learnt keeps its children."""
    safe = destination.copy()
    empty = safe.sum(axis=3) <= 0
    for group in range(G):
        safe[..., group, group] = np.where(empty[..., group], 1.0, safe[..., group, group])
    safe /= safe.sum(axis=3, keepdims=True)
    return safe


def simulate(rates: Rates, start: State, scenario: Scenario) -> Runs:
    """Run the model ``scenario.runs`` times from ``start`` for ``scenario.horizon_years``."""
    rng = np.random.default_rng(scenario.seed)
    runs, quarters = scenario.runs, scenario.horizon_years * 4
    care = np.broadcast_to(start.care, (runs, *start.care.shape)).copy()
    leavers = np.broadcast_to(start.leavers, (runs, *start.leavers.shape)).copy()
    by_group = np.zeros((runs, quarters, G), dtype=np.int64)
    uasc = np.zeros((runs, quarters), dtype=np.int64)
    uasc_ages = np.zeros((runs, quarters, ADULT_AGE), dtype=np.int64)
    leaving = np.zeros((runs, quarters), dtype=np.int64)
    uasc_leaving_under_21 = np.zeros((runs, quarters), dtype=np.int64)
    uasc_arrived = np.zeros((runs, quarters), dtype=np.int64)
    others_arrived = np.zeros((runs, quarters), dtype=np.int64)
    threshold = float(scenario.threshold_count)
    transfers, spontaneous = float(scenario.uasc_arrivals_per_year) / 4, float(scenario.spontaneous_uasc_per_year) / 4
    other_rate = float(scenario.other_entries_per_year) / 4
    to_25 = float(scenario.percent_supported_to_25) / 100
    # In a quarter a child leaves care, moves to another kind of placement, or stays: one draw for
    # "something happened", then which (drawn only where something did, which is rare).
    exit_p = np.broadcast_to(rates.exit[:, :, None], (2, CHILD_AGE_QUARTERS, G))
    event_p = np.clip(exit_p + rates.move, 0.0, 1.0)
    exit_share = np.divide(exit_p, event_p, out=np.zeros_like(event_p), where=event_p > 0).clip(0.0, 1.0)
    destination = _destinations(rates.destination)
    for quarter in range(quarters):
        events = rng.binomial(care, event_p[None])
        cells = np.nonzero(events)
        happened = events[cells]
        care[cells] -= happened
        state = cells[1:]
        movers = happened - rng.binomial(happened, exit_share[state])
        moving = movers > 0
        if moving.any():
            where = tuple(axis[moving] for axis in cells)
            landed = rng.multinomial(movers[moving], destination[where[1:]])
            # Flat index of (run, stream, age, first group); the landing groups follow it.
            first = np.ravel_multi_index((*where[:3], np.zeros_like(where[0])), care.shape)
            care += np.bincount((first[:, None] + np.arange(G)[None, :]).ravel(), weights=landed.ravel(),
                                minlength=care.size).astype(np.int64).reshape(care.shape)
        # The council is directed to take transfers only while below its threshold (reference.md 1.2).
        below = care[:, 1].sum(axis=(1, 2)) < threshold
        arrived = rng.poisson(transfers * below + spontaneous)
        care[:, 1] += _spread(rng, arrived, rates.entry_mix[1])
        entered = rng.poisson(other_rate, runs)
        care[:, 0] += _spread(rng, entered, rates.entry_mix[0])
        # A quarter older: 18-year-olds become care leavers; at 21 some ask for support to 25.
        turning_18 = care[:, :, -1, :].sum(axis=2)
        care[:, :, 1:, :] = care[:, :, :-1, :].copy()
        care[:, :, 0, :] = 0
        turning_21 = leavers[:, :, QUARTERS_TO_21 - 1]
        staying = rng.binomial(turning_21, to_25)
        leavers[:, :, 1:] = leavers[:, :, :-1].copy()
        leavers[:, :, 0] = turning_18
        leavers[:, :, QUARTERS_TO_21] = staying
        by_group[:, quarter] = care.sum(axis=(1, 2))
        uasc[:, quarter] = care[:, 1].sum(axis=(1, 2))
        uasc_ages[:, quarter] = care[:, 1].sum(axis=2).reshape(runs, ADULT_AGE, 4).sum(axis=2)
        leaving[:, quarter] = leavers.sum(axis=(1, 2))
        uasc_leaving_under_21[:, quarter] = leavers[:, 1, :QUARTERS_TO_21].sum(axis=1)
        uasc_arrived[:, quarter] = arrived
        others_arrived[:, quarter] = entered
    return Runs(start=start.on, quarter_ends=[add_quarters(start.on, q + 1) for q in range(quarters)],
                in_care_by_group=by_group, uasc_in_care=uasc, uasc_by_age=uasc_ages, care_leavers=leaving,
                uasc_care_leavers_under_21=uasc_leaving_under_21, uasc_arrivals=uasc_arrived,
                other_entries=others_arrived, scenario=scenario)


@dataclass(frozen=True)
class Band:
    """Percentiles across runs: the median and the 50% and 90% bands."""

    p5: list[float]
    p25: list[float]
    p50: list[float]
    p75: list[float]
    p95: list[float]


def band(values: npt.NDArray[np.int64] | FloatArray) -> Band:
    """Percentiles across runs (axis 0) for each column."""
    found = np.percentile(values, QUANTILES, axis=0)
    return Band(*[[round(float(v), 2) for v in row] for row in found])


@dataclass(frozen=True)
class MeasureCheck:
    name: str
    actual: list[int]
    median: list[float]
    mean_absolute_error: float
    mean_absolute_percentage_error: float | None
    share_within_90_band: float


@dataclass(frozen=True)
class Backtest:
    """How a forecast made at ``cut_off`` from the history before it compares with what happened."""

    cut_off: date
    fitted_from: date
    quarter_ends: list[date]
    measures: list[MeasureCheck]


def _check(name: str, actual: list[int], values: IntArray) -> MeasureCheck:
    spread = band(values)
    errors = [abs(m - a) for m, a in zip(spread.p50, actual, strict=True)]
    percentages = [e / a for e, a in zip(errors, actual, strict=True) if a > 0]
    within = sum(lo <= a <= hi for lo, a, hi in zip(spread.p5, actual, spread.p95, strict=True))
    return MeasureCheck(
        name=name, actual=actual, median=spread.p50,
        mean_absolute_error=round(sum(errors) / len(errors), 2),
        mean_absolute_percentage_error=round(100 * sum(percentages) / len(percentages), 1) if percentages else None,
        share_within_90_band=round(within / len(actual), 2),
    )


def backtest(histories: Sequence[ChildHistory], *, cut_off: date, until: date, fit_years: int, runs: int,
             seed: int, child_population: int,
             threshold_percent: Decimal = DEFAULT_THRESHOLD_PERCENT) -> Backtest:
    """Fit on the ``fit_years`` before ``cut_off``, forecast to ``until``, and score the forecast.

    The forecast uses the central scenario learnt from the years before the cut-off only; the
    error is the median against what the records say happened, quarter by quarter.
    """
    quarters = 0
    while add_quarters(cut_off, quarters + 1) <= until:
        quarters += 1
    if quarters < 1:
        raise ValueError("the backtest needs at least a quarter of history after the cut-off")
    fitted_from = date(cut_off.year - fit_years, cut_off.month, min(cut_off.day, 28))
    rates = fit(histories, fit_start=fitted_from, fit_end=cut_off)
    scenario = learnt_scenario(rates, horizon_years=math.ceil(quarters / 4), runs=runs, seed=seed,
                               child_population=child_population, threshold_percent=threshold_percent)
    result = simulate(rates, state_on(histories, cut_off), scenario)
    ends = result.quarter_ends[:quarters]
    actual = [state_on(histories, day) for day in ends]
    return Backtest(cut_off=cut_off, fitted_from=fitted_from, quarter_ends=ends, measures=[
        _check("Children in care", [s.children_in_care for s in actual], result.children_in_care[:, :quarters]),
        _check("Unaccompanied children in care", [s.uasc_in_care for s in actual], result.uasc_in_care[:, :quarters]),
        _check("Care leavers supported", [s.care_leavers for s in actual], result.care_leavers[:, :quarters]),
    ])
