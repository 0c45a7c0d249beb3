"""Lectern: one lesson source in; editable slides, a print handout and discussion sheets out.

The package folders follow the data flow: ``source`` reads a lesson file into the
``model``, ``check`` reports findings on it, ``render`` turns it into artifact bytes and
``artifacts`` writes them. ``pipeline.build_lesson`` strings the stages together for one
lesson; ``series.build`` runs it over many, in parallel and incrementally.
"""

__version__ = "0.1.0"
