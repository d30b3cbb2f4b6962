"""Templates + page contexts -> the generated files of docs/, as {relative path: text}."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import Markup

from ..catalog import Catalog
from ..export import bibtex, tables
from ..incremental import BuildCache, folder_key, runs
from . import escape
from .context import (
    Board,
    Site,
    build_site,
    gaps,
    home_stats,
    params_of,
    resource_kind_records,
)
from .feed import atom
from .present import Present
from .timeline import timeline_svg

REPO_URL = "https://github.com/umm-survey/umm-survey"
SITE_URL = "https://umm-survey.github.io/umm-survey/"


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs; a cache that cannot be read or written is
    simply not used (the templates are compiled again)."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Under $UMM_SURVEY_CACHE, else the user's cache folder; none if it cannot be made."""
    root = os.environ.get("UMM_SURVEY_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "umm-survey"
    )
    folder = os.path.join(root, "templates")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return _BytecodeCache(folder)


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # output is Markdown; escaping is done by finalize below
        finalize=escape.finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["html"] = escape.html
    env.filters["md"] = escape.md
    env.filters["title"] = lambda v: Markup(escape.page_title(v))
    env.filters["yaml"] = lambda v: Markup(json.dumps(str(v), ensure_ascii=False))
    env.globals["params_of"] = params_of
    env.globals["unknown"] = Markup("*not recorded*")
    env.globals["raw_url"] = lambda u: Markup(escape.safe_url(u) or "")
    return env


