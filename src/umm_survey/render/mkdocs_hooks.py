"""mkdocs hook: the "edit this page" button of a generated page.

A record's page opens the record's YAML file (front matter ``record: data/...yaml``),
since that is where a correction is made; other generated pages have no edit button,
because editing generated Markdown would be overwritten. Hand-written pages keep theirs.
"""

from __future__ import annotations

from typing import Any


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if page.meta.get("generated"):
        record = page.meta.get("record")
        repo = (config.get("repo_url") or "").rstrip("/")
        page.edit_url = f"{repo}/edit/main/{record}" if isinstance(record, str) and repo else None
    return markdown
