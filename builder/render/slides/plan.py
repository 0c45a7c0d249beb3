"""The deck plan: which slides a lesson becomes, in order, with their text already fitted.

Slide kinds follow the content (title, objectives, agenda, part divider, points,
quotation, key figures, image, discussion, closing). Nothing here knows python-pptx;
``deck.py`` draws the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from builder.model import Figure, Image, Lesson, Question, Section
from builder.render.slides.fit import Fitted, fit_paragraphs, fit_title, line_height
from builder.render.slides.geometry import Box, DeckGeometry
from builder.text.inline import paragraphs, plain
from builder.text.labels import labels
from builder.text.measure import FontFace
from builder.text.numbering import chinese_number, heading_number

FIGURES_PER_SLIDE = 4


@dataclass(frozen=True)
class SlideFonts:
    """Typefaces for slides: a Latin face and an East Asian one (PowerPoint's a:latin, a:ea)."""

    latin: str = "Noto Sans CJK SC"
    east_asian: str = "Noto Sans CJK SC"

    @property
    def measured(self) -> FontFace:
        return FontFace(self.east_asian)


@dataclass(frozen=True)
class PlannedSlide:
    """One slide, fully decided."""

    kind: str
    title: str
    title_size: float
    title_box: Box
    body: Fitted | None = None
    body_box: Box | None = None
    notes: str = ""
    subtitle: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    image: Image | None = None
    source: str | None = None
    number_label: str = ""
    bulleted: bool = True
    extra: dict = field(default_factory=dict)


class DeckPlanner:
    """Builds the plan for one lesson and geometry."""

    def __init__(self, lesson: Lesson, geometry: DeckGeometry, fonts: SlideFonts) -> None:
        self.lesson = lesson
        self.geometry = geometry
        self.fonts = fonts
        self.words = labels(lesson.language)
        self.slides: list[PlannedSlide] = []

    # -- helpers ---------------------------------------------------------------------------

    def _title(self, text: str) -> tuple[float, Box, Box]:
        """Title size, title box and the body box left below it."""
        g = self.geometry
        box = g.title_box()
        size, lines = fit_title(
            text, box, g.title_size, g.title_min_size, 1.15, self.fonts.measured
        )
        needed = len(lines) * line_height(size, 1.15) + 2 * box.inset
        if needed > box.height:
            box = replace(box, height=needed)
        return size, box, g.body_box(box)

    def _text_slides(
        self,
        kind: str,
        title: str,
        texts: list[str],
        notes: str,
        *,
        bulleted: bool = True,
        size: float | None = None,
        reserve: float = 0.0,
        **extra,
    ) -> None:
        """Slides for title and texts: one if they fit, continued ones if not.

        reserve keeps that many points free below the body (for a quotation's source).
        """
        g = self.geometry
        title_size, title_box, body_box = self._title(title)
        body_box = replace(body_box, height=body_box.height - reserve)
        pages = fit_paragraphs(
            texts,
            body_box,
            size=size or g.body_size,
            min_size=g.body_min_size,
            spacing=g.line_spacing,
            gap=g.paragraph_gap,
            face=self.fonts.measured,
            indent_em=1.0 if bulleted else 0.0,
        )
        for i, page in enumerate(pages):
            shown = title if i == 0 else title + self.words["continued"]
            if i:
                title_size, title_box, body_box = self._title(shown)
                body_box = replace(body_box, height=body_box.height - reserve)
            self.slides.append(
                PlannedSlide(
                    kind,
                    shown,
                    title_size,
                    title_box,
                    page,
                    body_box,
                    notes,
                    bulleted=bulleted,
                    **extra,
                )
            )

    def _notes(self, section: Section) -> str:
        parts = [section.notes] if section.notes else []
        parts += paragraphs(section.prose)
        return "\n\n".join(plain(p) for p in parts)

    # -- the deck --------------------------------------------------------------------------

    def plan(self) -> list[PlannedSlide]:
        lesson, words = self.lesson, self.words
        title_size, title_box, _ = self._title(plain(lesson.title))
        byline = [a.name + (f" · {a.affiliation}" if a.affiliation else "") for a in lesson.authors]
        self.slides.append(
            PlannedSlide(
                "title",
                plain(lesson.title),
                title_size,
                title_box,
                notes="\n\n".join(plain(p) for p in paragraphs(lesson.opening.lead)),
                subtitle=tuple(
                    filter(None, [plain(lesson.subtitle or ""), *byline, lesson.date.isoformat()])
                ),
                extra={"series": lesson.series or ""},
            )
        )
        if lesson.objectives:
            self._text_slides(
                "objectives", words["objectives"], [plain(o) for o in lesson.objectives], ""
            )
        self._text_slides(
            "agenda",
            words["agenda"],
            [
                f"{heading_number((i,), lesson.is_chinese)}{plain(s.title)}"
                for i, s in enumerate(lesson.sections, 1)
            ],
            "",
        )
        if lesson.opening.quote:
            self._quote(lesson.opening.quote.text, lesson.opening.quote.source, "")
        for i, part in enumerate(lesson.sections, 1):
            self._part(i, part)
        if lesson.questions:
            self._discussion(lesson.questions)
        self._closing()
        return self.slides

    def _part(self, index: int, part: Section) -> None:
        chinese = self.lesson.is_chinese
        label = f"第{chinese_number(index)}部分" if chinese else f"Part {index}"
        size, box, _ = self._title(plain(part.title))
        self.slides.append(
            PlannedSlide(
                "divider", plain(part.title), size, box, notes=self._notes(part), number_label=label
            )
        )
        self._section_content(part, trail=(index,), with_title_slide=bool(part.points))
        for j, child in enumerate(part.sections, 1):
            self._section(child, (index, j))

    def _section(self, section: Section, trail: tuple[int, ...]) -> None:
        self._section_content(section, trail, with_title_slide=True)
        for k, child in enumerate(section.sections, 1):
            self._section(child, (*trail, k))

    def _section_content(
        self, section: Section, trail: tuple[int, ...], with_title_slide: bool
    ) -> None:
        title = plain(section.title)
        if len(trail) > 1:
            title = heading_number(trail, self.lesson.is_chinese) + title
        notes = self._notes(section)
        if with_title_slide:
            self._text_slides("points", title, [plain(p) for p in section.points], notes)
        for quote in section.quotes:
            self._quote(quote.text, quote.source, notes)
        for start in range(0, len(section.figures), FIGURES_PER_SLIDE):
            size, box, body = self._title(title)
            self.slides.append(
                PlannedSlide(
                    "figures",
                    title if start == 0 else title + self.words["continued"],
                    size,
                    box,
                    body_box=body,
                    notes=notes,
                    figures=tuple(section.figures[start : start + FIGURES_PER_SLIDE]),
                )
            )
        for image in section.images:
            size, box, body = self._title(title)
            self.slides.append(
                PlannedSlide("image", title, size, box, body_box=body, notes=notes, image=image)
            )

    def _quote(self, text: str, source: str | None, notes: str) -> None:
        shown_source = f"—— {plain(source)}" if source else ""
        self._text_slides(
            "quote",
            "",
            [plain(text)],
            notes or plain(text),
            bulleted=False,
            size=self.geometry.body_size + 4,
            source=shown_source,
            reserve=48.0 if shown_source else 0.0,
        )

    def _discussion(self, questions: list[Question]) -> None:
        words = self.words
        texts = [
            f"{plain(q.prompt)}（{words['minutes'].format(n=q.minutes)}）"
            if self.lesson.is_chinese
            else f"{plain(q.prompt)} ({words['minutes'].format(n=q.minutes)})"
            for q in questions
        ]
        notes = "\n\n".join(
            f"{i}. {plain(q.prompt)}\n" + "\n".join(f"- {plain(h)}" for h in q.hints)
            for i, q in enumerate(questions, 1)
        )
        self._text_slides("discussion", words["discussion"], texts, notes)

    def _closing(self) -> None:
        closing, words = self.lesson.closing, self.words
        texts = [plain(p) for p in paragraphs(closing.summary)]
        texts += [plain(r.title) for r in closing.reading]
        notes = "\n\n".join(texts)
        self._text_slides(
            "closing", words["summary"], texts or [words["thanks"]], notes, bulleted=False
        )


def plan_deck(lesson: Lesson, geometry: DeckGeometry, fonts: SlideFonts) -> list[PlannedSlide]:
    """Every slide of the lesson's deck, in order, fitted to geometry."""
    return DeckPlanner(lesson, geometry, fonts).plan()
