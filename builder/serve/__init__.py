"""``lectern serve``: a local page that shows each lesson as built, updated on every save.

``previews`` turns a build's outputs into pictures of slides and pages, ``where`` finds
the slides and pages a finding affects, ``server`` answers the browser (safely: local
only, lesson outputs only), ``run`` ties them to ``lectern watch``'s rebuilds.
"""
