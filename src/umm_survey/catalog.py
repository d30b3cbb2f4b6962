"""The validated, cross-linked set of records, and the one function that builds it.

``load_catalog(data_dir)`` reads ``taxonomy.yaml`` and every ``<kind>/<id>.yaml``, validates
each record, runs the catalogue-wide checks and returns the catalogue with every problem
found, sorted. Node trees are dropped after each file is validated (they cost far more
memory than the records); the few files a check complains about are parsed again to find
the line and column.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import checks
from .diagnostics import Diagnostic, error
from .incremental import BuildCache, file_key
from .load import Document, locate, read_file
from .schema import KIND_SCHEMAS, SLUG_RE, Benchmark, Dataset, Model, Resource, Taxonomy
from .validate import to_record

KINDS = tuple(KIND_SCHEMAS)  # ("models", "benchmarks", "datasets")
TAXONOMY_FILE = "taxonomy.yaml"

Record = Model | Benchmark | Dataset


@dataclass
class Catalog:
    taxonomy: Taxonomy
    models: dict[str, Model] = field(default_factory=dict)
    benchmarks: dict[str, Benchmark] = field(default_factory=dict)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    # (kind, id) -> path shown to users and used for "edit this page" links
    paths: dict[tuple[str, str], str] = field(default_factory=dict)

    def by_kind(self) -> dict[str, dict[str, Record]]:
        return {"models": self.models, "benchmarks": self.benchmarks, "datasets": self.datasets}

    def records(self) -> Iterator[tuple[str, Record]]:
        for kind, records in self.by_kind().items():
            for record in records.values():
                yield kind, record

    def get(self, kind: str, record_id: str) -> Record:
        return self.by_kind()[kind][record_id]

    def path(self, kind: str, record_id: str) -> str:
        return self.paths[(kind, record_id)]

    def resources(self) -> Iterator[tuple[str, Resource]]:
        yield from (("benchmarks", b) for b in self.benchmarks.values())
        yield from (("datasets", d) for d in self.datasets.values())


@dataclass
class Loaded:
    catalog: Catalog | None
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def display_path(path: Path) -> str:
    """Path as the user will want to click it: relative to the working folder if inside."""
    return _display_path(path, os.getcwd())


@functools.lru_cache(maxsize=65536)
def _display_path(path: Path, cwd: str) -> str:
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return path.as_posix()
    return Path(rel).as_posix() if not rel.startswith("..") else path.as_posix()


def record_files(data_dir: Path, kind: str) -> tuple[list[Path], list[Diagnostic]]:
    folder = data_dir / kind
    if not folder.is_dir():
        return [], []
    files, problems = [], []
    with os.scandir(folder) as listing:  # the directory entry knows its type: no stat per file
        entries = sorted((e.name, e.is_file(follow_symlinks=False)) for e in listing)
    for name, is_plain_file in entries:
        entry = folder / name
        if name.startswith("."):
            continue
        if entry.suffix != ".yaml" or not is_plain_file:
            problems.append(
                error(
                    display_path(entry),
                    1,
                    1,
                    f"unexpected file in {kind}/: records are <id>.yaml files",
                )
            )
            continue
        if not SLUG_RE.fullmatch(entry.stem):
            problems.append(
                error(
                    display_path(entry),
                    1,
                    1,
                    f"file name '{entry.name}' is not an id: use lowercase letters, digits and dashes",
                )
            )
            continue
        files.append(entry)
    return files, problems


def load_taxonomy(data_dir: Path) -> tuple[Taxonomy | None, list[Diagnostic]]:
    path = data_dir / TAXONOMY_FILE
    if not path.is_file():
        return None, [error(display_path(path), 1, 1, "missing taxonomy file")]
    doc = read_file(path, display_path(path))
    taxonomy, problems = to_record(doc, Taxonomy)
    return taxonomy, problems  # type: ignore[return-value]


def load_record(
    path: Path, kind: str, taxonomy: Taxonomy
) -> tuple[Record | None, list[Diagnostic]]:
    doc = read_file(path, display_path(path))
    record, problems = to_record(doc, KIND_SCHEMAS[kind], {"taxonomy": taxonomy})
    if record is not None and record.id != path.stem:  # type: ignore[attr-defined]
        problems.append(
            doc.at(
                ("id",),
                f"id '{record.id}' differs from the file name '{path.name}'; they must be equal",  # type: ignore[attr-defined]
            )
        )
        return None, problems
    return record, problems  # type: ignore[return-value]


def _cached_taxonomy(
    data_dir: Path, cache: BuildCache | None
) -> tuple[Taxonomy | None, list[Diagnostic]]:
    path = data_dir / TAXONOMY_FILE
    if cache is None or not path.is_file():
        return load_taxonomy(data_dir)
    key = file_key(path)
    if cache.taxonomy is None or cache.taxonomy[0] != key:
        cache.taxonomy = (key, *load_taxonomy(data_dir))
    _, taxonomy, problems = cache.taxonomy
    return taxonomy, list(problems)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Loading makes many objects and no garbage cycles worth finding on the way; the
    cyclic collector would otherwise walk the growing catalogue again and again."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def load_catalog(data_dir: Path, cache: BuildCache | None = None) -> Loaded:
    """Every record and every problem; with a cache, unchanged files are not read again.

    A file counts as unchanged when its time, size and inode are those of the previous
    build and the taxonomy it was validated against is the same object.
    """
    with collector_paused():
        return _load_catalog(data_dir, cache)


def _load_catalog(data_dir: Path, cache: BuildCache | None) -> Loaded:
    taxonomy, diagnostics = _cached_taxonomy(data_dir, cache)
    if taxonomy is None:
        return Loaded(None, sorted(set(diagnostics)))
    catalog = Catalog(taxonomy)
    seen: dict[Path, tuple[tuple, Any, Any, list]] = {}
    for kind in KINDS:
        files, problems = record_files(data_dir, kind)
        diagnostics.extend(problems)
        target = catalog.by_kind()[kind]
        for path in files:
            if cache is None:
                record, problems = load_record(path, kind, taxonomy)
            else:
                key = file_key(path)
                hit = cache.records.get(path)
                if hit is None or hit[0] != key or hit[1] is not taxonomy:
                    hit = (key, taxonomy, *load_record(path, kind, taxonomy))
                seen[path] = hit
                record, problems = hit[2], hit[3]
            diagnostics.extend(problems)
            if record is not None:
                target[record.id] = record  # type: ignore[assignment]
                catalog.paths[(kind, record.id)] = display_path(path)
    if cache is not None:
        cache.records = seen  # files that were deleted leave the cache
    memo = cache.checks if cache is not None else None
    if memo is not None:
        memo.begin()
    diagnostics.extend(resolve(checks.run_all(catalog, memo), catalog))
    if memo is not None:
        memo.end()
    return Loaded(catalog, sorted(set(diagnostics)))


def resolve(findings: list[checks.Finding], catalog: Catalog) -> list[Diagnostic]:
    """Give each finding its line and column, parsing each named file once."""
    docs: dict[str, Document] = {}
    out = []
    for f in findings:
        shown = catalog.path(f.kind, f.record_id)
        if shown not in docs:
            docs[shown] = read_file(Path(shown), shown)
        line, col = locate(docs[shown].root, f.loc, key=f.at_key)
        out.append(Diagnostic(shown, line, col, f.severity, f.message))  # type: ignore[arg-type]
    return out
