"""The Jinja2 environment for print templates: sandboxed, autoescaped, strict.

User templates are untrusted: the sandbox keeps them from Python internals, autoescape
keeps lesson text from becoming markup, and ``StrictUndefined`` turns a misspelt
variable into an error naming the template and line instead of an empty string.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from builder.errors import Location, Problem, TemplateError
from builder.text.inline import html, paragraphs, plain
from builder.theme import Theme


def environment(theme: Theme) -> SandboxedEnvironment:
    """A sandboxed environment loading from the theme's search path."""
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in theme.folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["inline"] = html
    env.filters["plain"] = plain
    env.filters["paragraphs"] = paragraphs
    return env


def render_template(theme: Theme, name: str, context: dict) -> str:
    """Render one template; template mistakes become ``TemplateError`` with file and line."""
    env = environment(theme)
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as error:
        where = Location(Path(error.filename or name), error.lineno)
        raise TemplateError([Problem(where, f"template syntax error: {error.message}")]) from None
    except jinja2.TemplateNotFound as error:
        raise TemplateError(
            [Problem(Location(Path(name)), f"template not found: {error}")]
        ) from None
    except (jinja2.UndefinedError, jinja2.sandbox.SecurityError) as error:
        filename, line = _template_frame(error.__traceback__)
        where = Location(Path(filename or name), line)
        raise TemplateError([Problem(where, str(error))]) from None


def _template_frame(tb: TracebackType | None) -> tuple[str | None, int | None]:
    """The innermost traceback frame that belongs to a template (Jinja maps its lines)."""
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
