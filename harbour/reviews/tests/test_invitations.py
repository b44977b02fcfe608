"""Invitations to a review: everyone in one action, the child's language where the council has a
translation, emails only after commit and naming no one, bad input refused with nothing saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from harbour.core.models import OutboxMessage
from harbour.reviews import services_invitations as invitations
from harbour.reviews.models import InvitationWording, ReviewInvitation

from .conftest import TODAY

REVIEW_ON = dt.date(2026, 12, 3)


@pytest.fixture
def tigrinya_child(child: Any) -> Any:
    child.first_language = "Tigrinya"
    child.save(update_fields=["first_language"])
    return child


def test_everyone_invited_in_one_action(iro: Any, worker: Any, tigrinya_child: Any,
                                        django_capture_on_commit_callbacks: Any) -> None:
    InvitationWording.objects.create(language="Tigrinya", subject="Tigrinya subject", body="Tigrinya text {date}")
    with django_capture_on_commit_callbacks(execute=True):
        rows = invitations.invitations_send(actor=iro, child=tigrinya_child, review_on=REVIEW_ON, today=TODAY,
                                            parents=[("Mrs Haile", "mother@example.org"), ("", "")])
    assert [(r.invitee, r.language, r.email) for r in rows] == [
        ("child", "Tigrinya", ""),  # a letter, in the child's language
        ("professional", "English", iro.email),
        ("professional", "English", worker.email),
        ("parent", "Tigrinya", "mother@example.org"),
    ]
    sent = {m.to: m for m in OutboxMessage.objects.all()}
    assert sent["mother@example.org"].subject == "Tigrinya subject"
    assert "Tigrinya text 3 December 2026" in sent["mother@example.org"].body
    assert tigrinya_child.family_name not in sent[worker.email].body  # professionals: no personal details
    letter = invitations.letter(ReviewInvitation.objects.get(invitee="child"))
    assert letter["text"] == "Tigrinya text 3 December 2026"


def test_without_a_translation_the_child_gets_english(iro: Any, tigrinya_child: Any) -> None:
    assert invitations.wording_for("Tigrinya").translated is False
    rows = invitations.invitations_send(actor=iro, child=tigrinya_child, review_on=REVIEW_ON, today=TODAY, parents=[])
    assert rows[0].language == "English"


@pytest.mark.parametrize(("review_on", "parents", "field"), [
    (dt.date(2026, 11, 19), [], "review_on"),
    (REVIEW_ON, [("", "mother@example.org")], "parent_1_name"),
    (REVIEW_ON, [("Mrs Haile", "not an email")], "parent_1_email"),
], ids=["review-in-the-past", "parent-without-name", "bad-email"])
def test_bad_input_is_refused_and_nothing_sent(iro: Any, child: Any, review_on: dt.date,
                                               parents: list[tuple[str, str]], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        invitations.invitations_send(actor=iro, child=child, review_on=review_on, today=TODAY, parents=parents)
    assert list(caught.value.message_dict) == [field]
    assert not ReviewInvitation.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.parametrize(("language", "lang", "direction"), [
    ("Arabic", "ar", "rtl"),  # right to left: the letter's block turns round
    ("Tigrinya", "ti", "ltr"),
    ("  kurdish   SORANI ", "ckb", "rtl"),  # recorded loosely: case and spaces do not matter
], ids=["right-to-left", "left-to-right", "loosely-recorded-name"])
def test_a_translated_letter_marks_its_language_for_screen_readers(iro: Any, child: Any, signed_in: Any,
                                                                   language: str, lang: str, direction: str) -> None:
    child.first_language = language
    child.save(update_fields=["first_language"])
    InvitationWording.objects.create(language=language.strip(), subject="Subject", body="Text {date}")
    invitations.invitations_send(actor=iro, child=child, review_on=REVIEW_ON, today=TODAY, parents=[])
    letter = ReviewInvitation.objects.get(invitee="child")
    html = signed_in(iro).get(f"/reviews/invitations/{letter.pk}/letter/").content.decode()
    assert f'lang="{lang}" dir="{direction}"' in html


def test_a_letter_in_a_language_harbour_cannot_tag_carries_no_wrong_tag(iro: Any, child: Any, signed_in: Any) -> None:
    child.first_language = "Bilen"
    child.save(update_fields=["first_language"])
    InvitationWording.objects.create(language="Bilen", subject="Subject", body="Text {date}")
    invitations.invitations_send(actor=iro, child=child, review_on=REVIEW_ON, today=TODAY, parents=[])
    letter = ReviewInvitation.objects.get(invitee="child")
    html = signed_in(iro).get(f"/reviews/invitations/{letter.pk}/letter/").content.decode()
    assert "Subject" in html and ' dir="' not in html.split("<main", 1)[1]
