"""The tree of a script: title, opening, parts and their points, closing.

Chinese scripts show their structure by numbering: 一、 / 第一部分 / 第一个方面 for parts,
（一）/ (一) for points, 1. and 1.1 below; and inside a paragraph, as the seed lesson is
written, a sentence that names a part followed by 一是……二是……三是…… for its points.
Word's heading styles and Markdown's # say the same where a script has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from builder.importers.script import Block

_NUMERAL = "一二三四五六七八九十"
MARKERS = (
    (1, re.compile(rf"^[{_NUMERAL}]+、\s*")),
    (1, re.compile(rf"^第[{_NUMERAL}]+部分[、：:，,\s]*")),
    (1, re.compile(rf"^第[{_NUMERAL}]+个?(?:方面|角度)[、：:，,\s]*")),
    (2, re.compile(rf"^[（(][{_NUMERAL}]+[）)]\s*")),
    (4, re.compile(r"^\d+\.\d+[.．]?\s*(?=\D)")),
    (3, re.compile(r"^\d+[.．、](?!\d)\s*")),
)
"""Numbering that opens a heading, with its rank: parts, points, then 1. and 1.1."""
INLINE = re.compile(rf"^(?:[{_NUMERAL}]+是|其[{_NUMERAL}][，,]|第[{_NUMERAL}][，,])")
"""An enumeration inside a paragraph: 一是…… / 其一， / 第一，"""
SALUTATION = re.compile(
    r"^[^。！？]{0,24}(?:同志们|朋友们|同学们|大家好)[^。！？]{0,8}[：:，,！!]?$"
)
_CLOSING = re.compile(
    r"^(?:[（(]?\s*(?:作者|本文|来源|责任编辑|编者)|(?:同志们|朋友们|同学们)[，,！!]|总之|最后[，,]让我们)"
)
"""An author's note, or the sign-off that addresses the audience again, after the last part."""
_OBJECTIVES = re.compile(r"^(?:本课目的|教学目的|学习目的|学习目标|教学目标|本课目标)[：:]\s*")
_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")
HEADING_LENGTH = 40
"""A numbered line at most this long is a heading; a longer one is a paragraph whose
first sentence is the heading."""


@dataclass
class Node:
    """A part or a point: its title, its paragraphs and what it holds."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    points: list[str] | None = None
    notes: str | None = None


@dataclass
class Tree:
    """A script's structure as found."""

    title: str | None = None
    subtitle: str | None = None
    series: str | None = None
    objectives: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    parts: list[Node] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    inline: bool = False
    """Parts were found inside paragraphs (一是……), not from headings."""


def sentences(text: str) -> list[str]:
    """text cut after each 。！？ (with the closing quotes that follow it)."""
    return [s for s in _SENTENCE.findall(text) if s.strip()]


def has_words(text: str) -> bool:
    """Whether text says something: a heading of punctuation alone is no heading."""
    return any(c.isalnum() for c in text)


def numbered(text: str) -> tuple[int, str] | None:
    """(rank, text without its number) if text opens with heading numbering."""
    for rank, pattern in MARKERS:
        match = pattern.match(text)
        if match and has_words(text[match.end() :]):
            return rank, text[match.end() :]
    return None


def heading_and_rest(text: str) -> tuple[str, str]:
    """A numbered paragraph's heading and the text after it: all of a short line, else
    its first sentence."""
    if (
        len(text) <= HEADING_LENGTH
        and text.count("。") <= 1
        and not text.rstrip("。").count("，") > 2
    ):
        return text.rstrip("。 "), ""
    first = sentences(text)[0]
    if not has_words(first):
        return text.strip(), ""
    return first.strip().rstrip("。"), text[len(first) :].strip()


def build_tree(blocks: list[Block]) -> Tree:
    """The structure of a script's blocks."""
    tree = Tree()
    blocks = [b for b in blocks if b.text.strip() or b.points]
    if blocks and (blocks[0].level == 0 or _title_like(blocks[0])):
        _set_title(tree, blocks.pop(0).text.strip())
        if blocks and blocks[0].level is None and blocks[0].text.lstrip().startswith("—"):
            tree.subtitle = blocks.pop(0).text.strip().lstrip("—").strip()
    # A heading belongs to the nearest heading above it of a higher rank, so a script
    # that skips a level (1. straight under 第二部分) nests as it reads.
    stack: list[tuple[int, Node]] = []
    for block in blocks:
        text = block.text.strip()
        rank = _rank(block)
        if rank is None:
            _body(tree, [node for _, node in stack], block, text)
            continue
        title = text if block.level else (numbered(text) or (0, text))[1]
        title, rest = (title, "") if block.level else heading_and_rest(title)
        node = Node(title, [rest] if rest else [], points=block.points, notes=block.notes)
        while stack and stack[-1][0] >= rank:
            stack.pop()
        (stack[-1][1].children if stack else tree.parts).append(node)
        stack.append((rank, node))
    if not tree.parts:
        _inline_parts(tree)
    else:
        for part in tree.parts:
            _inline_points(part)
    _closing(tree)
    return tree


