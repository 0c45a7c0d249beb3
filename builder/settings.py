"""Build settings, each declared once: its type, default, help, where it is set, what it shapes.

A setting is a field of ``BuildOptions`` declared with ``setting()``. Everything else is
derived from the declarations:

- the commands' flags (``cli``): one click option per setting a flag may set;
- lectern.yaml (``config``): the settings the file may hold, validated and located;
- the settings kept in the cache once lectern.yaml is valid (``project``);
- what a lesson's manifest records it was made with (``settings_record``), which
  ``lectern release`` compares;
- every dependency key: an artifact's key (``incremental``) holds each setting that
  shapes it, the no-op test's key (``options_key`` below) every setting that shapes or
  asks for anything, so a setting cannot be left out of the key of an artifact it shapes
  (``tests/test_settings.py`` changes each one and watches every key).

Adding a setting is one declaration below (its ``shapes`` names the formats of
``builder.formats`` it changes; a format's ``asked_by`` names the setting that asks for
it) and its use in the
renderer, which reads it from the ``BuildOptions`` it is given (``options.<name>``).

The module stays light (no click, no pydantic): a build with nothing to do reads it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from builder.formats import BOOKLET, DECKS, FORMATS, PRINTED, Format
from builder.freshness import code_fingerprint, file_digest
from builder.i18n import _
from builder.render.print.page import BINDINGS, PAPERS, VARIANTS, PrintSetup
from builder.render.slides.geometry import ASPECTS, DeckSetup

Where = Literal["flag", "file", "both"]


class Stale(Exception):
    """A setting kept in the cache no longer holds (a path it names is gone)."""


@dataclass(frozen=True)
class Kind:
    """How values of a setting are written on the command line and in lectern.yaml."""

    def click_type(self) -> Any:
        return str

    def click_extra(self) -> dict[str, Any]:
        """Further keyword arguments of the setting's click option."""
        return {}

    def from_flag(self, value: Any) -> Any:
        """The value a flag was given, as the option holds it (None: not given)."""
        return value

    def yaml_type(self) -> Any:
        """The type pydantic validates the value in lectern.yaml against."""
        return str | None

    def from_file(self, value: Any, folder: Path) -> Any:
        """The validated value of lectern.yaml (whose folder is folder), as the option
        holds it; ValueError says why it cannot be used."""
        return value

    def to_json(self, value: Any) -> Any:
        return value

    def from_json(self, value: Any) -> Any:
        """A value kept in the cache; ``Stale`` when it no longer holds."""
        return value

    def key(self, value: Any) -> Any:
        """What of the value a dependency key (and a manifest's record) holds."""
        return value

    def combined(self, in_file: Any, flag: Any) -> Any:
        """The value when lectern.yaml gives in_file and a flag gives flag (not None)."""
        return flag


@dataclass(frozen=True)
class Text(Kind):
    metavar: str = "TEXT"

    def click_extra(self) -> dict[str, Any]:
        return {"metavar": self.metavar}


@dataclass(frozen=True)
class Choice(Kind):
    values: tuple[str, ...] = ()

    def click_type(self) -> Any:
        import click

        return click.Choice(self.values)

    def yaml_type(self) -> Any:
        return Literal[self.values] | None


@dataclass(frozen=True)
class _Flag(Kind):
    """On or off, given on the command line as a flag."""

    def click_type(self) -> Any:
        return None

    def click_extra(self) -> dict[str, Any]:
        return {"is_flag": True}


@dataclass(frozen=True)
class Switch(_Flag):
    """On or off; a flag only (``--strict``)."""


@dataclass(frozen=True)
class Toggle(_Flag):
    """On or off, in lectern.yaml too: ``--booklet/--no-booklet``, ``booklet: true``."""

    def yaml_type(self) -> Any:
        return bool | None


@dataclass(frozen=True)
class Picks(Kind):
    """Some of a few names: ``--with NAME`` (repeated), a list in lectern.yaml. Names a
    flag gives are added to those the file gives."""

    values: tuple[str, ...] = ()

    def click_type(self) -> Any:
        import click

        return click.Choice(self.values)

    def click_extra(self) -> dict[str, Any]:
        return {"multiple": True}

    def from_flag(self, value: tuple[str, ...]) -> tuple[str, ...] | None:
        return tuple(dict.fromkeys(value)) or None

    def yaml_type(self) -> Any:
        return list[Literal[self.values]]

    def from_file(self, value: list[str], folder: Path) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value))

    def from_json(self, value: list) -> tuple[str, ...]:
        return tuple(value)

    def key(self, value: tuple[str, ...]) -> list[str]:
        return sorted(value)

    def combined(self, in_file: tuple[str, ...], flag: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*in_file, *flag)))


