"""Phrases of Chinese text: where a line may end so that the reader pauses there.

Chinese has no spaces, and a line broken inside a word ("网格 / 员", "位 / 置") reads
badly in a title. The boundaries come from BudouX, the phrase model browsers use for
``word-break: auto-phrase``: 350 kB, loaded in ~6 ms, ~0.07 ms a title. jieba, a word
segmenter, splits words more accurately (位置, 应对, 探索 whole) but costs ~0.85 s and
~80 MB to load in every process, a fifth of a whole build, and cuts particles off their
words (能力 / 的); BudouX attaches them and its misses are mended here.

BudouX's Simplified Chinese model does split some two-letter words ("位|置", "探|索",
"统筹应|对"); each of those misses leaves a phrase of one letter beside the cut. So
there are two tiers: **preferred** boundaries, where no one-letter phrase is cut off
unless it is a particle or a conjunction that stands alone, and BudouX's **raw**
boundaries, used only where a preferred one does not fall within the line. Marks such
as ，：？ end a phrase whatever the model says (``linebreak`` breaks after them).
"""

from __future__ import annotations

import functools

from builder.text.measure import is_wide


def is_letter(char: str) -> bool:
    """A CJK letter (an ideograph, kana, hangul): not punctuation, not Latin."""
    return is_wide(char) and char.isalpha()


def _joinable(before: str, after: str) -> bool:
    """Whether the place between two characters is inside a phrase unless BudouX says
    otherwise: a letter beside a letter or a digit ("26个"), never a space or a mark."""
    return (is_letter(before) and (is_letter(after) or after.isalnum())) or (
        is_letter(after) and before.isalnum()
    )


@functools.cache
def _parser():
    import budoux

    return budoux.load_default_simplified_chinese_parser()


@functools.lru_cache(maxsize=8192)
def raw_breaks(text: str) -> frozenset[int]:
    """Offsets between two joinable characters where BudouX ends a phrase."""
    if not any(is_letter(char) for char in text):
        return frozenset()
    breaks, offset = set(), 0
    for chunk in _parser().parse(text):
        offset += len(chunk)
        if 0 < offset < len(text) and _joinable(text[offset - 1], text[offset]):
            breaks.add(offset)
    return frozenset(breaks)


ENDS_A_PHRASE = frozenset("的了地得着过们吗呢吧啊呀之等个中里")
"""Particles and measure words: a line may end after one standing alone ("…中的 / 位置")."""
BEGINS_A_PHRASE = frozenset("与和及同跟从把被向由将让给并而或但且就都也还又再更最很不没每各该是")
"""Conjunctions and adverbs that are rarely the end of a word: a line may start with one
standing alone ("…体系 / 与职责边界")."""


@functools.lru_cache(maxsize=8192)
def preferred_breaks(text: str) -> frozenset[int]:
    """The raw breaks that do not cut a one-letter phrase off a word it may belong to.

    A break beside a phrase of one letter is kept only when that letter is known to
    stand alone on that side: a particle before the break, a conjunction after it.
    """
    raw = sorted(raw_breaks(text))
    if not raw:
        return frozenset()
    preferred = set()
    for previous, cut, following in zip([0, *raw[:-1]], raw, [*raw[1:], len(text)], strict=True):
        # The letters touching the cut on each side, within the phrase: "？请|各" cuts
        # off the one letter 请 although its phrase holds more.
        before = _letters_back(text, cut, previous)
        after = _letters_on(text, cut, following)
        alone_before = len(before) == 1 and before not in ENDS_A_PHRASE
        alone_after = len(after) == 1 and after not in BEGINS_A_PHRASE
        if not (alone_before or alone_after):
            preferred.add(cut)
    return frozenset(preferred)


def _letters_back(text: str, cut: int, stop: int) -> str:
    start = cut
    while start > stop and is_letter(text[start - 1]):
        start -= 1
    return text[start:cut]


def _letters_on(text: str, cut: int, stop: int) -> str:
    end = cut
    while end < stop and is_letter(text[end]):
        end += 1
    return text[cut:end]


PROSE_LETTERS = 60
"""A text of more letters than this is prose (a summary, a quotation): its lines may end
at any of BudouX's breaks, since waiting for a preferred one leaves them ragged."""


@functools.lru_cache(maxsize=8192)
def inner_places(text: str) -> frozenset[int]:
    """Offsets between two joinable characters where a line should not end when it can
    end elsewhere: those that are not preferred breaks (in prose: not raw breaks)."""
    prose = sum(map(is_letter, text)) > PROSE_LETTERS
    preferred = raw_breaks(text) if prose else preferred_breaks(text)
    return frozenset(
        i for i in range(1, len(text)) if _joinable(text[i - 1], text[i]) and i not in preferred
    )
