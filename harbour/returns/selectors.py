"""Reads for the return: the runs, what the latest run found, and on whose record, with the fix.

The latest finished run of a year stands for the return to date: fixing a record clears its error
at the next run. Each read is a fixed number of queries whatever the number of children.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from harbour.children.models import Child

from .models import ReturnFinding, ReturnRun

# Where each column of the return is recorded in Harbour, so that the person who can fix it knows
# where to go. The route takes the child's id.
FIELD_HINTS: dict[str, tuple[str, str]] = {
    "DOB": ("The date of birth in use, on the child's identity page", "children:identity"),
    "SEX": ("Sex, on the child's identity page", "children:identity"),
    "ETHNIC": ("Ethnicity, on the child's identity page", "children:identity"),
    "UPN": ("The unique pupil number or the reason it is not known, on the child's identity page",
            "children:identity"),
    "DECOM": ("The periods looked after and legal statuses, on the child's legal status page", "children:legal"),
    "DEC": ("The periods looked after and legal statuses, on the child's legal status page", "children:legal"),
    "LS": ("The legal status, on the child's legal status page", "children:legal"),
    "REC": ("The reason the period looked after ended, on the child's legal status page", "children:legal"),
    "RNE": ("The legal statuses and placements: a new episode starts when either changes", "children:legal"),
    "PLACE": ("The placement type, on the child's placements page", "placements:child"),
    "PLACE_PROVIDER": ("The placement provider code, on the child's placements page", "placements:child"),
    "URN": ("The Ofsted URN of the placement, from the provider in the directory", "placements:child"),
    "PL_POST": ("The placement's postcode, on the child's placements page", "placements:child"),
    "HOME_POST": ("The child's home postcode on the placement, on the child's placements page", "placements:child"),
    "PL_LA": ("The placement's postcode: the authority is worked out from it", "placements:child"),
    "PL_LOCATION": ("The placement's postcode: in or out of area is worked out from it", "placements:child"),
    "REASON_PLACE_CHANGE": ("The reason the placement changed, recorded when it ended", "placements:child"),
    "REVIEW": ("The date the review was held", "children:detail"),
    "REVIEW_CODE": ("The child's participation in the review", "children:detail"),
}


@dataclass(frozen=True)
class Fix:
    text: str
    href: str


@dataclass(frozen=True)
class ChildFinding:
    finding: ReturnFinding
    fixes: list[Fix]


def fixes_for(finding: ReturnFinding) -> list[Fix]:
    fixes = []
    seen: set[str] = set()
    for field in [f.strip() for f in finding.fields.split(",") if f.strip()]:
        hint = FIELD_HINTS.get(field)
        if hint is None or hint[0] in seen or finding.child_id is None:
            continue
        seen.add(hint[0])
        fixes.append(Fix(f"{field}: {hint[0]}", reverse(hint[1], args=[finding.child_id])))
    return fixes


def latest_finished_run() -> ReturnRun | None:
    """The newest run that finished, whatever its year: the return to date."""
    return ReturnRun.objects.filter(state=ReturnRun.State.DONE).defer("files").order_by("-finished_at").first()


def recent_runs(limit: int = 10) -> list[ReturnRun]:
    return list(ReturnRun.objects.defer("files").select_related("requested_by").order_by("-created_at")[:limit])


def child_findings(child: Child) -> tuple[ReturnRun | None, list[ChildFinding]]:
    """The child's errors in the latest run (two queries). Known false positives are left out."""
    run = latest_finished_run()
    if run is None:
        return None, []
    found = ReturnFinding.objects.filter(run=run, child=child, false_positive_reason="")
    return run, [ChildFinding(f, fixes_for(f)) for f in found]


@dataclass(frozen=True)
class ChildErrors:
    child: Child
    findings: list[ReturnFinding]


def errors_by_child(visible: QuerySet[Child], limit: int = 20) -> tuple[ReturnRun | None, list[ChildErrors], int]:
    """The children the user may see with errors in the latest run, most errors first (two queries)."""
    run = latest_finished_run()
    if run is None:
        return None, [], 0
    grouped: dict[Any, list[ReturnFinding]] = defaultdict(list)
    children: dict[Any, Child] = {}
    for finding in ReturnFinding.objects.filter(run=run, child__in=visible, false_positive_reason="").select_related(
        "child"
    ):
        grouped[finding.child_id].append(finding)
        children[finding.child_id] = finding.child
    ordered = sorted(grouped, key=lambda cid: (-len(grouped[cid]), children[cid].family_name))
    return run, [ChildErrors(children[cid], grouped[cid]) for cid in ordered[:limit]], len(ordered)


@dataclass(frozen=True)
class RuleGroup:
    rule: str
    message: str
    findings: list[ReturnFinding]


def run_findings(run: ReturnRun, visible: QuerySet[Child]) -> tuple[list[RuleGroup], list[ReturnFinding]]:
    """A run's errors grouped by rule, and its known false positives, for the children the user may see
    (one query). Rows whose child is not on record (a child code Harbour did not write) are kept."""
    errors: dict[str, list[ReturnFinding]] = defaultdict(list)
    false_positives = []
    visible_ids = visible.values("id")
    from django.db.models import Q

    for finding in ReturnFinding.objects.filter(run=run).filter(
        Q(child__isnull=True) | Q(child__in=visible_ids)
    ).select_related("child").order_by("rule", "table", "row"):
        if finding.false_positive_reason:
            false_positives.append(finding)
        else:
            errors[finding.rule].append(finding)
    groups = [RuleGroup(rule, items[0].message, items) for rule, items in errors.items()]
    groups.sort(key=lambda g: (-len(g.findings), g.rule))
    return groups, false_positives
