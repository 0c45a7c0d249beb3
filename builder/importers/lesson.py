"""A script's tree → the plain data of a lesson (what ``source.py`` validates).

Recognised in the text: quotations with their source and numbers with a unit and a label.
Drafted where a script has nothing to give, and marked so the lecturer rewrites them:
slide points (extracted, never invented), the duration at speaking pace, a discussion
question per part, the date and the speaker's name.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any

from builder.importers.structure import Node, Tree, sentences

SPEAKING_PACE = 220
"""Characters of Chinese a lecturer reads aloud in a minute (180–250 is usual)."""
MINUTES_PER_QUESTION = 5
POINT_LENGTH = 30
"""The longest slide point drafted: a line and a half at the built-in theme's size."""
POINTS_PER_SLIDE = 3

_SAID = re.compile(
    r"(?P<who>[^，。；！？,;:：“”\s]{1,40}?)(?:指出|强调|说|讲|要求|表示|提出|寄语)[：:，,]\s*"
    r"“(?P<text>[^“”]{8,})”"
)
_ATTRIBUTED = re.compile(
    r"“(?P<text>[^“”]{8,})”\s*——\s*(?P<who>《[^》]{1,40}》|[^。，,；\n“”]{2,40})"
)
_FIGURE = re.compile(
    r"(?<![\d.])(?P<value>\d+(?:\.\d+)?)\s*"
    r"(?P<unit>万人|亿元|万元|个|万|亿|名|家|所|座|项|条|户|人|次|%|％|倍)"
    r"(?P<label>[\u4e00-\u9fff]{0,8}?)(?=[、，。；：,;和及与的（(\s“”全都均已在是]|$)"
)
_CONNECTIVE = re.compile(
    r"^(?:因此|所以|从而|但是|但|虽然|才能使|当前|目前|此时|接下来|同时|首先|其次|最后|我们要|要|并|而)[，,]?"
)
_WEIGHTY = re.compile(r"要|需要|应当|应该|必须|实现|推进|构建|破解|提升|打造|坚持|加强|完善|如何")
_AUTHOR_NOTE = re.compile(r"作者系(?P<affiliation>[^。）)]+)")


@dataclass
class Drafted:
    """The lesson's plain data, and the paths of the values drafted rather than found."""

    data: dict[str, Any]
    drafts: set[tuple] = field(default_factory=set)
    quotes: list[dict[str, str]] = field(default_factory=list)
    figures: list[dict[str, str]] = field(default_factory=list)


