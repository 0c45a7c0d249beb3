"""The deck plan: which slides a lesson becomes, in order, with their text already fitted.

Slide kinds follow the content (title, objectives, agenda, part divider, points,
quotation, key figures, image, discussion, closing). Text is fitted into the boxes of
the layouts each kind maps to, read from the slide master in use. Nothing here calls
python-pptx; ``deck.py`` draws the plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from builder.model import Figure, Image, Lesson, Question, Section
from builder.render.slides.fit import (
    LINE_BREAK,
    Fitted,
    Paragraph,
    block_height,
    drawn_breaks,
    fit_paragraphs,
    fit_title,
    line_height,
    wrap_title,
)
from builder.render.slides.geometry import (
    CAPTION,
    FIGURE_GAP,
    FIGURE_ROW,
    FIGURES_PER_SLIDE,
    GAP_BELOW_TITLE,
    QUOTE_RULE,
    SERIES,
    SOURCE,
    TITLE_SPACING,
    Box,
    DeckGeometry,
    Kind,
    LayoutFrames,
    fitted_picture,
    replace_left,
)
from builder.render.slides.parts import (
    FigureCard,
    PlannedLabel,
    figure_cards,
    fit_label,
    footer_parts,
    quote_parts,
)
from builder.text.citation import attribution, reading_entry
from builder.text.dates import long_date
from builder.text.inline import paragraphs, plain
from builder.text.labels import labels
from builder.text.linebreak import unbreakable
from builder.text.measure import CAUTIOUS, FontFace, installed, text_width
from builder.text.numbering import chinese_number, numbered_title

ROOMY = frozenset({"objectives", "points", "discussion", "closing"})
"""Kinds whose body takes the largest size that fits one slide, placed in the room left."""
OPTICAL_CENTRE = 0.4
"""Where a short body sits in its box: this share of the room left is above it, the rest
below, so it reads as placed rather than dropped at the top or floating low."""


BUILT_IN_FACE = "Noto Sans CJK SC"


@dataclass(frozen=True)
class SlideFonts:
    """Typefaces for slides: the faces runs name (PowerPoint's a:latin, a:ea) and the faces
    text is measured with.

    On an organisation's master with no ``slide_font``, runs name no face (latin and
    east_asian None): the theme's heading and body fonts (+mj-lt, +mn-lt, +mn-ea) show.
    Text is then measured with those faces where the build machine has them, and with the
    cautious metric (``measure.CAUTIOUS``) where it does not.
    """

    latin: str | None = BUILT_IN_FACE
    east_asian: str | None = BUILT_IN_FACE
    body_face: str = BUILT_IN_FACE
    title_face: str = BUILT_IN_FACE

    @classmethod
    def named(cls, face: str | None) -> SlideFonts:
        """One face for both scripts, as ``slide_font`` names it; None: the built-in."""
        return cls(face, face, face, face) if face else cls()

    @classmethod
    def of_theme(cls, heading: str, body: str) -> SlideFonts:
        """The theme's faces, measured where installed, cautiously where not."""
        return cls(None, None, _measurable(body), _measurable(heading))

    @property
    def measured(self) -> FontFace:
        return FontFace(self.body_face)

    @property
    def measured_bold(self) -> FontFace:
        """Titles are bold, and bold Latin letters are wider: measure them as drawn."""
        return FontFace(self.title_face, bold=True)


def _measurable(face: str) -> str:
    return face if face and installed(FontFace(face)) else CAUTIOUS


