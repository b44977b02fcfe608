"""Placeholder: filled in by the intake work."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
