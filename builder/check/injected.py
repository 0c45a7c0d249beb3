"""Injected and invisible text: what copy-pasting from the web brings along.

Two kinds. Invisible characters (zero-width, bidi controls, fillers, private use) change
what a text means or how it sorts without showing (``text/invisible.py``). Spliced
spam is what scraped pages carry inside their sentences, in a few recurring shapes:

- a brand and its pinyin glued into a sentence ("开云kaiyun"), often with digits in
  brackets ("(1635开云kaiyun)"), or a lowercase word glued to Chinese ("leyutiyu");
- a brand in capitals or full-width Latin ("KAIYUN", "ＫＡＩＹＵＮ"), or a capitals
  brand before a gambling word ("AG真人", "BOB体育");
- a bare domain ("www.kaiyun88.com", "ky8866.vip"), flagged whole;
- a money lure (注册即送88元, 首存送100%彩金, 返水, 日赚500元, 提款秒到账);
- a gambling brand glued before a sentence (华体会, 新葡京, 开云体育…);
- brand names glossed with tone-marked pinyin ("开云(kāi yún)"): a gloss on everyday
  characters, where a real text glosses only rare ones ("枞(zōng)阳");
- QQ and WeChat contacts (QQ：2851673390, 加微信：kaiyun8899).

Ordinary Latin in Chinese is left alone: acronyms (PDF, GDP, APEC), numbers and units,
model and product names (iPhone 15, Intel Core i7), chemistry (H₂O), addresses written
with their scheme (https://…, a citation), e-mail addresses and English quotations.
Overlapping spans from several shapes are one finding.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from builder.check.findings import Finding
from builder.sourcemap import LoadedLesson, locate_span, location_at, text_fields
from builder.text.invisible import invisible_kind
from builder.text.measure import is_wide

_LOWER_RUN = re.compile(r"[a-z]{2,}")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_BRACKETED = re.compile(r"[（(][0-9A-Za-z.\u4e00-\u9fff]{1,30}[）)]")

_SPAM_TLDS = (
    "com|net|cc|vip|top|xyz|app|me|tv|bet|win|club|info|io|co|live|fun|site|shop|la|ws|"
    "asia|biz|pw|in|online|pro|games|casino|poker"
)
_BARE_DOMAIN = re.compile(
    rf"(?<![A-Za-z0-9./@:-])(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*"
    rf"\.(?:{_SPAM_TLDS})(?!\.?[A-Za-z0-9-])",
    re.IGNORECASE,
)
"""A domain typed without a scheme, on a top-level domain spam uses (not .gov, .edu, .org,
.cn): a citation is written with https://, a spam link as a bare name to type in."""

_COUNT = r"[\d一二三四五六七八九十百千万.%％]*"
_LURES = re.compile(
    "|".join(
        (
            rf"(?:注册|开户|首存|首充|充值|存款|下载|登录|签到)(?:APP|app|App)?(?:即|就|立|可|再)?"
            rf"(?:送|赠|领|返){_COUNT}(?:元|块)?(?:彩金|红包|金币|积分)?",
            rf"(?:日赚|日入|月入|周赚){_COUNT}(?:元|块|万)?",
            rf"(?:彩金|返水){_COUNT}|稳赚不赔|包赢|必赢|提款秒到账?|秒到账|一元起投|免费试玩",
            r"百家乐|老虎机|六合彩|时时彩|北京赛车|幸运飞艇|真人视讯|电子游艺|体育投注",
        )
    )
)
"""Money lures and gambling games: phrases a lesson does not use (跨境赌博 and 博彩业, the
words of a lesson about gambling, are not among them)."""

_GAMBLING_WORDS = (
    "体育|娱乐|国际|官网|官方网站|平台|app|APP|App|登录|入口|真人|棋牌|彩票|电竞|视讯|捕鱼"
)
_BRANDS = re.compile(
    "(?:澳门)?(?:华体会|九游会|新葡京|威尼斯人|澳门银河|威廉希尔|沙巴体育|雷竞技|凯发|金宝博|博狗|乐天堂|"
    "博天堂|宝马会|尊龙凯时|必发集团)"
    rf"(?:{_GAMBLING_WORDS})*"
    "|(?:开云|乐鱼|亚博|欧宝|米兰|星空|半岛|天博|九游|米乐|爱游戏|金沙|永利|太阳城|皇冠|银河|立博|利记)"
    rf"(?:{_GAMBLING_WORDS})+"
)
_GAMBLING_TAIL = re.compile(rf"(?:{_GAMBLING_WORDS}|[A-Za-z0-9]+)+")
"""What follows a brand as part of its name ("BOB" + "体育", "雷竞技" + "RAYBET")."""
"""Gambling brands: those that are no ordinary word alone, and those that are (开云 in
拨开云雾, 金沙 in 金沙江) only before a gambling word."""
_STRONG_AFTER_CAPITALS = re.compile("娱乐|真人|棋牌|电竞|彩票|视讯|捕鱼|官网|官方网站|登录|入口")
_CAPITALS_BRANDS = frozenset(
    {
        "BOB", "OB", "IM", "AG", "HG", "JBO", "BTI", "KY", "HTH", "YABO", "LEYU", "KAIYUN",
        "MILAN", "RAYBET", "BET365", "12BET", "SABA", "PG", "MG", "DB",
    }
)  # fmt: skip

