"""``lectern import``: a script the lecturer already has → a lesson that builds as it stands.

The data flow, one module per stage:

    txt/md (text.py) ─┐
    docx  (docx.py)  ─┼─▶ blocks (script.py) ─▶ clean (clean.py) ─▶ tree (structure.py)
    pptx  (pptx.py)  ─┘        ─▶ plain lesson data (lesson.py) ─▶ lesson.yaml (write.py)

Each reader returns the same ``Script``: paragraphs, headings where the format marks
them, and where each came from in the input; the rest of the flow does not know the
format.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from builder.errors import Location, Problem, SourceError
from builder.i18n import _
from builder.importers.script import Script

READERS = {".txt": "text", ".md": "text", ".markdown": "text", ".docx": "docx", ".pptx": "pptx"}


def read_script(path: Path) -> Script:
    """The script in path, read by the reader for its format."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise SourceError(
            [
                Problem(
                    Location(path),
                    _("cannot import {suffix} files; use .txt, .md, .docx or .pptx").format(
                        suffix=path.suffix or _("extensionless")
                    ),
                )
            ]
        )
    if not path.is_file():
        raise SourceError([Problem(Location(path), _("no such file"))])
    if reader == "text":
        from builder.importers.text import read_text_script

        return read_text_script(path)
    if reader == "docx":
        from builder.importers.docx import read_docx_script

        return read_docx_script(path)
    from builder.importers.pptx import read_pptx_script

    return read_pptx_script(path)


def import_script(path: Path, folder: Path, *, force: bool = False) -> tuple[Path, list[str]]:
    """Write folder/lesson.yaml made from the script at path; return it and the report.

    The lesson is loaded before it is written: what import writes builds."""
    from builder.artifacts import write_atomic
    from builder.importers.lesson import lesson_data
    from builder.importers.report import describe
    from builder.importers.structure import build_tree
    from builder.importers.write import lesson_yaml
    from builder.source import load_lesson
    from builder.sourcemap import LESSON_FILE

    script = read_script(path)
    target = folder / LESSON_FILE
    if target.exists() and not force:
        raise SourceError([Problem(Location(target), _("already exists; --force replaces it"))])
    drafted = lesson_data(build_tree(script.blocks), path.stem)
    text = lesson_yaml(drafted.data, drafted.drafts, path.name).encode("utf-8")
    with tempfile.TemporaryDirectory() as trial:
        (Path(trial) / LESSON_FILE).write_bytes(text)
        load_lesson(Path(trial))  # what is written loads (a failure here is Lectern's bug)
    write_atomic(target, text)
    return target, describe(script, drafted)
