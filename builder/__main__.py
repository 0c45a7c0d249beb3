"""``python -m builder`` is the same program as ``lectern``."""

from builder.cli import run

run()
