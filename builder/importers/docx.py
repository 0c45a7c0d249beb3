"""Word scripts: heading styles (标题 1, Heading 2…) where the author used them, typed
numbering (一、（一）) otherwise; each paragraph cleaned and located by its number."""

from __future__ import annotations

import re
from pathlib import Path

from builder.errors import Location, Problem, SourceError
from builder.i18n import _
from builder.importers.clean import cleaned
from builder.importers.script import Block, Removed, Script

_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = {"title", "标题"}


def read_docx_script(path: Path) -> Script:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as error:  # a damaged file fails in many ways, each meaning unreadable
        raise SourceError(
            [Problem(Location(path), _("not a Word document ({reason})").format(reason=error))]
        ) from None
    blocks, removed = [], []
    for number, paragraph in enumerate(document.paragraphs, 1):
        where = _("paragraph {number}").format(number=number)
        text, taken = cleaned(paragraph.text)
        removed += [Removed(where, what, why) for _offset, what, why in taken]
        if not text.strip():
            continue
        style = (paragraph.style.name if paragraph.style is not None else "").strip()
        heading = _HEADING_STYLE.match(style)
        level = 0 if style.lower() in _TITLE_STYLES else int(heading.group(1)) if heading else None
        blocks.append(Block(text.strip(), where, level=level))
    return Script(path.name, blocks, removed)
