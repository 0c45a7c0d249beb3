"""The Jinja2 environment for print templates: sandboxed, deny by default, autoescaped.

User templates are untrusted. They receive plain frozen data (``context.py``), and the
sandbox lets them read only what it lists: a record's fields, a loop's counters, a few
pure string and mapping methods, Jinja's macros and blocks, and Lectern's documented
functions. Everything else, every other attribute and every other callable, is refused
(Jinja's own sandbox refuses only names with an underscore, so an object's public
methods, such as a pydantic model's pickle loader, were a template's to call). Jinja's
``cycler``, ``joiner``, ``namespace``, ``lipsum`` and ``dict`` globals are removed: they
are the usual first step of a template injection, and no theme needs them.

Autoescape keeps lesson text from becoming markup, and ``StrictUndefined`` turns a
misspelt variable into an error naming the template and line instead of an empty string.
Templates are bounded too: Jinja's sandbox caps ``range()`` at 100,000 items, this one
caps ``*`` and ``**`` (so ``10 ** 10 ** 10`` or ``"x" * 10 ** 9`` cannot stall or fill
memory) and a render that takes longer than ``RENDER_SECONDS`` is stopped. Whatever a
template does wrong (divides by zero, recurses, loops forever, reaches for what it may
not) is a located ``TemplateError``, not a traceback; templates load only from inside
the theme folders, even through symbolic links.
"""

from __future__ import annotations

import contextlib
import functools
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import SandboxedEnvironment, SecurityError, safe_range

from builder.cache import cache_folder
from builder.cache import enabled as cache_enabled
from builder.errors import Location, Problem, TemplateError
from builder.render.print.context import Data, TemplateFunction
from builder.render.print.markup import html, url
from builder.text.inline import paragraphs, plain
from builder.theme import Theme

RENDER_SECONDS = 20.0
"""Wall-clock limit for rendering one template (the built-in ones take milliseconds)."""
MAX_REPEAT = 1_000_000
"""Items or characters a ``*`` may build (``"-" * 80`` is fine, ``"x" * 10 ** 9`` is not)."""
MAX_INT_BITS = 4096
"""Bits of an integer ``*`` or ``**`` may produce."""


STRING_METHODS = frozenset(
    {
        "format", "startswith", "endswith", "strip", "lstrip", "rstrip",
        "lower", "upper", "title", "capitalize", "split", "isdigit",
    }
)  # fmt: skip
"""String methods a template may call: pure, and none can build a text much longer than
its input (``replace``, ``center``, ``ljust`` and ``join`` can; Jinja's filters of the same
names stay, bounded by the inputs a theme is given)."""
MAPPING_METHODS = frozenset({"items", "keys", "values", "get"})
LOOP_FIELDS = frozenset(
    {
        "index", "index0", "revindex", "revindex0", "first", "last", "length",
        "depth", "depth0", "previtem", "nextitem", "cycle", "changed",
    }
)  # fmt: skip
REMOVED_GLOBALS = ("cycler", "joiner", "namespace", "lipsum", "dict")


def _allowed_attribute(obj: Any, attr: str) -> bool:
    """Deny by default: only the attributes listed here, on the types listed here."""
    if attr.startswith("_"):
        return False
    if isinstance(obj, str):
        return attr in STRING_METHODS
    if isinstance(obj, Data | dict):
        return attr in MAPPING_METHODS
    if isinstance(obj, LoopContext):
        return attr in LOOP_FIELDS
    return False


def _allowed_callable(obj: Any) -> bool:
    """Deny by default: macros, blocks, loops, ``range``, Lectern's functions, and the
    methods ``_allowed_attribute`` lets through."""
    if isinstance(obj, TemplateFunction | Macro | BlockReference | LoopContext):
        return True
    if isinstance(obj, jinja2.Undefined):
        return True  # calling it raises the error that names what is missing
    if obj is safe_range:
        return True
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    return owner is not None and _allowed_attribute(owner, name)


