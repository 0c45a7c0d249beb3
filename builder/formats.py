"""The formats a lesson is built into: each one entry here, which everything else loops over.

An entry says what an artifact is called, which renderer makes it, what it shows of the
lesson and which inputs it reads (so its dependency key holds exactly those), whether it
is made from another artifact's bytes, which setting asks for it, and how long it takes
to render (so worker processes take the longest first). The pipeline renders every
entry, ``incremental`` keys it, ``render.workers`` schedules it, manifests list it and
``lectern release`` zips it; settings name the entries they shape (``settings.py``).

Adding an artifact is:

1. its renderer: a function ``(job: Job) -> bytes`` in the module under
   ``builder/render/`` that makes it (``Job`` below holds the lesson, theme, options,
   timestamp, this entry and the bytes of the artifact it is made from);
2. one ``Format(...)`` below, added to ``FORMATS``, naming it by ``"module:function"``;
3. for a setting that shapes it, its entry in that setting's ``shapes`` (a group such as
   ``PRINTED`` includes a new print document by itself);
4. if it is built only when asked for, its ``asked_by`` naming the setting that asks (a
   switch such as ``--booklet``, or a list of names such as ``--with``, whose choices are
   then this entry's name too).

Renderers are named, not imported: they load python-pptx, WeasyPrint or LibreOffice,
which a build whose artifacts are all up to date never needs.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from builder.artifacts import Artifact, build_time
from builder.process import cycles_collected_after, roomy_stack

if TYPE_CHECKING:
    from builder.sourcemap import LoadedLesson
    from builder.theme import Theme

Shown = Callable[[dict[str, Any]], object]

PRINTED_META = ("title", "subtitle", "series", "date", "language")
"""What every print document carries (its heading, running header, metadata and date)."""


@dataclass(frozen=True)
class Format:
    """One artifact of a lesson: its file, its renderer and what its key depends on."""

    name: str
    """The file name in the lesson's output folder."""
    renderer: str
    """``"module:function"`` of its renderer, ``(job: Job) -> bytes``; imported when the
    format is first rendered."""
    cost: int
    """Its render time's rank (higher is longer): worker processes take the longest first."""
    shows: Shown | None = None
    """The parts of the lesson (as JSON data) it shows: its key hashes exactly these."""
    images: bool = False
    """It shows the lesson's pictures: its key holds their digests."""
    template: str | None = None
    """A print document's theme template: set on paper with the print settings; its key
    holds the theme's fingerprint."""
    libraries: Literal["slides", "printed"] | None = None
    """Whose package and font versions shape it (``dependencies``)."""
    deck: bool = False
    """Drawn from the deck's plan, which the checks predict (overflow, slide glyphs)."""
    worker: bool = True
    """A worker process may render it. The deck is drawn by the building process, which
    has loaded the modules and the plan the overflow check used, and so is what is made
    from it."""
    made_from: str | None = None
    """The artifact whose bytes it is made from: its key holds that one's, and it is made
    in the same process, right after it."""
    asked_by: str | None = None
    """The setting that asks for it (a switch, or a list naming it); None: always built."""

    def load_renderer(self) -> Callable[[Job], bytes]:
        """Its renderer function, imported now."""
        module, _colon, function = self.renderer.partition(":")
        return getattr(importlib.import_module(module), function)

    def wanted(self, options: Any) -> bool:
        """Whether a build with options makes it."""
        if self.asked_by is None:
            return True
        asked = getattr(options, self.asked_by)
        return self.name in asked if isinstance(asked, tuple) else bool(asked)


@dataclass(frozen=True)
class Job:
    """What a renderer is given."""

    loaded: LoadedLesson
    theme: Theme
    options: Any
    """The build's ``BuildOptions``."""
    created: dt.datetime
    """The time the artifact is stamped with."""
    fmt: Format
    """The format being rendered."""
    source: bytes | None = None
    """The bytes of the artifact it is made from (``Format.made_from``)."""


def _printed(data: dict[str, Any]) -> dict[str, Any]:
    """The front matter a print document's heading, running header and metadata show."""
    printed = {name: data[name] for name in PRINTED_META}
    printed["authors"] = [author["name"] for author in data["authors"]]
    return printed


def _untimed(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "closing": {**data["closing"], "minutes": None}, "duration": None}


def _deck(data: dict[str, Any]) -> object:
    """All but the timing of the session, what kind each question is and which section
    it is about, and section ids."""
    return {
        **_untimed(data),
        "sections": [_without(s, "id") for s in data["sections"]],
        "questions": [_without(q, "kind", "section") for q in data["questions"]],
    }


def _handout(data: dict[str, Any]) -> object:
    """All but the questions, the timing, speaker notes and ids."""
    return {
        **_untimed(data),
        "sections": [_without(s, "id", "notes") for s in data["sections"]],
        "questions": None,
    }


def _questions(data: dict[str, Any]) -> object:
    """Each question's prompt, kind and minutes."""
    return _printed(data), [(q["prompt"], q["kind"], q["minutes"]) for q in data["questions"]]


