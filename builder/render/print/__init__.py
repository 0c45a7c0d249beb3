"""Print renderers: lesson → HTML through the theme's Jinja2 templates → PDF with WeasyPrint."""
