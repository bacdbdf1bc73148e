"""Recognise the text encoding of an uploaded CSV, or refuse it: never read it as mojibake.

Spreadsheets in the Maghreb are saved in UTF-8 (LibreOffice, Google Sheets, Excel's "CSV UTF-8"), in UTF-16
(Excel's "Unicode text", always with a byte order mark), or in Windows-1256 (Excel's "CSV" on an Arabic Windows).
Windows-1256 decodes any byte sequence, so being decodable proves nothing: after decoding, the text must also
look like Arabic and/or Latin-script text:

- no control characters besides tab and line ends (binary files, UTF-16 without BOM);
- every letter is Arabic or Latin (ASCII, Latin-1, Latin Extended-A): 1256 decodes other code pages'
  bytes into letters like ƒ, ˆ or Urdu letters found in no Maghreb name… only Arabic-block ones stay;
- no word mixes Arabic and Latin letters: a Latin-1 file read as 1256 turns É, À, Ô… into Arabic letters
  inside French words ("ةcole"), which no real text does.

The lower-case French accents (é è à ç ê ô…) sit at the same place in Latin-1 and in Windows-1256, so a
Latin-1 file that only uses those reads correctly either way, and is accepted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

UTF8 = "utf-8"
UTF16 = "utf-16"
WINDOWS_1256 = "windows-1256"

_ARABIC_LETTERS = (
    "\u0620-\u065f\u066e-\u06d3\u06d5-\u06ef\u06fa-\u06ff"  # Arabic (letters and marks, not digits or punctuation)
    "\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"  # supplements and presentation forms
)
_LATIN_LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f"
_WORDS = re.compile(f"[{_ARABIC_LETTERS}{_LATIN_LETTERS}]+")
_ARABIC = re.compile(f"[{_ARABIC_LETTERS}]")
_LATIN = re.compile(f"[{_LATIN_LETTERS}]")
_ALLOWED_LETTER = re.compile(f"[{_ARABIC_LETTERS}{_LATIN_LETTERS}]")
_ALLOWED_CONTROLS = frozenset("\t\n\r")


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


class EncodingNotRecognisedError(ValueError):
    """The bytes are not text in an accepted encoding (the caller shows a translated message)."""


def decode_csv(data: bytes) -> DecodedText:
    """The text of a CSV upload and its encoding; raises EncodingNotRecognisedError rather than guessing wrong."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [UTF16]
    elif data.startswith(b"\xef\xbb\xbf"):
        candidates = [UTF8]
    else:
        candidates = [UTF8, WINDOWS_1256]
    for encoding in candidates:
        try:
            text = data.decode("utf-8-sig" if encoding == UTF8 else encoding)
        except UnicodeDecodeError:
            continue
        text = text.removeprefix("\ufeff")
        if encoding == UTF8 and not _has_stray_controls(text):
            return DecodedText(text, encoding)
        if encoding != UTF8 and looks_like_arabic_or_latin_text(text):
            return DecodedText(text, encoding)
    raise EncodingNotRecognisedError


def looks_like_arabic_or_latin_text(text: str) -> bool:
    if _has_stray_controls(text):
        return False
    for char in set(text):
        if unicodedata.category(char).startswith("L") and not _ALLOWED_LETTER.match(char):
            return False
    return not any(_ARABIC.search(word) and _LATIN.search(word) for word in _WORDS.findall(text))


def _has_stray_controls(text: str) -> bool:
    return any(unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS for char in set(text))


def looks_double_encoded(value: str) -> bool:
    """True for text that was UTF-8 read once in the wrong encoding and saved again ("Ø¬Ù…Ø¹ÙŠØ©", "ط¬ظ…ط¹ظٹط©").

    Such a file is valid UTF-8, so only the values give it away: encoded back in Windows-1252 or 1256, they
    are valid UTF-8 again, which real words (whose accented or Arabic letters are single bytes there) are not.
    """
    if value.isascii():
        return False
    for encoding in ("cp1252", "cp1256"):
        try:
            repaired = value.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        if repaired != value:
            return True
    return False