def _guide(data: dict[str, Any]) -> object:
    """The questions whole, the timing, and the title and points of each section a
    question is about."""
    about = {q["section"] for q in data["questions"] if q["section"]}
    related = {
        section["id"]: (section["title"], section["points"])
        for section in _walk(data["sections"])
        if section["id"] in about
    }
    timing = (data["duration"], data["closing"]["minutes"])
    return _printed(data), timing, data["questions"], related


def _walk(sections: list[dict]) -> list[dict]:
    return [s for section in sections for s in (section, *_walk(section["sections"]))]


def _without(item: dict, *names: str) -> dict:
    """item without names, in its nested sections too."""
    return {
        key: [_without(child, *names) for child in value] if key == "sections" else value
        for key, value in item.items()
        if key not in names
    }


SLIDES = Format(
    "slides.pptx",
    "builder.render.slides.render:render_deck",
    cost=0,
    shows=_deck,  # a discussion slide shows the questions too
    images=True,
    libraries="slides",
    deck=True,
    worker=False,
)
HANDOUT = Format(
    "handout.pdf",
    "builder.render.print.documents:render_print",
    cost=3,
    shows=_handout,
    images=True,
    template="print/handout.html",
    libraries="printed",
)
BOOKLET = Format(
    "handout-booklet.pdf",
    "builder.render.print.impose:render_booklet",
    cost=3,  # it is made with the handout, after it
    made_from=HANDOUT.name,
    asked_by="booklet",
)
QUESTIONS = Format(
    "questions.pdf",
    "builder.render.print.documents:render_print",
    cost=1,
    shows=_questions,
    template="print/questions.html",
    libraries="printed",
)
FACILITATOR = Format(
    "questions-facilitator.pdf",
    "builder.render.print.documents:render_print",
    cost=2,
    shows=_guide,
    template="print/facilitator.html",
    libraries="printed",
)
# Drawn from LibreOffice's rendering of the deck (LibreOffice's own version does not enter
# their keys: updating it does not rebuild them); built only when asked for with --with.
SLIDES_PDF = Format(
    "slides.pdf",
    "builder.render.office.render:render_slides_pdf",
    cost=0,
    worker=False,
    made_from=SLIDES.name,
    asked_by="extras",
)
CONTACT_SHEET = Format(
    "contact-sheet.png",
    "builder.render.office.render:render_contact_sheet",
    cost=0,
    worker=False,
    made_from=SLIDES.name,
    asked_by="extras",
)
HANDOUT_SLIDES = Format(
    "handout-slides.pdf",
    "builder.render.office.render:render_handout_slides",
    cost=0,
    shows=_printed,
    template="print/handout-slides.html",
    libraries="printed",
    worker=False,
    made_from=SLIDES.name,
    asked_by="extras",
)

FORMATS = (
    SLIDES,
    HANDOUT,
    BOOKLET,
    QUESTIONS,
    FACILITATOR,
    SLIDES_PDF,
    CONTACT_SHEET,
    HANDOUT_SLIDES,
)
"""Every artifact of a lesson, in the order a build reports them; one made from another
comes after it."""
ARTIFACTS = tuple(f.name for f in FORMATS if f.asked_by is None)
"""What every build makes: the deck and the three print documents."""
PRINTED = tuple(f for f in FORMATS if f.template is not None)
"""The print documents: laid out with the theme's templates on the chosen paper."""
DECKS = tuple(f for f in FORMATS if f.deck)
"""What is drawn from the deck's plan: set by the slide master, layouts and typeface."""
FROM_DECK = tuple(f.name for f in FORMATS if f.made_from == SLIDES.name)
"""Drawn from the deck as LibreOffice renders it (``--with``): they need LibreOffice."""


def named(name: str) -> Format:
    """The format of the artifact called name."""
    return next(f for f in FORMATS if f.name == name)


@roomy_stack
def render_lesson(
    loaded: LoadedLesson, theme: Theme, options: Any, names: tuple[str, ...] = ARTIFACTS
) -> list[Artifact]:
    """The named artifacts of one lesson as bytes, in the order of ``FORMATS``, with those
    options ask for that are made from them (the handout's booklet comes with the
    handout); nothing is written. options is the build's ``BuildOptions``."""
    made_here = {f.name for f in FORMATS if f.made_from in names and f.wanted(options)}
    out = {*names, *made_here}
    needed = {*out, *(named(n).made_from for n in out if named(n).made_from)}
    created = build_time(loaded.lesson.date)
    made: dict[str, bytes] = {}
    with cycles_collected_after():
        for fmt in FORMATS:
            if fmt.name in needed:
                source = made.get(fmt.made_from) if fmt.made_from else None
                job = Job(loaded, theme, options, created, fmt, source)
                made[fmt.name] = fmt.load_renderer()(job)
    return [Artifact(f.name, made[f.name]) for f in FORMATS if f.name in out]
