"""Previous permanence (the SSDA903 PrevPerm file): whether a child who comes into care had been
adopted, or had a special guardianship, residence or child arrangements order, before.

Pure checks made when it is recorded, from the DfE's rules 631 to 635 (validator
csc-validator-be-903; reference.md 4.10).
"""

from __future__ import annotations

from datetime import date

__all__ = ["LA_PERM_CODES", "ORDERS", "previous_permanence_errors"]

# PREV_PERM (rule 631).
ORDERS: dict[str, str] = {
    "P1": "Adopted",
    "P2": "Special guardianship order",
    "P3": "Residence order or child arrangements order",
    "P4": "Had an order, of a kind not known",
    "Z1": "No previous permanence order",
}
# LA_PERM: the English councils' three-digit codes, 999 when not known, and the other nations
# (rule 633's list).
LA_PERM_CODES = frozenset((
    "800,889,822,301,304,303,330,825,837,302,846,370,350,890,867,380,305,801,351,873,823,895,896,"
    "381,909,202,908,331,306,841,830,831,878,371,835,332,840,307,308,811,881,845,390,916,203,876,"
    "850,311,204,884,312,205,313,805,919,310,309,420,921,206,207,886,810,382,314,340,888,208,856,"
    "383,855,209,925,341,201,821,352,806,887,826,315,929,812,391,926,892,813,802,928,891,392,316,"
    "815,353,931,879,836,851,874,807,354,317,870,318,372,857,333,935,343,803,373,342,893,356,355,"
    "871,394,334,933,882,936,861,852,319,860,808,393,866,210,357,894,883,880,358,211,937,869,320,"
    "359,865,384,335,336,212,868,872,885,344,877,213,938,816,999,WAL,SCO,NUK,NIR"
).split(","))
_ORDERS_NEEDING_DETAILS = frozenset({"P1", "P2", "P3"})


def previous_permanence_errors(*, order: str, local_authority: str, made_on: date | None,
                               came_into_care_on: date | None, today: date) -> dict[str, str]:
    """What is wrong with a previous permanence as recorded, by field (GOV.UK wording).

    An order in the list (rule 631). No order (Z1): no council or date (rule 635). An adoption,
    special guardianship or residence order: the council that made it (rule 633's codes) and its
    date (rule 630 asks for both), before the child came into care (rule 632) and not in the future.
    An order of a kind not known (P4) may have either or neither.
    """
    if order not in ORDERS:
        return {"order": "Select whether the child had a previous permanence order"}
    errors: dict[str, str] = {}
    if order == "Z1":
        if local_authority:
            errors["local_authority"] = "Leave the council empty when there was no previous order"
        if made_on is not None:
            errors["made_on"] = "Leave the date empty when there was no previous order"
        return errors
    if local_authority and local_authority not in LA_PERM_CODES:
        errors["local_authority"] = ("Enter the council's 3-digit code (for example 383), 999 if not known, "
                                     "or WAL, SCO, NIR or NUK for a court outside England")
    elif not local_authority and order in _ORDERS_NEEDING_DETAILS:
        errors["local_authority"] = "Enter the code of the council where the order was made"
    if made_on is None:
        if order in _ORDERS_NEEDING_DETAILS:
            errors["made_on"] = "Enter the date the order was made"
    elif made_on > today:
        errors["made_on"] = "Date the order was made must be today or in the past"
    elif came_into_care_on is not None and made_on >= came_into_care_on:
        errors["made_on"] = "Date the order was made must be before the child came into care"
    return errors
