"""What every reader produces: a script as a list of blocks (paragraphs and headings)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    """A paragraph of the script, or a heading when the format marks one."""

    text: str
    where: str
    """Where it starts in the input, as a person finds it: ``12:3`` or ``slide 4``."""
    level: int | None = None
    """0 the document's title, 1 a part, 2 a point… when the format says so (Word's
    heading styles, Markdown's #); None for body text, whose numbering is read later."""
    points: list[str] | None = None
    """A slide's bullets, from a deck: kept as the points, not drafted."""
    notes: str | None = None


@dataclass
class Removed:
    """Something taken out of the input: injected spam or an invisible character."""

    where: str
    text: str
    why: str


@dataclass
class Script:
    """A script as read: its blocks in order, and what cleaning removed."""

    source: str
    blocks: list[Block]
    removed: list[Removed] = field(default_factory=list)