def page_url(md_path: str) -> str:
    """The directory URL mkdocs gives a Markdown file (use_directory_urls)."""
    stem = md_path[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@functools.lru_cache(maxsize=1 << 16)  # a site of 10,000 models has as many page paths
def _parts(path: str) -> tuple[str, ...]:
    return tuple(p for p in path.split("/") if p and p != ".")


def relpath(target: str, start: str) -> str:
    """``posixpath.relpath`` for the normalised, relative paths of the site (no ``..``).

    The site's paths are built from slugs, so the general function's normalisation (and
    its calls to ``abspath``) are not needed; this is the hot path of rendering.
    """
    a, b = _parts(target), _parts(start)
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return "/".join((("..",) * (len(b) - common)) + a[common:]) or "."


def linker(current: str) -> dict[str, Callable[..., Markup]]:
    """Link helpers bound to the page being written (relative links only)."""
    here = posixpath.dirname(current)
    here_url = page_url(current)

    def md_to(text: Any, target: str) -> Markup:
        # targets are built from ids, which are slugs, so the path needs no encoding
        return Markup(f"[{escape.md(text)}]({relpath(target, here)})")

    def href(target: str) -> Markup:
        rel = relpath(page_url(target), here_url)
        rel = "" if rel == "." else rel
        return escape.html((rel + "/") if rel else "./")

    def a(text: Any, target: str) -> Markup:
        return Markup(f'<a href="{href(target)}">{escape.html(text)}</a>')

    return {"to": md_to, "href": href, "a": a, "ext": escape.md_link, "ext_html": escape.html_link}


def _environment(templates: Path, cache: BuildCache | None) -> jinja2.Environment:
    """Templates are compiled once per process; a cache keeps them while they are unchanged."""
    if cache is None:
        return environment(templates)
    key = folder_key(templates)
    if cache.environment is None or cache.templates_key != key:
        cache.environment, cache.templates_key = environment(templates), key
        for memo in cache.memos():
            memo.clear()
    return cache.environment  # type: ignore[no-any-return]


class Renderer:
    """Renders every page; with a :class:`BuildCache`, reuses what did not change.

    Each page and each reusable part (a table row, a BibTeX entry, a JSON block) names the
    records it shows as its dependencies; it is rendered again only when one of them is a
    new object, that is, when its file changed.
    """

    def __init__(
        self,
        catalog: Catalog,
        templates: Path,
        repo_url: str = REPO_URL,
        cache: BuildCache | None = None,
    ):
        self.catalog = catalog
        self.cache = cache if cache is not None else BuildCache()
        self.env = _environment(templates, cache)
        self.cache.begin()
        self.site: Site = build_site(catalog, self.cache.parts)
        self.env.globals.update(Present(catalog.taxonomy, catalog).globals())
        self.repo_url = repo_url.rstrip("/")
        self.site_url = SITE_URL
        self.keys = bibtex.assign_keys(catalog)
        self._by_key: list[tuple[str, tuple[str, str]]] | None = None
        self.files: dict[str, str] = {}
        # what pages that list the whole catalogue depend on; when nothing changed, the
        # tuple of the last build is kept so that every page compares it by identity
        everything = (
            tuple(catalog.models.values()),
            tuple(catalog.benchmarks.values()),
            tuple(catalog.datasets.values()),
        )
        last = self.cache.everything
        self.everything = last if last is not None and last == everything else everything
        self.cache.everything = self.everything

    def page(
        self,
        path: str,
        template: str,
        deps: tuple | None = None,
        later: Callable[[], dict[str, Any]] | None = None,
        **context: Any,
    ) -> None:
        """Render ``template`` into ``path`` unless ``deps`` are those of the last build.

        ``deps`` defaults to the whole catalogue; ``later`` gives context values that are
        worth computing only when the page is rendered.
        """
        deps = (self.catalog.taxonomy, deps if deps is not None else self.everything)

        def render() -> str:
            return self._render(path, template, {**context, **(later() if later else {})})

        self.files[path] = self.cache.pages.get(path, deps, render)

    def _render(self, path: str, template: str, context: dict[str, Any]) -> str:
        here = posixpath.dirname(path)
        taxonomy = self.catalog.taxonomy

        def part(name: str, record: Any, macro: Callable[[Any], Markup]) -> Markup:
            """A row that depends on one record only, reused across pages of one folder."""
            return self.cache.parts.get(
                (name, here, id(record)), (taxonomy, record), lambda: Markup(macro(record))
            )

        def rows(name: str, records: list, macro: Callable[[Any], Markup]) -> Markup:
            """``part`` for every record, each row ending in a newline; runs of rows are
            reused whole while none of their records changed, so a list of ten thousand
            costs a few hundred look-ups."""
            out = []
            for run in runs(records):
                out.append(
                    self.cache.parts.get(
                        (name + "/run", here, id(run[0])),
                        (taxonomy, tuple(run)),
                        lambda run=run: "".join(part(name, r, macro) + "\n" for r in run),
                    )
                )
            return Markup("".join(out))

        ctx = {
            "catalog": self.catalog,
            "site": self.site,
            "taxonomy": taxonomy,
            "repo_url": self.repo_url,
            "rows": rows,
            **linker(path),
            **context,
        }
        text = self.env.get_template(template).render(ctx)
        if not text.startswith("---\n"):
            raise ValueError(f"template {template} must start with front matter")
        return "---\ngenerated: true\n" + text[4:]

    def referenced(self, ref: str) -> Any:
        kind, rid = ref.split(":", 1)
        return self.catalog.by_kind()[kind + "s"].get(rid)

    def bib_of(self, kind: str, record_id: str) -> str | None:
        key = self.keys.get((kind, record_id))
        if key is None:
            return None
        record = self.catalog.get(kind, record_id)
        return self.cache.parts.get(
            ("bib", kind, record_id),
            (record, key),
            lambda: bibtex.to_bibtex(
                bibtex.entries(self.catalog, [(kind, record_id)], keys=self.keys)
            ),
        )

    def bib_file(self, chosen: list[tuple[str, str]] | None = None) -> str:
        """The entries of ``chosen`` (default: all) in key order: the per-record texts joined."""
        if self._by_key is None:
            self._by_key = sorted((key, ref) for ref, key in self.keys.items())
        wanted = set(chosen) if chosen is not None else None
        return "\n".join(
            self.bib_of(kind, rid) or ""
            for _, (kind, rid) in self._by_key
            if wanted is None or (kind, rid) in wanted
        )

    def render(self) -> dict[str, str]:
        cat, site, tax = self.catalog, self.site, self.catalog.taxonomy
        self.page(
            "index.md",
            "home.md.j2",
            later=lambda: {
                "stats": home_stats(cat, self.cache.parts),
                "timeline": Markup(timeline_svg(site.timeline, tax, memo=self.cache.parts)),
            },
        )
        self.page("taxonomy/index.md", "taxonomy.md.j2")
        for p in tax.paradigms:
            self.page(f"taxonomy/{p.id}/index.md", "paradigm.md.j2", paradigm=p)
            for e in tax.encodings:
                if (p.id, e.id) in site.by_pair:
                    self.page(
                        f"taxonomy/{p.id}/{e.id}.md",
                        "category.md.j2",
                        paradigm=p,
                        encoding=e,
                        models=site.by_pair[(p.id, e.id)],
                    )
        self.page("taxonomy/any-to-any.md", "any_to_any.md.j2", models=site.any_to_any)
        self.page("models/index.md", "compare.md.j2", models=site.models)
        for m in cat.models.values():
            bib = self.bib_of("models", m.id)
            related = site.related.get(m.id, {})
            if derived := site.derived.get(m.id):
                related = {"models that build on this one": derived, **related}
            deps = (
                m,
                bib,
                tuple((label, tuple(others)) for label, others in related.items()),
                cat.models.get(m.base_model) if m.base_model else None,
                tuple(cat.datasets.get(d) for d in m.training_data),
                tuple(cat.benchmarks.get(r.benchmark) for r in m.results),
            )
            self.page(
                f"models/{m.id}.md",
                "model.md.j2",
                deps,
                m=m,
                bib=bib,
                related=related,
                record_path=f"data/models/{m.id}.yaml",
            )
        self.page("leaderboards/index.md", "leaderboards.md.j2")
        for bench, boards in site.boards.items():
            self.page(
                f"leaderboards/{bench}.md",
                "leaderboard.md.j2",
                (cat.benchmarks[bench], _boards_deps(boards)),
                bench=cat.benchmarks[bench],
                boards=boards,
            )
        for kind in ("benchmarks", "datasets"):
            records = resource_kind_records(cat, kind)
            self.page(f"{kind}/index.md", "resources.md.j2", kind=kind, records=records)
            for r in records:
                bib = self.bib_of(kind, r.id)
                users = site.users.get((kind, r.id), [])
                deps = (
                    r,
                    bib,
                    tuple(users),
                    r.id in site.boards if kind == "benchmarks" else False,
                    tuple(self.referenced(ref) for ref in r.related),
                )
                self.page(
                    f"{kind}/{r.id}.md",
                    "resource.md.j2",
                    deps,
                    kind=kind,
                    r=r,
                    bib=bib,
                    users=users,
                    record_path=f"data/{kind}/{r.id}.yaml",
                )
        self.page("whats-new.md", "whats_new.md.j2")
        self.page("gaps.md", "gaps.md.j2", later=lambda: gaps(cat, self.cache.parts))
        self.files["feed.xml"] = atom(self.site.models, self.site_url)
        self.downloads()
        self.cache.end()
        return self.files

    def downloads(self) -> None:
        cat = self.catalog
        files = {"downloads/umm-survey.bib": self.bib_file()}
        by_paradigm = []
        for p in cat.taxonomy.paradigms:
            chosen = [("models", m.id) for m in self.site.by_paradigm[p.id]]
            name = f"downloads/umm-survey-{p.id}.bib"
            files[name] = self.bib_file(chosen)
            by_paradigm.append((p, name, len(chosen)))
        parts = self.cache.parts
        files["downloads/umm-survey.json"] = tables.to_json(cat, parts)
        files["downloads/models.csv"] = tables.models_csv(cat, parts)
        self.files.update(files)
        self.page("downloads/index.md", "downloads.md.j2", by_paradigm=by_paradigm)


def _boards_deps(boards: list[Board]) -> tuple:
    return tuple((b.label, tuple((s.model, s.result, s.rank) for s in b.scores)) for b in boards)


def render_site(
    catalog: Catalog,
    templates: Path,
    repo_url: str = REPO_URL,
    cache: BuildCache | None = None,
) -> dict[str, str]:
    renderer = Renderer(catalog, templates, repo_url, cache)
    files = renderer.render()
    if cache is None:
        # nothing reuses what this build remembered; free it now rather than when the
        # collector gets round to the template contexts that still reach the renderer
        renderer.cache.forget()
    return files
