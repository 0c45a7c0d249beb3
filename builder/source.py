"""The only reader of lesson files: bytes → YAML nodes → plain data → ``Lesson``.

Every scalar is kept as the text the author typed, so YAML 1.1 surprises cannot happen
(``no`` stays "no", ``1.10`` stays "1.10"); the model converts the fields that really
are numbers or dates and reports the rest with a location. Problems are collected and
raised together, so an author fixes a file in one pass, as with a compiler.
"""

from __future__ import annotations

import codecs
import difflib
import errno
import os
import re
import stat
import typing
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from builder import slips
from builder.assets import check_images
from builder.errors import Location, Problem, Refusal, SourceError
from builder.i18n import _
from builder.model import Lesson
from builder.sourcemap import LESSON_FILE, LoadedLesson, Path_, SourceMap, format_path
from builder.text.numbering import typed_number

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A lesson is a few thousand characters; 2 MB leaves room for a whole book."""
MAX_NODES = 200_000
"""Caps expanded YAML aliases, so an alias bomb fails fast instead of eating memory."""
MAX_DEPTH = 64
"""Lessons nest sections a few levels deep; checked on the event stream, before composing."""
MAX_ITEMS = 1_000
"""Entries of any one list: a part with a thousand points is a mistake, and rendering one
costs about 8 ms per point."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_NULLS = {"", "~"}
# Control characters survive YAML's reader through escapes ("\a"); python-pptx would
# write them as _x0007_ and PDFs as boxes. Tabs and newlines are ordinary text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What YAML's reader refuses in a file (its own table), to point at the character: the C
# reader reports a byte offset, the Python one a character offset.
_UNREADABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_CONTAINERS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)


def lesson_file(path: Path) -> Path:
    """The lesson file for a path that names either the file or its folder."""
    return path / LESSON_FILE if path.is_dir() else path


def load_lesson(path: Path) -> LoadedLesson:
    """Read, parse and validate one lesson; raise ``SourceError`` with every problem found."""
    path = lesson_file(path)
    text = read_source_text(path)
    source_map = SourceMap(path)
    data, problems = parse_yaml(text, source_map)
    lesson = None
    typed: tuple[tuple[Path_, str], ...] = ()
    if data is not None:
        typed = _drop_typed_numbers(data)
        lesson, invalid = _validate(data, source_map)
        problems += invalid
    if lesson is not None:
        problems += _check_references(lesson, source_map)
        problems += check_images(lesson, path.parent, source_map)
    if problems:
        raise SourceError(sorted(problems, key=lambda p: p.location.sort_key()))
    assert lesson is not None
    return LoadedLesson(lesson, path, source_map, text, typed)


def _drop_typed_numbers(data: Any) -> tuple[tuple[Path_, str], ...]:
    """Remove the heading numbers typed at the start of section titles, in place: headings
    are numbered from the structure, and "一、一、从枫桥走来" reads as a mistake."""
    dropped = []

    def walk(sections: Any, prefix: Path_) -> None:
        if not isinstance(sections, list):
            return
        for i, section in enumerate(sections):
            if not isinstance(section, dict):
                continue
            title = section.get("title")
            number = typed_number(title) if isinstance(title, str) else ""
            if number:
                section["title"] = title[len(number) :]
                dropped.append(((*prefix, i, "title"), number.strip()))
            walk(section.get("sections"), (*prefix, i, "sections"))

    if isinstance(data, dict):
        walk(data.get("sections"), ("sections",))
    return tuple(dropped)


def read_source_text(path: Path) -> str:
    """A source file's text (a lesson, lectern.yaml): a regular file in its folder, at most
    ``MAX_FILE_BYTES``."""
    where = Location(path)
    try:
        raw, size = read_capped(path, MAX_FILE_BYTES, outside="the lesson folder")
    except FileNotFoundError:
        raise SourceError([Problem(where, _("no such lesson file"))]) from None
    except IsADirectoryError:
        raise SourceError(
            [Problem(where, _("is a folder without {name}").format(name=LESSON_FILE))]
        ) from None
    if size > MAX_FILE_BYTES:
        raise SourceError(
            [
                Problem(
                    where,
                    _("file is {size:.1f} MB; a lesson file may be at most {limit} MB").format(
                        size=size / 1e6, limit=MAX_FILE_BYTES // (1024 * 1024)
                    ),
                )
            ]
        )
    return decode(raw, path)


