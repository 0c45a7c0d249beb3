"""Line breaking for CJK and Latin text, with the Chinese rules for punctuation (禁则).

A closing mark (。，、；：？！）」』” …) may not start a line and an opening mark
(（「『“《 …) may not end one; Latin words are not split unless a word alone is wider
than the line. The same function decides slide layout and is checked by property tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable

NO_LINE_START = set("。，、；：？！）」』”’》〉】〕〗〙〛｝］…‥·・ー～%‰℃,.;:?!)]}>/-—")
NO_LINE_END = set("（「『“‘《〈【〔〖〘〚｛［([{<")

_TOKEN = re.compile(r"\s+|[A-Za-z0-9_@#$%&+=^'’\-./:]+|.", re.DOTALL)


def _units(text: str) -> list[str]:
    """Unbreakable units: a Latin word or number, a space run, or one other character,
    with closing punctuation glued to what precedes it and opening to what follows."""
    tokens = _TOKEN.findall(text)
    units: list[str] = []
    pending_open = ""
    for token in tokens:
        if token.isspace():
            if pending_open:
                pending_open += token
                continue
            units.append(token)
            continue
        if all(char in NO_LINE_END for char in token):
            pending_open += token
            continue
        token = pending_open + token
        pending_open = ""
        if units and not units[-1].isspace() and token[0] in NO_LINE_START:
            units[-1] += token
        else:
            units.append(token)
    if pending_open:
        units.append(pending_open)
    return units


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Break text into lines no wider than width by measure; never empty for non-empty text."""
    lines: list[str] = []
    line = ""
    for unit in _units(text):
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
        # A unit wider than the whole line (a URL, a long number): split it by characters,
        # keeping closing punctuation off the start of the next line.
        for char in unit:
            if line and measure(line + char) > width:
                if char in NO_LINE_START and len(line) > 1:
                    lines.append(line[:-1])
                    line = line[-1]
                else:
                    lines.append(line)
                    line = ""
            line += char
    if line.strip():
        lines.append(line.rstrip())
    return lines or ([text] if text else [])
