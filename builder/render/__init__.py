"""Renderers: pure functions from a loaded lesson and a theme to artifact bytes."""
