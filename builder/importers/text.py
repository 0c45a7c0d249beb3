"""Plain text and Markdown scripts, including text pasted from a PDF, whose lines break
every 20–30 characters where the page did: those are joined back into paragraphs."""

from __future__ import annotations

import re
from pathlib import Path

from builder.importers.clean import cleaned
from builder.importers.script import Block, Removed, Script
from builder.importers.structure import SALUTATION, numbered
from builder.source import decode, read_capped

MAX_BYTES = 2 * 1024 * 1024
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_ENDS_SENTENCE = tuple("。！？：；”」』…!?:")
_INDENT = re.compile(r"^(?:\u3000|\s{2,})")


def read_text_script(path: Path) -> Script:
    raw, _ = read_capped(path, MAX_BYTES, outside="its folder")
    original = decode(raw, path)
    text, taken = cleaned(original)
    removed = [Removed(position(original, offset), what, why) for offset, what, why in taken]
    markdown = path.suffix.lower() in (".md", ".markdown")
    return Script(path.name, paragraphs(text, markdown=markdown), removed)


def position(text: str, offset: int) -> str:
    """offset in text as line:column, counted from 1."""
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def paragraphs(text: str, *, markdown: bool = False) -> list[Block]:
    """The blocks of a text: one per paragraph, hard-wrapped lines joined back."""
    lines = text.replace("\u2028", "\n").replace("\u2029", "\n\n").split("\n")
    filled = [line.strip() for line in lines if line.strip()]
    wrapped = _hard_wrapped(filled)
    width = _width(filled)
    blocks: list[Block] = []
    joining = False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped:
            joining = False
            continue
        heading = _HEADING.match(stripped) if markdown else None
        if heading:
            blocks.append(Block(heading.group(2), f"{number}:1", level=len(heading.group(1))))
            joining = False
            continue
        starts_new = (
            not joining
            or not wrapped
            or _INDENT.match(line)
            or numbered(stripped) is not None
            or SALUTATION.match(stripped)
        )
        if starts_new:
            blocks.append(Block(stripped, f"{number}:{len(line) - len(line.lstrip()) + 1}"))
        else:
            previous = blocks[-1].text
            glue = " " if previous[-1:].isascii() and stripped[:1].isascii() else ""
            blocks[-1].text = previous + glue + stripped
        # A wrapped line ends its paragraph where it stops short after a full stop, or
        # where it is a numbered heading shorter than the page is wide.
        short = len(stripped) < 0.8 * width
        joining = wrapped and not (
            (short and stripped.endswith(_ENDS_SENTENCE))
            or (short and numbered(stripped) is not None)
            or SALUTATION.match(stripped)
        )
    if markdown:
        # One # heading, first: the document's title, as Markdown writers use it.
        tops = [b for b in blocks if b.level == 1]
        if len(tops) == 1 and blocks[0] is tops[0]:
            blocks[0].level = 0
    return blocks


def _width(lines: list[str]) -> int:
    """The width of the page the lines were broken on: the longest usual line."""
    if not lines:
        return 0
    lengths = sorted(len(line) for line in lines)
    return lengths[int(0.9 * (len(lengths) - 1))]


def _hard_wrapped(lines: list[str]) -> bool:
    """Whether lines were broken by a page's width rather than by the author: most
    lines are of a page's width and many stop mid-sentence."""
    if len(lines) < 4:
        return False
    width = _width(lines)
    if width > 80:
        return False
    full = [line for line in lines if len(line) >= 0.8 * width]
    mid_sentence = [line for line in lines if not line.endswith(_ENDS_SENTENCE)]
    return len(full) >= 0.5 * len(lines) and len(mid_sentence) >= 0.3 * len(lines)
