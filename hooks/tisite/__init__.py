"""Core of the Territoires d'industrie site generator.

Loads territory sources, validates them against one schema, builds immutable models and renders
them to Markdown pages. Importable and testable without MkDocs; ``hooks/mkdocs_hooks.py`` only
wires it into a MkDocs build.
"""

__version__ = "0.1.0"
