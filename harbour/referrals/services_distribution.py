"""The single referral form: sent in one action to every agency on the distribution list, each copy
tracked (sent, delivered, acknowledged, chased), and what partners do through their link. Also the
alert when a transfer has one working day left and no placement.

Writes are keyword-only, transactional and audited. Emails go through the outbox
(harbour.core.outbox), so they leave only after the transaction commits, and they carry no child's
details: only the NTS reference, the due date and a link (docs/adr/0005).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from harbour.accounts import access
from harbour.accounts.models import Role, User
from harbour.audit.models import AuditEvent, Disclosure
from harbour.audit.services import record_change, record_event, snapshot
from harbour.children.models import ChronologyEntry
from harbour.core.models import CouncilSettings
from harbour.core.outbox import queue_email
from harbour.domain.ages import age_on
from harbour.domain.calendar import WorkingDayCalendar
from harbour.domain.formatting import long_date, long_date_with_day, working_days_left_phrase
from harbour.domain.names import NameError_, clean_name

from .disclosure import sections_for
from .models import DistributionEntry, FormCopy, PartnerContribution, Referral

logger = logging.getLogger(__name__)

PURPOSE = "NTS transfer: single referral form"
LEGAL_BASIS = (
    "Children Act 1989 s20 and s47; Immigration Act 2016 s69–73; "
    "UK GDPR art 6(1)(e), 9(2)(g)/(h)"
)
# Telling every agency is the team leader's job at the start of a transfer; a manager may do it too.
SENDERS = frozenset({Role.TEAM_LEADER, Role.TEAM_MANAGER})
LINK_DAYS_AFTER_DUE = 10
LEAVING_CARE_AGE = 16
SHARED_VIA = "shared link"
MAX_CONTRIBUTION_LENGTH = 10_000

# What an agency may add through its link: its own kind of information, or something else.
CONTRIBUTION_KINDS: dict[str, tuple[str, ...]] = {
    DistributionEntry.Kind.HEALTH: (PartnerContribution.Kind.HEALTH, PartnerContribution.Kind.OTHER),
    DistributionEntry.Kind.EDUCATION: (PartnerContribution.Kind.EDUCATION, PartnerContribution.Kind.OTHER),
    DistributionEntry.Kind.VIRTUAL_SCHOOL: (PartnerContribution.Kind.EDUCATION, PartnerContribution.Kind.OTHER),
    DistributionEntry.Kind.POLICE: (PartnerContribution.Kind.POLICE, PartnerContribution.Kind.OTHER),
    DistributionEntry.Kind.MASH: (
        PartnerContribution.Kind.HEALTH, PartnerContribution.Kind.EDUCATION,
        PartnerContribution.Kind.POLICE, PartnerContribution.Kind.OTHER,
    ),
}


def contribution_kinds(kind: str) -> list[tuple[str, str]]:
    """(value, label) of what an agency of this kind may add; council teams add "other" only."""
    values = CONTRIBUTION_KINDS.get(kind, (PartnerContribution.Kind.OTHER,))
    return [(value, PartnerContribution.Kind(value).label) for value in values]


def may_send_form(user: Any) -> bool:
    return getattr(user, "role", None) in SENDERS


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def _link_expiry(referral: Referral, today: dt.date) -> dt.datetime:
    # Ten days after the transfer deadline; a copy sent (or chased) after the deadline still gets
    # ten days from the day it is sent.
    return _end_of_day(max(referral.transfer_due, today) + dt.timedelta(days=LINK_DAYS_AFTER_DUE))


def link_for(token: str) -> str:
    return f"{settings.HARBOUR_BASE_URL.rstrip('/')}{reverse('shared:form', args=[token])}"


def _age_limited(entry: DistributionEntry) -> bool:
    return entry.only_for_16_and_over or entry.kind == DistributionEntry.Kind.LEAVING_CARE


def gets_form(entry: DistributionEntry, child: Any, today: dt.date) -> tuple[bool, str]:
    """Whether this agency is sent the form for this child, and a note saying why when it is not
    obvious. Leaving care is told only about a child of 16 or over on the day, by the date of
    birth in use; when no date of birth is known it is told, and the note says so."""
    if not _age_limited(entry):
        return True, ""
    if child.date_of_birth is None:
        return True, "The child's date of birth is not known, so leaving care is told in case they are 16 or over"
    if age_on(child.date_of_birth, today) >= LEAVING_CARE_AGE:
        return True, ""
    return False, "Not sent: the child is under 16"


@dataclass(frozen=True)
class AgencyLine:
    """One agency's place in a referral's distribution: its copy, if sent, and whether it should get one."""

    entry: DistributionEntry
    copy: FormCopy | None
    due: bool
    note: str

    @property
    def state(self) -> str:
        copy = self.copy
        if copy is None:
            return "not_needed" if not self.due else "not_sent"
        if copy.acknowledged_at:
            return "acknowledged"
        if copy.chased_at:
            return "chased"
        if copy.delivered_at:
            return "delivered"
        return "sent"


def distribution(referral: Referral, *, today: dt.date) -> list[AgencyLine]:
    """Every active agency and every agency already sent a copy, in list order. Two queries."""
    copies = {c.entry_id: c for c in FormCopy.objects.filter(referral=referral).select_related("entry", "sent_by")}
    lines: list[AgencyLine] = []
    entries = {e.pk: e for e in DistributionEntry.objects.filter(active=True)}
    for copy in copies.values():
        entries.setdefault(copy.entry_id, copy.entry)
    for entry in sorted(entries.values(), key=lambda e: (e.kind, e.name)):
        due, note = gets_form(entry, referral.child, today)
        copy = copies.get(entry.pk)
        lines.append(AgencyLine(entry=entry, copy=copy, due=due or copy is not None, note=note))
    return lines


def form_task_state(referral: Referral, *, today: dt.date | None = None) -> dict[str, Any]:
    """For the referral workspace's task list: how far the form has gone.

    {"total": agencies that should have it, "sent", "delivered", "acknowledged", "chased",
     "not_sent", "status": "not_started" | "in_progress" | "completed"}. "completed" means every
    agency has acknowledged. Two queries whatever the size of the list.
    """
    lines = distribution(referral, today=today or timezone.localdate())
    due = [line for line in lines if line.due]
    copies = [line.copy for line in due if line.copy is not None]
    counts = {
        "total": len(due),
        "sent": len(copies),
        "delivered": sum(1 for c in copies if c.delivered_at),
        "acknowledged": sum(1 for c in copies if c.acknowledged_at),
        "chased": sum(1 for c in copies if c.chased_at),
        "not_sent": len(due) - len(copies),
    }
    if not copies:
        status = "not_started"
    elif counts["acknowledged"] == counts["total"]:
        status = "completed"
    else:
        status = "in_progress"
    return {**counts, "status": status}


# --- Emails ----------------------------------------------------------------------------------------


def _acknowledge_by(referral: Referral, today: dt.date) -> str:
    if referral.transfer_due >= today:
        return f"by {long_date_with_day(referral.transfer_due)}"
    return "as soon as you can"


def _form_email(*, copy: FormCopy, token: str, council: str, today: dt.date, reminder: bool) -> tuple[str, str]:
    referral = copy.referral
    by = _acknowledge_by(referral, today)
    subject = f"NTS referral {referral.nts_reference}: please read and acknowledge {by}"
    if reminder:
        subject = f"Reminder: {subject}"
    opening = (
        f"{council} has not yet had your acknowledgement of the single referral form below."
        if reminder else
        f"{council} has received a National Transfer Scheme referral for a child "
        f"(NTS reference {referral.nts_reference}) and is sharing the single referral form with you."
    )
    body = "\n".join([
        f"To {copy.entry.name},",
        "",
        opening,
        "",
        "What to do:",
        "",
        f"1. Open the form: {link_for(token)}",
        "2. Read the sections shared with your agency. You can download them as a PDF.",
        f"3. Acknowledge the form {by}.",
        "4. If your agency knows something about the child that would help, add it on the same page.",
        "",
        f"The link works until {long_date(timezone.localtime(copy.link_expires_at).date())}. "
        "It is for your agency only: do not forward this email.",
        *(["Earlier links for this referral no longer work."] if reminder else []),
        "",
        "For the child's safety this email does not include their details.",
        "",
        f"{referral.team.name}",
        f"{council} children's services",
    ])
    return subject, body


# --- Sending the form ---------------------------------------------------------------------------


def _chosen_entries(entries: Sequence[DistributionEntry], entry_ids: Iterable[Any]) -> list[DistributionEntry]:
    by_id = {str(e.pk): e for e in entries}
    chosen: list[DistributionEntry] = []
    for raw in entry_ids:
        entry = by_id.get(str(raw).strip())
        if entry is None:
            raise ValidationError({"entries": "Choose agencies from the distribution list"})
        if entry not in chosen:
            chosen.append(entry)
    if not chosen:
        raise ValidationError({"entries": "Choose agencies from the distribution list"})
    return chosen


def _refuse_unless_sender(actor: Any, referral: Referral) -> None:
    if not may_send_form(actor):
        raise PermissionDenied("Only team leaders and team managers may send the referral form")
    if not access.can_view_child(actor, referral.child):
        raise PermissionDenied("No referral found")


def _refuse_if_restricted(referral: Referral, doing: str) -> None:
    # UK GDPR art. 18: while processing is restricted nothing about the child is shared (ADR 0017).
    if referral.child.processing_restricted:
        raise ValidationError({"referral": f"You cannot {doing}: sharing this child's record is restricted. "
                                           "A manager must lift the restriction first"})


@transaction.atomic
def send_referral_form(
    *,
    actor: User,
    referral: Referral,
    now: dt.datetime,
    request_id: str = "",
    via: str = "web",
    entry_ids: Iterable[Any] | None = None,
) -> list[FormCopy]:
    """Send the form, in one action, to every active agency on the distribution list that has not
    had it yet (or to the agencies named by `entry_ids`). Returns the copies sent now.

    Sending again sends only to agencies added to the list since, or missed; each agency has at
    most one copy. Each copy is a disclosure: a Disclosure row, an audit event and one email.
    """
    # The row lock makes two clicks of the button (or the page and the API at once) queue up, so
    # the second finds the first's copies; the unique constraint is the backstop.
    locked = Referral.objects.select_for_update().select_related("child", "team").get(pk=referral.pk)
    _refuse_unless_sender(actor, locked)
    if locked.status == Referral.Status.WITHDRAWN:
        raise ValidationError({"referral": "You cannot send the form: the referral has been withdrawn"})
    _refuse_if_restricted(locked, "send the form")
    entries = list(DistributionEntry.objects.filter(active=True).order_by("kind", "name"))
    if not entries:
        raise ValidationError({"entries": "Add agencies to the distribution list before sending the form"})
    explicit = entry_ids is not None
    targets = _chosen_entries(entries, entry_ids) if explicit else entries  # type: ignore[arg-type]
    today = timezone.localdate(now)
    already = set(FormCopy.objects.filter(referral=locked).values_list("entry_id", flat=True))
    council = CouncilSettings.current().name
    copies: list[FormCopy] = []
    notes: dict[str, str] = {}
    for entry in targets:
        due, note = gets_form(entry, locked.child, today)
        if not due:
            if explicit:
                raise ValidationError({"entries": f"{entry.name} is sent the form only for a child of 16 or over"})
            continue
        if entry.pk in already:
            continue
        copies.append(_send_copy(actor=actor, referral=locked, entry=entry, now=now, today=today,
                                 council=council, request_id=request_id, via=via))
        if note:
            notes[entry.name] = note
    if copies:
        record_event(
            actor=actor, action=AuditEvent.Action.DISCLOSE, record_type=locked._meta.label,
            record_id=str(locked.pk), child_id=locked.child_id, request_id=request_id,
            details={"sent_to": [c.entry.name for c in copies], "purpose": PURPOSE, "via": via, "notes": notes},
        )
    return copies


def _send_copy(*, actor: User, referral: Referral, entry: DistributionEntry, now: dt.datetime, today: dt.date,
               council: str, request_id: str, via: str) -> FormCopy:
    token = secrets.token_urlsafe(32)  # 256 bits; only the digest is kept
    sections = sections_for(entry.kind)
    copy = FormCopy.objects.create(
        referral=referral, entry=entry, email=entry.email, sections=sections, token_digest=_digest(token),
        link_expires_at=_link_expiry(referral, today), sent_at=now, sent_by=actor,
    )
    record_change(actor=actor, action=AuditEvent.Action.CREATE, instance=copy, child_id=referral.child_id,
                  request_id=request_id, via=via)
    Disclosure.objects.create(
        disclosed_by=actor, child_id=referral.child_id, recipient=entry.name, recipient_email=entry.email,
        what=sections, purpose=PURPOSE, legal_basis=LEGAL_BASIS,
        record_type=copy._meta.label, record_id=str(copy.pk),
    )
    subject, body = _form_email(copy=copy, token=token, council=council, today=today, reminder=False)
    queue_email(to=entry.email, subject=subject, body=body, about=copy)
    return copy


@transaction.atomic
def chase_copy(*, actor: User, copy: FormCopy, now: dt.datetime, request_id: str = "", via: str = "web") -> FormCopy:
    """Remind an agency that has not acknowledged its copy. The reminder carries a new link (only a
    digest of the old one is kept, so it cannot be sent again); the old link stops working."""
    locked = FormCopy.objects.select_for_update().select_related("referral__child", "referral__team", "entry").get(
        pk=copy.pk
    )
    referral = locked.referral
    _refuse_unless_sender(actor, referral)
    if referral.status == Referral.Status.WITHDRAWN:
        raise ValidationError({"copy": "You cannot chase: the referral has been withdrawn"})
    _refuse_if_restricted(referral, "chase")
    if locked.acknowledged_at:
        raise ValidationError({"copy": f"{locked.entry.name} has already acknowledged the form"})
    before = snapshot(locked)
    today = timezone.localdate(now)
    token = secrets.token_urlsafe(32)
    locked.token_digest = _digest(token)
    locked.link_expires_at = max(locked.link_expires_at, _link_expiry(referral, today))
    locked.chased_at = now
    locked.chase_count += 1
    locked.save()
    record_change(actor=actor, action=AuditEvent.Action.UPDATE, instance=locked, child_id=referral.child_id,
                  before=before, request_id=request_id, via=via)
    subject, body = _form_email(copy=locked, token=token, council=CouncilSettings.current().name, today=today,
                                reminder=True)
    queue_email(to=locked.email, subject=subject, body=body, about=locked)
    return locked


# --- What a partner does through the link ---------------------------------------------------------


def copy_for_token(token: str, *, now: dt.datetime) -> FormCopy | None:
    """The copy this link opens, or None when the token is wrong, expired, its referral withdrawn or
    the child's processing restricted.

    Looked up by the token's digest (the token itself is never stored), and the digests compared
    in constant time. Every "no" is the same None, so the page cannot tell them apart.
    """
    if not token or len(token) > 100:
        return None
    digest = _digest(token)
    copy = (
        FormCopy.objects.select_related("referral__child", "referral__team", "entry")
        .filter(token_digest=digest, link_expires_at__gt=now)
        .exclude(referral__status=Referral.Status.WITHDRAWN)
        .exclude(referral__child__processing_restricted=True)
        .first()
    )
    if copy is None or not hmac.compare_digest(copy.token_digest, digest):
        return None
    return copy


def accessed_by(copy: FormCopy) -> str:
    """Who opens a shared link, for the access log: the recipient it was sent to."""
    return f"{copy.entry.name} ({copy.email}) via shared link"


def _person_name(value: str, field: str) -> str:
    try:
        name = clean_name(value or "")
    except NameError_ as error:
        raise ValidationError({field: str(error)}) from error
    if not name:
        raise ValidationError({field: "Enter your name"})
    if len(name) > 200:
        raise ValidationError({field: "Your name must be 200 characters or fewer"})
    return name


@transaction.atomic
def acknowledge_copy(*, copy: FormCopy, name: str, now: dt.datetime, request_id: str = "") -> FormCopy:
    """The agency says it has read the form. The first acknowledgement stands."""
    cleaned = _person_name(name, "name")
    locked = FormCopy.objects.select_for_update().get(pk=copy.pk)
    if locked.acknowledged_at:
        return locked
    before = snapshot(locked)
    locked.acknowledged_at = now
    locked.acknowledged_by_name = cleaned
    locked.save(update_fields=["acknowledged_at", "acknowledged_by_name", "updated_at"])
    record_change(actor=None, action=AuditEvent.Action.UPDATE, instance=locked, child_id=copy.referral.child_id,
                  before=before, request_id=request_id, via=SHARED_VIA)
    copy.acknowledged_at, copy.acknowledged_by_name = locked.acknowledged_at, locked.acknowledged_by_name
    return locked


@transaction.atomic
def add_contribution(
    *, copy: FormCopy, kind: str, text: str, given_by: str, now: dt.datetime, request_id: str = ""
) -> PartnerContribution:
    """What the agency knows about the child, added to the child's chronology with its source."""
    errors: dict[str, str] = {}
    allowed = dict(contribution_kinds(copy.entry.kind))
    if kind not in allowed:
        errors["kind"] = "Select what kind of information you are adding"
    text = (text or "").strip()
    if not text:
        errors["text"] = "Enter what your agency knows about the child"
    elif len(text) > MAX_CONTRIBUTION_LENGTH:
        errors["text"] = f"What you know must be {MAX_CONTRIBUTION_LENGTH:,} characters or fewer"
    try:
        given_by = _person_name(given_by, "given_by")
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    agency = copy.entry.name
    child_id = copy.referral.child_id
    entry = ChronologyEntry.objects.create(
        child_id=child_id, kind=ChronologyEntry.Kind.PARTNER_INFORMATION, occurred_at=now,
        title=f"{allowed[kind]} from {agency}"[:200], description=text, recorded_by=None,
        source=f"{given_by}, {agency}"[:300],
    )
    record_change(actor=None, action=AuditEvent.Action.CREATE, instance=entry, child_id=child_id,
                  request_id=request_id, via=SHARED_VIA)
    contribution = PartnerContribution.objects.create(copy=copy, kind=kind, text=text, given_by=given_by,
                                                      chronology_entry=entry)
    record_change(actor=None, action=AuditEvent.Action.CREATE, instance=contribution, child_id=child_id,
                  request_id=request_id, via=SHARED_VIA)
    return contribution


