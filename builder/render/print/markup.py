"""Lesson text as the HTML print is set from: escaped, emphasis as ``<strong>``, and the
spans the stylesheet needs to set Chinese as Chinese is set.

The text itself is never changed: every span and ``<wbr>`` is markup, so the words
copied from a PDF read as typed.
"""

from __future__ import annotations

import itertools
import re

from markupsafe import Markup, escape

from builder.text.inline import Run, runs
from builder.text.linebreak import PHRASE_ENDS
from builder.text.measure import is_wide
from builder.text.phrases import inner_places
from builder.text.quotes import chinese_quotes

_SHARED_PUNCTUATION = re.compile("[\u2014\u2018\u2019\u201c\u201d\u2026\u00b7]+")
"""Marks Latin and CJK fonts both have, at different widths (see ``html``)."""
_CAPITALS = re.compile(r"\b[A-Z][A-Z0-9]{3,}\b")
"""A word of four or more capitals and digits (hyphenation needs five letters at least)."""
_BETWEEN_QUOTES = re.compile("(?<=[\u201d\u2019])(?=[\u201c\u2018])")
"""A closing quote directly followed by an opening one (“条”“块”): a place to break."""


def _is_cjk_letter(char: str) -> bool:
    return is_wide(char) and char.isalpha()


def _shared_punctuation(match: re.Match[str]) -> str:
    """A run of shared marks in its span, with a break opportunity (``<wbr>``) before an
    opening quote that follows a CJK character and after a closing one that precedes one.

    The line breaker (Pango, UAX #14 before Unicode 15.1) gives “ ” ‘ ’ the ambiguous class
    QU and breaks on neither side of them, so "哪些“条”和“块”" moved down to the next line
    whole, leaving a justified line several characters short. Chinese sets these marks as
    opening and closing punctuation, and Unicode 15.1 (LB19a) allows the break when the
    neighbour is East Asian. A closing quote directly followed by an opening one (Chinese
    sets no space between “条”“块”) may break between them too. Only these breaks are
    added: an opening mark still never
    ends a line and a closing mark never starts one. ``<wbr>`` is markup, not a character:
    the text copied from the PDF stays as typed.
    """
    marks, text, start, end = match.group(), match.string, match.start(), match.end()
    if marks == "’" and start > 0 and text[start - 1].isalnum() and not is_wide(text[start - 1]):
        return marks  # an apostrophe (don’t, teams’): Latin, in a Latin face
    before = marks[0] in "“‘" and start > 0 and _is_cjk_letter(text[start - 1])
    after = marks[-1] in "”’" and end < len(text) and _is_cjk_letter(text[end])
    # Each side of a break in a span of its own: WeasyPrint misses a <wbr> inside one.
    parts = _BETWEEN_QUOTES.split(marks) if len(marks) > 1 else (marks,)
    return (
        ("<wbr>" if before else "")
        + "<wbr>".join(f'<span class="cjk-punct">{part}</span>' for part in parts)
        + ("<wbr>" if after else "")
    )


KEEP_FROM = 40
"""Texts narrower than this, in half-width characters (a CJK character is two), are
not kept together at their end: a title or a point is a line anyway."""
MAX_LAST_WORDS = 16
"""The most characters two words at a text's end may have to be kept on one line."""
WORD_JOINER = "\u2060"
NO_BREAK_SPACE = "\u00a0"


def kept_together(pieces: list[Run]) -> list[Run]:
    """Runs whose end cannot be broken, so that a paragraph's last line never holds a
    lone character or word: Chinese typesetting avoids a last line of one character
    (“战。” below a full line), Western typesetting one short word.

    Between the last two CJK letters goes a word joiner (U+2060: no break, no width);
    else the last space becomes a no-break space where the two words are short. These
    are characters, not markup: an inline box of its own (a nowrap span) made WeasyPrint
    break the line before it at the first place it could, not the last.
    """
    text = "".join(run.text for run in pieces)
    letters = [i for i, char in enumerate(text) if _is_cjk_letter(char)]
    spaces = [i for i, char in enumerate(text) if char == " "]
    if len(letters) >= 2 and letters[-1] == letters[-2] + 1:
        return _joined(pieces, {letters[-2]: WORD_JOINER})
    if len(spaces) >= 2 and len(text) - spaces[-2] - 1 <= MAX_LAST_WORDS:
        return _joined(pieces, {spaces[-1]: NO_BREAK_SPACE}, replace=True)
    return pieces


MAX_LAST_PHRASE = 8
"""The most characters of a title's last phrase kept on one line."""