@dataclass(frozen=True)
class PlannedSlide:
    """One slide, fully decided: kind, fitted title and body, and their boxes."""

    kind: Kind
    title: str
    title_size: float
    title_box: Box
    body: Fitted | None = None
    body_box: Box | None = None
    notes: str = ""
    bulleted: bool = True
    cards: tuple[FigureCard, ...] = ()
    image: Image | None = None
    picture_box: Box | None = None
    """Where the picture is drawn: its aspect kept, centred in the space under the title."""
    labels: tuple[PlannedLabel, ...] = ()
    """Series, quotation source or caption: short texts in boxes of their own."""
    rule: Box | None = None
    """The rule beside a quotation."""
    footer: tuple[PlannedLabel, ...] = ()
    """Footer text, slide number and date, where the slide has them."""
    lost: tuple[str, ...] = ()
    """Lines that did not fit the slide at the smallest size: kept in its notes and
    reported by the overflow check."""
    origin: tuple = ()
    """Field path of the lesson part the slide shows, for locating findings."""
    title_lines: tuple[str, ...] = ()
    """The title's lines where it takes more than one, each drawn as planned."""
    numbers: tuple[int | None, ...] = ()
    """A numbered body's number for each paragraph; None for a text continued from the
    slide before."""
    room: Box | None = None
    """The box the body was fitted in, where body_box is only the part it is placed in."""


