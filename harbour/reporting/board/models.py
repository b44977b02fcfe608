"""The Corporate Parenting Board report: a draft for a period, commentary per section, and,
once published, the HTML and PDF exactly as they were, with their SHA-256 (ADR 0013)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Section(models.TextChoices):
    NTS_UASC = "nts_uasc", "The National Transfer Scheme and unaccompanied children"
    IRO = "iro", "The independent reviewing officer service"
    CARE_LEAVERS_EDUCATION = "care_leavers_education", "Care leavers in education"
    ACCOMMODATION = "accommodation", "Accommodation"
    EET = "eet", "Education, employment and training"
    VOICE = "voice", "The child's voice"


class BoardReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    period_key = models.CharField("period", max_length=10)
    period_label = models.CharField(max_length=80)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Optimistic locking: every edit carries the version it was made from and moves it on by one.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    # Frozen at publication: the figures as printed, the HTML the PDF was made from, and the PDF.
    figures = models.JSONField(default=dict, blank=True)
    html = models.TextField(blank=True)
    html_sha256 = models.CharField(max_length=64, blank=True)
    pdf = models.BinaryField(blank=True, default=b"")
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-period_start", "-created_at"]
        constraints = [
            # One report per period may be published; drafts may be started again.
            models.UniqueConstraint(fields=["period_key"], condition=models.Q(status="published"),
                                    name="board_one_published_report_per_period"),
        ]

    def __str__(self) -> str:
        return f"Board report, {self.period_label}"

    @property
    def is_published(self) -> bool:
        return bool(self.status == self.Status.PUBLISHED)


class SectionCommentary(models.Model):
    report = models.ForeignKey(BoardReport, on_delete=models.CASCADE, related_name="commentaries")
    section = models.CharField(max_length=30, choices=Section.choices)
    text = models.TextField(blank=True)
    # Publishing needs every section to say something, or to say on purpose that it says nothing.
    nothing_to_add = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "section"], name="board_one_commentary_per_section")]

    @property
    def is_done(self) -> bool:
        return bool(self.text.strip()) or self.nothing_to_add
