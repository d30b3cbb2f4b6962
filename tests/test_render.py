"""The website: hostile text stays text, builds are atomic and deterministic, links resolve."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from umm_survey.catalog import Catalog, load_catalog
from umm_survey.cli import app
from umm_survey.render import escape
from umm_survey.render.build import MANIFEST, BuildError, build_site
from umm_survey.render.pages import render_site

from .conftest import REPO, require_tool

HOSTILE_NAME = "Alpha <script>alert(1)</script> | x"
HOSTILE_TITLE = "Alpha: </title><script>alert(2)</script> [a](javascript:alert(3)) | cell"
HOSTILE_NOTES = "<img src=x onerror=alert(4)>\n# not a heading\n{: onclick=alert(5) }"


def make_hostile(catalog: Catalog) -> None:
    """Hostile text put straight into the records, past the schema (which refuses markup):
    the renderer must be safe on its own."""
    alpha = catalog.models["alpha"]
    catalog.models["alpha"] = alpha.model_copy(
        update={
            "name": HOSTILE_NAME,
            "notes": HOSTILE_NOTES,
            "paper": alpha.paper.model_copy(update={"title": HOSTILE_TITLE}),
            "backbone": alpha.backbone.model_copy(update={"name": "LLaMA-2 {: onerror=alert(6) }"}),
        }
    )


def project(tmp: Path, data: Path) -> Path:
    """A project folder as a build expects it: data, templates, docs, mkdocs.yml, hook."""
    root = tmp / "proj"
    root.mkdir()
    shutil.copytree(data, root / "data")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "docs", root / "docs", ignore=_only_tracked_docs)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy(REPO / "CONTRIBUTING.md", root / "CONTRIBUTING.md")
    hook = root / "src" / "umm_survey" / "render"
    hook.mkdir(parents=True)
    shutil.copy(REPO / "src" / "umm_survey" / "render" / "mkdocs_hooks.py", hook)
    return root


def _only_tracked_docs(folder: str, names: list[str]) -> list[str]:
    """Skip what an earlier build of the repository generated into docs/ (its manifest)."""
    manifest = REPO / "docs" / MANIFEST
    generated = set(manifest.read_text(encoding="utf-8").split()) if manifest.is_file() else set()
    rel = Path(folder).relative_to(REPO / "docs").as_posix()
    prefix = "" if rel == "." else rel + "/"
    return [n for n in names if prefix + n in generated or n == MANIFEST]


def build(root: Path, mutate: Callable[[Catalog], None] | None = None) -> None:
    loaded = load_catalog(root / "data")
    assert loaded.catalog is not None and not loaded.errors, loaded.diagnostics
    if mutate is not None:
        mutate(loaded.catalog)
    build_site(
        loaded.catalog,
        root=root,
        templates=root / "templates",
        docs=root / "docs",
        site=root / "site",
        config_file=root / "mkdocs.yml",
    )


def test_escape_for_markdown_and_urls() -> None:
    assert escape.md("a|b") == "a\\|b"
    assert escape.md("x\n# h") == "x \\# h"
    assert escape.md("<b>") == "&lt;b&gt;"
    assert escape.md_link("t", "javascript:alert(1)") == "t"
    assert escape.md_link("t", "https://e.org/a_(b)") == "[t](https://e.org/a_%28b%29)"
    assert escape.page_title("</title><script>") == '"&lt;/title&gt;&lt;script&gt;"'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    data = tmp / "data"
    shutil.copytree(REPO / "tests" / "fixtures" / "mini", data)
    shutil.copy(REPO / "data" / "taxonomy.yaml", data / "taxonomy.yaml")
    root = project(tmp, data)
    build(root, make_hostile)
    return root


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def parse(path: Path) -> Elements:
    p = Elements()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_hostile_text_never_becomes_markup(hostile_site: Path) -> None:
    pages = sorted((hostile_site / "site").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        doc = parse(page)
        for tag, attrs in doc.tags:
            assert not any(k.startswith("on") for k in attrs), (page, tag, attrs)
            assert not (attrs.get("href") or "").lower().startswith("javascript:"), page
            if tag == "script":
                src = attrs.get("src") or ""
                assert src == "" or "assets/" in src, (page, attrs)
            assert tag != "img" or (attrs.get("src") or "") != "x", page
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text
    model = parse(hostile_site / "site" / "models" / "alpha" / "index.html")
    assert "<script>" in model.title  # shown as text, escaped in the source
    assert "alert(1)" in model.title


def test_hostile_text_does_not_break_tables(hostile_site: Path) -> None:
    md = (hostile_site / "docs" / "models" / "alpha.md").read_text(encoding="utf-8")
    for line in md.splitlines():
        if line.startswith("| ") and "Backbone" in line:
            # two cells: label and value; the '|' and '{:' in the value are escaped
            assert len(re.findall(r"(?<!\\)\|", line)) == 3, line
    compare = (hostile_site / "docs" / "models" / "index.md").read_text(encoding="utf-8")
    row = next(r for r in compare.split("<tr ")[1:] if "alpha/" in r)
    assert row.count("<td") == 10


def test_pages_link_what_a_reader_needs(hostile_site: Path) -> None:
    site = hostile_site / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<svg" in home and home.count("<circle") == 2
    model = (site / "models" / "beta" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../leaderboards/geneval/"' in model
    assert "hopper2025beta" in model  # the BibTeX entry, in a code block with copy button
    assert "https://github.com/umm-survey/umm-survey/edit/main/data/models/beta.yaml" in model
    board = (site / "leaderboards" / "geneval" / "index.html").read_text(encoding="utf-8")
    assert board.index("0.72") < board.index("0.61")  # ranked, best first
    dataset = (site / "datasets" / "pixset" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../models/alpha/"' in dataset  # back-link to the model trained on it
    assert (site / "downloads" / "umm-survey.bib").is_file()
    assert (site / "assets" / "javascripts" / "table.js").is_file()


def broken_links(site: Path) -> tuple[list[str], int]:
    """Internal links and anchors of a built site that lead nowhere, and how many were checked."""
    broken, checked = [], 0
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":  # served from any depth, so the theme links it absolutely
            continue
        for tag, attrs in parse(page).tags:
            href = attrs.get("href") if tag in ("a", "link") else attrs.get("src")
            if not href or re.match(r"^[a-z]+:|^//|^#", href):
                continue
            path, _, anchor = href.partition("#")
            target = (page.parent / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or (
                anchor and f'id="{anchor}"' not in target.read_text(encoding="utf-8")
            ):
                broken.append(f"{page.relative_to(site)} -> {href}")
            checked += 1
    return broken, checked


def test_every_internal_link_resolves(hostile_site: Path) -> None:
    broken, checked = broken_links(hostile_site / "site")
    assert broken == []
    assert checked > 100


def test_failed_build_leaves_previous_site_and_docs(hostile_site: Path, tmp_path: Path) -> None:
    root = project(tmp_path, hostile_site / "data")
    build(root)
    before = {p: p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()}
    docs_before = {p: p.read_bytes() for p in sorted((root / "docs").rglob("*")) if p.is_file()}
    # a hand-written page with a broken link makes the strict mkdocs build fail
    (root / "docs" / "notes.md").write_text("[x](missing.md)\n", encoding="utf-8")
    edited = root / "data" / "models" / "beta.yaml"
    edited.write_text(edited.read_text().replace("name: Beta", "name: Beta Two"), "utf-8")
    with pytest.raises(BuildError, match="mkdocs"):
        build(root)
    after = {p: p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()}
    assert after == before
    docs_after = {
        p: p.read_bytes()
        for p in sorted((root / "docs").rglob("*"))
        if p.is_file() and p.name != "notes.md"
    }
    assert docs_after == docs_before
    assert not list(root.glob(".umm-build-*"))


def test_rendering_is_deterministic(mini: Path) -> None:
    catalog = load_catalog(mini).catalog
    assert catalog is not None
    first = render_site(catalog, REPO / "templates")
    again = render_site(load_catalog(mini).catalog, REPO / "templates")  # type: ignore[arg-type]
    assert first == again
    assert "models/alpha.md" in first and "leaderboards/mmmu.md" in first


HARNESS = """
<script>
window.alert = function () { document.documentElement.setAttribute("data-alerted", "1"); };
window.addEventListener("load", function () { setTimeout(function () {
  var out = {alerted: document.documentElement.getAttribute("data-alerted")};
  var t = document.querySelector("table.umm-compare");
  if (t) {
    var names = function () {
      return Array.prototype.filter.call(t.tBodies[0].rows, function (r) { return !r.hidden; })
        .map(function (r) { return r.cells[0].textContent.trim(); });
    };
    out.initial = names();
    var size = t.tHead.rows[0].cells[8];
    size.click(); out.sizeAsc = names();
    size.click(); out.sizeDesc = names();
    out.panelHidden = document.querySelector(".umm-filters").hidden;
    var sel = document.querySelector("select[data-filter=paradigm]");
    sel.value = "diffusion"; sel.dispatchEvent(new Event("change"));
    out.diffusionOnly = names();
    sel.value = ""; sel.dispatchEvent(new Event("change"));
    var box = document.querySelector("input[data-filter=text]");
    box.value = "llama"; box.dispatchEvent(new Event("input"));
    out.search = names();
  }
  // layout of the Markdown tables: a visible heading row with no text, and tables wider
  // than the column they sit in (mkdocs-material makes those scroll sideways)
  var tables = document.querySelectorAll(".md-typeset table:not([class])");
  out.emptyHeadings = Array.prototype.filter.call(tables, function (t) {
    return t.tHead && t.tHead.textContent.trim() === "" && t.tHead.offsetHeight > 0;
  }).length;
  out.tooWide = Array.prototype.filter.call(tables, function (t) {
    return t.scrollWidth > t.parentElement.clientWidth + 1;
  }).length;
  out.tables = tables.length;
  var pre = document.createElement("pre");
  pre.id = "umm-result"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}, 300); });
