"""Time every stage of the pipeline on synthetic catalogues and print medians and ratios.

    python benchmarks/run.py [--sizes 100,1000,10000] [--runs 5] [--mkdocs-max 100] [--no-real]

Each stage is timed as the median of --runs runs. The floor is parsing the same files with
PyYAML's libyaml-backed CSafeLoader and nothing else. Peak memory is measured per size in a
fresh process (VmHWM). The incremental rebuild is what `umm-survey serve` does after one
record file was saved: a real edit on disk, then load, render and write with the cache of
the previous build. Not a test: absolute times on shared machines are noise; the ratios
are what to read.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))

from generate import generate  # noqa: E402

from umm_survey import checks  # noqa: E402
from umm_survey.catalog import (  # noqa: E402
    KINDS,
    Catalog,
    collector_paused,
    load_catalog,
    load_taxonomy,
)
from umm_survey.export import bibtex, tables  # noqa: E402
from umm_survey.incremental import BuildCache  # noqa: E402
from umm_survey.load import parse_bytes  # noqa: E402
from umm_survey.render import build as build_mod  # noqa: E402
from umm_survey.render import escape  # noqa: E402
from umm_survey.render.pages import render_site  # noqa: E402
from umm_survey.schema import KIND_SCHEMAS  # noqa: E402
from umm_survey.validate import to_record  # noqa: E402


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def stages(data: Path, runs: int, with_mkdocs: bool) -> dict[str, float]:
    taxonomy, _ = load_taxonomy(data)
    files = [(kind, p) for kind in KINDS for p in sorted((data / kind).glob("*.yaml"))]
    raw: list[tuple[str, Path, bytes]] = []
    docs: list = []
    records: list = []
    catalog_box: list[Catalog] = []
    out: dict[str, float] = {}

    def read() -> None:
        raw[:] = [(k, p, p.read_bytes()) for k, p in files]

    def floor() -> None:
        for _, _, b in raw:
            yaml.load(b, Loader=yaml.CSafeLoader)

    # load_catalog parses, validates and checks with the cyclic collector paused, and the
    # build freezes the loaded catalogue before rendering; the stages here do the same
    def parse() -> None:
        with collector_paused():
            docs[:] = [(k, p, parse_bytes(b, str(p))) for k, p, b in raw]

    def validate() -> None:
        with collector_paused():
            records[:] = [
                (k, p, to_record(d, KIND_SCHEMAS[k], {"taxonomy": taxonomy})[0]) for k, p, d in docs
            ]

    def check() -> None:
        with collector_paused():
            cat = Catalog(taxonomy)  # type: ignore[arg-type]
            for k, p, r in records:
                cat.by_kind()[k][r.id] = r
                cat.paths[(k, r.id)] = str(p)
            catalog_box[:] = [cat]
            checks.run_all(cat)

    out["read bytes"] = median_time(read, runs)
    out["floor: CSafeLoader"] = median_time(floor, runs)
    out["parse (positions)"] = median_time(parse, runs)
    out["validate"] = median_time(validate, runs)
    out["catalogue checks"] = median_time(check, runs)
    cat = catalog_box[0]
    gc.collect()
    gc.freeze()

    def render() -> object:
        escape.clear_caches()  # a build is a fresh process: time it with nothing remembered
        return render_site(cat, REPO / "templates")

    out["render pages"] = median_time(render, runs)
    out["BibTeX"] = median_time(lambda: bibtex.to_bibtex(bibtex.entries(cat)), runs)
    out["JSON + CSV"] = median_time(lambda: (tables.to_json(cat), tables.models_csv(cat)), runs)
    files_out = build_mod.generated(cat, REPO, REPO / "templates")
    gc.unfreeze()

    with tempfile.TemporaryDirectory() as tmp:
        # what every build after the first does: docs/ holds the previous build's pages,
        # each is compared with its new text and written only if it differs
        build_mod.write_generated(Path(tmp), files_out)
        out["write docs/"] = median_time(
            lambda: build_mod.write_generated(Path(tmp), files_out), runs
        )
    out["incremental: load + render + write changed"] = incremental(data, runs)
    with tempfile.TemporaryDirectory() as tmp:
        if with_mkdocs:
            staged, site = Path(tmp) / "staged", Path(tmp) / "site"

            def mk() -> None:
                shutil.rmtree(staged, ignore_errors=True)
                shutil.rmtree(site, ignore_errors=True)
                build_mod.stage_docs(REPO / "docs", files_out, staged)
                build_mod.run_mkdocs(REPO / "mkdocs.yml", staged, site)

            out["mkdocs build"] = median_time(mk, max(1, min(runs, 3)))
    return out


# a full generation; "render pages" includes the downloads, timed alone as BibTeX and JSON + CSV
PIPELINE = [
    "parse (positions)",
    "validate",
    "catalogue checks",
    "render pages",
]


def incremental(data: Path, runs: int) -> float:
    """Median time of a rebuild after one model file is edited, as `serve` does it."""
    templates = REPO / "templates"
    cache = BuildCache()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(shutil.copytree(data, Path(tmp) / "data"))  # edits never touch the original
        models = sorted((data / "models").glob("*.yaml"))
        docs = Path(tmp) / "docs"
        docs.mkdir()
        catalog = load_catalog(data, cache).catalog
        assert catalog is not None
        build_mod.write_generated(docs, render_site(catalog, templates, cache=cache), cache)
        gc.collect()
        gc.freeze()  # what serve does between rebuilds
        times = []
        for i in range(runs):
            path = models[(i * 7919) % len(models)]
            text = path.read_text(encoding="utf-8")
            path.write_text(
                re.sub(r"^name: (.*)$", r"name: \1 (edited)", text, count=1, flags=re.M)
            )
            start = time.perf_counter()
            catalog = load_catalog(data, cache).catalog
            assert catalog is not None
            build_mod.write_generated(docs, render_site(catalog, templates, cache=cache), cache)
            times.append(time.perf_counter() - start)
        gc.unfreeze()
    return statistics.median(times)


def peak_memory(data: Path) -> float:
    code = (
        "import sys; sys.path.insert(0, {!r})\n"
        "from pathlib import Path\n"
        "from umm_survey.catalog import load_catalog\n"
        "from umm_survey.render.pages import render_site\n"
        "from umm_survey.export import bibtex, tables\n"
        "c = load_catalog(Path({!r})).catalog\n"
        "render_site(c, Path({!r})); bibtex.to_bibtex(bibtex.entries(c)); tables.to_json(c)\n"
        # VmHWM is this process's own peak; ru_maxrss would report the parent's peak,
        # which Linux carries over fork and exec
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))\n"
    ).format(str(REPO / "src"), str(data), str(REPO / "templates"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(done.stdout.strip()) / 1024  # KiB -> MiB


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--mkdocs-max", type=int, default=100, help="largest N to run mkdocs on")
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    ap.add_argument("--no-real", action="store_true", help="skip the real data/ column")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[int, dict[str, float]] = {}
    memory: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            data = generate(n, Path(tmp) / f"data-{n}")
            results[n] = stages(data, args.runs, n <= args.mkdocs_max)
            memory[n] = peak_memory(data)
    real = {} if args.no_real else stages(REPO / "data", args.runs, True)
    names = list(results[sizes[0]])
    header = "| stage | " + " | ".join(f"N={n:,}" for n in sizes) + " | real data/ |"
    print(header)
    print("|" + " --- |" * (len(sizes) + 2))
    for name in names:
        cells = [f"{results[n][name] * 1000:.1f} ms" if name in results[n] else "-" for n in sizes]
        cells.append(f"{real[name] * 1000:.1f} ms" if name in real else "-")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("| peak memory | " + " | ".join(f"{memory[n]:.0f} MiB" for n in sizes) + " | - |")
    print()
    big = sizes[-1]
    pipeline = sum(results[big][s] for s in PIPELINE)
    print(
        f"pipeline before mkdocs / CSafeLoader floor at N={big:,}: "
        f"{pipeline / results[big]['floor: CSafeLoader']:.1f}x (target <= 3x)"
    )
    if len(sizes) >= 2:
        a, b = sizes[-2], sizes[-1]
        for s in PIPELINE:
            print(
                f"scaling {s}: time(N={b:,}) / time(N={a:,}) = "
                f"{results[b][s] / results[a][s]:.1f} (target <= {1.1 * b / a:.0f})"
            )
    # a generation loads, renders and writes docs/, in both ratios below (like with like)
    full = sum(results[big][s] for s in PIPELINE) + results[big]["write docs/"]
    print(
        f"incremental rebuild / full generation at N={big:,}: "
        f"{results[big]['incremental: load + render + write changed'] / full:.1%} (target <= 10%)"
    )
    if real:
        ours = sum(real[s] for s in PIPELINE) + real["write docs/"]
        print(
            f"our generation / mkdocs build on data/: {ours / real['mkdocs build']:.1%}"
            " (target < 10%)"
        )
    print(f"peak memory at N={big:,}: {memory[big]:.0f} MiB (target < 1024 MiB)")
    if args.json:
        args.json.write_text(
            json.dumps({"sizes": results, "real": real, "memory": memory}, indent=1)
        )


if __name__ == "__main__":
    main()
