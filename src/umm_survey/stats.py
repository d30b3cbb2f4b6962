"""Counts per category and per-field completeness, for `umm-survey stats` and the home page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .catalog import Catalog
from .incremental import Memo, by_runs
from .schema import Model, Resource

# (label, test) in the order the issue tracker and the home page list them.
MODEL_FIELDS: list[tuple[str, Callable[[Model], bool]]] = [
    ("authors", lambda m: bool(m.paper.authors)),
    ("date", lambda m: m.paper.date is not None),
    ("arXiv id", lambda m: m.paper.arxiv is not None),
    ("venue", lambda m: m.paper.venue is not None),
    ("code link", lambda m: m.links.code is not None),
    ("weights link", lambda m: m.links.weights is not None),
    ("paradigm", lambda m: m.taxonomy.paradigm is not None),
    ("encoding", lambda m: m.taxonomy.encoding is not None),
    ("modalities", lambda m: m.modalities is not None and bool(m.modalities.output)),
    ("understanding encoder", lambda m: m.understanding_encoder is not None),
    ("generation tokenizer", lambda m: m.generation_tokenizer is not None),
    ("attention", lambda m: m.attention is not None),
    ("backbone", lambda m: m.backbone is not None),
    ("parameters", lambda m: m.parameters is not None),
    ("training data", lambda m: bool(m.training_data)),
    ("benchmark results", lambda m: bool(m.results)),
]

RESOURCE_FIELDS: list[tuple[str, Callable[[Resource], bool]]] = [
    ("paper", lambda r: r.paper is not None),
    ("authors", lambda r: r.paper is not None and bool(r.paper.authors)),
    ("date", lambda r: r.paper is not None and r.paper.date is not None),
    ("tasks", lambda r: bool(r.tasks)),
    ("size", lambda r: r.size is not None),
    ("links", lambda r: bool(r.links.model_dump(exclude_none=True))),
]

KIND_FIELDS = {"models": MODEL_FIELDS, "benchmarks": RESOURCE_FIELDS, "datasets": RESOURCE_FIELDS}


@dataclass(frozen=True)
class Completeness:
    field: str
    filled: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.filled / self.total if self.total else 0.0


def _filled(records: list, fields: list[tuple[str, Callable]], memo: Memo | None) -> list[tuple]:
    """For each record, whether it fills each field; ``memo`` keeps the answers for runs of
    records that are the same objects as in the last build."""
    memo = memo if memo is not None else Memo()
    return by_runs(
        memo, f"filled {id(fields)}", records, (), lambda r: tuple(bool(t(r)) for _, t in fields)
    )


def completeness(
    records: list, fields: list[tuple[str, Callable]], memo: Memo | None = None
) -> list[Completeness]:
    """How many records fill each field."""
    rows = _filled(records, fields, memo)
    return [
        Completeness(label, sum(row[i] for row in rows), len(records))
        for i, (label, _) in enumerate(fields)
    ]


def missing(
    records: list, fields: list[tuple[str, Callable]], memo: Memo | None = None
) -> dict[str, list]:
    """Per field, the records that do not fill it, sorted by name (case-insensitive) and id."""
    rows = _filled(records, fields, memo)
    order = sorted(range(len(records)), key=lambda i: _by_name(records[i]))
    return {
        label: [records[i] for i in order if not rows[i][k]] for k, (label, _) in enumerate(fields)
    }


def _by_name(record: Model | Resource) -> tuple[str, str]:
    return (record.name.casefold(), record.id)


def field_named(fields: list[tuple[str, Callable]], name: str) -> str | None:
    """The label of ``fields`` that ``name`` means: 'backbone', 'training-data' and
    'training_data' all name 'training data'."""
    wanted = " ".join(name.replace("-", " ").replace("_", " ").split()).casefold()
    return next((label for label, _ in fields if label.casefold() == wanted), None)


def model_completeness(catalog: Catalog, memo: Memo | None = None) -> list[Completeness]:
    return completeness(list(catalog.models.values()), MODEL_FIELDS, memo)


def category_counts(catalog: Catalog) -> dict[str, Counter[str]]:
    """Models per paradigm, per encoding and per (paradigm, encoding); 'unknown' when unset."""
    out: dict[str, Counter[str]] = {"paradigm": Counter(), "encoding": Counter(), "pair": Counter()}
    for m in catalog.models.values():
        p = m.taxonomy.paradigm or "unknown"
        e = m.taxonomy.encoding or "unknown"
        out["paradigm"][p] += 1
        out["encoding"][e] += 1
        out["pair"][f"{p} / {e}"] += 1
    return out


def report(catalog: Catalog) -> str:
    """The plain-text report `umm-survey stats` prints."""
    lines = [
        f"models: {len(catalog.models)}  benchmarks: {len(catalog.benchmarks)}  "
        f"datasets: {len(catalog.datasets)}",
        "",
    ]
    counts = category_counts(catalog)
    tax = catalog.taxonomy
    order = {"paradigm": tax.ids("paradigms"), "encoding": tax.ids("encodings")}
    for group in ("paradigm", "encoding"):
        lines.append(f"models per {group}:")
        for key in [*order[group], "unknown"]:
            if counts[group][key]:
                lines.append(f"  {key:<24}{counts[group][key]:>5}")
        lines.append("")
    sections = [
        ("models", list(catalog.models.values()), MODEL_FIELDS),
        ("benchmarks", list(catalog.benchmarks.values()), RESOURCE_FIELDS),
        ("datasets", list(catalog.datasets.values()), RESOURCE_FIELDS),
    ]
    for title, records, fields in sections:
        lines.append(f"{title}: fields filled")
        for c in completeness(records, fields):
            lines.append(f"  {c.field:<24}{c.filled:>5} / {c.total:<5}{c.percent:6.1f}%")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def missing_report(catalog: Catalog, kind: str, label: str) -> str:
    """The records of ``kind`` that lack the field ``label``, one file per line."""
    records = list(catalog.by_kind()[kind].values())
    lacking = missing(records, KIND_FIELDS[kind])[label]
    lines = [f"{catalog.path(kind, r.id)}  {r.name}" for r in lacking]
    lines.append(f"{len(lacking)} of {len(records)} {kind} lack {label}")
    return "\n".join(lines) + "\n"
