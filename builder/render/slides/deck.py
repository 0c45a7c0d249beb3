"""Drawing a planned deck with python-pptx: placeholders from named layouts, real text.

Everything about sizes and line breaks was decided by the plan; this module only places
it. Each run names both its Latin and East Asian typeface and its language, because
PowerPoint picks the face for Chinese text from ``a:ea``, which ``font.name`` leaves unset.
Autofit is switched off so no client rescales text the plan has already fitted.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from pathlib import Path

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt

from builder.artifacts import deterministic_zip
from builder.model import Lesson
from builder.render.slides.autospace import STOP, STOP_SIZE, stopped
from builder.render.slides.fit import Fitted
from builder.render.slides.geometry import (
    LABEL_SPACING,
    TITLE_SPACING,
    Box,
    DeckGeometry,
    LayoutFrames,
)
from builder.render.slides.layouts import BODY_TYPES, FOOTER_TYPES, TITLE_TYPES
from builder.render.slides.parts import PlannedLabel
from builder.render.slides.plan import LINE_BREAK, PlannedSlide, SlideFonts
from builder.text.inline import plain

_DRAWN: dict[tuple, etree._Element] = {}
"""The slides of the last deck this process drew. A long-lived process (``lectern watch``)
redraws only the slides whose plan changed and copies the rest (python-pptx draws ~8 ms
a slide); keeping one deck keeps memory flat across a series."""

ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
ACCENT = RGBColor(0xA4, 0x16, 0x1A)
INK = RGBColor(0x1D, 0x1D, 0x1F)
MUTED = RGBColor(0x5F, 0x63, 0x68)
PAPER = RGBColor(0xFF, 0xFF, 0xFF)
TINT = RGBColor(0xF7, 0xF1, 0xEA)
BUILT_IN_INK = {
    "title": INK,
    "body": INK,
    "text": INK,
    "accent": ACCENT,
    "rule": ACCENT,
    "footer": MUTED,
    "footer_text": MUTED,
    "muted": MUTED,
}
"""The built-in design's colour for each role a colour plays (see ``LayoutLook``)."""


