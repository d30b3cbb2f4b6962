"""The catalogue as site pages: context (what a page needs), escaping, templates, build."""
