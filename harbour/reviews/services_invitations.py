"""Inviting people to a child's review in one action: the child, their carer, parents where the IRO
judges it right, and the professionals (social worker, IRO, partner agencies the record is shared
with). The child and parents get the council's wording in the child's language when the council
has that translation; otherwise English, and the page says an interpreter is needed.

Those with an email address get an email after commit that names no one (the professionals sign
in to see who); the child, the carer without an address and parents without one get a letter to
print. Everything is written in one transaction and audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.models import Allocation, PartnerGrant, User
from harbour.audit.services import record_event
from harbour.children.models import Child
from harbour.core.outbox import queue_email
from harbour.domain.formatting import long_date
from harbour.placements.models import Placement

from .models import InvitationWording, ReviewInvitation
from .services import may_review

ENGLISH = "English"
DEFAULT_SUBJECT = "Invitation to a looked-after review"
DEFAULT_BODY = ("You are invited to the review of the care plan on {date}. Your views matter. If you cannot "
                "come, tell the independent reviewing officer what you think before the review.")
MAX_PARENTS = 2


@dataclass(frozen=True)
class Invitee:
    invitee: str
    name: str
    email: str
    language: str


@dataclass(frozen=True)
class Wording:
    language: str
    subject: str
    body: str
    translated: bool

    def text(self, review_on: dt.date) -> str:
        return self.body.replace("{date}", long_date(review_on))


def wording_for(language: str) -> Wording:
    """The council's wording in ``language`` if it has it, else in English."""
    wanted = (language or "").strip()
    found = InvitationWording.objects.filter(language__iexact=wanted).first() if wanted else None
    if found is not None:
        return Wording(found.language, found.subject, found.body, True)
    english = InvitationWording.objects.filter(language__iexact=ENGLISH).first()
    if english is not None:
        return Wording(ENGLISH, english.subject, english.body, False)
    return Wording(ENGLISH, DEFAULT_SUBJECT, DEFAULT_BODY, False)


def invitees_for(child: Child) -> list[Invitee]:
    """Who is invited without typing: the child, the current carer and the professionals."""
    language = wording_for(child.first_language).language
    found = [Invitee(ReviewInvitation.Invitee.CHILD, child.known_as, "", language)]
    placement = (Placement.objects.filter(child=child, end__isnull=True)
                 .select_related("provider__partner_agency").first())
    if placement is not None:
        agency = placement.provider.partner_agency if placement.provider else None
        found.append(Invitee(ReviewInvitation.Invitee.CARER, placement.carer_or_provider,
                             agency.email if agency else "", ENGLISH))
    workers = (Allocation.objects.filter(child=child, end__isnull=True).select_related("worker")
               .order_by("kind"))
    for allocation in workers:
        found.append(Invitee(ReviewInvitation.Invitee.PROFESSIONAL,
                             f"{allocation.worker.display_name} ({allocation.get_kind_display().lower()})",
                             allocation.worker.email, ENGLISH))
    # While processing is restricted (UK GDPR art. 18) no partner agency is invited (ADR 0017).
    grants = (PartnerGrant.objects.filter(child=child, revoked_at__isnull=True, expires_at__gt=timezone.now(),
                                          child__processing_restricted=False)
              .select_related("agency").order_by("agency__name"))
    for grant in grants:
        found.append(Invitee(ReviewInvitation.Invitee.PROFESSIONAL, grant.agency.name, grant.agency.email, ENGLISH))
    return found


def invitations_send(
    *,
    actor: User,
    child: Child,
    review_on: dt.date,
    parents: list[tuple[str, str]],
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> list[ReviewInvitation]:
    """Invite everyone in one action. ``parents``: (name, email) pairs the IRO adds; an empty row
    is left out, an email without a name or a wrong email is refused."""
    if not may_review(actor):
        raise PermissionDenied("Only independent reviewing officers and their manager send review invitations")
    errors: dict[str, str] = {}
    if review_on < today:
        errors["review_on"] = "Date of the review must be today or in the future"
    invited: list[Invitee] = invitees_for(child)
    language = invited[0].language
    for number, (name, email) in enumerate(parents[:MAX_PARENTS], start=1):
        name, email = name.strip(), email.strip()
        if not name and not email:
            continue
        if not name:
            errors[f"parent_{number}_name"] = f"Enter the name of parent {number}"
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors[f"parent_{number}_email"] = (f"Enter the email address of parent {number} in the correct "
                                                    "format, like name@example.com")
        invited.append(Invitee(ReviewInvitation.Invitee.PARENT, name, email, language))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rows = ReviewInvitation.objects.bulk_create([
            ReviewInvitation(child=child, review_on=review_on, invitee=i.invitee, name=i.name, email=i.email,
                             language=i.language, sent_by=actor) for i in invited
        ])
        record_event(actor=actor, action="create", record_type="reviews.ReviewInvitation", record_id=str(child.pk),
                     child_id=child.pk, request_id=request_id,
                     details={"review_on": review_on.isoformat(), "invited": len(rows), "via": via})
        path = reverse("reviews:child", args=[child.pk])
        for row in rows:
            if not row.email:
                continue
            if row.invitee == ReviewInvitation.Invitee.PROFESSIONAL:
                # No personal details by email: professionals sign in to see whose review it is.
                queue_email(to=row.email, subject=DEFAULT_SUBJECT,
                            body=f"You are invited to a looked-after review for a child you work with, on "
                                 f"{long_date(review_on)}.\n\nSign in to Harbour to see the details: {path}\n")
            else:
                wording = wording_for(row.language)
                queue_email(to=row.email, subject=wording.subject, body=wording.text(review_on) + "\n")
    return rows


def letter(invitation: ReviewInvitation) -> dict[str, Any]:
    wording = wording_for(invitation.language)
    return {"subject": wording.subject, "text": wording.text(invitation.review_on), "language": wording.language}
