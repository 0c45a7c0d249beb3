"""Artifacts drawn from the deck as LibreOffice renders it: slides.pdf, the contact sheet
and the slides handout. Requested with ``--with``; they need LibreOffice installed."""

FROM_DECK = ("slides.pdf", "contact-sheet.png", "handout-slides.pdf")
"""Their names: built only when asked for (``--with``, ``with:`` in lectern.yaml)."""
