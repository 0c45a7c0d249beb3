"""How Lectern cites: a quotation's source, a reading's title and author.

One set of rules for the slides and the handout, in the reader's language: Chinese puts
a work's title in 《》 and a source after ——; other languages print the title as it is
and a source after one em dash.
"""

from __future__ import annotations

from builder.model import Reading
from builder.text.inline import plain
from builder.text.labels import labels


def attribution(source: str, chinese: bool) -> str:
    """A quotation's source as set below it: "—— 出处" / "— Source"."""
    return f"{'——' if chinese else '—'} {plain(source)}"


def work_title(title: str, chinese: bool) -> str:
    """A book or article's title as cited: in 《》 in Chinese, unless the author typed them."""
    title = plain(title).strip()
    if not chinese or (title.startswith("《") and title.endswith("》")):
        return title
    return f"《{title}》"


def reading_entry(reading: Reading, language: str, chinese: bool) -> str:
    """A reading as one line: "作者：《书名》" / "Author: Title"."""
    author = f"{plain(reading.author)}{labels(language)['colon']}" if reading.author else ""
    return author + work_title(reading.title, chinese)
