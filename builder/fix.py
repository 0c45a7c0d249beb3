"""``lectern fix``: the safe typographic corrections, made in the lesson file itself.

Each correction is an edit of the file's text at the place the YAML parser says the value
was typed, so comments, key order, quoting and layout stay as the author left them and
nothing but punctuation and spacing changes. Before anything is written the edited file
is parsed again: every value must read back as its corrected self, and the text with
punctuation and spaces taken out must be what it was; otherwise nothing is written.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from builder.errors import Location, Problem, SourceError, display_path
from builder.i18n import _
from builder.source import MARKED_ENCODINGS, load_lesson
from builder.sourcemap import NOT_PROSE
from builder.text.punctuation import Edit, applied, corrections, spacing_to_mend


@dataclass(frozen=True)
class Fixed:
    """A lesson file's text before and after its corrections."""

    path: Path
    before: str
    after: str
    count: int

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                display_path(self.path),
                display_path(self.path),
            )
        )


def fix_lesson(path: Path) -> Fixed:
    """The corrections of the lesson at path (not yet written)."""
    loaded = load_lesson(path)  # a lesson that does not load is reported, not touched
    text = loaded.text
    if not loaded.lesson.is_chinese:
        return Fixed(loaded.path, text, text, 0)
    scalars = list(_prose_scalars(text))
    mend = spacing_to_mend(node.value for node in scalars)
    edits: list[Edit] = []
    for node in scalars:
        span = _typed_span(text, node)
        if span is not None:
            start = span[0]
            edits += [
                (start + s, start + e, new) for s, e, new in corrections(text[slice(*span)], mend)
            ]
    after = applied(text, sorted(edits))
    _check(loaded.path, text, after, [node.value for node in scalars], mend)
    return Fixed(loaded.path, text, after, len(edits))


def write_fixed(fixed: Fixed) -> None:
    """Replace the lesson file with its corrected text, in its own encoding and line ends."""
    from builder.artifacts import write_atomic

    raw = fixed.path.read_bytes()
    text = fixed.after.replace("\n", "\r\n") if b"\r\n" in raw else fixed.after
    for bom, encoding in MARKED_ENCODINGS:
        if raw.startswith(bom):
            write_atomic(fixed.path, bom + text.encode(encoding))
            return
    write_atomic(fixed.path, text.encode("utf-8"))


def _prose_scalars(text: str) -> Iterator[yaml.ScalarNode]:
    """The scalar nodes of a lesson's text that hold prose (not ids, paths, links…), in
    the order they were typed. The pure-Python parser is used: its marks count
    characters, where libyaml's count bytes."""

    def walk(node: yaml.Node) -> Iterator[yaml.ScalarNode]:
        if isinstance(node, yaml.ScalarNode):
            yield node
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                yield from walk(item)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not (isinstance(key, yaml.ScalarNode) and key.value in NOT_PROSE):
                    yield from walk(value)

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None:
        yield from walk(root)


def _typed_span(text: str, node: yaml.ScalarNode) -> tuple[int, int] | None:
    """Where the characters of node's value were typed, when editing them there edits
    the value alike: not inside escapes (\\" or '') or a folded (>) block."""
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ("|",):
        return text.index("\n", start) + 1, end
    if node.style == ">":
        return None
    if node.style == '"':
        return None if "\\" in text[start:end] else (start + 1, end - 1)
    if node.style == "'":
        return None if "''" in text[start + 1 : end - 1] else (start + 1, end - 1)
    return start, end


def _bare(text: str) -> str:
    """text without punctuation and spaces: what a correction must leave as it was."""
    return "".join(c for c in text if not (c.isspace() or unicodedata.category(c)[0] == "P"))


def _check(path: Path, before: str, after: str, values: list[str], mend: str | None) -> None:
    """Refuse edits that would change more than the corrections: a value (values are
    before's prose, as read) that does not read back as its corrected self, or any letter
    changed."""
    expected = [applied(value, corrections(value, mend)) for value in values]
    try:
        got = [n.value for n in _prose_scalars(after)]
    except yaml.YAMLError:
        got = None
    if got != expected or _bare(before) != _bare(after):
        raise SourceError(
            [
                Problem(
                    Location(path),
                    _("cannot be corrected without changing more than punctuation; left as it is"),
                )
            ]
        )
