"""The lesson model: what one lesson source says, independent of any output format.

Pydantic models validate the source and produce the JSON Schema that ``lectern schema``
publishes; renderers read them as plain immutable data. Text fields hold lesson text
with Lectern's inline markup (``**emphasis**``), see ``builder.text.inline``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from builder.errors import Refusal
from builder.i18n import N_

FORMAT_VERSION = 1


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError(N_("must not be empty"))
    return value.strip()


MAX_EMPHASES = 200
"""Emphasised stretches in one text. Each is an inline box to WeasyPrint, whose line
layout grows with their square when they touch ("**a**a**a…": 7 s for 1,000)."""


def _bounded_emphasis(value: str) -> str:
    if value.count("**") // 2 > MAX_EMPHASES:
        raise Refusal(
            N_("at most {limit} emphasised stretches (**…**) in one text"), limit=MAX_EMPHASES
        )
    return value


def _at_most(limit: int, why: str):
    """Text of at most limit characters, said with why, and so in the JSON Schema."""

    def check(value: str) -> str:
        if len(value) > limit:
            raise Refusal(
                N_("at most {limit} characters ({why}); this one has {count}"),
                limit=limit,
                why=why,
                count=len(value),
            )
        return value

    return Annotated[Text, AfterValidator(check), Field(json_schema_extra={"maxLength": limit})]


class _Why(str):
    """A reason for a limit, kept for the catalog and shown in the reader's language."""

    def __format__(self, spec: str) -> str:
        from builder.i18n import _

        return _(str(self)).__format__(spec)


Text = Annotated[str, AfterValidator(_not_blank), AfterValidator(_bounded_emphasis)]
"""A non-empty piece of lesson text."""

Title = _at_most(200, _Why(N_("it is set as a slide title and a running header")))
"""A title: short enough to head a slide and a page."""

Prompt = _at_most(1000, _Why(N_("print keeps it whole on one page")))
"""A question, hint or follow-up: print keeps each whole on one page, which costs
WeasyPrint the square of its length (25,000 characters: 13 s)."""

Name = _at_most(300, _Why(N_("it is printed on the title slide")))

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-\u3400-\u4dbf\u4e00-\u9fff]{1,64}$")]
"""A name a question refers to a section by: letters, digits, - and _, Chinese as well."""


