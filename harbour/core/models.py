"""The council's own settings, kept by the administrator, and the base every record shares."""

from __future__ import annotations

import uuid

from django.db import models


class Record(models.Model):
    """A record of the case: a random, unguessable identifier and when it was made and changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class CouncilSettings(models.Model):
    """One row: the council this installation serves and the local choices the law leaves to it."""

    name = models.CharField(max_length=200, default="Harbourside Council")
    la_code = models.CharField("local authority code", max_length=3, default="999")
    nts_transfer_working_days = models.PositiveSmallIntegerField(
        "NTS transfer deadline in working days",
        default=5,
        help_text="Working days from the NTS referral to the child arriving (5 since 24 August 2022).",
    )
    child_population = models.PositiveIntegerField(
        "children aged 0 to 17 in the council's area", null=True, blank=True
    )
    rota_requires_uasc_training = models.BooleanField(
        "only social workers with UASC training take NTS children from the rota", default=True
    )
    legal_advice_working_days = models.PositiveSmallIntegerField(
        "working days after arrival to refer the child for immigration legal advice",
        default=5,
        help_text="A council practice standard, not a statutory timescale.",
    )
    director_email = models.EmailField("director's office email", blank=True)
    intake_manager_email = models.EmailField("NTS intake manager email", blank=True)

    class Meta:
        verbose_name = "council settings"
        verbose_name_plural = "council settings"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> CouncilSettings:
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings


class OutboxMessage(Record):
    """An email Harbour has to send. Written in the same transaction as the work that causes it and
    sent only after that transaction commits, so nothing goes out for work that was rolled back."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to send"
        SENT = "sent", "Accepted by the mail server"
        FAILED = "failed", "Could not send"

    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What the message is about, so its state can be shown where the work is (for example a
    # referral form copy): "<app_label.Model>" and the record's id.
    about_type = models.CharField(max_length=100, blank=True)
    about_id = models.UUIDField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at"]


class Submission(models.Model):
    """One write request that may be sent again: a form sent twice (a double click, a retry after a
    timeout) or an API call with an `Idempotency-Key`. The second is answered with the first's
    result instead of being done again (security checklist 23; harbour/core/idempotency.py).

    Rows are kept for a day and then removed: the API answer stored here can hold a child's details.
    """

    class State(models.TextChoices):
        RUNNING = "running", "Being done"
        DONE = "done", "Done"

    scope = models.CharField(max_length=64, help_text="Digest of who sent it: the token, or the signed-in user.")
    key = models.CharField(max_length=64, help_text="Digest of the Idempotency-Key, or of the form as sent.")
    fingerprint = models.CharField(max_length=64, help_text="Digest of the method, path and body.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=500, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="one_submission_per_key")]
