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
from builder.render.slides.fit import SLACK, Fitted, block_height, fit_paragraphs, join_lines
from builder.render.slides.geometry import Box, DeckGeometry, LayoutFrames
from builder.render.slides.plan import (
    LINE_BREAK,
    QUOTE_RULE,
    TITLE_SPACING,
    PlannedSlide,
    SlideFonts,
)
from builder.text.inline import plain
from builder.text.measure import FontFace, text_width

_DRAWN: dict[tuple, etree._Element] = {}
"""The slides of the last deck this process drew. A long-lived process (``lectern watch``)
redraws only the slides whose plan changed and copies the rest (python-pptx draws ~8 ms
a slide); keeping one deck keeps memory flat across a series."""

LABEL_SPACING = 1.2
ACCENT = RGBColor(0xA4, 0x16, 0x1A)
INK = RGBColor(0x1D, 0x1D, 0x1F)
MUTED = RGBColor(0x5F, 0x63, 0x68)
PAPER = RGBColor(0xFF, 0xFF, 0xFF)
TINT = RGBColor(0xF7, 0xF1, 0xEA)


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
        self.footer = " · ".join(filter(None, [lesson.series, plain(lesson.title)]))

    # -- text ------------------------------------------------------------------------------

    def style_run(self, run, size: float, color: RGBColor | None, bold: bool = False) -> None:
        font = run.font
        font.size = Pt(size)
        font.bold = bold
        if color is not None:
            font.color.rgb = color
        font.name = self.fonts.latin
        rpr = run._r.get_or_add_rPr()
        rpr.set("lang", self.lesson.language)
        # Masters may set all-caps on titles (python-pptx's default does on section headers);
        # the plan measured the text as written, so it is drawn as written.
        rpr.set("cap", "none")
        rpr.set("altLang", "en-US")
        for old in rpr.findall(qn("a:ea")):
            rpr.remove(old)
        ea = etree.SubElement(rpr, qn("a:ea"))
        ea.set("typeface", self.fonts.east_asian)
        rpr.find(qn("a:latin")).addnext(ea)

    def frame(self, shape, box: Box, anchor=MSO_ANCHOR.TOP):
        shape.left, shape.top = Pt(box.left), Pt(box.top)
        shape.width, shape.height = Pt(box.width), Pt(box.height)
        tf = shape.text_frame
        tf.clear()
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        for side in ("left", "right", "top", "bottom"):
            setattr(tf, f"margin_{side}", Pt(box.inset))
        tf.vertical_anchor = anchor
        return tf

    def write_lines(
        self,
        tf,
        texts: list[str],
        size: float,
        color: RGBColor | None,
        *,
        bold: bool = False,
        align=PP_ALIGN.LEFT,
        spacing: float = 1.15,
        gap: float = 0.0,
        bullet_indent: float = 0.0,
        numbers: tuple[int | None, ...] = (),
    ) -> None:
        for i, text in enumerate(texts):
            paragraph = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
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
                run = paragraph.add_run()
                self.style_run(run, size, color, bold)
                run.text = line
                if j:  # a planned line break, as tall as the text around it
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
        for tag in ("a:buNone", "a:buChar", "a:buAutoNum", "a:buFont", "a:buClr"):
            for old in ppr.findall(qn(tag)):
                ppr.remove(old)
        if not shown:
            etree.SubElement(ppr, qn("a:buNone"))
            return
        color = etree.SubElement(ppr, qn("a:buClr"))
        etree.SubElement(color, qn("a:srgbClr")).set("val", str(ACCENT))
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

    def color(self, builtin_color: RGBColor) -> RGBColor | None:
        """The built-in design's colour; None leaves an organisation's master in charge."""
        return builtin_color if self.builtin else None

    # -- shapes ----------------------------------------------------------------------------

    @staticmethod
    def placeholder(slide, idx: int | None):
        """The slide's placeholder copied from the layout's placeholder idx."""
        return next(ph for ph in slide.placeholders if ph.placeholder_format.idx == idx)

    def body_shape(self, slide, planned: PlannedSlide):
        """The layout's body placeholder, or a text box where the plan uses the area below
        the title of a layout that has none."""
        frame = self.frames[planned.kind]
        if frame.body_is_placeholder:
            return self.placeholder(slide, frame.body_idx)
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

    def label(
        self,
        slide,
        box: Box,
        text: str,
        size: float,
        min_size: float,
        color: RGBColor,
        *,
        bold: bool = False,
        align=PP_ALIGN.LEFT,
    ) -> None:
        """A short text (series, source, caption, figure label) fitted into box and drawn.

        It shrinks down to min_size; beyond that it is cut at a line end with "…", since
        a label that does not fit is better shortened than spilling out of its box.
        """
        face = self.fonts.measured_bold if bold else self.fonts.measured
        pages = fit_paragraphs(
            [text], box, size=size, min_size=min_size, spacing=LABEL_SPACING, gap=0, face=face
        )
        lines = [line for p in pages[0].paragraphs for line in p.lines]
        if len(pages) > 1:
            lines[-1] = lines[-1][:-1] + "…"
        self.textbox(
            slide,
            box,
            [join_lines(lines) if len(pages) > 1 else text],
            pages[0].size,
            color,
            bold=bold,
            align=align,
            spacing=LABEL_SPACING,
        )

    def add_footer(self, slide, number: int) -> None:
        g = self.geometry
        box = g.footer_box()
        face = self.fonts.measured
        size = 11.0
        number_width = text_width("000", size, face) + 2 * box.inset + 4
        text_box = Box(box.left, box.top, box.width - number_width, box.height, box.inset)
        self.label(slide, text_box, self.footer, size, 8, MUTED)
        number_box = Box(
            box.left + box.width - number_width, box.top, number_width, box.height, box.inset
        )
        shape = self.textbox(slide, number_box, [""], size, MUTED, align=PP_ALIGN.RIGHT)
        paragraph = shape.text_frame.paragraphs[0]
        # The slide number is a field, so it stays right when slides are reordered.
        run = paragraph.runs[0]._r
        field = etree.SubElement(paragraph._p, qn("a:fld"))
        field.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
        field.set("type", "slidenum")
        field.append(copy.deepcopy(run.find(qn("a:rPr"))))
        etree.SubElement(field, qn("a:t")).text = str(number)
        paragraph._p.remove(run)
        end = paragraph._p.find(qn("a:endParaRPr"))
        if end is not None:
            paragraph._p.remove(end)

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
        getattr(self, f"draw_{planned.kind}", self.draw_text)(slide, planned)
        if planned.kind not in ("title", "divider"):
            self.add_footer(slide, number)
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
            self.footer,
            self.lesson.language,
            repr(self.geometry),
            repr(self.fonts),
        )

    def write_title(self, slide, planned: PlannedSlide, anchor, color: RGBColor) -> None:
        """The planned title, in the layout's title placeholder, at its fitted size."""
        shape = self.placeholder(slide, self.frames[planned.kind].title_idx)
        tf = self.frame(shape, planned.title_box, anchor)
        self.write_lines(
            tf,
            [LINE_BREAK.join(planned.title_lines) or planned.title],
            planned.title_size,
            self.color(color),
            bold=True,
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
            self.color(INK),
            numbers=planned.numbers,
        )

    def draw_title(self, slide, planned: PlannedSlide) -> None:
        g = self.geometry
        if self.builtin:
            self.rect(slide, Box(0, 0, g.width, 14), ACCENT)
            self.rect(slide, Box(0, g.height - 128, g.width, 128), TINT, back=True)
            if planned.extra.get("series"):
                box = planned.title_box
                series_box = Box(box.left, box.top - 46, box.width, 40)
                self.label(slide, series_box, planned.extra["series"], 18, 10, ACCENT, bold=True)
        self.write_title(slide, planned, MSO_ANCHOR.MIDDLE, INK)
        self.write_fitted(
            self.body_shape(slide, planned),
            planned.body_box,
            planned.body,
            False,
            self.color(MUTED),
            anchor=MSO_ANCHOR.MIDDLE,
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
            self.color(TINT),
            anchor=MSO_ANCHOR.BOTTOM,
        )
        self.write_title(slide, planned, MSO_ANCHOR.TOP, PAPER)

    def draw_quote(self, slide, planned: PlannedSlide) -> None:
        g = self.geometry
        box, fitted = planned.body_box, planned.body
        lines = [len(p.lines) for p in fitted.paragraphs]
        used = block_height(lines, fitted.size, g.line_spacing, g.paragraph_gap) + 2 * box.inset
        if self.builtin:  # the rule runs beside the quotation, as long as it is
            self.rect(slide, Box(box.left - QUOTE_RULE, box.top, 6, min(used, box.height)), ACCENT)
        shape = slide.shapes.add_textbox(Pt(box.left), Pt(box.top), Pt(box.width), Pt(box.height))
        self.write_fitted(shape, box, fitted, False)
        if planned.source:
            source_box = Box(box.left, box.top + min(used, box.height) + 12, box.width, 36)
            self.label(slide, source_box, planned.source, 18, 10, MUTED, align=PP_ALIGN.RIGHT)

    def draw_figures(self, slide, planned: PlannedSlide) -> None:
        self.draw_title_text(slide, planned)
        area, count = planned.body_box, len(planned.figures)
        gap = 24.0
        width = (area.width - gap * (count - 1)) / count
        values = [f"{figure.value}{figure.unit}" for figure in planned.figures]
        # A number is never broken across lines: it takes the largest size that keeps it
        # on one (values are at most 24 characters, so this stays readable), and the
        # numbers of one row share the size of the longest, so none looks more important.
        face = FontFace(self.fonts.east_asian, bold=True)
        inner_width = Box(0, 0, width, 100).text_width * SLACK
        size = min(
            60.0, *(inner_width / max(text_width(value, 1.0, face), 0.01) for value in values)
        )
        for i, (figure, value) in enumerate(zip(planned.figures, values, strict=True)):
            left = area.left + i * (width + gap)
            card = Box(left, area.top + 20, width, min(area.height - 20, 210))
            self.rect(slide, card, TINT)
            self.rect(slide, Box(left, card.top, width, 5), ACCENT)
            inner = Box(left, card.top + 24, width, 100)
            self.textbox(
                slide, inner, [value], size, ACCENT, bold=True, align=PP_ALIGN.CENTER, spacing=1.1
            )
            label_box = Box(left, card.top + 128, width, card.height - 136)
            self.label(slide, label_box, plain(figure.label), 20, 12, INK, align=PP_ALIGN.CENTER)

    def draw_image(self, slide, planned: PlannedSlide) -> None:
        from builder.assets import resolve_asset

        self.draw_title_text(slide, planned)
        image = planned.image
        area = planned.body_box
        caption_height = 36 if image.caption else 0
        path = resolve_asset(image.src, self.folder)
        picture = slide.shapes.add_picture(str(path), Pt(area.left), Pt(area.top))
        ratio = min(
            Pt(area.width) / picture.width, Pt(area.height - caption_height) / picture.height
        )
        picture.width, picture.height = int(picture.width * ratio), int(picture.height * ratio)
        picture.left = int(Pt(area.left) + (Pt(area.width) - picture.width) / 2)
        picture._element.nvPicPr.cNvPr.set("descr", image.alt)
        if image.caption:
            caption_box = Box(
                area.left, area.top + area.height - caption_height, area.width, caption_height
            )
            self.label(
                slide, caption_box, plain(image.caption), 14, 10, MUTED, align=PP_ALIGN.CENTER
            )

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
