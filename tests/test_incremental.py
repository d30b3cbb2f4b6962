"""An incremental rebuild (what `serve` does) must give exactly what a fresh build gives.

A synthetic catalogue from benchmarks/generate.py is built once with a cache, then edited
in many ways, one edit at a time; after each edit the cached build is compared, file by
file, with a build that uses no cache, and docs/ must receive exactly the changed files.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from umm_survey.catalog import load_catalog
from umm_survey.incremental import BuildCache
from umm_survey.render.build import write_generated
from umm_survey.render.pages import render_site

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from generate import generate  # noqa: E402


def _sub(path: Path, pattern: str, repl: str) -> None:
    text = path.read_text(encoding="utf-8")
    new = re.sub(pattern, repl, text, count=1, flags=re.M)
    assert new != text, f"edit {pattern!r} did not apply to {path.name}"
    path.write_text(new, encoding="utf-8")


def _copy_model(source: Path, target: Path) -> None:
    text = source.read_text(encoding="utf-8").replace(f"id: {source.stem}", f"id: {target.stem}")
    text = re.sub(r"(\d{4})\.\d{5}", r"\1.99999", text)  # its own arXiv id
    text = re.sub(r"^  title: '[^:]*", "  title: 'A new model", text, flags=re.M)
    target.write_text(text, encoding="utf-8")


def _edits(data: Path, rng: random.Random) -> list[tuple[str, Callable[[], None]]]:
    models = sorted((data / "models").glob("*.yaml"))
    benches = sorted((data / "benchmarks").glob("*.yaml"))
    sets = sorted((data / "datasets").glob("*.yaml"))
    pick = rng.choice
    return [
        ("rename a model", lambda: _sub(pick(models), r"^name: (.*)$", r"name: \1 [renamed]")),
        (
            "move a model in time",
            lambda: _sub(pick(models), r"^  date: '(\d{4}-\d\d)-\d\d'", r"  date: '\1-28'"),
        ),
        ("change a score", lambda: _sub(pick(models), r"^  value: 0\.\d", "  value: 0.9")),
        ("change an encoder", lambda: _sub(pick(models), r"^  name: (SigLIP|VQ-\d+)", "  name: X")),
        ("rename a benchmark", lambda: _sub(pick(benches), r"^name: (.*)$", r"name: \1 v2")),
        ("rename a dataset", lambda: _sub(pick(sets), r"^name: (.*)$", r"name: \1 v2")),
        ("delete a model", lambda: pick(models).unlink()),
        ("add a model", lambda: _copy_model(models[0], data / "models" / "model-new.yaml")),
        (
            "rename a paradigm",
            lambda: _sub(
                data / "taxonomy.yaml", r"^    name: Diffusion$", "    name: Diffusion (renamed)"
            ),
        ),
        ("no change", lambda: None),
    ]


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_build_equals_a_fresh_one(tmp_path: Path, seed: int) -> None:
    data = generate(60, tmp_path / "data")
    shutil.copy(REPO / "data" / "taxonomy.yaml", data / "taxonomy.yaml")
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    docs = tmp_path / "docs"
    docs.mkdir()
    cache = BuildCache()
    rng = random.Random(seed)

    def build() -> tuple[dict[str, str], list[str]]:
        loaded = load_catalog(data, cache)
        assert loaded.catalog is not None and not loaded.errors, loaded.errors[:3]
        files = render_site(loaded.catalog, templates, cache=cache)
        return files, write_generated(docs, files, cache).changed

    previous, _ = build()
    edits = _edits(data, rng)
    edits.append(
        (
            "edit a template",
            lambda: _sub(templates / "model.md.j2", r"^## Sources$", "## Where it was read"),
        )
    )
    for label, edit in rng.sample(edits, len(edits)):
        edit()
        files, changed = build()
        fresh = load_catalog(data).catalog
        assert fresh is not None
        expected = render_site(fresh, templates)
        assert files == expected, f"after '{label}' the cached build differs from a fresh one"
        really_changed = sorted(k for k in files if previous.get(k) != files[k])
        assert changed == really_changed, f"after '{label}' docs/ got the wrong files"
        for rel, text in files.items():
            assert (docs / rel).read_text(encoding="utf-8") == text
        previous = files


def test_only_pages_that_show_an_edited_record_are_rendered_again(tmp_path: Path) -> None:
    data = generate(40, tmp_path / "data")
    shutil.copy(REPO / "data" / "taxonomy.yaml", data / "taxonomy.yaml")
    cache = BuildCache()

    def render() -> dict[str, str]:
        catalog = load_catalog(data, cache).catalog
        assert catalog is not None
        return render_site(catalog, REPO / "templates", cache=cache)

    first = render()
    pages = sorted(k for k in first if k.endswith(".md"))
    assert cache.pages.hits == 0 and sorted(cache.pages.made) == pages
    assert render() == first
    assert cache.pages.made == [] and cache.pages.hits == len(pages)
    _sub(data / "models" / "model-3.yaml", r"^name: (.*)$", r"name: Renamed-Three")
    render()
    made = set(cache.pages.made)
    assert "models/model-3.md" in made
    # a model or resource page that never linked to model-3 is reused as it was
    for page in pages:
        text = first[page]
        listing = page.endswith("index.md") or page == "models/model-3.md"
        if (
            page.startswith(("models/", "benchmarks/", "datasets/"))
            and not listing
            and not ("model-3.md" in text or "/model-3/" in text)
        ):
            assert page not in made, page
    assert len(made) < len(pages) / 2


def test_a_rebuild_reports_what_a_fresh_load_reports(tmp_path: Path) -> None:
    """The catalogue-wide checks are reused while no record's shape changed; every edit
    that one of them reads must bring its findings back, and undoing it must clear them."""
    data = generate(30, tmp_path / "data")
    shutil.copy(REPO / "data" / "taxonomy.yaml", data / "taxonomy.yaml")
    cache = BuildCache()
    model = data / "models" / "model-4.yaml"
    other = (data / "models" / "model-5.yaml").read_text(encoding="utf-8")
    bench = sorted((data / "benchmarks").glob("*.yaml"))[0]
    arxiv = re.search(r"arxiv: '([\d.]+)'", other)
    assert arxiv is not None
    edits = [
        ("a shared arXiv id", model, r"^  arxiv: '[\d.]+'", f"  arxiv: '{arxiv[1]}'"),
        ("an unknown dataset", model, r"^training_data: \[", "training_data: [no-such-set, "),
        ("an unknown benchmark", model, r"^- benchmark: \S+", "- benchmark: no-such-bench"),
        ("a date out of order", model, r"^  date: '\d{4}", "  date: '2019"),
        ("a base model loop", model, r"^attention:", "base_model: model-4\nattention:"),
        ("an unused lower-is-better metric", bench, r"^tasks:", "lower_is_better: [FID]\ntasks:"),
        ("a renamed model", model, r"^name: (.*)$", r"name: \1 (renamed)"),
    ]
    assert not load_catalog(data, cache).diagnostics
    for label, path, pattern, repl in edits:
        before = path.read_text(encoding="utf-8")
        _sub(path, pattern, repl)
        cached, fresh = load_catalog(data, cache).diagnostics, load_catalog(data).diagnostics
        assert cached == fresh, f"after {label} a rebuild reports other findings"
        if label != "a renamed model":
            assert cached, f"{label} went unreported"
        path.write_text(before, encoding="utf-8")
        assert not load_catalog(data, cache).diagnostics, f"undoing {label} left a finding"


def test_benchmark_harness_runs_on_100_models() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "run.py"),
            "--sizes",
            "100",
            "--runs",
            "1",
            "--mkdocs-max",
            "0",
            "--no-real",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    out = done.stdout
    for stage in (
        "floor: CSafeLoader",
        "parse (positions)",
        "validate",
        "catalogue checks",
        "render pages",
        "BibTeX",
        "JSON + CSV",
        "write docs/",
        "incremental: load + render + write changed",
        "peak memory",
    ):
        assert re.search(rf"^\| {re.escape(stage)} \| \d+(\.\d+)? (ms|MiB) \|", out, re.M), stage
    assert re.search(r"CSafeLoader floor at N=100: \d+\.\dx", out)
    assert re.search(r"incremental rebuild / full generation at N=100: \d+\.\d%", out)