def _last_phrase(text: str) -> range:
    """A title's last phrase, after its last comma or colon, where it is short and all
    Chinese letters: "…为基础，/ 应对能力挑战", never "…为基础，应 / 对能力挑战"."""
    mark = max((i for i, char in enumerate(text) if char in PHRASE_ENDS), default=-1)
    phrase = range(mark + 1, len(text))
    if mark < 0 or not 1 < len(phrase) <= MAX_LAST_PHRASE:
        return range(0)
    if not all(_is_cjk_letter(text[i]) for i in phrase):
        return range(0)
    return phrase[:-1]


def phrases_kept(pieces: list[Run], title: bool = False) -> list[Run]:
    """A short text's runs with a word joiner wherever a line should not end: inside each
    phrase (``text.phrases``: "网格员 / 数字化", never "网格 / 员"), between its last two
    letters (no line of one letter), and, in a title, inside its last phrase after a
    comma. A phrase wider than its box still breaks (``overflow-wrap: anywhere``).
    """
    text = "".join(run.text for run in pieces)
    joined = {i - 1 for i in inner_places(text)}
    letters = [i for i, char in enumerate(text) if _is_cjk_letter(char)]
    if len(letters) >= 2 and letters[-1] == letters[-2] + 1:
        joined.add(letters[-2])
    if title:
        joined.update(_last_phrase(text))
    return _joined(pieces, dict.fromkeys(sorted(joined), WORD_JOINER))


def _joined(pieces: list[Run], at: dict[int, str], replace: bool = False) -> list[Run]:
    """Runs with a joiner after each character at a position of at (the text as read
    across the runs), or in its place where replace."""
    out, start = [], 0
    for run in pieces:
        chars = []
        for offset, char in enumerate(run.text):
            joiner = at.get(start + offset)
            chars.append(char if joiner is None else joiner if replace else char + joiner)
        out.append(Run("".join(chars), run.strong))
        start += len(run.text)
    return out


_VISIBLE = re.compile(r"<[^>]*>|&[#\w]+;|.", re.DOTALL)
"""A tag, an entity or one character of escaped HTML."""
CLOSING_MARKS = frozenset("，。、；：！？”’）》」』】〉〕")
"""Full-width marks set in the left half of their em, the right half blank."""
OPENING_MARKS = frozenset("“‘（《「『【〈〔")
"""Full-width marks set in the right half of their em, the left half blank."""


def _squeezed(escaped: str) -> str:
    """escaped with the blank half between two adjacent full-width marks taken out.

    “强调：“在” would otherwise show a full em of nothing between ： and “, and “。”” half an
    em; Chinese typesetting takes half an em out of such a pair (W3C, Requirements for
    Chinese Text Layout, punctuation compression). The mark whose blank half faces the
    other is wrapped in ``<span class="squeeze">``, which the stylesheet sets with the
    font's half-width forms (OpenType ``halt``): a closing mark before another mark, an
    opening mark after another opening one.
    """
    pieces = _VISIBLE.findall(escaped)
    shown = [i for i, piece in enumerate(pieces) if not piece.startswith("<")]
    squeezed = set()
    for here, after in itertools.pairwise(shown):
        first, second = pieces[here], pieces[after]
        if first in CLOSING_MARKS and (second in CLOSING_MARKS or second in OPENING_MARKS):
            squeezed.add(here)
        elif first in OPENING_MARKS and second in OPENING_MARKS:
            squeezed.add(after)
    if not squeezed:
        return escaped
    return "".join(
        f'<span class="squeeze">{piece}</span>' if i in squeezed else piece
        for i, piece in enumerate(pieces)
    )


_OPENS_AFTER = "([{\u2014\u2013-/"
_CLOSES_BEFORE = ".,;:!?)]}\u2014\u2013-/…"


