"""Artifacts drawn from the deck as LibreOffice renders it: the slide PDF, the contact
sheet and the slides handout (``builder.formats.FROM_DECK``). Requested with ``--with``; they
need LibreOffice installed."""