def _title_like(block: Block) -> bool:
    text = block.text.strip()
    return (
        block.level is None
        and len(text) <= 80
        and not text.endswith(("。", "：", ":"))
        and numbered(text) is None
        and not SALUTATION.match(text)
    )


def _set_title(tree: Tree, text: str) -> None:
    """The title line; "series|title", as web pages give it, names the series too."""
    for bar in ("|", "｜"):
        series, found, title = text.partition(bar)
        if found and series.strip() and title.strip():
            tree.series, tree.title = series.strip(), title.strip()
            return
    tree.title = text


def _rank(block: Block) -> int | None:
    if block.level:
        return block.level * 10  # heading styles rank above typed numbering
    found = numbered(block.text.strip())
    return found[0] if found else None


def _body(tree: Tree, stack: list[Node], block: Block, text: str) -> None:
    objectives = _OBJECTIVES.match(text)
    if objectives and not tree.parts and text[objectives.end() :].strip():
        tree.objectives.append(text[objectives.end() :])
        return
    (stack[-1].paragraphs if stack else tree.lead).append(text)


def _inline_parts(tree: Tree) -> None:
    """Parts found in the opening's paragraphs: a sentence followed by 一是…… is a part's
    title, and its 一是/二是/三是 sentences are its points."""
    lead, parts = [], []
    for paragraph in tree.lead:
        said = sentences(paragraph)
        opens = [
            i
            for i in range(1, len(said))
            if _enumerates(said[i]) and said[i].strip()[0] == "一" and has_words(said[i - 1])
        ]
        if not opens:
            (parts[-1].paragraphs if parts else lead).append(paragraph)
            continue
        before = "".join(said[: opens[0] - 1]).strip()
        if before:
            (parts[-1].paragraphs if parts else lead).append(before)
        for n, start in enumerate(opens):
            end = opens[n + 1] - 1 if n + 1 < len(opens) else len(said)
            part = Node(said[start - 1].strip().rstrip("。"))
            part.children = _enumerated(said[start:end])
            parts.append(part)
    if parts:
        tree.lead, tree.parts, tree.inline = lead, parts, True


def _inline_points(part: Node) -> None:
    """A part without numbered points whose paragraph enumerates them (一是……)."""
    if part.children or part.points is not None:
        return
    paragraphs = []
    for paragraph in part.paragraphs:
        said = sentences(paragraph)
        first = next((i for i, s in enumerate(said) if _enumerates(s)), None)
        if first is None or part.children:
            paragraphs.append(paragraph)
            continue
        if first:
            paragraphs.append("".join(said[:first]).strip())
        part.children = _enumerated(said[first:])
    part.paragraphs = paragraphs


def _enumerates(sentence: str) -> bool:
    """Whether sentence opens an item of an enumeration: 一是 and something said."""
    marker = INLINE.match(sentence.strip())
    return marker is not None and has_words(sentence.strip()[marker.end() :])


def _enumerated(said: list[str]) -> list[Node]:
    """Points from sentences that begin 一是……, each with the sentences after it."""
    points: list[Node] = []
    for sentence in said:
        text = sentence.strip()
        marker = INLINE.match(text)
        if marker and _enumerates(text):
            points.append(Node(text[marker.end() :].strip().rstrip("。")))
        elif points:
            if points[-1].paragraphs:
                points[-1].paragraphs[-1] += text
            else:
                points[-1].paragraphs.append(text)
    return points


def _closing(tree: Tree) -> None:
    """An author's note after the last part is the closing, not the part's text."""
    node = tree.parts[-1] if tree.parts else None
    while node is not None:
        while node.paragraphs and _CLOSING.match(node.paragraphs[-1]):
            tree.closing.insert(0, node.paragraphs.pop())
        node = node.children[-1] if node.children else None