class DeckWriter:
    """Draws planned slides into a presentation opened on a slide master."""

    def __init__(
        self,
        lesson: Lesson,
        geometry: DeckGeometry,
        fonts: SlideFonts,
        prs,
        layouts: dict,
        frames: dict[str, LayoutFrames],
        folder: Path,
        *,
        builtin: bool,
        master_key: tuple | None = None,
    ) -> None:
        self.lesson = lesson
        self.geometry = geometry
        self.fonts = fonts
        self.folder = folder
        self.prs = prs
        self.layouts = layouts
        self.frames = frames
        self.builtin = builtin
        self.master_key = master_key
        """Which slide master this is (path and digest), for reusing drawn slides."""
        self.drawn: dict[tuple, etree._Element] = {}
        self.kind = "title"
        """The kind of the slide being drawn, whose layout's colours ``ink`` gives."""

    # -- text ------------------------------------------------------------------------------

    def style_run(
        self, run, size: float, color: RGBColor | None, bold: bool | None = False
    ) -> None:
        """Size, and where the design sets them, colour, weight and faces: on an
        organisation's master None leaves the template's (its theme fonts, +mj-lt and
        +mn-lt, and its colours) in charge."""
        font = run.font
        font.size = Pt(size)
        if bold is not None:
            font.bold = bold
        rpr = run._r.get_or_add_rPr()
        if isinstance(color, RGBColor):
            font.color.rgb = color
        elif color is not None:  # the template's own theme colour, as it writes it
            fill = rpr.get_or_change_to_solidFill()
            for old in list(fill):
                fill.remove(old)
            fill.append(etree.fromstring(color))
        rpr.set("lang", self.lesson.language)
        # Masters may set all-caps on titles (python-pptx's default does on section headers);
        # the plan measured the text as written, so it is drawn as written.
        rpr.set("cap", "none")
        rpr.set("altLang", "en-US")
        if self.fonts.latin is None:
            return
        font.name = self.fonts.latin
        for old in rpr.findall(qn("a:ea")):
            rpr.remove(old)
        ea = etree.SubElement(rpr, qn("a:ea"))
        ea.set("typeface", self.fonts.east_asian)
        rpr.find(qn("a:latin")).addnext(ea)

    def frame(self, shape, box: Box, anchor=MSO_ANCHOR.TOP):
        """shape moved to box, emptied, its text kept inside (no autofit); anchor None
        keeps the layout's vertical alignment."""
        shape.left, shape.top = Pt(box.left), Pt(box.top)
        shape.width, shape.height = Pt(box.width), Pt(box.height)
        tf = shape.text_frame
        tf.clear()
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        for side in ("left", "right", "top", "bottom"):
            setattr(tf, f"margin_{side}", Pt(box.inset))
        if anchor is not None:
            tf.vertical_anchor = anchor
        return tf

    def write_lines(
        self,
        tf,
        texts: list[str],
        size: float,
        color: RGBColor | None,
        *,
        bold: bool | None = False,
        align=PP_ALIGN.LEFT,
        spacing: float = 1.15,
        gap: float = 0.0,
        bullet_indent: float = 0.0,
        numbers: tuple[int | None, ...] = (),
    ) -> None:
        for i, text in enumerate(texts):
            paragraph = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            if align is not None:
                paragraph.alignment = align
            paragraph.line_spacing = Pt(size * spacing)
            paragraph.space_before = Pt(gap * size if i else 0)
            paragraph.space_after = Pt(0)
            if numbers:
                # Numbers count on from the slide before; within a slide they count by
                # themselves, so a lecturer may reorder the questions.
                first = i == 0 or numbers[i - 1] is None
                self.set_bullet(paragraph, bullet_indent, numbers[i], restart=first)
            else:
                self.set_bullet(paragraph, bullet_indent)
            for j, line in enumerate(text.split(LINE_BREAK)):
                for k, piece in enumerate(stopped(line)):
                    if k:  # LibreOffice's Chinese–Latin space, taken (``autospace``)
                        stop = paragraph.add_run()
                        self.style_run(stop, STOP_SIZE, color, bold)
                        stop.text = STOP
                    run = paragraph.add_run()
                    self.style_run(run, size, color, bold)
                    run.text = piece
                    if j and not k:  # a planned line break, as tall as the text around it
                        br = etree.Element(qn("a:br"))
                        br.append(copy.deepcopy(run._r.find(qn("a:rPr"))))
                        run._r.addprevious(br)

    def set_bullet(
        self, paragraph, indent: float, marker: str | int | None = "•", *, restart: bool = False
    ) -> None:
        """The paragraph's marker in its hanging indent: a bullet, an automatic number
        ("3.", from startAt where restart), or none (None: a question continued from the
        slide before, aligned with the numbered text). No indent, no marker."""
        shown = marker is not None and indent > 0
        ppr = paragraph._p.get_or_add_pPr()
        ppr.set("marL", str(int(Pt(indent))))
        ppr.set("indent", str(-int(Pt(indent))) if shown else "0")
        ppr.set("lvl", "0")
        # Hanging punctuation lets a closing mark sit past the right edge of the box; the
        # plan has already moved such marks to the next line with their character.
        ppr.set("hangingPunct", "0")
        # A master made for Arabic or Hebrew sets its text right to left; a lesson's text
        # runs left to right ("1." not ".1"), whatever the master's default.
        ppr.set("rtl", "0")
        for tag in ("a:buNone", "a:buChar", "a:buAutoNum", "a:buFont", "a:buClr"):
            for old in ppr.findall(qn(tag)):
                ppr.remove(old)
        if not shown:
            etree.SubElement(ppr, qn("a:buNone"))
            return
        color = etree.SubElement(ppr, qn("a:buClr"))
        etree.SubElement(color, qn("a:srgbClr")).set("val", str(self.ink("rule")))
        if isinstance(marker, int):
            auto = etree.SubElement(ppr, qn("a:buAutoNum"))
            auto.set("type", "arabicPeriod")
            if restart and marker != 1:
                auto.set("startAt", str(marker))
        else:
            etree.SubElement(ppr, qn("a:buFont")).set("typeface", "Arial")
            etree.SubElement(ppr, qn("a:buChar")).set("char", marker)

    def write_fitted(
        self,
        shape,
        box: Box,
        fitted: Fitted,
        bulleted: bool,
        color: RGBColor | None = INK,
        align=PP_ALIGN.LEFT,
        anchor=MSO_ANCHOR.TOP,
        numbers: tuple[int | None, ...] = (),
    ) -> None:
        tf = self.frame(shape, box, anchor)
        g = self.geometry
        indents = [p.indent for p in fitted.paragraphs]
        self.write_lines(
            tf,
            [p.text for p in fitted.paragraphs],
            fitted.size,
            color,
            spacing=g.line_spacing,
            gap=g.paragraph_gap,
            align=align,
            bullet_indent=max(indents) if (bulleted or numbers) and indents else 0.0,
            numbers=numbers,
        )

    def ink(self, role: str) -> RGBColor | str | None:
        """The colour of a role (title, body, text, accent, rule, footer, footer_text) on
        the slide being drawn: an RGB colour, or the template's own theme colour element
        (XML) where that reads; None sets none."""
        if self.builtin:
            return BUILT_IN_INK[role]
        value = getattr(self.frames[self.kind].look, "text" if role == "muted" else role)
        if not value:
            return None
        return value if value.startswith("<") else RGBColor.from_string(value)

    @property
    def own(self) -> bool:
        """Whether the slide's placeholders take the template's weight and alignment."""
        return not self.builtin

    # -- shapes ----------------------------------------------------------------------------

    @staticmethod
    def placeholder(slide, idx: int | None, types) -> object:
        """The slide's placeholder copied from the layout's placeholder idx of one of
        types: some masters leave idx unset on a title and a body alike (both 0)."""
        return next(
            ph
            for ph in slide.placeholders
            if ph.placeholder_format.idx == idx and ph.placeholder_format.type in types
        )

    def body_shape(self, slide, planned: PlannedSlide):
        """The layout's body placeholder, or a text box where the plan uses the area below
        the title of a layout that has none."""
        frame = self.frames[planned.kind]
        if frame.body_is_placeholder:
            return self.placeholder(slide, frame.body_idx, BODY_TYPES)
        box = planned.body_box
        return slide.shapes.add_textbox(Pt(box.left), Pt(box.top), Pt(box.width), Pt(box.height))

    def rect(self, slide, box: Box, color: RGBColor, *, back: bool = False):
        shape = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Pt(box.left), Pt(box.top), Pt(box.width), Pt(box.height)
        )
        shape.fill.solid()
        shape.fill.fore_color.rgb = color
        shape.line.fill.background()
        shape.shadow.inherit = False
        if back:
            tree = slide.shapes._spTree
            tree.remove(shape._element)
            tree.insert(2, shape._element)
        return shape

    def textbox(self, slide, box: Box, texts: list[str], size: float, color: RGBColor, **kw):
        shape = slide.shapes.add_textbox(Pt(box.left), Pt(box.top), Pt(box.width), Pt(box.height))
        self.write_lines(self.frame(shape, box), texts, size, color, **kw)
        return shape

    def draw_label(self, slide, label: PlannedLabel) -> None:
        """A planned label: in the layout's placeholder it names, else in a text box."""
        align = None if label.align is None else ALIGN[label.align]
        if label.placeholder is not None:
            shape = self.footer_placeholder(slide, label.placeholder)
            tf = self.frame(shape, label.box, anchor=None)
            self.write_lines(
                tf,
                [""],
                label.size,
                self.ink(label.role),
                bold=None,
                align=align,
                spacing=LABEL_SPACING,
            )
        else:
            shape = self.textbox(
                slide,
                label.box,
                [""],
                label.size,
                self.ink(label.role),
                bold=label.bold,
                align=align,
                spacing=LABEL_SPACING,
            )
        paragraph = shape.text_frame.paragraphs[0]
        run = paragraph.runs[0]
        if label.field is None:
            _stopped_runs(run, label.text)
            return
        # The slide number is a field, so it stays right when slides are reordered.
        field = etree.SubElement(paragraph._p, qn("a:fld"))
        field.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
        field.set("type", label.field)
        field.append(copy.deepcopy(run._r.find(qn("a:rPr"))))
        etree.SubElement(field, qn("a:t")).text = label.text
        paragraph._p.remove(run._r)
        end = paragraph._p.find(qn("a:endParaRPr"))
        if end is not None:
            paragraph._p.remove(end)

    def footer_placeholder(self, slide, name: str):
        """A footer, slide-number or date placeholder copied from the slide's layout
        (python-pptx, like PowerPoint, leaves them off a new slide)."""
        idx = dict(self.frames[self.kind].footer_idx)[name]
        types = {kind for kind, each in FOOTER_TYPES.items() if each == name}
        source = self.placeholder(slide.slide_layout, idx, types)._element
        shape = etree.SubElement(slide.shapes._spTree, qn("p:sp"))
        shape.append(copy.deepcopy(source.find(qn("p:nvSpPr"))))
        ids = [int(e.get("id")) for e in slide.shapes._spTree.iter(qn("p:cNvPr"))]
        shape.find(f"{qn('p:nvSpPr')}/{qn('p:cNvPr')}").set("id", str(max(ids) + 1))
        etree.SubElement(shape, qn("p:spPr"))
        body = etree.SubElement(shape, qn("p:txBody"))
        etree.SubElement(body, qn("a:bodyPr"))
        etree.SubElement(body, qn("a:lstStyle"))
        etree.SubElement(body, qn("a:p"))
        return self.placeholder(slide, idx, types)

    # -- slides ----------------------------------------------------------------------------

    def add(self, planned: PlannedSlide, number: int) -> None:
        slide = self.prs.slides.add_slide(self.layouts[planned.kind])
        key = self._drawn_key(planned, number)
        drawn = _DRAWN.get(key) if key else None
        if drawn is not None:
            slide._element.replace(slide._element.cSld, copy.deepcopy(drawn))
        else:
            self.draw(slide, planned, number)
            drawn = copy.deepcopy(slide._element.cSld) if key else None
        if key:
            self.drawn[key] = drawn
        if planned.notes:
            slide.notes_slide.notes_text_frame.text = planned.notes

    def draw(self, slide, planned: PlannedSlide, number: int) -> None:
        slide._element.cSld.set("name", planned.kind)  # readable in the file, and for tests
        self.kind = planned.kind
        getattr(self, f"draw_{planned.kind}", self.draw_text)(slide, planned)
        for label in (*planned.labels, *planned.footer):
            self.draw_label(slide, label)
        for shape in list(slide.placeholders):
            if shape.has_text_frame and not shape.text_frame.text.strip():
                shape._element.getparent().remove(shape._element)

    def _drawn_key(self, planned: PlannedSlide, number: int) -> tuple | None:
        """Everything a slide's drawing depends on; None for slides with pictures, whose
        drawing also adds parts and relationships to the package."""
        if planned.kind == "image" or self.master_key is None:
            return None
        layout = self.layouts[planned.kind]
        return (
            self.master_key,
            layout.name,
            repr(planned),
            number,
            self.lesson.language,
            repr(self.geometry),
            repr(self.fonts),
        )

    def write_title(self, slide, planned: PlannedSlide, anchor, color: RGBColor) -> None:
        """The planned title, in the layout's title placeholder, at its fitted size; on an
        organisation's master in its own weight, alignment and (where it reads) colour."""
        shape = self.placeholder(slide, self.frames[planned.kind].title_idx, TITLE_TYPES)
        tf = self.frame(shape, planned.title_box, anchor if self.builtin else None)
        self.write_lines(
            tf,
            [LINE_BREAK.join(planned.title_lines) or planned.title],
            planned.title_size,
            color if self.builtin else self.ink("title"),
            bold=True if self.builtin else None,
            align=PP_ALIGN.LEFT if self.builtin else None,
            spacing=TITLE_SPACING,
        )

    def draw_title_text(self, slide, planned: PlannedSlide) -> None:
        self.write_title(slide, planned, MSO_ANCHOR.BOTTOM, INK)
        if self.builtin:
            bar = planned.title_box
            self.rect(slide, Box(bar.left + bar.inset, bar.top + bar.height + 4, 56, 4), ACCENT)

    def draw_text(self, slide, planned: PlannedSlide) -> None:
        self.draw_title_text(slide, planned)
        self.write_fitted(
            self.body_shape(slide, planned),
            planned.body_box,
            planned.body,
            planned.bulleted,
            self.ink("body"),
            numbers=planned.numbers,
        )
        self.draw_cards(slide, planned)

    def draw_title(self, slide, planned: PlannedSlide) -> None:
        g = self.geometry
        if self.builtin:
            self.rect(slide, Box(0, 0, g.width, 14), ACCENT)
            self.rect(slide, Box(0, g.height - 128, g.width, 128), TINT, back=True)
        self.write_title(slide, planned, MSO_ANCHOR.MIDDLE, INK)
        self.write_fitted(
            self.body_shape(slide, planned),
            planned.body_box,
            planned.body,
            False,
            MUTED if self.builtin else self.ink("body"),
            align=PP_ALIGN.LEFT if self.builtin else None,
            anchor=MSO_ANCHOR.MIDDLE if self.builtin else None,
        )

    def draw_divider(self, slide, planned: PlannedSlide) -> None:
        g = self.geometry
        if self.builtin:
            self.rect(slide, Box(0, 0, g.width, g.height), ACCENT, back=True)
        self.write_fitted(
            self.body_shape(slide, planned),
            planned.body_box,
            planned.body,
            False,
            TINT if self.builtin else self.ink("body"),
            align=PP_ALIGN.LEFT if self.builtin else None,
            anchor=MSO_ANCHOR.BOTTOM if self.builtin else None,
        )
        self.write_title(slide, planned, MSO_ANCHOR.TOP, PAPER)

    def draw_quote(self, slide, planned: PlannedSlide) -> None:
        box = planned.body_box
        self.rect(slide, planned.rule, self.ink("rule"))
        shape = slide.shapes.add_textbox(Pt(box.left), Pt(box.top), Pt(box.width), Pt(box.height))
        self.write_fitted(shape, box, planned.body, False, self.ink("text"))

    def draw_figures(self, slide, planned: PlannedSlide) -> None:
        self.draw_title_text(slide, planned)
        self.draw_cards(slide, planned)

    def draw_cards(self, slide, planned: PlannedSlide) -> None:
        for card in planned.cards:
            if self.builtin:  # on an organisation's master the card is its background
                self.rect(slide, card.card, TINT)
            self.rect(slide, card.rule, self.ink("rule"))
            self.draw_label(slide, card.value)
            self.draw_label(slide, card.label)

    def draw_image(self, slide, planned: PlannedSlide) -> None:
        from builder.assets import resolve_asset

        self.draw_title_text(slide, planned)
        image, box = planned.image, planned.picture_box
        path = resolve_asset(image.src, self.folder)
        # From bytes, not the path: python-pptx writes a file's name into the picture's
        # XML unescaped, so a name with a quote or "<" broke the deck with a traceback.
        picture = slide.shapes.add_picture(
            io.BytesIO(path.read_bytes()), Pt(box.left), Pt(box.top), Pt(box.width), Pt(box.height)
        )
        picture._element.nvPicPr.cNvPr.set("descr", image.alt)

    def save(self, created: dt.datetime) -> bytes:
        props = self.prs.core_properties
        props.title = _property(plain(self.lesson.title))
        props.author = _property(", ".join(a.name for a in self.lesson.authors))
        props.subject = _property(plain(self.lesson.subtitle or self.lesson.title))
        props.keywords = _property(self.lesson.series or "")
        props.language = self.lesson.language
        props.last_modified_by = "Lectern"
        props.comments = ""
        props.category = ""
        props.revision = 1
        naive = created.replace(tzinfo=None)
        props.created = props.modified = props.last_printed = naive
        buffer = io.BytesIO()
        self.prs.save(buffer)
        _DRAWN.clear()
        _DRAWN.update(self.drawn)
        return reproducible_zip(buffer.getvalue(), created)


def _stopped_runs(run, text: str) -> None:
    """text in run, split where LibreOffice's script space is taken (``autospace``): each
    later piece in a copy of the run, a 1 pt word joiner before it."""
    pieces = stopped(text)
    run.text = pieces[0]
    last = run._r
    for piece in pieces[1:]:
        for shown, size in ((STOP, STOP_SIZE), (piece, None)):
            added = copy.deepcopy(run._r)
            added.find(qn("a:t")).text = shown
            if size is not None:
                added.find(qn("a:rPr")).set("sz", str(int(size * 100)))
            last.addnext(added)
            last = added


def _property(text: str) -> str:
    """A document property as python-pptx and Office keep it: at most 255 characters."""
    return text if len(text) <= 255 else text[:254] + "…"


def reproducible_zip(data: bytes, created: dt.datetime) -> bytes:
    """The same zip with every entry stamped with created, so equal decks are equal bytes.

    Entry order is kept: [Content_Types].xml must stay first for some clients.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    return deterministic_zip(entries, created)
