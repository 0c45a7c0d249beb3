"""What print says of a character no installed face has, and which fields it never sets.

The build stops at such a character (WeasyPrint would print an empty box); the glyph
check predicts it beforehand. Both word it here, so a lecturer reads one message.
"""

from __future__ import annotations

from collections.abc import Sequence

NOT_PRINTED = ("notes", "alt")
"""Fields never set in print: speaker notes, and a picture's description."""


NO_PRINT_GLYPH = "no print font has a glyph for"
"""How every such message begins, so the build can tell them from its other problems."""


def no_print_glyph(*chars: str) -> str:
    """What the check and the build both say of characters no installed face has."""
    if len(chars) == 1:
        return (
            f"{NO_PRINT_GLYPH} {named_characters(chars)}: it would print as an "
            "empty box (install a font that has it)"
        )
    return (
        f"{NO_PRINT_GLYPH} {len(chars)} characters here, "
        f"{named_characters(chars)}: they would print as empty boxes (install a font that "
        "has them)"
    )


def named_characters(chars: Sequence[str]) -> str:
    """Characters as a message names them: ``'𠀀' (U+20000), …``."""
    return ", ".join(f"'{char}' (U+{ord(char):04X})" for char in chars)