def is_chinese(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return sum("\u4e00" <= c <= "\u9fff" for c in letters) > 0.3 * max(len(letters), 1)


def lesson_data(tree: Tree, fallback_title: str) -> Drafted:
    """The plain data of a lesson made from tree."""
    everything = "".join([*tree.lead, *tree.closing, *(_all_text(p) for p in tree.parts)])
    chinese = is_chinese(everything + (tree.title or ""))
    out = Drafted({"lectern": "1"})
    data = out.data
    data["title"] = tree.title or fallback_title
    if tree.subtitle:
        data["subtitle"] = tree.subtitle
    if tree.series:
        data["series"] = tree.series
    author: dict[str, str] = {"name": "主讲人" if chinese else "Speaker"}
    note = _AUTHOR_NOTE.search("".join(tree.closing))
    if note:
        author["affiliation"] = note.group("affiliation").strip()
    data["authors"] = [author]
    out.drafts.add(("authors", 0, "name"))
    data["date"] = _today().isoformat()
    out.drafts.add(("date",))
    data["language"] = "zh-CN" if chinese else "en"
    data["duration"] = "0"  # set below, once the questions are known
    out.drafts.add(("duration",))
    if tree.objectives:
        data["objectives"] = list(tree.objectives)
    opening: dict[str, Any] = {}
    if tree.lead:
        opening["lead"] = "\n\n".join(tree.lead)
        quotes = _quotes("\n".join(tree.lead))
        out.quotes += quotes
        if quotes:
            opening["quote"] = quotes[0]
    if opening:
        data["opening"] = opening
    parts = tree.parts or [Node(data["title"], paragraphs=[])]
    data["sections"] = [
        _section(part, (i,), f"part-{i + 1}", out, chinese) for i, part in enumerate(parts)
    ]
    data["questions"] = [
        {
            "prompt": (
                f"结合本单位实际，谈谈你对“{part.title}”的理解。"
                if chinese
                else f"What does “{part.title}” mean for your own work?"
            ),
            "minutes": str(MINUTES_PER_QUESTION),
            "section": f"part-{i + 1}",
        }
        for i, part in enumerate(parts[:5])
    ]
    out.drafts.add(("questions",))
    if tree.closing:
        data["closing"] = {"summary": "\n\n".join(tree.closing)}
    talk = math.ceil(len(re.sub(r"\s", "", everything)) / SPEAKING_PACE)
    total = talk + MINUTES_PER_QUESTION * len(data["questions"])
    data["duration"] = str(max(5, 5 * math.ceil(total / 5)))
    return out


def _today() -> dt.date:
    """The day the lesson is drafted (SOURCE_DATE_EPOCH's, for a reproducible import)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def _all_text(node: Node) -> str:
    return "".join([node.title, *node.paragraphs, *(_all_text(c) for c in node.children)])


def _section(node: Node, path: tuple, ident: str, out: Drafted, chinese: bool) -> dict[str, Any]:
    here = ("sections", *path)
    section: dict[str, Any] = {"id": ident, "title": node.title[:200]}
    if node.points is not None:
        section["points"] = list(node.points)
    else:
        section["points"] = _drafted_points(node)
        out.drafts.add((*here, "points"))
    prose = "\n\n".join(p for p in node.paragraphs if p.strip())
    if prose:
        section["prose"] = prose
        quotes = _quotes(prose)
        figures = _figures(prose)
        out.quotes += quotes
        out.figures += figures
        if quotes:
            section["quotes"] = quotes
        if figures:
            section["figures"] = figures
    if node.notes:
        section["notes"] = node.notes
    if node.children:
        section["sections"] = [
            _section(child, (*path, "sections", i), f"{ident}-{i + 1}", out, chinese)
            for i, child in enumerate(node.children)
        ]
    return section


def _quotes(text: str) -> list[dict[str, str]]:
    """Quotations with their source: 某某指出：“……” and “……”——出处."""
    found = []
    for pattern in (_SAID, _ATTRIBUTED):
        for match in pattern.finditer(text):
            found.append((match.start(), match.group("text"), match.group("who").strip()))
    return [{"text": quote, "source": who} for _, quote, who in sorted(found)]


def _figures(text: str) -> list[dict[str, str]]:
    """Numbers with a unit and what they count: 26个区, 7959个行政村."""
    return [
        {"value": match.group("value"), "unit": match.group("unit"), "label": match.group("label")}
        for match in _FIGURE.finditer(text)
        if match.group("label")
    ]


def _drafted_points(node: Node) -> list[str]:
    """Slide points taken from the text: the titles of a part's points, or for a point
    the clause that carries each of its first sentences."""
    if node.children:
        return [_clause(child.title) or child.title[:POINT_LENGTH] for child in node.children]
    points: list[str] = []
    for sentence in sentences("".join(node.paragraphs)):
        if _SAID.search(sentence) or _ATTRIBUTED.search(sentence):
            continue  # a quotation is the speaker's words: not cut into a point
        clause = _clause(sentence)
        if clause and clause not in points:
            points.append(clause)
        if len(points) == POINTS_PER_SLIDE:
            break
    return points or [_clause(node.title) or node.title[:POINT_LENGTH]]


def _clause(sentence: str) -> str | None:
    """The clause of a sentence that carries it, short enough for a slide point."""
    clauses = [
        _CONNECTIVE.sub("", c.strip()).strip() for c in re.split(r"[，,；;：:。！？!?]", sentence)
    ]
    fitting = [c for c in clauses if 6 <= len(c) <= POINT_LENGTH and c.count("“") == c.count("”")]
    if not fitting:
        return None
    weighty = [c for c in fitting if _WEIGHTY.search(c)]
    return max(weighty or fitting, key=len)
