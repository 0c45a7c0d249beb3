"""Where LibreOffice would put its Chinese–Latin space beside a Chinese mark.

LibreOffice widens every boundary between Asian and Latin script by a fifth of the
text's height (editeng's ``bScriptSpace``; a deck cannot switch it off, and PowerPoint
adds nothing). Between 5 and 分 that is the quarter-em space Chinese typesetting puts
there anyway, but beside a full-width mark it reads as a typed space: "（ 5 分钟）",
"（ 2025 年版）》", "“ 1361” 整体". The mark's own blank half already sets it apart.

The space is a fifth of the height of the run that ends at the boundary, and a word
joiner takes the script of the character before it; so a word joiner in a run of its own
at 1 pt, put at such a boundary, takes the space: a fifth of a point, and in PowerPoint
nothing at all.
"""

from __future__ import annotations

from builder.text.measure import is_wide

STOP = "\u2060"
"""The word joiner drawn at 1 pt where a boundary's space is to be taken."""
STOP_SIZE = 1.0
_MARKS = frozenset("（）《》〈〉「」『』【】〔〕“”‘’，。、：；？！")


def _script(char: str, previous: str | None) -> str | None:
    """LibreOffice's script of char: Asian, Latin, or (punctuation, spaces, the quotes
    shared by both) that of the character before it."""
    if is_wide(char):
        return "asian"
    if char.isalnum():
        return "latin"
    return previous


def stopped(line: str) -> list[str]:
    """line in pieces, a stop to go between each two: at every change of script beside a
    Chinese mark."""
    pieces, start, script = [], 0, None
    for i, char in enumerate(line):
        here = _script(char, script)
        if script and here != script and (line[i - 1] in _MARKS or char in _MARKS):
            pieces.append(line[start:i])
            start = i
        script = here
    return [*pieces, line[start:]]