_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_GLOSS = re.compile(rf"([\u4e00-\u9fff]{{1,6}})[（(]\s*([a-zü{_TONE_MARKS} ]+?)\s*[)）]")

_CONTACT = re.compile(
    r"(?:QQ|qq|Q\s?Q|扣扣)(?:群|号)?\s*[:：]?\s*\d{5,12}"
    r"|加?(?:微信|威信|薇信|[Vv]信|VX|vx|Vx|WX|wx|微x|加[Vv]|[+＋][Vv])(?:号|群)?\s*[:：]?\s*"
    r"(?:[A-Za-z][-_A-Za-z0-9]{4,19}|\d{5,12})"
)


def _ideograph(char: str) -> bool:
    """A CJK letter (not punctuation: "（digital" is an ordinary aside)."""
    return is_wide(char) and unicodedata.category(char) == "Lo"


def _pinyin(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(text)


@functools.cache
def _syllables() -> frozenset[str]:
    """Every pinyin syllable without its tone (from pypinyin's dictionary)."""
    from pypinyin.pinyin_dict import pinyin_dict

    found = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            bare = "".join(
                c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c)
            )
            found.add(bare)
    return frozenset(found)


def _spells_pinyin(word: str) -> bool:
    """Whether word is two or more pinyin syllables run together (KAIYUN, MILAN)."""
    word = word.lower()
    syllables = _syllables()
    # parts[i]: the fewest syllables word[:i] splits into (0 for nothing; None: cannot)
    parts: list[int | None] = [0] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            if parts[start] is not None and word[start:end] in syllables:
                count = parts[start] + 1
                parts[end] = count if parts[end] is None else min(parts[end], count)
    return parts[-1] is not None and parts[-1] >= 2


def _common(chars: str) -> bool:
    """Whether every character is among the 3,755 most common (GB 2312 level 1)."""
    try:
        return all(0xB0 <= c.encode("gb2312")[0] <= 0xD7 for c in chars)
    except UnicodeEncodeError:
        return False


def _folded(text: str) -> str:
    """text with full-width Latin letters, digits and marks as ASCII (same length)."""
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text)


