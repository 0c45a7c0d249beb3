"""Chinese justified between its characters, as Chinese is set, not at spaces it lacks.

WeasyPrint justifies a line by widening its spaces only (its code names CSS Text 3's
justification algorithms as a to-do). Chinese has no spaces, so a Chinese line that
ends short stays short, a ragged edge inside a justified paragraph. Lines end short
whenever a character is moved down with its neighbour: a closing mark may not start a
line (“块”), and a paragraph's last two characters are kept together (``inline``).
Chinese typesetting spreads that slack evenly between the characters of the line
(W3C, Requirements for Chinese Text Layout), and so does Lectern's print.

WeasyPrint's justification is extended, and only while it justifies a line:

- ``count_expandable_spaces`` counts, besides spaces, the gaps that spacing the CJK
  characters of a text box opens (``gaps``);
- ``justify_line`` counts the gaps between text boxes too (a line is cut into boxes
  by ``<strong>``, a quotation mark's span, a ``<wbr>``), and ``add_word_spacing``
  moves each box over by those;
- ``Layout.set_text(justify=True)``, called when the line is drawn, gives each CJK
  character the line's justification spacing as Pango letter spacing.

Pango adds letter spacing half before and half after each character, and leaves out
the outer half at either end of a layout (here, one text box). So n CJK characters
widen their box by n spacings, less half a spacing for a CJK character at either end,
and those halves are added between the boxes instead, except at the ends of the line:
the line ends flush. Hangul is left out: Korean separates its words with spaces. The
text is unchanged: copied from the PDF, it reads as typed.
"""

from __future__ import annotations

import functools
import unicodedata

from builder.text.measure import is_wide

MOST = 0.2
"""The most spacing justification puts between two CJK characters, in ems: a normal
line's slack (under two ems over forty characters) is far less."""


def _expandable(char: str) -> bool:
    return is_wide(char) and not ("\u1100" <= char <= "\u11ff" or "\uac00" <= char <= "\ud7a3")


def gaps(text: str) -> float:
    """What spacing every CJK character of text widens it by, in spacings (see above)."""
    if not text:
        return 0
    count = sum(map(_expandable, text))
    return count - (_expandable(text[0]) + _expandable(text[-1])) / 2


def _byte_runs(text: str) -> list[tuple[int, int]]:
    """The UTF-8 byte ranges of text's runs of CJK characters."""
    runs: list[tuple[int, int]] = []
    offset = 0
    for char in text:
        size = len(char.encode("utf-8", "surrogatepass"))
        if _expandable(char):
            if runs and runs[-1][1] == offset:
                runs[-1] = (runs[-1][0], offset + size)
            else:
                runs.append((offset, offset + size))
        offset += size
    return runs


def _shows(text: str) -> bool:
    """Whether text draws anything: not only spaces and break opportunities (<wbr>)."""
    return any(not char.isspace() and unicodedata.category(char) != "Cf" for char in text)


def _texts(box, text_box: type, containers: tuple[type, ...]) -> list:
    """The text boxes of a line or inline box, in order."""
    if isinstance(box, text_box):
        return [box]
    if isinstance(box, containers):
        return [
            t
            for child in box.children
            if child.is_in_normal_flow()
            for t in _texts(child, text_box, containers)
        ]
    return []


@functools.cache
def justify_between_cjk_characters() -> None:
    """Extend WeasyPrint's justification (once per process, from ``weasy.load_weasyprint``,
    which has checked that every name reached here is as relied on)."""
    from builder.render.print.weasy import reach, replace

    text_box = reach("weasyprint.formatting_structure.boxes.TextBox")
    containers = (
        reach("weasyprint.formatting_structure.boxes.LineBox"),
        reach("weasyprint.formatting_structure.boxes.InlineBox"),
    )
    ffi, pango = reach("weasyprint.text.ffi.ffi"), reach("weasyprint.text.ffi.pango")
    to_units = reach("weasyprint.text.ffi.TO_UNITS")
    count_spaces = reach("weasyprint.layout.inline.count_expandable_spaces")
    add_spacing = reach("weasyprint.layout.inline.add_word_spacing")
    set_text = reach("weasyprint.text.line_break.Layout.set_text")
    edges: dict[int, tuple[bool, bool]] = {}
    """While a line is justified: whether each text box has a half spacing before and
    after it, outside its own layout."""

    def count_expandable_spaces(box) -> float:
        if isinstance(box, text_box):
            return count_spaces(box) + gaps(box.text)
        return count_spaces(box)  # which counts each child through this function

    def justify_line(context, line, extra_width):
        # Between two text boxes, each side's CJK character has its half spacing there.
        texts = _texts(line, text_box, containers)
        shown = [i for i, text in enumerate(texts) if _shows(text.text)]
        for i in shown:
            text = texts[i].text
            lead = i > shown[0] and _expandable(text[0])
            trail = i < shown[-1] and _expandable(text[-1])
            edges[id(texts[i])] = (lead, trail)
        try:
            between = sum(sum(e) / 2 for e in edges.values())
            count = count_expandable_spaces(line) + between
            cjk = between + sum(gaps(text.text) for text in texts)
            # A line cut short by a long unbreakable word (a URL) would have its few
            # characters spread across the measure: it is left short instead.
            if count and not (cjk and extra_width / count > MOST * line.style["font_size"]):
                add_word_spacing(context, line, extra_width / count, 0)
        finally:
            edges.clear()

    def add_word_spacing(context, box, justification_spacing, x_advance):
        lead, trail = edges.get(id(box), (False, False))
        x_advance += lead * justification_spacing / 2
        x_advance = add_spacing(context, box, justification_spacing, x_advance)
        return x_advance + trail * justification_spacing / 2

    def set_text_justified(self, text, justify=False):
        set_text(self, text, justify)
        if not (justify and self.justification_spacing):
            return
        runs = _byte_runs(self.text)
        if not runs:
            return
        letter_spacing = self.style["letter_spacing"]
        spacing = (0 if letter_spacing == "normal" else letter_spacing) + (
            self.justification_spacing
        )
        attributes = pango.pango_layout_get_attributes(self.layout)
        if attributes == ffi.NULL:
            attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
        for start, end in runs:
            attribute = pango.pango_attr_letter_spacing_new(int(spacing * to_units))
            attribute.start_index, attribute.end_index = start, end
            pango.pango_attr_list_change(attributes, attribute)
        pango.pango_layout_set_attributes(self.layout, attributes)

    replace("weasyprint.layout.inline.count_expandable_spaces", count_expandable_spaces)
    replace("weasyprint.layout.inline.justify_line", justify_line)
    replace("weasyprint.layout.inline.add_word_spacing", add_word_spacing)
    replace("weasyprint.text.line_break.Layout.set_text", set_text_justified)
