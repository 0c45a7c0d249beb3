"""Messages in the reader's language: English as written in the code, Simplified Chinese
from the gettext catalog beside this module.

The catalog is kept as a ``.po`` file (text, reviewable in a diff) and compiled in memory
with Babel the first time Chinese is asked for, so a fresh checkout or an editable install
needs no build step and no compiled file can go stale.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "lectern"
CATALOGS = Path(__file__).parent / "locale"
LANGUAGES = {"zh": "zh_CN"}
"""Languages with a catalog, by the prefix of a locale name (zh_CN.UTF-8, zh_SG, zh)."""

_current: gettext.NullTranslations = gettext.NullTranslations()


def language_from(environ: Mapping[str, str], flag: str | None = None) -> str:
    """The language to speak: the --lang flag, else the locale as gettext looks it up
    (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, the first that is set), else English."""
    if flag:
        return flag
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            # LANGUAGE may list several ("zh_CN:en"): the first one we speak wins.
            for choice in value.split(":"):
                prefix = choice.split("_")[0].split(".")[0].lower()
                if prefix in LANGUAGES or prefix in ("en", "c", "posix"):
                    return prefix if prefix in LANGUAGES else "en"
            return "en"
    return "en"


def use(language: str) -> None:
    """Speak language from now on (English when there is no catalog for it)."""
    global _current
    folder = LANGUAGES.get(language.split("_")[0].split("-")[0].lower())
    _current = compiled(folder) if folder else gettext.NullTranslations()


def compiled(folder: str) -> gettext.GNUTranslations:
    """The catalog for folder (zh_CN), compiled from its .po file."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = CATALOGS / folder / "LC_MESSAGES" / f"{DOMAIN}.po"
    with open(path, "rb") as stream:
        catalog = read_po(stream, locale=folder)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _(message: str) -> str:
    """message in the current language."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """singular or plural, as count and the current language ask."""
    return _current.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks message for the catalog where it is defined; it is translated where shown."""
    return message


CLICK_MESSAGES = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("No such command {name!r}."),
    N_("No such option: {name}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("default: {default}"),
    N_("Aborted!"),
)
"""Click's own words that a lectern user meets (usage, errors), in Lectern's catalog."""


def speak_in_click() -> None:
    """Have click's own messages (usage, its errors) translated too: each of its modules
    binds gettext's ``_`` when imported, so the binding is replaced there."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser):
        if hasattr(module, "_"):
            module._ = _
