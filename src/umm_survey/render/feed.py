"""An Atom feed of the most recently added models, for followers of the catalogue."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from ..schema import Model

FEED_SIZE = 30


def atom(models: list[Model], site_url: str) -> str:
    """Newest additions first; entry times are the day each record was added (UTC)."""
    base = site_url.rstrip("/") + "/"
    chosen = sorted(models, key=lambda m: (m.added, m.id), reverse=True)[:FEED_SIZE]
    updated = f"{chosen[0].added}T00:00:00Z" if chosen else "1970-01-01T00:00:00Z"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        "  <title>Unified multimodal models: new in the catalogue</title>",
        f"  <id>{escape(base)}</id>",
        f'  <link rel="alternate" href={quoteattr(base + "whats-new/")}/>',
        f'  <link rel="self" href={quoteattr(base + "feed.xml")}/>',
        f"  <updated>{updated}</updated>",
    ]
    for m in chosen:
        url = f"{base}models/{m.id}/"
        summary = f"{m.paper.title}" + (f" (first public {m.paper.date})" if m.paper.date else "")
        out += [
            "  <entry>",
            f"    <title>{escape(m.name)}</title>",
            f"    <id>{escape(url)}</id>",
            f"    <link href={quoteattr(url)}/>",
            f"    <updated>{m.added}T00:00:00Z</updated>",
            f"    <author><name>{escape(', '.join(m.paper.authors[:3]) or 'umm-survey')}</name></author>",
            f"    <summary>{escape(summary)}</summary>",
            "  </entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"
