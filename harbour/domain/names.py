"""Names as the child gives them: any script, one part or many, stored in Unicode NFC.

Security checklist item 32 (shared/design/security.md): names accept any script, single-part
and single-letter names, apostrophes, hyphens and spaces; are stored NFC; and bidirectional
overrides and invisible characters are refused. The zero-width non-joiner and joiner (U+200C,
U+200D) are allowed: Persian, Dari and Pashto spelling needs them, and many unaccompanied
children arriving through the National Transfer Scheme write their names in those scripts.
"""

from __future__ import annotations

import re
import unicodedata

# Bidirectional embeddings, overrides and isolates, and marks that change display order.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Characters that print nothing and so hide what a name really is.
_INVISIBLE = frozenset("\u00ad\u115f\u1160\u180e\u200b\u2060\u2061\u2062\u2063\u2064\u3164\ufeff\uffa0")
_ALLOWED_FORMAT = frozenset("\u200c\u200d")

# Letters NFKD does not take apart, and Arabic letters Persian writes with other code points.
_FOLD = str.maketrans({
    "đ": "d", "ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d", "ħ": "h",
    "\u064a": "\u06cc",  # Arabic yeh -> Persian yeh
    "\u0649": "\u06cc",  # alef maksura -> Persian yeh
    "\u0643": "\u06a9",  # Arabic kaf -> Persian keheh
})
# Arabic-script consonants (Arabic, Persian, Dari, Pashto, Urdu) as the Latin letters English
# transliterations use, so that محمد meets Mohammed and Muhammad ("mhmd"). Alef, waw and yeh are
# mostly written vowels and are dropped, as the Latin skeleton drops vowels; waw at the start of a
# word is a consonant (Walid, وليد).
_ARABIC_CONSONANTS = {
    "ب": "b", "پ": "p", "ت": "t", "ٹ": "t", "ث": "s", "ج": "j", "چ": "ch", "ح": "h", "خ": "k", "د": "d",
    "ڈ": "d", "ذ": "z", "ر": "r", "ڑ": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s", "ض": "z",
    "ط": "t", "ظ": "z", "غ": "g", "ف": "f", "ق": "k", "ک": "k", "ك": "k", "گ": "g", "ل": "l", "م": "m",
    "ن": "n", "ه": "h", "ھ": "h", "ښ": "sh", "ږ": "zh", "ځ": "z", "څ": "s", "ډ": "d", "ړ": "r", "ڼ": "n",
}
_ARABIC_VOWEL_LETTERS = frozenset("اأإآٱءؤئیيىيۍېوةعۀ")
_VOWELS = re.compile(r"[aeiouy]")
_REPEATS = re.compile(r"(.)\1+")
_SPACES = re.compile(r"\s+")


class NameError_(ValueError):
    """A name that cannot be stored as given. The message says why, in plain words."""


def clean_name(value: str) -> str:
    """The name in NFC with surrounding and repeated spaces removed; refuses hidden characters."""
    for char in value:
        if char in _BIDI_CONTROLS:
            raise NameError_("Name must not contain hidden characters that change the order of letters")
        if char in _INVISIBLE or (
            unicodedata.category(char) in {"Cf", "Cc", "Co", "Cs"}
            and char not in _ALLOWED_FORMAT
            and char not in "\t"
        ):
            raise NameError_("Name must not contain invisible characters")
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def search_key(name: str) -> str:
    """Case- and accent-folded form used to find a name typed without accents or capitals."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFC", stripped)
    return _SPACES.sub(" ", re.sub(r"[\-'’`.]", " ", folded)).strip()


def sound_key(name: str) -> str:
    """A consonant skeleton so that transliterations of one name meet.

    Mohammed, Muhammad, Mohamad and Mohamed all become "mhmd"; Ahmed and Ahmad become "hmd";
    Yusuf and Yousef "sf". Used only to widen a search; never to decide two records are one child.
    """
    key = search_key(name)
    words = []
    for word in key.split():
        latin = "".join(c for c in word if "a" <= c <= "z")
        if not latin:
            arabic = _arabic_skeleton(word)
            words.append(arabic or word)  # other scripts are matched as written
            continue
        latin = latin.replace("ph", "f").replace("kh", "k").replace("ou", "u").replace("q", "k")
        skeleton = _REPEATS.sub(r"\1", _VOWELS.sub("", latin[1:]))
        first = latin[0] if latin[0] not in "aeiouy" else ""
        words.append(_REPEATS.sub(r"\1", first + skeleton) or latin[0])
    return " ".join(words)


def _arabic_skeleton(word: str) -> str:
    """The consonant skeleton of a word in Arabic script, in Latin letters; "" for other scripts."""
    if not any(c in _ARABIC_CONSONANTS or c in _ARABIC_VOWEL_LETTERS for c in word):
        return ""
    letters = []
    for position, char in enumerate(word):
        if char in _ARABIC_CONSONANTS:
            letters.append(_ARABIC_CONSONANTS[char])
        elif char == "و" and position == 0:
            letters.append("w")
    return _REPEATS.sub(r"\1", "".join(letters))
