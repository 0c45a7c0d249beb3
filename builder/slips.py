"""The slips authors make in YAML, named with their fix at the line where they were made.

YAML's parser reports where it gave up, in its own words ("mapping values are not
allowed here"), often a line after the slip. These functions look at the lines an
author typed and say what was meant: a full-width colon, a tab, a value that begins
with a character YAML reserves, a colon inside unquoted text, an item out of line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.i18n import N_, _

_KEY_FULL_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*)\s*：")
_KEY = re.compile(r"^(\s*)(-\s+)?([A-Za-z_][A-Za-z0-9_]*):(\s+|$)")
_BLOCK_START = re.compile(r"^(\s*)(?:-\s+)?(?:[^#\s][^#]*?:\s+)?[|>][-+0-9]*\s*(?:#.*)?$")
_RESERVED = "%@`"
"""Characters YAML keeps for itself at the start of a value (directives, future use)."""


def typed_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number from 1, line) of each line holding YAML structure: the lines of a
    block scalar (``|`` text) are the author's prose and are skipped."""
    block_indent: int | None = None
    for number, line in enumerate(text.split("\n"), 1):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = None
        match = _BLOCK_START.match(line)
        if match:
            block_indent = len(match.group(1))
        yield number, line


def explain_syntax(text: str, problem: str, line: int, column: int) -> tuple[int, int, str] | None:
    """(line, column, message) naming the slip behind a YAML syntax error reported by the
    parser at line:column with problem, if it is one of the usual ones."""
    lines = text.split("\n")
    for number, typed in typed_lines(text):
        if number > line:
            break
        indent = typed[: len(typed) - len(typed.lstrip(" \t"))]
        if "\t" in indent:
            return (
                number,
                indent.index("\t") + 1,
                _("a tab indents this line; YAML indents with spaces: replace the tab with spaces"),
            )
        full = _KEY_FULL_COLON.match(typed)
        if full:
            return number, full.end(), full_width_colon(full.group(2))
    typed = lines[line - 1] if line <= len(lines) else ""
    char = typed[column - 1 : column]
    if "cannot start any token" in problem and char in _RESERVED:
        key = _KEY.match(typed)
        shown = f'{key.group(3)}: "{typed[column - 1 :].strip()}"' if key else '"…"'
        return (
            line,
            column,
            _("a value cannot begin with '{char}' unquoted; put it in quotes: {example}").format(
                char=char, example=shown
            ),
        )
    if "mapping values are not allowed" in problem and line <= len(lines):
        inner = _inner_colon(lines[line - 1])
        if inner is not None:
            key, value = inner
            return (
                line,
                column,
                _(
                    "this text holds ': ', which YAML reads as a new key; put the whole text "
                    'in quotes: {key}: "{value}"'
                ).format(key=key, value=value),
            )
    return out_of_line(text, line)


def _inner_colon(line: str) -> tuple[str, str] | None:
    """The key and the text of ``key: text: more``, a colon inside unquoted text."""
    key = _KEY.match(line)
    if not key:
        return None
    value = line[key.end() :].strip()
    if ": " not in value or value[:1] in "\"'":
        return None
    return key.group(3), value


def out_of_line(text: str, line: int) -> tuple[int, int, str] | None:
    """An item or key near line that is indented a space or two off the one above it at
    the same level, which YAML takes for a different level."""
    typed = dict(typed_lines(text))
    for number in (line, line - 1):
        here = typed.get(number)
        if not here or not here.strip():
            continue
        indent = len(here) - len(here.lstrip(" "))
        dash = here.lstrip().startswith("- ")
        for earlier in range(number - 1, 0, -1):
            other = typed.get(earlier)
            if other is None or not other.strip() or other.lstrip().startswith("#"):
                continue
            other_indent = len(other) - len(other.lstrip(" "))
            if other.lstrip().startswith("- ") == dash and 0 < abs(other_indent - indent) <= 2:
                return number, indent + 1, misaligned(indent, earlier, other_indent)
            if other_indent < indent - 2:
                break  # reached the parent: nothing at this level to line up with
    return None


def misaligned(indent: int, earlier: int, other_indent: int) -> str:
    return _(
        "this line is indented {indent} spaces, but line {line} at the same level is "
        "indented {other}: line them up"
    ).format(indent=indent, line=earlier, other=other_indent)


def full_width_colon(key: str) -> str:
    return _(
        "full-width colon '：' after '{key}'; use a half-width colon and a space: '{key}: '"
    ).format(key=key)


def continued_item(text: str, first: int, last: int) -> tuple[int, int, str] | None:
    """A slip in a plain list item that runs from line first to line last: a ``- `` item
    indented a space too far and so read as more of the item above (an error), or an
    item continued on the next line without ``- `` (a warning, as it may be meant)."""
    lines = text.split("\n")
    for number in range(first + 1, last + 1):
        typed = lines[number - 1]
        if typed.lstrip().startswith("- "):
            indent = len(typed) - len(typed.lstrip(" "))
            above = lines[first - 1]
            return (
                number,
                indent + 1,
                misaligned(indent, first, len(above) - len(above.lstrip(" "))),
            )
    return None


CONTINUED = N_(
    "this item goes on to the next line without '- ', so the two lines are one item; "
    "if the next line is a new item, begin it with '- '"
)
"""A warning, and so a finding: kept in English in the build's manifest (artifacts do
not depend on the locale) and translated where it is shown."""


def not_a_list(value: str, multiline: bool) -> str | None:
    """What went wrong when a list was expected and text was typed, if it is a slip."""
    if value.startswith("-") and not value.startswith("- "):
        return _("'-' needs a space after it: write '- {item}'").format(
            item=value[1:].split(" -")[0]
        )
    if multiline:
        return _("a list needs '- ' before each item: write each item on its own line as '- …'")
    return None


def full_width_key(value: str) -> str | None:
    """The key of a ``key：value`` typed with a full-width colon, if value is one."""
    full = _KEY_FULL_COLON.match(value)
    return full.group(2) if full else None
