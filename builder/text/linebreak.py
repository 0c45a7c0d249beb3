"""Line breaking for CJK and Latin text, with the Chinese rules for punctuation (禁则).

A closing mark (。，、；：？！）」』” …) may not start a line and an opening mark
(（「『“《 …) may not end one; Latin words are not split unless a word alone is wider
than the line. The same function decides slide layout and is checked by property tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from builder.text.measure import is_wide
from builder.text.phrases import inner_places, raw_breaks

NO_LINE_START = set("。，、；：？！）」』”’》〉】〕〗〙〛｝］…‥·・ー～%‰℃,.;:?!)]}>/-—")
NO_LINE_END = set("（「『“‘《〈【〔〖〘〚｛［([{<")

QUOTES = set("“”‘’\"'")
"""Ambiguous quotation marks (UAX #14 class QU): renderers following UAX #14, as
LibreOffice does, break neither before nor after them, so neither do we. Being stricter
than a renderer is safe (a line breaks earlier); being looser is not."""

NO_BREAK = set("\u00a0\u2060")
"""A no-break space and the word joiner: no line breaks on either side of them."""

# A Latin word, number or URL is one unit: renderers do not break after "/" or "-"
# inside them either (measured with LibreOffice), so neither do we.
_TOKEN = re.compile(r"[^\S\u00a0]+|[A-Za-z0-9_@#$%&+=^'’\-./:]+|.", re.DOTALL)


def _glued(before: str, after: str) -> bool:
    """Whether no line break is allowed between two adjacent non-space tokens."""
    return (
        after[0] in NO_LINE_START
        or before[-1] in NO_LINE_END
        or after[0] in QUOTES
        or before[-1] in QUOTES
        or after[0] in NO_BREAK
        or before[-1] in NO_BREAK
    )


def _units(text: str) -> list[str]:
    """Unbreakable units: space runs, and runs of tokens with no break allowed between:
    by the punctuation rules, or inside a phrase (``phrases``)."""
    units: list[str] = []
    inside = inner_places(text)
    for match in _TOKEN.finditer(text):
        token = match.group()
        if (
            units
            and not token.isspace()
            and not units[-1].isspace()
            and (_glued(units[-1], token) or match.start() in inside)
        ):
            units[-1] += token
        elif len(units) > 1 and units[-1].isspace() and token[0] in NO_LINE_START:
            # "word )": UAX #14 allows no break before a closing mark even after a space.
            space = units.pop()
            units[-1] += space + token
        else:
            units.append(token)
    return units


def _split_point(run: str, phrase_ends: frozenset[int] = frozenset()) -> int:
    """Where to end a line inside run, whose last character just overflowed: the latest
    phrase end (offsets in run) whose split obeys the punctuation rules, else the latest
    index that does, else just before the overflow."""
    for cut in sorted(phrase_ends, reverse=True):
        if 0 < cut < len(run) and not _glued(run[cut - 1], run[cut]):
            return cut
    for cut in range(len(run) - 1, 0, -1):
        if not _glued(run[cut - 1], run[cut]):
            return cut
    # Only quotation marks forbid every split: the closing/opening rules still hold.
    for cut in range(len(run) - 1, 0, -1):
        if run[cut] not in NO_LINE_START and run[cut - 1] not in NO_LINE_END:
            return cut
    return len(run) - 1


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Break text into lines no wider than width by measure; never empty for non-empty text."""
    lines: list[str] = []
    line = ""
    offset = 0  # where unit starts in text
    breaks = raw_breaks(text)
    for unit in _units(text):
        start, offset = offset, offset + len(unit)
        if unit.isspace():
            if line and measure(line + " ") <= width:
                line += " "
            elif line:
                lines.append(line.rstrip())
                line = ""
            continue
        candidate = line + unit
        if measure(candidate.rstrip()) <= width:
            line = candidate
            continue
        if line.strip():
            lines.append(line.rstrip())
            line = ""
        if measure(unit) <= width:
            line = unit
            continue
        # A unit wider than the whole line (a long phrase, a URL, a long number): split it
        # at the last phrase end the model gives, else by characters, at the last place
        # that keeps closing marks off the next line's start and opening marks off this
        # line's end.
        for index, char in enumerate(unit):
            line += char
            # Each split keeps a prefix that fitted before this character came; what is
            # left may still be too wide (the cut moved back for punctuation): split again.
            while len(line) > 1 and measure(line) > width:
                base = start + index + 1 - len(line)
                cut = _split_point(line, frozenset(b - base for b in breaks))
                lines.append(line[:cut])
                line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines or ([text] if text else [])


PHRASE_ENDS = set("，、：；？！")
"""Marks that end a phrase inside a title: the natural place for a title's line to end.
Their half-width forms end one only before a space: "10,000" and "16:9" are numbers."""
_HALF_WIDTH_PHRASE_ENDS = set(",;:?!")


def balanced(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """text in as few lines as ``wrap`` gives it, of widths as even as can be.

    A greedy break leaves a title's last line a runt ("…应对变革挑 / 战"), read first by
    the whole room. Two lines end at a phrase mark (，：) when that keeps the shorter line
    at least a quarter of the longer; otherwise every line is as wide as the narrowest measure
    that still gives the same number of lines.
    """
    lines = wrap(text, width, measure)
    if len(lines) < 2:
        return lines
    if len(lines) == 2:
        phrased = _phrase_break(text, width, measure)
        if phrased:
            return phrased
    # Never narrower than a word that fits: balancing must not split what wrapping kept.
    fitting = (measure(unit) for unit in _units(text) if not unit.isspace())
    narrow, wide = max((w for w in fitting if w <= width), default=0.0), width
    for _ in range(14):  # to within width / 16384: far below a glyph's width
        middle = (narrow + wide) / 2
        if len(wrap(text, middle, measure)) <= len(lines):
            wide = middle
        else:
            narrow = middle
    return wrap(text, wide, measure)


def _phrase_break(text: str, width: float, measure: Callable[[str], float]) -> list[str] | None:
    best: tuple[float, list[str]] | None = None
    for cut in range(1, len(text) - 1):
        mark, after = text[cut - 1], text[cut]
        if mark not in PHRASE_ENDS and not (mark in _HALF_WIDTH_PHRASE_ENDS and after == " "):
            continue
        first, second = text[:cut].rstrip(), text[cut:].lstrip()
        if not second or second[0] in NO_LINE_START:
            continue
        widths = sorted((measure(first), measure(second)))
        fits = widths[1] <= width and widths[0] >= widths[1] / 4
        if fits and (best is None or widths[1] < best[0]):
            best = (widths[1], [first, second])
    return best[1] if best else None


def unbreakable(text: str) -> str:
    """text that neither Lectern nor a slide client will break: spaces made no-break, and
    a word joiner wherever a Chinese character could otherwise start a line."""
    out = ""
    for char in text:
        if out and (is_wide(char) or is_wide(out[-1])):
            out += "\u2060"
        out += "\u00a0" if char == " " else char
    return out