class DeckPlanner:
    """Builds the plan for one lesson on one slide master."""

    def __init__(
        self,
        lesson: Lesson,
        geometry: DeckGeometry,
        frames: dict[str, LayoutFrames],
        fonts: SlideFonts,
        aspects: dict[str, float],
    ) -> None:
        self.lesson = lesson
        self.geometry = geometry
        self.frames = frames
        self.fonts = fonts
        self.aspects = aspects
        """Each picture's width over its height, by its ``src``."""
        self.words = labels(lesson.language)
        self.slides: list[PlannedSlide] = []

    # -- fitting ---------------------------------------------------------------------------

    def _fit(
        self,
        texts: list[str],
        box: Box,
        size: float,
        min_size: float,
        *,
        spacing: float | None = None,
        indent_em: float = 0.0,
        bold: bool = False,
        max_size: float | None = None,
    ) -> list[Fitted]:
        g = self.geometry
        return fit_paragraphs(
            texts,
            box,
            size=size,
            min_size=min_size,
            spacing=spacing or g.line_spacing,
            gap=g.paragraph_gap,
            face=self.fonts.measured_bold if bold else self.fonts.measured,
            indent_em=indent_em,
            max_size=max_size,
        )

    def _composed(self, box: Box, fitted: Fitted) -> Box:
        """box with its top moved down to place fitted at the optical centre of the room
        it leaves; the bottom stays, so the text has all the room it was fitted in."""
        g = self.geometry
        lines = [len(p.lines) for p in fitted.paragraphs]
        used = block_height(lines, fitted.size, g.line_spacing, g.paragraph_gap)
        drop = max(box.text_height - used, 0.0) * OPTICAL_CENTRE
        return replace(box, top=box.top + drop, height=box.height - drop)

    def _title(
        self, kind: Kind, text: str, size: float | None = None
    ) -> tuple[float, Box, Box, tuple[str, ...]]:
        """Title size, title box, the body box left below it and the title's lines.

        A title too long for its box at the minimum size keeps that size and wraps; its
        box grows downwards and the body below gives up the room.
        """
        g, frame = self.geometry, self.frames[kind]
        box = frame.title
        fitted_size, lines = fit_title(
            text,
            box,
            size or g.title_size,
            g.title_min_size,
            TITLE_SPACING,
            self.fonts.measured_bold,
        )
        needed = len(lines) * line_height(fitted_size, TITLE_SPACING) + 2 * box.inset
        if needed > box.height:
            box = replace(box, height=needed)
        body = frame.body
        overlap = box.top + box.height + GAP_BELOW_TITLE - body.top
        if overlap > 0 and body.top > box.top:
            # A grown title pushes the body down; the layout guaranteed its minimum, so
            # what is left is never less than nothing.
            body = replace(body, top=body.top + overlap, height=max(body.height - overlap, 0.0))
        return fitted_size, box, body, tuple(lines) if len(lines) > 1 else ()

    def _text_slides(
        self,
        kind: Kind,
        title: str,
        texts: list[str],
        notes: str | Callable[[Fitted], str],
        *,
        bulleted: bool = True,
        numbered: bool = False,
        titles: bool = False,
        size: float | None = None,
        reserve: float = 0.0,
        origin: tuple = (),
        figures: tuple[Figure, ...] = (),
    ) -> None:
        """Slides for title and texts: one if they fit, continued ones if not.

        numbered texts are numbered 1, 2… across the slides (a text split over two slides
        is numbered once); notes may be made per slide from what it shows. reserve keeps
        that many points free below the body for a quotation's source, shown on the last.
        titles (the agenda's part titles) break as a slide's title does (``_as_title``).
        figures go in a row of cards below the body, on the last slide.
        """
        g = self.geometry
        title_size, title_box, body_box, title_lines = self._title(kind, title)
        # Continued slides' longer titles may take another line: fit every page into the
        # smaller of the two bodies, so all pages of one run look alike and all fit.
        _, _, continued_body, _ = self._title(kind, title + self.words["continued"])
        if title and continued_body.height < body_box.height:
            body_box = continued_body
        if figures:
            reserve += FIGURE_ROW + FIGURE_GAP
        body_box = replace(body_box, height=body_box.height - reserve)
        if kind == "quote":
            body_box = replace_left(body_box, body_box.left + QUOTE_RULE)
        indent_em = 1.0 if bulleted else 0.0
        if numbered:  # room for the widest number, "12.", and a space
            indent_em = text_width(f"{len(texts)}.", 1.0, self.fonts.measured) + 0.5
        pages = self._fit(
            texts,
            body_box,
            size or g.body_size,
            g.body_min_size,
            indent_em=indent_em,
            max_size=g.body_max_size if kind in ROOMY else None,
        )
        room = body_box
        if kind in ROOMY and len(pages) == 1:
            body_box = self._composed(body_box, pages[0])
        cards: tuple[FigureCard, ...] = ()
        if figures:
            row = Box(room.left, room.top + room.height + FIGURE_GAP, room.width, FIGURE_ROW)
            cards = figure_cards(figures, row, self.fonts.measured, self.fonts.measured_bold)
        numbered_already: set[int] = set()
        for i, page in enumerate(pages):
            shown = title if i == 0 else title + self.words["continued"]
            if i and title:
                title_size, title_box, _, title_lines = self._title(kind, shown)
            numbers: tuple[int | None, ...] = ()
            if titles:
                as_title = partial(_as_title, width=body_box.text_width, face=self.fonts.measured)
                page = replace(page, paragraphs=tuple(map(as_title, page.paragraphs)))
            page = replace(page, paragraphs=tuple(map(drawn_breaks, page.paragraphs)))
            if numbered:
                numbers = tuple(
                    None if p.text_index in numbered_already else p.text_index + 1
                    for p in page.paragraphs
                )
                numbered_already.update(p.text_index for p in page.paragraphs)
            self.slides.append(
                PlannedSlide(
                    kind,
                    shown,
                    title_size,
                    title_box,
                    page,
                    body_box,
                    notes if isinstance(notes, str) else notes(page),
                    bulleted=bulleted and not numbered,
                    origin=origin,
                    title_lines=title_lines,
                    numbers=numbers,
                    room=room,
                    cards=cards if i == len(pages) - 1 else (),
                )
            )

    def _notes(self, section: Section) -> str:
        parts = [section.notes] if section.notes else []
        parts += paragraphs(section.prose)
        return "\n\n".join(plain(p) for p in parts)

    # -- the deck --------------------------------------------------------------------------

    def plan(self) -> list[PlannedSlide]:
        lesson, words = self.lesson, self.words
        self._title_slide()
        if lesson.objectives:
            self._text_slides(
                "objectives",
                words["objectives"],
                [plain(o) for o in lesson.objectives],
                "",
                origin=("objectives",),
            )
        self._text_slides(
            "agenda",
            words["agenda"],
            [
                numbered_title((i,), plain(s.title), lesson.is_chinese)
                for i, s in enumerate(lesson.sections, 1)
            ],
            "",
            bulleted=False,  # "一、" numbers each line already
            titles=True,
        )
        if lesson.opening.quote:
            quote = lesson.opening.quote
            self._quote(quote.text, quote.source, "", origin=("opening", "quote", "text"))
        for i, part in enumerate(lesson.sections, 1):
            self._part(i, part)
        if lesson.questions:
            self._discussion(lesson.questions)
        self._closing()
        self._footers()
        return self.slides

    def _footers(self) -> None:
        """Every slide but the title slide and part dividers gets the footer: the series and
        lesson title, its number and, where the layout has a place for it, the date."""
        lesson = self.lesson
        text = " · ".join(filter(None, [lesson.series, plain(lesson.title)]))
        date = long_date(lesson.date, lesson.language)
        for number, slide in enumerate(self.slides, 1):
            if slide.kind in ("title", "divider"):
                continue
            frame = self.frames[slide.kind]
            parts = footer_parts(text, date, number, frame, self.geometry, self.fonts.measured)
            self.slides[number - 1] = replace(slide, footer=parts)

    def _title_slide(self) -> None:
        lesson, g = self.lesson, self.geometry
        frame = self.frames["title"]
        title = plain(lesson.title)
        fitted = self._fit(
            [title],
            frame.title,
            g.title_size + 8,
            g.title_min_size,
            spacing=TITLE_SPACING,
            bold=True,
        )
        if len(fitted) > 1:  # too long even at the minimum: wrap and grow, as other titles
            title_size, title_box, _, title_lines = self._title("title", title, g.title_min_size)
        else:
            title_size, title_box = fitted[0].size, frame.title
            wrapped = wrap_title(title, title_box.text_width, title_size, self.fonts.measured_bold)
            title_lines = tuple(wrapped) if len(wrapped) > 1 else ()
        byline = [a.name + (f" · {a.affiliation}" if a.affiliation else "") for a in lesson.authors]
        lines = [plain(lesson.subtitle)] if lesson.subtitle else []
        lines += [*byline, long_date(lesson.date, lesson.language)]
        body = self._fit(lines, frame.body, 18, 10, spacing=1.25)
        # What does not fit at the smallest size stays in the notes, and check and build
        # both report it: a title slide is never continued, and never loses text in silence.
        lost = tuple(p.text for page in body[1:] for p in page.paragraphs)
        notes = [plain(p) for p in paragraphs(lesson.opening.lead)]
        labels = ()
        if lesson.series and frame.look is None:  # the built-in design names the series
            box = Box(
                title_box.left,
                title_box.top - SERIES.height - SERIES.gap,
                title_box.width,
                SERIES.height,
            )
            labels = (
                fit_label(
                    lesson.series,
                    box,
                    SERIES.size,
                    SERIES.min_size,
                    self.fonts.measured_bold,
                    role="accent",
                    bold=True,
                ),
            )
        self.slides.append(
            PlannedSlide(
                "title",
                title,
                title_size,
                title_box,
                body[0],
                frame.body,
                notes="\n\n".join([*lost, *notes]),
                bulleted=False,
                labels=labels,
                title_lines=title_lines,
                lost=lost,
                origin=("title",),
            )
        )

    def _part(self, index: int, part: Section) -> None:
        chinese = self.lesson.is_chinese
        label = f"第{chinese_number(index)}部分" if chinese else f"Part {index}"
        size, box, _, lines = self._title(
            "divider", plain(part.title), self.geometry.title_size + 4
        )
        frame = self.frames["divider"]
        body = self._fit([label], frame.body, 22, 14, spacing=1.2)[0]
        self.slides.append(
            PlannedSlide(
                "divider",
                plain(part.title),
                size,
                box,
                body,
                frame.body,
                self._notes(part),
                bulleted=False,
                title_lines=lines,
            )
        )
        self._section_content(part, (index,), with_points_slide=bool(part.points))
        for j, child in enumerate(part.sections, 1):
            self._section(child, (index, j))

    def _section(self, section: Section, trail: tuple[int, ...]) -> None:
        self._section_content(section, trail, with_points_slide=True)
        for k, child in enumerate(section.sections, 1):
            self._section(child, (*trail, k))

    def _section_content(
        self, section: Section, trail: tuple[int, ...], with_points_slide: bool
    ) -> None:
        title = plain(section.title)
        if len(trail) > 1:
            title = numbered_title(trail, title, self.lesson.is_chinese)
        notes = self._notes(section)
        origin = section_path(trail)
        points = [plain(p) for p in section.points]
        # A section's figures sit below its points when the points still fit above them
        # at the body's size: one slide, not two with the same title.
        beside = (
            with_points_slide
            and bool(points)
            and 0 < len(section.figures) <= FIGURES_PER_SLIDE
            and self._fits_with_figures(title, points)
        )
        if with_points_slide:
            self._text_slides(
                "points",
                title,
                points,
                notes,
                origin=(*origin, "points"),
                figures=tuple(section.figures) if beside else (),
            )
        for i, quote in enumerate(section.quotes):
            self._quote(quote.text, quote.source, notes, origin=(*origin, "quotes", i, "text"))
        for start in range(0, 0 if beside else len(section.figures), FIGURES_PER_SLIDE):
            shown = title if start == 0 else title + self.words["continued"]
            size, box, body, lines = self._title("figures", shown)
            figures = tuple(section.figures[start : start + FIGURES_PER_SLIDE])
            fonts = self.fonts
            self.slides.append(
                PlannedSlide(
                    "figures",
                    shown,
                    size,
                    box,
                    body_box=body,
                    notes=notes,
                    cards=figure_cards(figures, body, fonts.measured, fonts.measured_bold),
                    title_lines=lines,
                    origin=(*origin, "figures", start),
                )
            )
        for image in section.images:
            size, box, body, lines = self._title("image", title)
            height = CAPTION.height if image.caption else 0.0
            area = Box(body.left, body.top, body.width, body.height - height)
            picture = fitted_picture(area, self.aspects[image.src])
            labels = ()
            if image.caption:
                caption = Box(body.left, body.top + body.height - height, body.width, height)
                labels = (
                    fit_label(
                        plain(image.caption),
                        caption,
                        CAPTION.size,
                        CAPTION.min_size,
                        self.fonts.measured,
                        role="muted",
                        align="center",
                    ),
                )
            self.slides.append(
                PlannedSlide(
                    "image",
                    title,
                    size,
                    box,
                    body_box=body,
                    notes=notes,
                    image=image,
                    picture_box=picture,
                    labels=labels,
                    title_lines=lines,
                )
            )

    def _fits_with_figures(self, title: str, points: list[str]) -> bool:
        """Whether a section's points fit one slide at the body's size or larger with a row
        of its figures below them."""
        g = self.geometry
        _, _, body, _ = self._title("points", title)
        _, _, continued, _ = self._title("points", title + self.words["continued"])
        box = min(body, continued, key=lambda b: b.height)
        box = replace(box, height=box.height - FIGURE_ROW - FIGURE_GAP)
        if box.text_height <= 0:
            return False
        return len(self._fit(points, box, g.body_size, g.body_size, indent_em=1.0)) == 1

    def _quote(self, text: str, source: str | None, notes: str, origin: tuple = ()) -> None:
        shown_source = attribution(source, self.lesson.is_chinese) if source else ""
        first = len(self.slides)
        self._text_slides(
            "quote",
            "",
            [plain(text)],
            notes or plain(text),
            bulleted=False,
            size=self.geometry.body_size + 4,
            reserve=SOURCE.gap + SOURCE.height if shown_source else 0.0,
            origin=origin,
        )
        g = self.geometry
        for i in range(first, len(self.slides)):
            slide = self.slides[i]
            lines = [len(p.lines) for p in slide.body.paragraphs]
            used = block_height(lines, slide.body.size, g.line_spacing, g.paragraph_gap)
            last = i == len(self.slides) - 1
            rule, labels = quote_parts(
                slide.body_box,
                used + 2 * slide.body_box.inset,
                shown_source if last else None,
                self.fonts.measured,
            )
            self.slides[i] = replace(slide, rule=rule, labels=labels)

    def _discussion(self, questions: list[Question]) -> None:
        words = self.words
        # "（2分钟）" and "(2 min)" are kept whole, by word joiners and a no-break space, and
        # with the question's last phrase: never a line of their own.
        minutes = [unbreakable(words["minutes"].format(n=q.minutes)) for q in questions]
        texts = [
            f"{plain(q.prompt)}\u2060（{m}）"
            if self.lesson.is_chinese
            else f"{plain(q.prompt)}\u00a0({m})"
            for q, m in zip(questions, minutes, strict=True)
        ]

        def notes(page: Fitted) -> str:
            """The facilitator's prompts for the questions this slide shows."""
            shown = sorted({p.text_index for p in page.paragraphs})
            return "\n\n".join(self._question_notes(i + 1, questions[i]) for i in shown)

        self._text_slides(
            "discussion",
            words["discussion"],
            texts,
            notes,
            numbered=True,
            origin=("questions",),
        )

    def _question_notes(self, number: int, question: Question) -> str:
        words = self.words
        lines = [f"{number}. {plain(question.prompt)}"]
        for heading, items in (
            (words["hints"], question.hints),
            (words["follow_up"], question.follow_up),
        ):
            if items:
                lines.append(f"{heading}{words['colon']}".rstrip())
                lines += [f"- {plain(item)}" for item in items]
        return "\n".join(lines)

    def _closing(self) -> None:
        closing, words = self.lesson.closing, self.words
        texts = [plain(p) for p in paragraphs(closing.summary)]
        self._text_slides(
            "closing",
            words["summary"],
            texts or [words["thanks"]],
            "\n\n".join(texts),
            bulleted=False,
            origin=("closing", "summary"),
        )
        if closing.reading:
            lesson = self.lesson
            entries = [
                reading_entry(r, lesson.language, lesson.is_chinese) for r in closing.reading
            ]
            notes = [
                e + (f"\n{plain(r.note)}" if r.note else "") + (f"\n{r.url}" if r.url else "")
                for e, r in zip(entries, closing.reading, strict=True)
            ]
            self._text_slides(
                "closing",
                words["reading"],
                entries,
                "\n\n".join(notes),
                origin=("closing", "reading"),
            )


