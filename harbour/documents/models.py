"""Documents kept on a child's record: a signed pathway plan, an age assessment report."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Document(models.Model):
    class Kind(models.TextChoices):
        AGE_ASSESSMENT = "age_assessment", "Age assessment report"
        PATHWAY_PLAN = "pathway_plan", "Signed pathway plan"
        CARE_PLAN = "care_plan", "Signed care plan"
        OTHER = "other", "Other document"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The name the file had on the uploader's computer, cleaned; shown and offered on download only.
    original_name = models.CharField(max_length=120)
    # Random, so nothing the uploader chose reaches the file system.
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
