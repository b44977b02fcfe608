from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile

from harbour.core.forms import GovukForm

from .models import Document
from .sniffing import NotAllowed, sniff

MAX_BYTES = 10 * 1024 * 1024


class DocumentForm(GovukForm):
    kind = forms.ChoiceField(
        label="What is the document?", choices=Document.Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select what the document is"},
    )
    file = forms.FileField(
        label="Upload a file", help_text="A PDF, PNG, JPEG or Word (DOCX) file, smaller than 10MB",
        error_messages={"required": "Select a file", "empty": "The selected file is empty",
                        "invalid": "Select a file"},
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 10MB")
        try:
            self.sniffed_type = sniff(upload)  # type: ignore[arg-type]
        except NotAllowed as error:
            raise forms.ValidationError(str(error)) from None
        return upload
