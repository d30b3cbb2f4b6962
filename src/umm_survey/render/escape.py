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

import functools
import json
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}
_MD_PUNCT = "\\`*_{}[]()#+-.!|~^=$"
# one pass does both: the entities hold no Markdown punctuation, so escaping HTML first
# and Markdown second gives the same text as this single table
_HTML_TABLE = str.maketrans(_HTML)
_MD_TABLE = str.maketrans({**_HTML, **{c: "\\" + c for c in _MD_PUNCT}})
# control and bidirectional-override characters never belong in a page
_INVISIBLE = "".join(
    map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x202A, 0x202F)])
) + "".join(map(chr, range(0x2066, 0x206A)))
_INVISIBLE_TABLE = str.maketrans("", "", _INVISIBLE)
# characters a URL may hold that would end a Markdown link or an HTML attribute, and the
# control characters and space, each percent-encoded
_URL_UNSAFE = "()[]{}<>\"' |\\`"
_URL_TABLE = str.maketrans(
    {c: f"%{ord(c):02X}" for c in _URL_UNSAFE + "".join(map(chr, range(33)))}
)


def _html(text: str) -> str:
    return text.translate(_HTML_TABLE)


def _clean(value: Any) -> str:
    """One line: runs of whitespace become one space, invisible characters go."""
    return " ".join(str(value).split()).translate(_INVISIBLE_TABLE)


# A site prints the same names, metrics and ids on many pages (7,000 distinct strings in
# 34,000 escapes on the real data), and a translation table costs a dictionary look-up per
# character, so escaped text is remembered. Bounded, because `serve` runs for hours.
@functools.lru_cache(maxsize=1 << 16)
def _md_text(text: str) -> str:
    return _clean(text).translate(_MD_TABLE)


@functools.lru_cache(maxsize=1 << 16)
def _html_text(text: str) -> str:
    return _html(_clean(text))


def clear_caches() -> None:
    """Forget escaped text, as a fresh process would (the benchmark times cold builds)."""
    _md_text.cache_clear()
    _html_text.cache_clear()


def md(value: Any) -> Markup:
    """Text for a Markdown paragraph, heading or table cell: shown exactly, never markup."""
    if isinstance(value, Markup):
        return value
    return Markup(_md_text(str(value)))


def html(value: Any) -> Markup:
    """Text for raw HTML (element content or a quoted attribute)."""
    if isinstance(value, Markup):
        return value
    return Markup(_html_text(str(value)))


def safe_url(url: Any) -> str | None:
    """An http(s) URL with every character that could end a link percent-encoded."""
    text = str(url).strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text.translate(_URL_TABLE)


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