@dataclass(frozen=True)
class Pairs(Kind):
    """Names given names: ``--layout KIND=LAYOUT`` (repeated), a mapping in lectern.yaml."""

    metavar: str = "KEY=VALUE"

    def click_extra(self) -> dict[str, Any]:
        return {"multiple": True, "metavar": self.metavar}

    def from_flag(self, value: tuple[str, ...]) -> tuple[tuple[str, str], ...] | None:
        pairs = []
        for item in value:
            key, _equals, name = item.partition("=")
            if not name:
                raise ValueError(
                    _("{item} is not {form}").format(item=repr(item), form=self.metavar)
                )
            pairs.append((key.strip(), name.strip()))
        return tuple(pairs) or None

    def yaml_type(self) -> Any:
        return dict[str, str]

    def from_file(self, value: dict[str, str], folder: Path) -> tuple[tuple[str, str], ...]:
        return tuple(value.items())

    def from_json(self, value: list) -> tuple[tuple[str, str], ...]:
        return tuple(tuple(pair) for pair in value)

    def key(self, value: tuple[tuple[str, str], ...]) -> list[list[str]]:
        return [list(pair) for pair in value]  # as a manifest reads it back


@dataclass(frozen=True)
class Place(Kind):
    """A file or a folder; in lectern.yaml, relative to the file's folder."""

    folder: bool = False

    def click_type(self) -> Any:
        import click

        return click.Path(path_type=Path, dir_okay=self.folder, file_okay=not self.folder)

    def from_file(self, value: str, folder: Path) -> Path:
        path = folder / value
        # lectern.yaml comes with the project, maybe a stranger's: it names only the
        # project's own files. A theme folder named "..", say, would let that theme's
        # templates load any file beside the project into a PDF. The command line,
        # the operator's, may name any file.
        if not path.resolve().is_relative_to(folder.resolve()):
            raise ValueError(f"{value!r} is outside the project folder")
        if not (path.is_dir() if self.folder else path.is_file()):
            raise ValueError(f"{value!r} is not a {'folder' if self.folder else 'file'}")
        return path

    def to_json(self, value: Path | None) -> str | None:
        return None if value is None else str(value)

    def from_json(self, value: str | None) -> Path | None:
        if value is None:
            return None
        if not Path(value).exists():  # removed since: validating again says so
            raise Stale(value)
        return Path(value)

    def key(self, value: Path | None) -> str | None:
        """A file's contents, not its name; a folder's files are hashed by what reads them
        (the print theme's fingerprint is in the key of every document it lays out)."""
        if value is None or self.folder:
            return None
        return file_digest(value) or "unreadable"


@dataclass(frozen=True)
class Output(Kind):
    """A folder to write into; an empty name is refused rather than read as the working
    directory: it is usually a script's unset variable (-o "$OUT")."""

    def click_type(self) -> Any:
        import click

        return click.Path()

    def from_flag(self, value: str) -> Path:
        if not value.strip():
            raise ValueError(_("is empty; name a folder ('.' for this one)"))
        return Path(value)


@dataclass(frozen=True)
class Setting:
    """The declaration of one setting (``setting()``), with its field's name and default."""

    kind: Kind
    help: str
    where: Where
    shapes: tuple[Format, ...] = ()
    """The artifacts whose bytes it changes: each one's dependency key holds it."""
    flag: tuple[str, ...] = ()
    """The flag's names, when not ``--name-with-dashes`` (``--name/--no-name`` for a
    ``Toggle``)."""
    key: str = ""
    """Its name in lectern.yaml, when not the field's."""
    name: str = ""
    default: Any = None

    @property
    def in_file(self) -> bool:
        return self.where != "flag"

    @property
    def as_flag(self) -> bool:
        return self.where != "file"

    @property
    def flags(self) -> tuple[str, ...]:
        if self.flag:
            return self.flag
        dashed = self.name.replace("_", "-")
        if isinstance(self.kind, Toggle):
            return (f"--{dashed}/--no-{dashed}",)
        return (f"--{dashed}",)

    @property
    def in_file_as(self) -> str:
        return self.key or self.name

    @property
    def asks(self) -> tuple[Format, ...]:
        """The artifacts it asks for: those whose ``asked_by`` names it."""
        return tuple(f for f in FORMATS if f.asked_by == self.name)

    @property
    def recorded(self) -> bool:
        """Whether it decides what a build writes: the no-op key and the manifest hold it."""
        return bool(self.shapes or self.asks)


def setting(
    default: Any,
    kind: Kind,
    help: str,
    *,
    where: Where = "both",
    shapes: tuple[Format, ...] = (),
    flag: tuple[str, ...] = (),
    key: str = "",
) -> Any:
    """A ``BuildOptions`` field declared as a setting."""
    declared = Setting(kind, help, where, shapes, flag, key)
    return field(default=default, metadata={"setting": declared})


