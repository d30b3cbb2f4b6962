"""The one place where contributor text becomes Markdown or HTML.

Every ``{{ value }}`` in a template passes through :func:`finalize`, which escapes it for
Markdown unless it is already :class:`~markupsafe.Markup` (made here, by the functions
below, from escaped parts). Templates therefore cannot forget to escape.

Why Markdown escaping needs more than HTML escaping (see shared/TRAPS.md): ``|`` splits a
table cell, ``[x](javascript:...)`` is a live link, a newline can start a heading and an
attr_list ``{: ...}`` suffix adds attributes. So text is collapsed to one line,
HTML-escaped with named entities (no ``#``, so the backslash pass cannot break them) and
then every Markdown punctuation character is backslash-escaped.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urlsplit

from markupsafe import Markup

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}
_HTML_RE = re.compile("[&<>\"']")
_MD_PUNCT_RE = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^=$])")
_SPACE_RE = re.compile(r"\s+")
# control and bidirectional-override characters never belong in a page
_INVISIBLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
# characters a URL may hold that would end a Markdown link or an HTML attribute
_URL_UNSAFE = "()[]{}<>\"' |\\`"


def _html(text: str) -> str:
    return _HTML_RE.sub(lambda m: _HTML[m.group()], text)


def _clean(value: Any) -> str:
    return _INVISIBLE_RE.sub("", _SPACE_RE.sub(" ", str(value)).strip())


def md(value: Any) -> Markup:
    """Text for a Markdown paragraph, heading or table cell: shown exactly, never markup."""
    if isinstance(value, Markup):
        return value
    return Markup(_MD_PUNCT_RE.sub(r"\\\1", _html(_clean(value))))


def html(value: Any) -> Markup:
    """Text for raw HTML (element content or a quoted attribute)."""
    if isinstance(value, Markup):
        return value
    return Markup(_html(_clean(value)))


def safe_url(url: Any) -> str | None:
    """An http(s) URL with every character that could end a link percent-encoded."""
    text = str(url).strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return "".join(quote(c, safe="") if c in _URL_UNSAFE or ord(c) < 33 else c for c in text)


def md_link(text: Any, url: Any) -> Markup:
    """``[text](url)``, or the plain escaped text when the URL is not http(s)."""
    target = safe_url(url) if url is not None else None
    if target is None:
        return md(text)
    return Markup(f"[{md(text)}]({target})")


def html_link(text: Any, url: Any) -> Markup:
    target = safe_url(url) if url is not None else None
    if target is None:
        return html(text)
    return Markup(f'<a href="{_html(target)}">{html(text)}</a>')


def page_title(value: Any) -> str:
    """Front-matter title: HTML-escaped, because the theme un-escapes it into <title>."""
    return json.dumps(_html(_clean(value)), ensure_ascii=False)


def finalize(value: Any) -> Any:
    """Jinja's output hook: everything not already escaped is escaped for Markdown."""
    if value is None:
        raise ValueError("a template printed None; say 'unknown' in the template instead")
    if isinstance(value, Markup):
        return value
    return md(value)