def _as_title(paragraph: Paragraph, width: float, face: FontFace) -> Paragraph:
    """A part title in the agenda broken as a slide title is, at its comma or evenly
    (never "…应对能力挑 / 战"), in as many lines as it was fitted in, the breaks drawn."""
    if len(paragraph.lines) < 2:
        return paragraph
    lines = wrap_title(paragraph.text, width - paragraph.indent, paragraph.size, face)
    return replace(paragraph, text=LINE_BREAK.join(lines), lines=tuple(lines))


def section_path(trail: tuple[int, ...]) -> tuple:
    """The field path of the section at trail (1-based positions): sections[0].sections[2]."""
    path: tuple = ()
    for position in trail:
        path = (*path, "sections", position - 1)
    return path


def plan_deck(
    lesson: Lesson,
    geometry: DeckGeometry,
    frames: dict[str, LayoutFrames],
    fonts: SlideFonts,
    aspects: dict[str, float],
) -> list[PlannedSlide]:
    """Every slide of the lesson's deck, in order, fitted to the master's layouts; aspects
    holds each picture's width over its height, by its ``src``.

    The last plan is kept: a build plans the deck for the overflow check and again to
    draw it, with the same lesson object and master, and the plan is immutable.
    """
    key = (geometry, tuple(sorted(frames.items())), fonts, tuple(sorted(aspects.items())))
    last = _last_plan.get("plan")
    if last is not None and last[0] is lesson and last[1] == key:
        return list(last[2])
    slides = DeckPlanner(lesson, geometry, frames, fonts, aspects).plan()
    _last_plan["plan"] = (lesson, key, tuple(slides))
    return slides


_last_plan: dict[str, tuple] = {}