@dataclass(frozen=True)
class BuildOptions:
    """What a build may vary besides the lesson itself."""

    output: Path = setting(
        Path("output"),
        Output(),
        "Folder that receives one sub-folder per lesson.",
        where="flag",
        flag=("-o", "--output"),
    )
    templates: Path | None = setting(
        None,
        Place(folder=True),
        "Your theme folder; its files override the built-in theme's.",
        shapes=PRINTED,
    )
    paper: str = setting(
        "A4",
        Choice(tuple(PAPERS)),
        "16K is 185 × 260 mm [default: A4].",
        shapes=PRINTED,
    )
    binding: str = setting(
        "duplex",
        Choice(BINDINGS),
        "duplex: margins mirrored for double-sided printing; none: single-sided [default: duplex].",
        shapes=PRINTED,
    )
    booklet: bool = setting(
        False,
        Toggle(),
        f"Also write {BOOKLET.name}, imposed for saddle stitching.",
    )
    marks: bool = setting(
        False, Toggle(), "Crop marks and a 3 mm bleed on print PDFs.", shapes=PRINTED
    )
    pdf_variant: str | None = setting(
        None, Choice(VARIANTS), "Make print PDFs to this standard.", shapes=PRINTED
    )
    grayscale: bool = setting(False, Toggle(), "Print PDFs in shades of grey.", shapes=PRINTED)
    slide_template: Path | None = setting(
        None, Place(), "A .pptx or .potx whose masters and layouts the deck uses.", shapes=DECKS
    )
    aspect: str | None = setting(
        None,
        Choice(tuple(ASPECTS)),
        "[default: 16:9]",
        shapes=DECKS,
    )
    layouts: tuple[tuple[str, str], ...] = setting(
        (),
        Pairs("KIND=LAYOUT"),
        "Use the master's layout LAYOUT for KIND slides (see inspect-template).",
        shapes=DECKS,
        flag=("--layout",),
    )
    slide_font: str | None = setting(
        None,
        Text("NAME"),
        'Typeface for slide text, e.g. "Microsoft YaHei" [default: Noto Sans CJK SC].',
        shapes=DECKS,
    )
    strict: bool = setting(
        False, Switch(), "Fail on content findings (see lectern check).", where="flag"
    )
    force: bool = setting(False, Switch(), "Rebuild every artifact, changed or not.", where="flag")
    extras: tuple[str, ...] = setting(
        (),
        Picks(tuple(f.name for f in FORMATS if f.asked_by == "extras")),
        "Also build this artifact, drawn from the deck by LibreOffice (repeatable).",
        flag=("--with",),
        key="with",
    )

    @property
    def deck(self) -> DeckSetup:
        """How the slides are set: the deck and the checks that predict it share this."""
        return DeckSetup(self.aspect, self.slide_template, self.layouts, self.slide_font)

    @property
    def print(self) -> PrintSetup:
        """How the print documents are set and made."""
        return PrintSetup(self.paper, self.binding, self.marks, self.pdf_variant, self.grayscale)

    @property
    def formats(self) -> tuple[Format, ...]:
        """What a build with these options makes: the four, and what they ask for."""
        return tuple(f for f in FORMATS if f.wanted(self))

    @property
    def artifacts(self) -> tuple[str, ...]:
        """The names of the artifacts a build with these options makes."""
        return tuple(f.name for f in self.formats)


SETTINGS = tuple(
    dataclasses.replace(f.metadata["setting"], name=f.name, default=f.default)
    for f in dataclasses.fields(BuildOptions)
)
"""Every setting, in the order of their declarations."""


def shaping(formats: tuple[Format, ...]) -> Iterator[Setting]:
    """The settings that shape any of formats."""
    return (s for s in SETTINGS if any(f in s.shapes for f in formats))


def settings_key(options: BuildOptions, formats: tuple[Format, ...]) -> dict[str, Any]:
    """What a dependency key holds of the settings that shape formats, by name."""
    return {s.name: s.kind.key(getattr(options, s.name)) for s in shaping(formats)}


def settings_record(options: BuildOptions, theme_fingerprint: str) -> dict[str, Any]:
    """The settings a lesson's artifacts are made with, as its manifest records them: the
    same on every machine (files by content, never by path)."""
    from builder.artifacts import source_date_epoch

    recorded = (s for s in SETTINGS if s.recorded)
    return {
        **{s.name: s.kind.key(getattr(options, s.name)) for s in recorded},
        "theme": theme_fingerprint,
        "source_date_epoch": source_date_epoch(),
    }


def options_key(record: dict[str, Any]) -> str:
    """Everything besides the lesson's own files and the font files that decides what a
    build writes (fonts: ``freshness.fonts_changed``): the no-op test's key. record is
    the build's ``settings_record``, which its manifest holds too."""
    from builder.dependencies import all_versions

    parts = {"code": code_fingerprint(), "versions": all_versions(), "settings": record}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