# --- One working day left -------------------------------------------------------------------------


def alert_recipients(referral: Referral) -> list[str]:
    """The team's leaders and managers, and the council's NTS intake manager, each once."""
    addresses = list(
        User.objects.filter(team_id=referral.team_id, role__in=[Role.TEAM_LEADER, Role.TEAM_MANAGER], is_active=True)
        .exclude(email="").order_by("role", "last_name").values_list("email", flat=True)
    )
    intake = CouncilSettings.current().intake_manager_email
    if intake:
        addresses.append(intake)
    unique: list[str] = []
    for address in addresses:
        if address.lower() not in {a.lower() for a in unique}:
            unique.append(address)
    return unique


def _alert_email(referral: Referral, today: dt.date, calendar: WorkingDayCalendar) -> tuple[str, str]:
    phrase = working_days_left_phrase(referral.transfer_due, today, calendar)
    due = long_date_with_day(referral.transfer_due)
    subject = f"NTS referral {referral.nts_reference}: {phrase} – due {due}, no placement confirmed"
    link = f"{settings.HARBOUR_BASE_URL.rstrip('/')}{reverse('referrals:workspace', args=[referral.pk])}"
    body = "\n".join([
        f"NTS referral {referral.nts_reference} is {phrase}: the child must be in the council's care by {due}.",
        "",
        "No placement has been confirmed yet.",
        "",
        f"Open the referral in Harbour: {link}",
        "",
        "You are sent this once for each referral, because you lead or manage "
        f"{referral.team.name} or manage NTS intake.",
    ])
    return subject, body