def _digits_only(value: object) -> object:
    """A whole number as a person types one: digits, nothing else. The loader reads every
    value as text; Python would also take "2_0", "+20", " 20 " and "20.0" for 20."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]+", value):
        raise PydanticCustomError("int_parsing", "not a whole number")
    return value


Whole = Annotated[int, BeforeValidator(_digits_only)]

_IN_MINUTES = re.compile(r"([0-9]+)\s*(?:分钟|分|min|minutes?)")


def _minutes(value: object) -> object:
    """Minutes as a whole number, or with the unit typed after it (5分钟, 5 min): the
    field means minutes, so the unit is unambiguous."""
    if isinstance(value, str):
        typed = _IN_MINUTES.fullmatch(value.strip())
        if typed:
            return typed.group(1)
    return _digits_only(value)


Minutes = Annotated[int, BeforeValidator(_minutes)]

_CHINESE_DATE = re.compile(r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日")


def _date(value: object) -> object:
    """A date as 2024-07-01, or as Chinese writes it (2024年7月1日)."""
    if isinstance(value, str):
        typed = _CHINESE_DATE.fullmatch(value.strip())
        if typed:
            year, month, day = (int(part) for part in typed.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise Refusal(N_("there is no day {value}"), value=value.strip()) from None
    return value


Date = Annotated[dt.date, BeforeValidator(_date)]

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _language_tag(value: str) -> str:
    if not _LANGUAGE.fullmatch(value):
        if "_" in value:
            raise Refusal(
                N_(
                    "expected a language tag such as zh-CN or en, got '{value}' (did you mean "
                    "'{close}'?)"
                ),
                value=value,
                close=value.replace("_", "-"),
            )
        raise Refusal(N_("expected a language tag such as zh-CN or en, got '{value}'"), value=value)
    return value


_LINK = re.compile(r"^(https?://[^\s]+|mailto:[^\s]+)$", re.IGNORECASE)


def _safe_link(value: str) -> str:
    if not _LINK.match(value.strip()):
        raise ValueError(
            N_("a link is one web or mail address (http://, https:// or mailto:) without spaces")
        )
    try:
        urlsplit(value.strip()).port  # noqa: B018 - parses the host and port, or raises
    except ValueError as error:
        raise Refusal(N_("not a link a reader can follow ({reason})"), reason=error) from None
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in value):
        raise ValueError(N_("links must not hold control or direction characters"))
    return value.strip()


Link = Annotated[str, AfterValidator(_safe_link)]


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Author(_Node):
    """A person presenting or writing the lesson."""

    name: Name
    affiliation: Name | None = Field(None, description="Role and organisation, as printed.")


class Quote(_Node):
    """A quotation set apart from the prose, with where it comes from."""

    text: Text
    source: Text | None = Field(None, description="Who said it, or where it was said.")


class Figure(_Node):
    """A key number shown big on a slide and as a callout in the handout."""

    value: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=24),
        WithJsonSchema({"type": ["string", "number"]}),
    ] = Field(description="The number as it should be shown: 26, 1031, 3.5%")
    unit: Annotated[str, StringConstraints(strip_whitespace=True, max_length=12)] = Field(
        "", description="Shown after the value, at its size: 个, %, 亿元"
    )
    label: _at_most(100, "it is set under the number")


class Image(_Node):
    """A picture from the lesson folder."""

    src: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="Path relative to the lesson file, inside the lesson folder."
    )
    alt: Text = Field(description="What the picture shows, for screen readers.")
    caption: Text | None = None


class Section(_Node):
    """A part of the talk. Top-level sections are parts; nested ones are its points."""

    id: Id | None = Field(None, description="Name for questions to refer to this section.")
    title: Title
    points: list[Text] = Field(default_factory=list, description="Short points for slides.")
    prose: Text | None = Field(
        None, description="Full text for the handout; blank line = new paragraph."
    )
    quotes: list[Quote] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list)
    notes: Text | None = Field(None, description="Speaker notes; the prose is used when absent.")
    sections: list[Section] = Field(default_factory=list)

    def walk(self, depth: int = 1) -> Iterator[tuple[int, Section]]:
        """This section and every nested one, depth first, with its depth (parts are 1)."""
        yield depth, self
        for child in self.sections:
            yield from child.walk(depth + 1)


QuestionKind = Literal["discussion", "reflection", "case", "debate", "action"]


class Question(_Node):
    """A question for the discussion after the talk."""

    prompt: Prompt
    kind: QuestionKind = "discussion"
    minutes: Minutes = Field(ge=1, le=120)
    hints: list[Prompt] = Field(default_factory=list, description="For the facilitator only.")
    follow_up: list[Prompt] = Field(default_factory=list, description="Prompts to deepen the talk.")
    section: Id | None = Field(None, description="The id of the section this question is about.")


class Reading(_Node):
    """A reference for further reading."""

    title: Text
    author: Text | None = None
    note: Text | None = None
    url: Link | None = None


class Opening(_Node):
    """How the talk opens."""

    lead: Text | None = None
    quote: Quote | None = None


class Closing(_Node):
    """How the talk closes."""

    summary: Text | None = None
    minutes: Minutes = Field(
        0, ge=0, le=60, description="Minutes the wrap-up takes in the session."
    )
    reading: list[Reading] = Field(default_factory=list)


class Lesson(_Node):
    """One micro-lesson: the single source of its slides, handout and question sheets."""

    lectern: Whole = Field(
        FORMAT_VERSION, ge=1, le=FORMAT_VERSION, description="Version of the lesson format."
    )
    title: Title
    subtitle: Title | None = None
    series: Title | None = Field(None, description="The programme or column the lesson belongs to.")
    authors: list[Author] = Field(min_length=1)
    date: Date
    language: Annotated[
        str, AfterValidator(_language_tag), Field(json_schema_extra={"pattern": _LANGUAGE.pattern})
    ] = Field("zh-CN", description="BCP 47 tag: zh-CN, en, …")
    duration: Minutes = Field(ge=1, le=600, description="Length of the whole session in minutes.")
    objectives: list[Text] = Field(default_factory=list)
    opening: Opening = Field(default_factory=Opening)
    sections: list[Section] = Field(min_length=1)
    questions: list[Question] = Field(default_factory=list)
    closing: Closing = Field(default_factory=Closing)

    @property
    def is_chinese(self) -> bool:
        return self.language.lower().startswith("zh")

    def all_sections(self) -> Iterator[tuple[int, Section]]:
        """Every section with its depth, in reading order."""
        for section in self.sections:
            yield from section.walk()

    @property
    def lecture_minutes(self) -> int:
        """Minutes left for the talk once the discussion and the wrap-up have theirs."""
        discussion = sum(q.minutes for q in self.questions)
        return max(self.duration - discussion - self.closing.minutes, 0)