class _Undefined(jinja2.StrictUndefined):
    """A missing name, said in the terms of template data rather than Python objects."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        obj, name = self._undefined_obj, self._undefined_name
        if isinstance(obj, Data) and isinstance(name, str):
            fields = ", ".join(sorted(obj)) or "none"
            return f"no field {name!r} here (the fields are: {fields})"
        return super()._undefined_message


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, deny by default, with the arithmetic that can exhaust time or
    memory capped."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in REMOVED_GLOBALS:
            self.globals.pop(name, None)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return _allowed_attribute(obj, attr)

    def is_safe_callable(self, obj: Any) -> bool:
        return _allowed_callable(obj)

    def wrap_str_format(self, value: Any) -> TemplateFunction | None:
        # Jinja wraps str.format so its fields go through this sandbox; mark the wrapper
        # as one of ours so the deny-by-default call check lets it through.
        wrapped = super().wrap_str_format(value)
        return None if wrapped is None else TemplateFunction(value.__name__, wrapped)

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        if isinstance(obj, jinja2.Undefined):
            return obj  # say what was missing in the first place (``cycler.__init__``)
        return self.undefined(
            f"{attribute!r} of a {type(obj).__name__} may not be used in a template "
            "(templates read lesson data and call only the functions Lectern lists)",
            name=attribute,
            obj=obj,
            exc=SecurityError,
        )

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if not __self.is_safe_callable(__obj):
            raise SecurityError(
                f"{type(__obj).__name__} may not be called in a template "
                "(templates call only the functions Lectern lists)"
            )
        return __context.call(__obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            _check_power(left, right)
            return left**right
        if operator == "*":
            _check_product(left, right)
            return left * right
        return super().call_binop(context, operator, left, right)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_power(base: Any, exponent: Any) -> None:
    if (
        _is_int(base)
        and _is_int(exponent)
        and abs(base) > 1
        and (abs(base).bit_length() - 1) * exponent > MAX_INT_BITS
    ):
        raise SecurityError(f"{base} ** {exponent} is too large for a template")


def _check_product(left: Any, right: Any) -> None:
    if _is_int(left) and _is_int(right):
        if left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise SecurityError("the product is too large for a template")
        return
    for times, sequence in ((left, right), (right, left)):
        if _is_int(times) and hasattr(sequence, "__len__") and times * len(sequence) > MAX_REPEAT:
            raise SecurityError(
                f"{len(sequence)} × {times} items is more than a template may build "
                f"(at most {MAX_REPEAT})"
            )


class _FencedLoader(jinja2.FileSystemLoader):
    """A file loader that refuses files whose real path leaves its theme folder."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(Path(folder).resolve()) for folder in self.searchpath):
            raise jinja2.TemplateNotFound(f"{template} (a link to a file outside the theme)")
        return source, filename, uptodate


class _OutOfTime(BaseException):
    """Raised into a template that renders longer than ``RENDER_SECONDS``.

    A ``BaseException``, so no ``except Exception`` inside Jinja can swallow it.
    """


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after seconds, where a timer is available and not in use.

    Signals reach only the main thread; elsewhere (or with another timer running) the
    block runs unbounded and the operating system's limits apply.
    """
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def environment(theme: Theme) -> SandboxedEnvironment:
    """A sandboxed environment loading from the theme's search path."""
    return _environment(theme.folders)


@functools.lru_cache(maxsize=8)
def _environment(folders: tuple[Path, ...]) -> SandboxedEnvironment:
    # Kept per theme, so a warm process (watch, a worker) compiles each template once;
    # Jinja reloads a template whose file changed. Compiled templates are also kept in
    # the user's cache, keyed by the template's source, for the next process.
    env = _Sandbox(
        loader=_FencedLoader([str(folder) for folder in folders]),
        autoescape=True,
        undefined=_Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["inline"] = html
    env.filters["plain"] = plain
    env.filters["paragraphs"] = paragraphs
    env.filters["url"] = url
    return env


class _TemplateBytecode(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled-template cache, for which a failure is a miss, not an error (a
    full disk, a damaged entry)."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    folder = cache_folder("templates")
    if not cache_enabled():
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _TemplateBytecode(str(folder))


def render_template(theme: Theme, name: str, context: dict) -> str:
    """Render one template; template mistakes become ``TemplateError`` with file and line."""
    env = environment(theme)
    try:
        with _time_limit(RENDER_SECONDS):
            return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as error:
        where = Location(Path(error.filename or name), error.lineno)
        raise TemplateError([Problem(where, f"template syntax error: {error.message}")]) from None
    except jinja2.TemplateNotFound as error:
        # Located at the {% include %} or {% extends %} that asked, when a template did.
        raise TemplateError(
            [Problem(_where(error, name), f"template not found: {error}")]
        ) from None
    except (jinja2.UndefinedError, SecurityError) as error:
        raise TemplateError([Problem(_where(error, name), str(error))]) from None
    except _OutOfTime as error:
        raise TemplateError(
            [
                Problem(
                    _where(error, name),
                    f"template took longer than {RENDER_SECONDS:g} s to render (an endless loop?)",
                )
            ]
        ) from None
    except RecursionError as error:
        raise TemplateError(
            [Problem(_where(error, name), "template calls itself without end (recursion)")]
        ) from None
    except (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as error:
        # Jinja's sandbox caps range() with OverflowError; a template can also divide by
        # zero, index past the end, or hand a bad path to image_url().
        message = f"{type(error).__name__}: {error}"
        raise TemplateError([Problem(_where(error, name), message)]) from None


def _where(error: BaseException, name: str) -> Location:
    filename, line = _template_frame(error.__traceback__)
    return Location(Path(filename or name), line)


def _template_frame(tb: TracebackType | None) -> tuple[str | None, int | None]:
    """The innermost traceback frame that belongs to a template, with its template line.

    Jinja rewrites the traceback of an ``Exception`` to template lines; a time-out is a
    ``BaseException`` it leaves alone, whose frames are in the compiled Python code, so
    their lines are mapped back with the template's ``debug_info``.
    """
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            debug_info = tb.tb_frame.f_globals.get("debug_info")
            line = tb.tb_lineno
            if isinstance(debug_info, str) and debug_info:
                line = _template_line(debug_info, line)
            found = (filename, line)
        tb = tb.tb_next
    return found


def _template_line(debug_info: str, code_line: int) -> int:
    """The template line of a line of Jinja's compiled code (``"1=8&3=12"`` pairs)."""
    pairs = [tuple(map(int, pair.split("="))) for pair in debug_info.split("&")]
    return next((t for t, c in reversed(pairs) if c <= code_line), 1)
