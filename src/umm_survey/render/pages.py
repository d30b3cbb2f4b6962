"""Templates + page contexts -> the generated files of docs/, as {relative path: text}."""

from __future__ import annotations

import functools
import json
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..catalog import Catalog
from ..export import bibtex, tables
from . import escape
from .context import Site, build_site, home_stats, params_of, resource_kind_records
from .feed import atom
from .present import Present
from .timeline import timeline_svg

REPO_URL = "https://github.com/umm-survey/umm-survey"
SITE_URL = "https://umm-survey.github.io/umm-survey/"


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
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


@functools.lru_cache(maxsize=4096)
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


class Renderer:
    def __init__(self, catalog: Catalog, templates: Path, repo_url: str = REPO_URL):
        self.catalog = catalog
        self.site: Site = build_site(catalog)
        self.env = environment(templates)
        self.env.globals.update(Present(catalog.taxonomy, catalog).globals())
        self.repo_url = repo_url.rstrip("/")
        self.site_url = SITE_URL
        self.keys = bibtex.assign_keys(catalog)
        self.files: dict[str, str] = {}

    def page(self, path: str, template: str, **context: Any) -> None:
        ctx = {
            "catalog": self.catalog,
            "site": self.site,
            "taxonomy": self.catalog.taxonomy,
            "repo_url": self.repo_url,
            **linker(path),
            **context,
        }
        text = self.env.get_template(template).render(ctx)
        if not text.startswith("---\n"):
            raise ValueError(f"template {template} must start with front matter")
        self.files[path] = "---\ngenerated: true\n" + text[4:]

    def bib_of(self, kind: str, record_id: str) -> str | None:
        if (kind, record_id) not in self.keys:
            return None
        return bibtex.to_bibtex(bibtex.entries(self.catalog, [(kind, record_id)], keys=self.keys))

    def render(self) -> dict[str, str]:
        cat, site, tax = self.catalog, self.site, self.catalog.taxonomy
        self.page(
            "index.md",
            "home.md.j2",
            stats=home_stats(cat),
            timeline=Markup(timeline_svg(site.timeline, tax)),
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
            self.page(
                f"models/{m.id}.md",
                "model.md.j2",
                m=m,
                bib=self.bib_of("models", m.id),
                related=site.related.get(m.id, {}),
                record_path=f"data/models/{m.id}.yaml",
            )
        self.page("leaderboards/index.md", "leaderboards.md.j2")
        for bench, boards in site.boards.items():
            self.page(
                f"leaderboards/{bench}.md",
                "leaderboard.md.j2",
                bench=cat.benchmarks[bench],
                boards=boards,
            )
        for kind in ("benchmarks", "datasets"):
            records = resource_kind_records(cat, kind)
            self.page(f"{kind}/index.md", "resources.md.j2", kind=kind, records=records)
            for r in records:
                self.page(
                    f"{kind}/{r.id}.md",
                    "resource.md.j2",
                    kind=kind,
                    r=r,
                    bib=self.bib_of(kind, r.id),
                    users=site.users.get((kind, r.id), []),
                    record_path=f"data/{kind}/{r.id}.yaml",
                )
        self.page("whats-new.md", "whats_new.md.j2")
        self.files["feed.xml"] = atom(self.site.models, self.site_url)
        self.downloads()
        return self.files

    def downloads(self) -> None:
        cat = self.catalog
        files = {"downloads/umm-survey.bib": bibtex.to_bibtex(bibtex.entries(cat, keys=self.keys))}
        by_paradigm = []
        for p in cat.taxonomy.paradigms:
            chosen = [("models", m.id) for m in self.site.by_paradigm[p.id]]
            name = f"downloads/umm-survey-{p.id}.bib"
            files[name] = bibtex.to_bibtex(bibtex.entries(cat, chosen, keys=self.keys))
            by_paradigm.append((p, name, len(chosen)))
        files["downloads/umm-survey.json"] = tables.to_json(cat)
        files["downloads/models.csv"] = tables.models_csv(cat)
        self.files.update(files)
        self.page("downloads/index.md", "downloads.md.j2", by_paradigm=by_paradigm)


def render_site(catalog: Catalog, templates: Path, repo_url: str = REPO_URL) -> dict[str, str]:
    return Renderer(catalog, templates, repo_url).render()