def read_capped(path: Path, limit: int, *, outside: str) -> tuple[bytes, int]:
    """At most limit + 1 bytes of a regular file that lies in its own folder, and the
    file's size: what every file a lesson brings along is read with.

    A FIFO or a device (``/dev/zero``) would block or never end, and a link to a file
    outside the folder would read what the author should not see: both are located
    errors. A missing file or a folder is left to the caller, which knows what it means.
    """
    where = Location(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise SourceError([Problem(where, _("is not a regular file"))])
        if not path.resolve().is_relative_to(path.parent.resolve()):
            raise SourceError(
                [Problem(where, _("is a link to a file outside {folder}").format(folder=outside))]
            )
        with open(path, "rb", buffering=0) as stream:
            raw = stream.read(limit + 1)
            return raw, max(len(raw), os.fstat(stream.fileno()).st_size)
    except (FileNotFoundError, IsADirectoryError):
        raise
    except (RuntimeError, OSError) as error:
        if isinstance(error, RuntimeError) or error.errno == errno.ELOOP:
            # Located at the folder: the path itself cannot even be resolved for display.
            raise SourceError(
                [
                    Problem(
                        Location(path.parent),
                        _("cannot read {name}: a loop of links").format(name=path.name),
                    )
                ]
            ) from None
        raise SourceError(
            [Problem(where, _("cannot read: {reason}").format(reason=error.strerror))]
        ) from None


MARKED_ENCODINGS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
"""The byte-order marks a lesson file may begin with, and the encodings they mark."""


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM) or BOM-marked UTF-16; anything else is located and refused."""
    for bom, encoding in MARKED_ENCODINGS:
        if raw.startswith(bom):
            raw, chosen = raw[len(bom) :], encoding
            break
    else:
        chosen = "utf-8"
    try:
        text = raw.decode(chosen)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        hint = ""
        try:
            raw.decode("gb18030")
            hint = _(" (it looks like GBK/GB18030: save it as UTF-8)")
        except UnicodeDecodeError:
            pass
        raise SourceError(
            [Problem(Location(path, line, column), _("file is not valid UTF-8") + hint)]
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(text: str, source_map: SourceMap) -> tuple[Any, list[Problem]]:
    """A user's YAML file as plain data (every scalar the text typed), recording where each
    value is in source_map; the data is None when a problem stops the reading."""
    try:
        # Composing recurses once per level (in C with libyaml, in Python without it), so
        # the depth is checked first on the flat event stream, where nothing recurses.
        too_deep = _too_deep(text, source_map)
        if too_deep:
            return None, [too_deep]
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if mark:
            slip = slips.explain_syntax(text, error.problem or "", mark.line + 1, mark.column + 1)
            if slip:
                line, column, message = slip
                return None, [Problem(Location(source_map.file, line, column), message)]
        what = error.problem or error.context or "invalid YAML"
        if error.context and error.problem:
            what = f"{error.context}, {error.problem}"
        began = error.context_mark
        if began and mark and began.line != mark.line:
            what += _(" (it began at line {line}, column {column})").format(
                line=began.line + 1, column=began.column + 1
            )
        if error.context and "flow" in error.context:
            # The usual cause in a lesson: text such as "[注] ..." or "{...}" unquoted.
            what += _("; a value that begins with [ or { is read as a list or mapping: quote it")
        location = Location(
            source_map.file, mark.line + 1 if mark else None, mark.column + 1 if mark else None
        )
        return None, [Problem(location, _("YAML syntax error: {what}").format(what=what))]
    except yaml.reader.ReaderError as error:
        found = _UNREADABLE.search(text)
        position = found.start() if found else min(error.position, len(text))
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        character = ord(found.group()) if found else error.character
        code = f"U+{character:04X}" if isinstance(character, int) else "?"
        return None, [
            Problem(
                Location(source_map.file, line, column),
                _("control character {code} is not allowed in a lesson file").format(code=code),
            )
        ]
    except yaml.YAMLError as error:
        return None, [
            Problem(Location(source_map.file), _("YAML error: {what}").format(what=error))
        ]
    except RecursionError:
        return None, [Problem(Location(source_map.file), _("nesting is too deep"))]
    if root is None:
        return None, [Problem(Location(source_map.file, 1, 1), _("file is empty"))]
    return _Converter(source_map, text).convert(root)


def _too_deep(text: str, source_map: SourceMap) -> Problem | None:
    """A problem at the first value nested more than ``MAX_DEPTH`` levels deep, if any."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, _CONTAINERS):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                return Problem(
                    Location(source_map.file, mark.line + 1, mark.column + 1),
                    _("nested more than {depth} levels deep").format(depth=MAX_DEPTH),
                )
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None


