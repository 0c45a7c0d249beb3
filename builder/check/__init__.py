"""Content checks: findings about a lesson that a build can still render, located in the source.

Each check module holds one family (glyph coverage, injected text, typography,
completeness, overflow) and yields ``Finding``s; ``check_lesson`` runs them all.
"""
