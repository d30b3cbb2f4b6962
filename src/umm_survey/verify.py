"""`umm-survey verify`: check the records against the outside world.

* every arXiv id: the arXiv API's title and first-version date must match the record's;
* every external link (code, weights, demo, project, data): it must answer.

Requests run with bounded concurrency, a timeout, retries with back-off for transient
failures, and a cache of good answers so that a second run is cheap. Problems are reported
by record file and line like every other diagnostic. This is a maintainer's command for a
machine with internet; the tests point it at a local server.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .catalog import Catalog
from .checks import Finding

ARXIV_API = "https://export.arxiv.org/api/query"
_ATOM = "{http://www.w3.org/2005/Atom}"
USER_AGENT = "umm-survey-verify/1 (+https://github.com/umm-survey/umm-survey)"
TRANSIENT = {408, 425, 429, 500, 502, 503, 504}
CACHE_TTL = 7 * 24 * 3600


@dataclass(frozen=True)
class Options:
    arxiv_api: str = ARXIV_API
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 1.0
    concurrency: int = 8
    cache: Path | None = None
    batch: int = 50


def _norm_title(title: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", title.casefold()).strip()


def _open(url: str, opts: Options, method: str = "GET") -> tuple[int, bytes, str]:
    """(status, body, final URL); retried on transient errors; status 0 = no answer."""
    last: tuple[int, bytes, str] = (0, b"", url)
    for attempt in range(opts.retries + 1):
        if attempt:
            time.sleep(opts.backoff * 2 ** (attempt - 1))
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=opts.timeout) as resp:
                return resp.status, resp.read() if method == "GET" else b"", resp.geturl()
        except urllib.error.HTTPError as exc:
            last = (exc.code, b"", url)
            if exc.code not in TRANSIENT:
                return last
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            last = (0, str(reason).encode(), url)
    return last


def arxiv_metadata(ids: list[str], opts: Options) -> dict[str, tuple[str, str]]:
    """arXiv id -> (title, date of version 1), from the arXiv API's Atom answers."""
    found: dict[str, tuple[str, str]] = {}
    for start in range(0, len(ids), opts.batch):
        chunk = ids[start : start + opts.batch]
        url = f"{opts.arxiv_api}?id_list={','.join(chunk)}&max_results={len(chunk)}"
        status, body, _ = _open(url, opts)
        if status != 200:
            continue
        for entry in ET.fromstring(body).iter(f"{_ATOM}entry"):
            ident = (entry.findtext(f"{_ATOM}id") or "").rsplit("/", 1)[-1]
            ident = re.sub(r"v\d+$", "", ident)
            title = " ".join((entry.findtext(f"{_ATOM}title") or "").split())
            published = (entry.findtext(f"{_ATOM}published") or "")[:10]
            if ident and title:
                found[ident] = (title, published)
    return found


def _load_cache(opts: Options) -> dict[str, float]:
    if opts.cache and opts.cache.is_file():
        try:
            data = json.loads(opts.cache.read_text(encoding="utf-8"))
            now = time.time()
            return {u: t for u, t in data.items() if now - t < CACHE_TTL}
        except (ValueError, OSError):
            return {}
    return {}


def _save_cache(opts: Options, good: dict[str, float]) -> None:
    if opts.cache:
        opts.cache.parent.mkdir(parents=True, exist_ok=True)
        opts.cache.write_text(json.dumps(good, sort_keys=True, indent=0), encoding="utf-8")


def check_links(
    urls: Iterable[str],
    opts: Options,
    fetch: Callable[[str, Options], tuple[int, str]] | None = None,
) -> dict[str, str]:
    """URL -> problem, for the URLs that do not answer with success (cache skips good ones)."""
    good = _load_cache(opts)
    todo = sorted(set(urls) - set(good))

    def probe(url: str) -> tuple[str, str | None]:
        status, body, _ = _open(url, opts, method="HEAD")
        if status in (403, 405, 501):  # some hosts refuse HEAD; ask again with GET
            status, body, _ = _open(url, opts, method="GET")
        if 200 <= status < 400:
            return url, None
        if status == 0:
            return url, f"no answer ({body.decode(errors='replace')[:80] or 'timeout'})"
        return url, f"HTTP {status}"

    problems: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=max(1, opts.concurrency)) as pool:
        for url, problem in pool.map(probe, todo):
            if problem is None:
                good[url] = time.time()
            else:
                problems[url] = problem
    _save_cache(opts, good)
    return problems


def verify(catalog: Catalog, opts: Options, links: bool = True) -> list[Finding]:
    findings: list[Finding] = []
    ids = sorted({r.paper.arxiv for _, r in catalog.records() if r.paper and r.paper.arxiv})
    meta = arxiv_metadata(ids, opts) if ids else {}
    for kind, record in catalog.records():
        paper = record.paper
        if paper is None or not paper.arxiv:
            continue
        if paper.arxiv not in meta:
            findings.append(
                Finding(
                    kind,
                    record.id,
                    ("paper", "arxiv"),
                    "warning",
                    f"arXiv has no answer for {paper.arxiv}",
                )
            )
            continue
        title, published = meta[paper.arxiv]
        if _norm_title(title) != _norm_title(paper.title):
            findings.append(
                Finding(
                    kind,
                    record.id,
                    ("paper", "title"),
                    "warning",
                    f"arXiv's title for {paper.arxiv} is '{title}'",
                )
            )
        if paper.date and published and paper.date != published:
            findings.append(
                Finding(
                    kind,
                    record.id,
                    ("paper", "date"),
                    "warning",
                    f"arXiv's first version of {paper.arxiv} is dated {published}",
                )
            )
    if links:
        where: dict[str, list[tuple[str, str, str]]] = {}
        for kind, record in catalog.records():
            for field, url in record.links.model_dump(exclude_none=True).items():
                where.setdefault(str(url), []).append((kind, record.id, field))
        for url, problem in sorted(check_links(where, opts).items()):
            for kind, rid, field in where[url]:
                findings.append(
                    Finding(
                        kind, rid, ("links", field), "warning", f"link {url} is dead: {problem}"
                    )
                )
    return findings