class _Converter:
    """Turns composed YAML nodes into plain dicts, lists and strings, recording positions."""

    def __init__(self, source_map: SourceMap, text: str) -> None:
        self.source_map = source_map
        self.text = text
        self.problems: list[Problem] = []
        self.count = 0
        self.refused: set[Path_] = set()
        """Values refused for their tag: not reported again as invalid."""

    def convert(self, root: yaml.Node) -> tuple[Any, list[Problem]]:
        try:
            data = self._node(root, ())
        except _TooBig as stop:
            return None, [*self.problems, stop.problem]
        self.source_map.refused |= self.refused
        return data, self.problems

    def _problem(self, node: yaml.Node, path: Path_, message: str) -> Problem:
        location = Location(
            self.source_map.file,
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            format_path(path) or None,
        )
        return Problem(location, message)

    def _node(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(
                self._problem(
                    node,
                    path,
                    _("more than {count} values (an alias bomb?); lessons are far smaller").format(
                        count=MAX_NODES
                    ),
                )
            )
        if len(path) > MAX_DEPTH:
            raise _TooBig(
                self._problem(
                    node, path, _("nested more than {depth} levels deep").format(depth=MAX_DEPTH)
                )
            )
        self.source_map.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _PLAIN_TAGS:
            self.problems.append(
                self._problem(
                    node, path, _("YAML tag {tag} is not allowed").format(tag=repr(node.tag))
                )
            )
            self.refused.add(path)
            return None
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            items = node.value
            if len(items) > MAX_ITEMS:
                self.problems.append(
                    self._problem(
                        node,
                        path,
                        _("{count} entries; a list may have at most {limit}").format(
                            count=len(items), limit=MAX_ITEMS
                        ),
                    )
                )
                items = items[:MAX_ITEMS]
            return [self._node(item, (*path, i)) for i, item in enumerate(items)]
        return self._mapping(node, path)

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> str | None:
        value = node.value
        if node.style is None and value in _NULLS:
            return None
        # Plain (unquoted) style is None from PyYAML's reader and "" from libyaml's.
        if not node.style and node.end_mark.line > node.start_mark.line:
            self._multiline(node, path)
        bad = _CONTROL.search(value)
        if bad:
            code = f"U+{ord(bad.group()):04X}"
            self.problems.append(
                self._problem(
                    node,
                    path,
                    _("control character {code} is not allowed in lesson text").format(code=code),
                )
            )
        # Unicode's line and paragraph separators (pasted from web pages and word
        # processors) mean what a lesson writes as a newline and a blank line; neither
        # WeasyPrint nor PowerPoint treats them as breaks.
        value = value.replace("\u2028", "\n").replace("\u2029", "\n\n")
        return unicodedata.normalize("NFC", value)

    def _multiline(self, node: yaml.ScalarNode, path: Path_) -> None:
        """Note an unquoted value typed over several lines: in a list, that is an item
        run on into the next (or an item indented out of line), and where a list was
        meant, a list typed without dashes."""
        first = node.start_mark.line + 1
        last = node.end_mark.line + (1 if node.end_mark.column else 0)
        self.source_map.spans[path] = (first, last)
        if not path or not isinstance(path[-1], int):
            return
        slip = slips.continued_item(self.text, first, last)
        if slip:
            line, column, message = slip
            self.problems.append(Problem(Location(self.source_map.file, line, column), message))
        else:
            below = self.text.split("\n")[first]  # the line the item runs on to
            column = len(below) - len(below.lstrip(" ")) + 1
            location = Location(self.source_map.file, first + 1, column, format_path(path) or None)
            self.source_map.warnings.append(Problem(location, slips.CONTINUED))

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    self._problem(key_node, path, _("merge keys (<<) are not allowed"))
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(self._problem(key_node, path, _("keys must be plain words")))
                continue
            key = key_node.value
            key_path = (*path, key)
            if key in out:
                first = self.source_map.key_positions[key_path]
                self.problems.append(
                    self._problem(
                        key_node,
                        key_path,
                        _("duplicate key '{key}' (first given on line {line})").format(
                            key=key, line=first[0]
                        ),
                    )
                )
                continue
            self.source_map.key_positions[key_path] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            out[key] = self._node(value_node, key_path)
        return out


class _TooBig(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _validate(data: Any, source_map: SourceMap) -> tuple[Lesson | None, list[Problem]]:
    try:
        return Lesson.model_validate(data), []
    except ValidationError as error:
        items = error.errors(include_url=False)
        # A misspelt key shows up twice: as unknown, and as the real field missing.
        # Report it once, as the unknown key with its suggestion.
        suggested = {
            (*item["loc"][:-1], _suggestion(tuple(item["loc"])))
            for item in items
            if item["type"] == "extra_forbidden"
        }
        problems = []
        for item in items:
            path = tuple(item["loc"])
            if item["type"] == "missing" and path in suggested:
                continue
            if any(path[: len(done)] == done for done in source_map.refused):
                continue  # already reported by the loader, with the reason
            at_key = item["type"] == "extra_forbidden"
            problems.append(
                Problem(
                    source_map.locate(path, key=at_key), problem_message(item, path, source_map)
                )
            )
        return None, problems


def _suggestion(path: Path_) -> str | None:
    """The field an unknown key at path was most likely meant to be."""
    close = difflib.get_close_matches(
        str(path[-1]), list(_model_at(path[:-1]).model_fields), n=1, cutoff=0.6
    )
    return close[0] if close else None


def problem_message(item: dict[str, Any], path: Path_, source_map: SourceMap) -> str:
    """A pydantic validation error at path, worded for an author (not as pydantic says it)."""
    kind, given = item["type"], item.get("input")
    if kind == "extra_forbidden":
        close = _suggestion(path)
        if close:
            return _("unknown field '{name}' (did you mean '{close}'?)").format(
                name=path[-1], close=close
            )
        allowed = ", ".join(sorted(_model_at(path[:-1]).model_fields))
        return _("unknown field '{name}' (allowed: {allowed})").format(
            name=path[-1], allowed=allowed
        )
    if kind == "missing":
        return _("required field is missing")
    shown = _shown(given)
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return _("expected a whole number, got {value}").format(value=shown)
    if kind == "int_parsing_size":
        return _("number is far too large, got {value}").format(value=shown)
    if kind.startswith("date"):
        return _("expected a date like 2024-07-01 or 2024年7月1日, got {value}").format(value=shown)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        full = isinstance(given, str) and slips.full_width_key(given)
        if full:
            return slips.full_width_colon(full)
        return _("expected fields (key: value lines), got {value}").format(value=shown)
    if kind == "list_type":
        slip = isinstance(given, str) and slips.not_a_list(given, path in source_map.spans)
        return slip or _("expected a list ('- item' lines), got {value}").format(value=shown)
    if kind == "string_type":
        return _("expected text, got {value}").format(value=shown)
    if kind == "literal_error":
        return _("input should be {choices}, got {value}").format(
            choices=item["ctx"]["expected"], value=shown
        )
    if kind == "too_short":
        return _("needs at least one entry")
    if kind == "greater_than_equal":
        return _("must be at least {limit}, got {value}").format(
            limit=item["ctx"]["ge"], value=shown
        )
    if kind == "less_than_equal":
        return _("must be at most {limit}, got {value}").format(
            limit=item["ctx"]["le"], value=shown
        )
    if kind == "string_too_long":
        return _("at most {limit} characters, got {value}").format(
            limit=item["ctx"]["max_length"], value=shown
        )
    if kind == "string_pattern_mismatch" and path[-1] in ("id", "section"):
        return _(
            "an id is at most 64 letters (Chinese too), digits, '-' or '_', got {value}"
        ).format(value=shown)
    error = item.get("ctx", {}).get("error")
    if isinstance(error, Refusal):
        return error.translated()
    message = _(item["msg"].removeprefix("Value error, "))
    return message[0].lower() + message[1:]


def _shown(value: Any) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, dict):
        return _("fields")
    if isinstance(value, list):
        return _("a list")
    return repr(str(value)) if len(str(value)) < 40 else repr(str(value)[:37] + "...")


def _model_at(path: Path_) -> type[BaseModel]:
    """The model class whose fields are valid at path (for "did you mean" suggestions)."""
    model: type[BaseModel] = Lesson
    for part in path:
        if isinstance(part, int):
            continue
        model = _find_model(model.model_fields[part].annotation) or model
    return model


def _find_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _find_model(arg)
        if found:
            return found
    return None


def _check_references(lesson: Lesson, source_map: SourceMap) -> list[Problem]:
    problems = []
    seen: dict[str, Path_] = {}
    for path, section in _sections_with_paths(lesson.sections, ("sections",)):
        if section.id is None:
            continue
        if section.id in seen:
            problems.append(
                Problem(
                    source_map.locate((*path, "id")),
                    _("section id '{id}' is used twice").format(id=section.id),
                )
            )
        seen[section.id] = path
    for i, question in enumerate(lesson.questions):
        if question.section and question.section not in seen:
            known = difflib.get_close_matches(question.section, list(seen), n=1)
            message = (
                _("no section has id '{id}' (did you mean '{close}'?)")
                if known
                else _("no section has id '{id}'")
            )
            problems.append(
                Problem(
                    source_map.locate(("questions", i, "section")),
                    message.format(id=question.section, close=known[0] if known else ""),
                )
            )
    return problems


def _sections_with_paths(sections, prefix: Path_):
    for i, section in enumerate(sections):
        path = (*prefix, i)
        yield path, section
        yield from _sections_with_paths(section.sections, (*path, "sections"))
