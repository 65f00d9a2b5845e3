"""Clean a filename that a visitor chose before it is stored or shown.

A name may carry anything a browser or a JSON body can: control characters (a newline
that splits a log line or a header), bidirectional overrides that make `txt.exe` read as
`exe.txt` (U+202A-U+202E, U+2066-U+2069, U+200E/U+200F, U+061C), other invisible format
characters, private-use and non-characters, and lone UTF-16 surrogates (valid in a JSON
string, but not encodable as UTF-8, so they break any code that writes the name out).

`clean_filename` keeps every letter, digit, mark, symbol and emoji (names stay readable
in any script) and removes the rest: tabs, newlines and other spaces become one plain
space, everything invisible goes. The zero-width joiner and non-joiner stay: emoji
sequences and Persian or Indic words need them, and they reorder nothing. The result is
in Unicode NFC form, so one visible name has one stored form.
"""

import unicodedata

KEPT_FORMAT_CHARACTERS = {"\u200c", "\u200d"}  # zero-width non-joiner and joiner
REMOVED_CATEGORIES = {"Cc", "Cf", "Cs", "Co"}  # control, format (bidi and invisible), surrogate, private use


def clean_filename(name: str) -> str:
    """The name without unsafe code points, its whitespace collapsed; may be empty."""
    kept = []
    for character in unicodedata.normalize("NFC", without_surrogates(name)):
        if character.isspace():
            kept.append(" ")
        elif character in KEPT_FORMAT_CHARACTERS:
            kept.append(character)
        elif unicodedata.category(character) in REMOVED_CATEGORIES or is_noncharacter(character):
            continue
        else:
            kept.append(character)
    return " ".join("".join(kept).split())


def without_surrogates(name: str) -> str:
    # Before normalising: NFC cannot process a string that does not encode.
    return "".join(character for character in name if not 0xD800 <= ord(character) <= 0xDFFF)


def is_noncharacter(character: str) -> bool:
    point = ord(character)
    return 0xFDD0 <= point <= 0xFDEF or (point & 0xFFFE) == 0xFFFE