</script>
"""


def run_in_chromium(page: Path, tmp_path: Path) -> dict:
    import json
    import subprocess

    chromium = require_tool("chromium")
    text = page.read_text(encoding="utf-8")
    head = text.index("<head>") + len("<head>")
    harnessed = page.with_name("harness.html")
    harnessed.write_text(text[:head] + HARNESS + text[head:], encoding="utf-8")
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'chromium'}",
            "--window-size=1280,900",
            "--virtual-time-budget=5000",
            "--dump-dom",
            harnessed.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = re.search(r'<pre id="umm-result">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    return json.loads(html.unescape(found.group(1)))


def test_comparison_table_sorts_and_filters_in_a_browser(
    hostile_site: Path, tmp_path: Path
) -> None:
    result = run_in_chromium(hostile_site / "site" / "models" / "index.html", tmp_path)
    alpha = HOSTILE_NAME
    assert result["alerted"] is None
    assert result["panelHidden"] is False  # the script shows the filters
    assert result["initial"] == [alpha, "Beta"]  # by date, as written
    assert result["sizeAsc"] == [alpha, "Beta"]  # 7B first; unknown size last
    assert result["sizeDesc"] == [alpha, "Beta"]  # unknown stays last in both directions
    assert result["diffusionOnly"] == ["Beta"]
    assert result["search"] == [alpha]


def test_hostile_model_page_runs_no_script(hostile_site: Path, tmp_path: Path) -> None:
    result = run_in_chromium(hostile_site / "site" / "models" / "alpha" / "index.html", tmp_path)
    assert result["alerted"] is None


def test_the_real_site_builds_strictly_and_its_links_resolve(tmp_path: Path) -> None:
    root = project(tmp_path, REPO / "data")
    build(root)
    assert (root / "site" / "models" / "bagel" / "index.html").is_file()
    broken, checked = broken_links(root / "site")
    assert broken == []
    assert checked > 1000
    # the page with the longest "where read" texts, and a model page with key-value tables
    for page in ("leaderboards/geneval/index.html", "models/bagel/index.html"):
        layout = run_in_chromium(root / "site" / page, tmp_path)
        assert layout["tables"] > 0, page
        assert layout["emptyHeadings"] == 0, f"{page}: a table shows an empty heading row"
        assert layout["tooWide"] == 0, f"{page}: a table is wider than the page"


def test_values_are_printed_the_way_papers_print_them() -> None:
    from umm_survey.render.present import Present
    from umm_survey.schema import Result

    def shown(value: float, scale: str) -> str:
        r = Result(
            benchmark="b", value=value, scale=scale, metric="m", table="T", reported_by="self"
        )
        return Present.value_text(r)

    assert shown(0.8, "fraction") == "0.80"
    assert shown(0.625, "fraction") == "0.625"
    assert shown(62.0, "percent") == "62.0%"
    assert shown(84.19, "percent") == "84.19%"
    assert shown(1444.0, "score") == "1444.0"


def test_an_undated_record_shows_the_month_of_its_arxiv_id() -> None:
    from umm_survey.render.present import Present
    from umm_survey.schema import Paper

    assert Present.arxiv_month(Paper(title="T", arxiv="2511.00279")) == "2025-11"
    assert Present.arxiv_month(Paper(title="T", arxiv="2511.00279", date="2025-11-02")) == ""
    assert Present.arxiv_month(Paper(title="T")) == ""


def test_benchmark_and_dataset_pages_show_the_arxiv_month_and_the_date_note(mini: Path) -> None:
    def edit(name: str, old: str, new: str) -> None:
        path = mini / "benchmarks" / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    edit("mmmu.yaml", "  date: '2023-11-27'\n", "")
    edit(
        "geneval.yaml",
        "  date: '2023-10-17'\n",
        "  date: '2023-10-17'\n  date_note: announced a week after it was submitted\n",
    )
    catalog = load_catalog(mini).catalog
    assert catalog is not None
    pages = render_site(catalog, REPO / "templates")
    mmmu = next(v for k, v in pages.items() if k.endswith("benchmarks/mmmu.md"))
    geneval = next(v for k, v in pages.items() if k.endswith("benchmarks/geneval.md"))
    assert (
        "| First public | 2023\\-11 (the month of its arXiv id; the day is not recorded) |" in mmmu
    )
    assert "2023\\-10\\-17 (announced a week after it was submitted) |" in geneval


def test_a_metric_where_lower_is_better_is_ranked_from_the_lowest_value(mini: Path) -> None:
    def pages() -> tuple[str, str]:
        catalog = load_catalog(mini).catalog
        assert catalog is not None
        out = render_site(catalog, REPO / "templates")
        return out["leaderboards/geneval.md"], out["benchmarks/geneval.md"]

    board, _ = pages()
    assert board.index("0\\.72") < board.index("0\\.61") and "Higher is better." in board
    path = mini / "benchmarks" / "geneval.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("tasks: [generation]\n", "tasks: [generation]\nlower_is_better: [Overall]\n"),
        encoding="utf-8",
    )
    board, page = pages()  # the results say "overall": the names match ignoring case
    assert board.index("0\\.61") < board.index("0\\.72") and "Lower is better." in board
    assert "Higher is better." not in board
    assert "| Lower is better | Overall |" in page


def test_a_base_model_and_the_models_that_start_from_it_link_each_other(mini: Path) -> None:
    path = mini / "models" / "beta.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "attention: bidirectional\n", "attention: bidirectional\nbase_model: alpha\n"
    )
    path.write_text(text.replace("results]", "results, base_model]"), encoding="utf-8")
    catalog = load_catalog(mini).catalog
    assert catalog is not None
    out = render_site(catalog, REPO / "templates")
    assert "| Starts from the weights of | [Alpha](alpha.md) |" in out["models/beta.md"]
    assert "- **Models that build on this one**: [Beta](beta.md)" in out["models/alpha.md"]
    assert "build on this one" not in out["models/beta.md"]


def test_compiled_template_cache_that_is_corrupt_or_unusable_changes_nothing(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from umm_survey.render.pages import render_site

    catalog = load_catalog(mini).catalog
    assert catalog is not None
    cache = tmp_path / "cache"
    monkeypatch.setenv("UMM_SURVEY_CACHE", str(cache))
    first = render_site(catalog, REPO / "templates")
    compiled = sorted((cache / "templates").iterdir())
    assert compiled, "templates were not cached"
    for f in compiled:
        f.write_bytes(b"not a compiled template")
    assert render_site(catalog, REPO / "templates") == first
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("UMM_SURVEY_CACHE", str(blocker))  # the cache folder cannot be made
    assert render_site(catalog, REPO / "templates") == first


def test_facts_wanted_lists_each_record_under_the_fields_it_lacks(mini: Path) -> None:
    catalog = load_catalog(mini).catalog
    assert catalog is not None
    out = render_site(catalog, REPO / "templates")
    page = out["gaps.md"]

    def section(title: str) -> str:
        start = page.index(f"### {title}\n")
        end = page.find("\n### ", start + 1)
        return page[start : end if end != -1 else len(page)]

    # beta names no understanding encoder, alpha does
    lacking = section("Models without understanding encoder")
    assert "1 of 2:" in lacking and '<a href="../models/beta/">Beta</a>' in lacking
    assert "alpha" not in lacking
    assert "None: every one of the 2 models has it." in section("Models without attention")
    # the home page's completeness table points here
    assert "[facts wanted](gaps.md)" in out["index.md"]
    # the same list from the command line, with the file to edit
    done = CliRunner().invoke(
        app, ["stats", "--data", str(mini), "--missing", "understanding-encoder"]
    )
    assert done.exit_code == 0, done.output
    assert done.output.splitlines() == [
        f"{catalog.path('models', 'beta')}  Beta",
        "1 of 2 models lack understanding encoder",
    ]


def test_facts_wanted_cuts_long_lists_and_says_where_the_rest_is(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from umm_survey.render import context

    monkeypatch.setattr(context, "GAPS_SHOWN", 1)
    catalog = load_catalog(mini).catalog
    assert catalog is not None
    page = render_site(catalog, REPO / "templates")["gaps.md"]
    weights = page[page.index("### Models without weights link\n") :].split("\n### ")[0]
    assert "2 of 2; the first 1 by name, and all of them with" in weights
    assert '`umm-survey stats --missing "weights link"`' in weights
    assert weights.count("<li>") == 1 and "Alpha" in weights  # Alpha sorts before Beta
