"""Characters that change or hide text without showing, and how to show them safely.

Shared by the injected-text check, which reports them in a lesson, and by every message
Lectern prints, which must not pass them raw to a terminal (U+202E would reverse the
rest of the line, U+2028 would break it).
"""

from __future__ import annotations

import unicodedata

INVISIBLE = {
    **{
        chr(c): "zero-width"
        for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x034F, 0x180E)
    },
    **{chr(c): "invisible operator" for c in range(0x2061, 0x2065)},
    **{
        chr(c): "bidi control"
        for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)
    },
    **{chr(c): "deprecated format control" for c in range(0x206A, 0x2070)},
    **{chr(c): "Hangul filler" for c in (0x115F, 0x1160, 0x3164, 0xFFA0)},
    **{chr(c): "Khmer invisible vowel" for c in (0x17B4, 0x17B5)},
    **{chr(c): "interlinear annotation" for c in range(0xFFF9, 0xFFFC)},
    "\u2028": "line separator",
    "\u2029": "paragraph separator",
    "\u2800": "braille blank",
}
"""Characters that draw nothing (or change direction) and are not ordinary spaces."""


def invisible_kind(char: str) -> str | None:
    """What kind of invisible character char is, or None for one that shows."""
    kind = INVISIBLE.get(char)
    if kind is None and char not in "\n\t":
        category = unicodedata.category(char)
        if category == "Co":
            kind = "private-use"
        elif category == "Cc":
            kind = "control"
        elif category == "Cf":
            kind = "format control"
    return kind


def shown(text: str) -> str:
    """text for a terminal or a log: each invisible or unprintable character as <U+XXXX>."""
    if text.isprintable() and not any(char in INVISIBLE for char in text):
        return text
    return "".join(
        f"<U+{ord(char):04X}>"
        if char != " " and (char in INVISIBLE or not char.isprintable())
        else char
        for char in text
    )
