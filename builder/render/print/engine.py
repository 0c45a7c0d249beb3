"""WeasyPrint as Lectern lays documents out with it: imported through the door
(``weasy``), with Lectern's extensions installed once per process.

The extensions (``justify``, ``tagging``) reach inside WeasyPrint through the door, so
the door cannot install them itself without importing them back; this module sits above
all three.
"""

from __future__ import annotations

import functools
import gc
from types import ModuleType

from builder.render.print.justify import justify_between_cjk_characters
from builder.render.print.tagging import pagination_as_artifacts
from builder.render.print.weasy import load_weasyprint


@functools.cache
def weasyprint() -> ModuleType:
    """WeasyPrint, checked, with Chinese justified between characters and the running
    header and page numbers tagged as pagination; a DependencyError where it cannot be
    used."""
    module = load_weasyprint()
    pagination_as_artifacts()
    justify_between_cjk_characters()
    # What is loaded so far stays for the process's life: later collections skip it.
    gc.freeze()
    return module