def curly(text: str) -> str:
    """text with its straight quotes as typographic ones where it reads as prose: don't
    → don’t, "we're" → “we’re”. A quote that opens or closes nothing (src="x", 5'10")
    is left as typed; one beside a Chinese character is turned by ``chinese_quotes``.

    Quotes turn in pairs: an opening quote is curled only with the closing one that
    answers it, so code-like text (rel="attachment") is never half curled. A lone
    closing single quote is an apostrophe (the students' books).

    Print only: slides are set in the CJK slide font, whose curly quotes are full width
    (“doesn’ t”).
    """
    chars = list(text)
    pending: dict[str, int] = {}
    for i, char in enumerate(chars):
        if char not in "'\"":
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if is_wide(before) or is_wide(after):
            pending.pop(char, None)
            continue
        opens = (before.isspace() or before in _OPENS_AFTER) and after.isalnum()
        closes = (before.isalnum() or before in ".,!?") and (
            after.isspace() or after in _CLOSES_BEFORE
        )
        apostrophe = (before.isalpha() and after.isalpha()) or (opens and after.isdigit())
        if char == "'" and apostrophe:
            chars[i] = "\u2019"  # don’t, we’re, the ’90s
        elif opens:
            pending[char] = i
        elif closes and char in pending:
            opened = pending.pop(char)
            chars[opened] = "\u2018" if char == "'" else "\u201c"
            chars[i] = "\u2019" if char == "'" else "\u201d"
        elif closes and char == "'":
            chars[i] = "\u2019"
        else:
            pending.pop(char, None)  # a quote that is neither: code, not prose
    return "".join(chars)


def _curled(pieces: list[Run]) -> list[Run]:
    """Runs with their quotes set curly as the text reads across them ("**Lectern**'s"
    has an apostrophe)."""
    text = "".join(run.text for run in pieces)
    pairs = enumerate(zip(text, curly(chinese_quotes(text)), strict=True))
    turned = {i: new for i, (old, new) in pairs if old != new}
    return _joined(pieces, turned, replace=True)


_URL = re.compile(r"(?<![A-Za-z0-9])(?:https?://|mailto:|www\.)[!#-;=?-~]+")
"""A web address in escaped text: printable ASCII but ``"`` and ``<>`` (so it ends at a
Chinese character or mark), its ``&`` as ``&amp;``."""
_ENTITY = re.compile(r"(&[#\w]+;)")
_URL_BREAK = re.compile(r"(?<=/)(?=[^/])|(?<=[^/:])(?=[.?#&=_~-])")
"""Where an address may break, with no hyphen: after a slash (not inside ``//``), before
a dot, ``?``, ``#``, ``&``, ``=``, ``_``, ``~`` or ``-`` (The Chicago Manual of Style,
14.18): the mark that starts the next line shows it continues. Never after its own
hyphen, where the line breaker would otherwise break too: a line ending in ``-`` reads as
a word hyphenated, and the reader would type the address without it."""


_HYPHEN = re.compile(r"-(?=[A-Za-z0-9])")
"""An address's hyphen before a letter or digit: a word joiner after it keeps the line
breaker from breaking there (text extracted from the PDF does not hold the joiner)."""


def _breakable_urls(escaped: str) -> str:
    """escaped with a ``<wbr>`` at each place a web address in it may break."""

    def breakable(address: re.Match[str]) -> str:
        pieces = _ENTITY.split(address.group(0))  # an entity is one character: unbroken
        return "".join(
            ("<wbr>" + piece if i else piece)
            if piece.startswith("&")
            else _HYPHEN.sub("-" + WORD_JOINER, _URL_BREAK.sub("<wbr>", piece))
            for i, piece in enumerate(pieces)
        )

    return _URL.sub(breakable, escaped)


def url(address: str) -> Markup:
    """A web address as HTML that breaks only where an address may (the ``url`` filter)."""
    return Markup(_breakable_urls(str(escape(address))))


def html(text: str, keep: bool = True, title: bool = False, short: bool = False) -> Markup:
    """Lesson text as safe HTML: everything escaped, emphasis as ``<strong>``.

    Quotation marks, dashes and ellipses are wrapped in ``<span class="cjk-punct">`` so
    the stylesheet can set them in the CJK face in Chinese text: a Latin face listed first
    would otherwise draw “” as narrow Latin quotes inside a Chinese sentence. Words in
    capitals are wrapped in ``<span class="caps">``: names and acronyms (LICENSE, NOTICE)
    that the stylesheet keeps from being hyphenated. The end of the text is kept together
    (``kept_together``) unless keep is False: in a box too narrow for two words. A
    title, and a short text (a point, a label, a question), breaks only between phrases
    (``phrases_kept``).
    """
    out = Markup("")
    pieces = _curled(runs(text))
    if title or short:
        pieces = phrases_kept(pieces, title)
    elif keep and sum(2 if is_wide(char) else 1 for char in text) >= KEEP_FROM:
        pieces = kept_together(pieces)
    for run in pieces:
        escaped = _breakable_urls(str(escape(run.text)))
        escaped = _CAPITALS.sub(r'<span class="caps">\g<0></span>', escaped)
        piece = Markup(_squeezed(_SHARED_PUNCTUATION.sub(_shared_punctuation, escaped)))
        out += Markup("<strong>{}</strong>").format(piece) if run.strong else piece
    return out
