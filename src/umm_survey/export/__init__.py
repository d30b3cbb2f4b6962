"""Exports of the catalogue: BibTeX, JSON, CSV and the awesome-style list."""
