"""The language tag and writing direction of text Harbour shows in a child's language.

A letter in Tigrinya or Arabic must say so in its markup (``lang``, and ``dir="rtl"`` for
right-to-left scripts) so that screen readers switch voice and browsers lay the text out right
(WCAG 2.2 success criterion 3.1.2, language of parts). Languages are recorded as the names
people use ("Tigrinya", "Kurdish Sorani"), so this maps those names to BCP 47 tags; a name it
does not know gets no tag rather than a wrong one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LanguageTag:
    tag: str
    direction: str = "ltr"


# The first languages of children arriving through the NTS and the community languages of
# English councils; tags from the IANA language subtag registry.
_TAGS: dict[str, LanguageTag] = {
    "albanian": LanguageTag("sq"),
    "amharic": LanguageTag("am"),
    "arabic": LanguageTag("ar", "rtl"),
    "bengali": LanguageTag("bn"),
    "dari": LanguageTag("prs", "rtl"),
    "english": LanguageTag("en"),
    "farsi": LanguageTag("fa", "rtl"),
    "french": LanguageTag("fr"),
    "kurdish": LanguageTag("ku"),
    "kurdish kurmanji": LanguageTag("kmr"),
    "kurdish sorani": LanguageTag("ckb", "rtl"),
    "kurmanji": LanguageTag("kmr"),
    "oromo": LanguageTag("om"),
    "pashto": LanguageTag("ps", "rtl"),
    "persian": LanguageTag("fa", "rtl"),
    "polish": LanguageTag("pl"),
    "portuguese": LanguageTag("pt"),
    "punjabi": LanguageTag("pa"),
    "romanian": LanguageTag("ro"),
    "russian": LanguageTag("ru"),
    "somali": LanguageTag("so"),
    "sorani": LanguageTag("ckb", "rtl"),
    "spanish": LanguageTag("es"),
    "sudanese arabic": LanguageTag("apd", "rtl"),
    "swahili": LanguageTag("sw"),
    "tamil": LanguageTag("ta"),
    "tigre": LanguageTag("tig"),
    "tigrinya": LanguageTag("ti"),
    "turkish": LanguageTag("tr"),
    "ukrainian": LanguageTag("uk"),
    "urdu": LanguageTag("ur", "rtl"),
    "vietnamese": LanguageTag("vi"),
}


def language_tag(language: str) -> LanguageTag | None:
    """The tag for a language as recorded (any case, spaces trimmed), or None if unknown."""
    return _TAGS.get(" ".join((language or "").split()).lower())