def _alert_one(*, referral_id: Any, now: dt.datetime, calendar: WorkingDayCalendar, cutoff: dt.date) -> bool:
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update().select_related("team")
            .filter(pk=referral_id, status__in=Referral.OPEN, placement_confirmed_at__isnull=True,
                    one_day_alert_sent_at__isnull=True, transfer_due__lt=cutoff)
            .first()
        )
        if referral is None:  # sent, confirmed or closed since the list was read
            return False
        recipients = alert_recipients(referral)
        if not recipients:
            logger.warning("NTS referral %s has one working day left and nobody to alert", referral.pk)
            return False
        today = timezone.localdate(now)
        subject, body = _alert_email(referral, today, calendar)
        for address in recipients:
            queue_email(to=address, subject=subject, body=body, about=referral)
        before = snapshot(referral)
        referral.one_day_alert_sent_at = now
        referral.save(update_fields=["one_day_alert_sent_at", "updated_at"])
        record_change(actor=None, action=AuditEvent.Action.UPDATE, instance=referral, child_id=referral.child_id,
                      before=before, via="nts-alerts")
        return True


def send_due_alerts(*, now: dt.datetime, calendar: WorkingDayCalendar) -> int:
    """Alert once for each open referral with one working day left or less and no confirmed
    placement. Returns how many referrals were alerted. Each referral is its own transaction, so
    one failure does not hold back the others, and the alert's "sent" mark is saved with it."""
    today = timezone.localdate(now)
    # One working day left or less <=> due before the second working day after today.
    cutoff = calendar.add_working_days(today, 2)
    candidates = list(
        Referral.objects.filter(status__in=Referral.OPEN, placement_confirmed_at__isnull=True,
                                one_day_alert_sent_at__isnull=True, transfer_due__lt=cutoff)
        .order_by("transfer_due").values_list("pk", flat=True)
    )
    return sum(_alert_one(referral_id=pk, now=now, calendar=calendar, cutoff=cutoff) for pk in candidates)