def _glued(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return _ideograph(before) or _ideograph(after)


def _in_address(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is part of a web or e-mail address (https, www, cq.gov)."""
    after = text[end : end + 3]
    before = text[start - 1] if start else " "
    return after.startswith("://") or after[:1] in ".@" or before in "./@:"


def _spliced_domain(text: str, start: int, end: int) -> bool:
    """A bare domain in Chinese text not set apart by spaces: an English sentence or a
    Chinese one that names a site between spaces ("参考 choosealicense.com 网站") cites it."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return any(_ideograph(c) for c in text) and not (before.isspace() and after.isspace())


def _lowercase_spans(text: str, allowed: set[str], denied: set[str]) -> Iterator[tuple[int, int]]:
    """A lowercase word glued to Chinese, with the Chinese it spells in pinyin."""
    for match in _LOWER_RUN.finditer(text):
        start, end = match.span()
        word = match.group()
        if word in allowed or word in denied or not _glued(text, start, end):
            continue
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if (before.isascii() and before.isalpha()) or (after.isascii() and after.isalnum()):
            continue  # part of a longer Latin word (iPhone, word2vec)
        if _in_address(text, start, end) or re.search(r"\d ?$", text[max(0, start - 2) : start]):
            continue  # an address, or a unit after its number (12.5 km的)
        yield _with_spelled(text, start, end)


def _with_spelled(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened over the Chinese before it that it spells (开云 + kaiyun)."""
    word = text[start:end].lower()
    for size in range(1, 6):
        if start - size < 0 or not all(_ideograph(c) for c in text[start - size : start]):
            break
        if "".join(_pinyin(text[start - size : start])) == word:
            return start - size, end
    for size in range(1, 6):  # KAIYUN开云: the Chinese after it
        if end + size > len(text) or not all(_ideograph(c) for c in text[end : end + size]):
            break
        if "".join(_pinyin(text[end : end + size])) == word:
            return start, end + size
    return start, end


def _capitals_spans(text: str, folded: str) -> Iterator[tuple[int, int]]:
    """Brands in capitals or full-width Latin, glued to Chinese."""
    for match in _LATIN_WORD.finditer(folded):
        start, end = match.span()
        word = match.group()
        if _in_address(folded, start, end) or not _glued(folded, start, end):
            continue
        wide = any(0xFF01 <= ord(c) <= 0xFF5E for c in text[start:end])
        spelled = _with_spelled(folded, start, end)
        after = folded[end : end + 4]
        if (
            spelled != (start, end)  # Kaiyun开云, KAIYUN after 开云
            or (wide and len(word) >= 2)  # ＫＡＩＹＵＮ: full-width Latin, never typeset so
            or (word.isupper() and len(word) >= 5 and _spells_pinyin(word))
            or (word.upper() in _CAPITALS_BRANDS and re.match(_GAMBLING_WORDS, after))
            or (word.isupper() and _STRONG_AFTER_CAPITALS.match(after))
        ):
            yield spelled


def _gloss_spans(text: str) -> Iterator[tuple[int, int]]:
    """Everyday characters glossed with tone-marked pinyin: a brand, not a reading aid."""
    for match in _GLOSS.finditer(text):
        reading = match.group(2)
        if not any(mark in reading for mark in _TONE_MARKS):
            continue
        syllables = len(reading.split()) or 1
        glossed = match.group(1)[-syllables:]
        if _common(glossed):
            yield match.end(1) - len(glossed), match.end()


def spliced_spans(text: str, allowed: set[str], denied: set[str]) -> Iterator[tuple[int, int]]:
    """Start and end of each spam piece spliced into the text, overlapping ones merged."""
    folded = _folded(text)
    spans = [m.span() for term in denied for m in re.finditer(re.escape(term), text)]
    spans += _lowercase_spans(text, allowed, denied)
    spans += _capitals_spans(text, folded)
    spans += [m.span() for m in _BARE_DOMAIN.finditer(folded) if _spliced_domain(text, *m.span())]
    for pattern in (_LURES, _BRANDS, _CONTACT):
        spans += [m.span() for m in pattern.finditer(folded)]
    spans += _gloss_spans(text)
    merged: list[list[int]] = []
    for start, found_end in sorted(spans):
        tail = _GAMBLING_TAIL.match(folded, found_end)
        end = tail.end() if tail else found_end
        if text[start:end].strip().lower() in allowed:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in merged:
        yield _with_bracket(text, start, end)


def _with_bracket(text: str, start: int, end: int) -> tuple[int, int]:
    """A bracket holding nothing but the piece and digits goes with it: (1635开云kaiyun),
    (kaiyun.com)."""
    for bracket in _BRACKETED.finditer(text):
        a, b = bracket.span()
        rest = text[a + 1 : start] + text[end : b - 1]
        if a < start and end < b and re.fullmatch(r"[\d\s]*", rest):
            return a, b
    return start, end


_SEPARATORS = re.compile(r"[\u2028\u2029]|\\u(?i:202[89])|\\U(?i:0000202[89])")
"""Unicode's line and paragraph separators as typed: the loader reads them as line breaks
(so they are gone from the text below), but a pasted one is still worth pointing out."""


def invisible(loaded: LoadedLesson) -> Iterator[Finding]:
    for match in _SEPARATORS.finditer(loaded.text):
        char = match.group() if len(match.group()) == 1 else chr(int(match.group()[2:], 16))
        yield Finding(
            location_at(loaded, match.start()),
            "invisible",
            f"{invisible_kind(char)} U+{ord(char):04X} in the text (read as a line break)",
        )
    for path, text in text_fields(loaded):
        for index, char in enumerate(text):
            kind = invisible_kind(char)
            if kind:
                yield Finding(
                    locate_span(loaded, path, text, index, index + 1),
                    "invisible",
                    f"{kind} character U+{ord(char):04X} in the text",
                )


def spliced(loaded: LoadedLesson, allowed: set[str], denied: set[str]) -> Iterator[Finding]:
    for path, text in text_fields(loaded, prose_only=True):
        for start, end in spliced_spans(text, allowed, denied):
            yield Finding(
                locate_span(loaded, path, text, start, end),
                "injected",
                f"'{text[start:end]}' looks spliced into the text (web spam?)",
            )
