"""Slide renderer: a computed layout of fitted slides, then python-pptx draws it."""
