"""Lectern's built-in theme: print templates and stylesheets, the slide master and scaffold."""
