"""Lectern's inline markup: ``**emphasis**`` inside lesson text, and nothing else.

One marker is all a lecturer needs and all three outputs can show (bold runs in slides,
``<strong>`` in print, ``render.print.markup``). Everything else in lesson text is
literal: ``<b>`` is shown as the characters ``<b>``, never as markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.text.measure import is_wide
from builder.text.quotes import chinese_quotes

_EMPHASIS = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_BLANK_LINES = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Run:
    """A stretch of text with one style."""

    text: str
    strong: bool = False


def runs(text: str) -> list[Run]:
    """Split text into plain and emphasised runs; unmatched ``**`` stays literal."""
    out: list[Run] = []
    position = 0
    for match in _EMPHASIS.finditer(text):
        if match.start() > position:
            out.append(Run(text[position : match.start()]))
        out.append(Run(match.group(1), strong=True))
        position = match.end()
    if position < len(text):
        out.append(Run(text[position:]))
    return out


def plain(text: str) -> str:
    """The text without markup, as it reads (for slides, notes, metadata and measuring),
    straight quotes beside Chinese set as Chinese ones (``chinese_quotes``)."""
    return chinese_quotes("".join(run.text for run in runs(text)))


def paragraphs(text: str | None) -> list[str]:
    """Paragraphs separated by blank lines; single line breaks inside one are joined.

    Chinese joins without a space (a line break in the source is not a word gap);
    other text joins with one.
    """
    if not text:
        return []
    out = []
    for block in _BLANK_LINES.split(text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        joined = ""
        for line in lines:
            if joined and not (is_wide(joined[-1]) or is_wide(line[0])):
                joined += " "
            joined += line
        if joined:
            out.append(joined)
    return out
