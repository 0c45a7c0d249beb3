"""Text shared by every renderer: inline markup, paragraphs, CJK line breaking and measurement."""
