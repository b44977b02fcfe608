from __future__ import annotations

from django import forms


class SignInForm(forms.Form):
    username = forms.CharField(
        label="Username", max_length=150, error_messages={"required": "Enter your username"}
    )
    password = forms.CharField(
        label="Password", widget=forms.PasswordInput, strip=False,
        error_messages={"required": "Enter your password"},
    )


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app, or one of your backup codes",
        max_length=16,
        error_messages={"required": "Enter the security code"},
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())
