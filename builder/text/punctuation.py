"""Chinese punctuation and CJK–Latin spacing: the rules, and the corrections that are
safe to make without asking (what ``lectern check`` reports and ``lectern fix`` mends).

The rules follow the common Chinese copywriting guidelines (中文文案排版指北): full-width
punctuation in Chinese sentences, curly quotes, and one consistent choice about spaces
between Chinese and Latin text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

HAN = "\u4e00-\u9fff"
FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
HALF_IN_CHINESE = re.compile(rf"(?<=[{HAN}])[,;:?!(]|[,;:?!)](?=[{HAN}])")
PERIOD = re.compile(rf"(?<=[{HAN}])\.(?!\d)")
ELLIPSIS = re.compile(rf"(?<=[{HAN}])\.{{3,}}")
GLUED = re.compile(rf"[{HAN}][A-Za-z0-9]|[A-Za-z0-9][{HAN}]")
SPACED = re.compile(rf"[{HAN}] [A-Za-z0-9]|[A-Za-z0-9] [{HAN}]")
_GLUED_AT = re.compile(rf"(?<=[{HAN}])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[{HAN}])")
_SPACE_AT = re.compile(rf"(?<=[{HAN}]) (?=[A-Za-z0-9])|(?<=[A-Za-z0-9]) (?=[{HAN}])")
_STRAIGHT_QUOTED = re.compile(r'"([^"\n]*)"')

Edit = tuple[int, int, str]
"""Replace text[start:end] with the string."""


def spacing_to_mend(texts: Iterable[str]) -> str | None:
    """Which of "glued" (中文English) and "spaced" (中文 English) is the minority to change
    in a lesson that mixes them (the rarer), or None when it keeps to one."""
    glued = spaced = 0
    for text in texts:
        glued += len(GLUED.findall(text))
        spaced += len(SPACED.findall(text))
    if not (glued and spaced):
        return None
    return "spaced" if spaced < glued else "glued"


def corrections(text: str, mend: str | None = None) -> list[Edit]:
    """The safe corrections of a Chinese text, as edits in reading order: half-width
    marks beside Chinese made full-width (a bracket with its partner, so pairs stay
    balanced), a full stop after Chinese made 。 and ... made ……, straight double quotes
    around Chinese made curly, and the spacing between Chinese and Latin text of the
    kind mend names changed to the other."""
    edits: dict[tuple[int, int], str] = {}
    partners = _bracket_partners(text)
    for match in HALF_IN_CHINESE.finditer(text):
        start = match.start()
        edits[start, start + 1] = FULL[match.group()]
        partner = partners.get(start)
        if partner is not None:
            edits[partner, partner + 1] = FULL[text[partner]]
    for match in ELLIPSIS.finditer(text):
        edits[match.span()] = "……"
    for match in PERIOD.finditer(text):
        if not any(s <= match.start() < e for s, e in edits):
            edits[match.span()] = "。"
    for match in _STRAIGHT_QUOTED.finditer(text):
        start, end = match.span()
        around = text[max(start - 1, 0) : start] + match.group(1) + text[end : end + 1]
        if re.search(f"[{HAN}]", around):
            edits[start, start + 1] = "“"
            edits[end - 1, end] = "”"
    if mend is not None:
        for match in (_SPACE_AT if mend == "spaced" else _GLUED_AT).finditer(text):
            edits.setdefault(match.span(), "" if mend == "spaced" else " ")
    return [(start, end, new) for (start, end), new in sorted(edits.items())]


def applied(text: str, edits: list[Edit]) -> str:
    """text with edits (non-overlapping, in order) made."""
    out, at = [], 0
    for start, end, new in edits:
        out += [text[at:start], new]
        at = end
    return "".join([*out, text[at:]])


def _bracket_partners(text: str) -> dict[int, int]:
    """Each ASCII bracket's partner, by position, both ways."""
    partners: dict[int, int] = {}
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "(":
            opened.append(index)
        elif char == ")" and opened:
            start = opened.pop()
            partners[start], partners[index] = index, start
    return partners
