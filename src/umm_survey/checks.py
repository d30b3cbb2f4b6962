"""Catalogue-wide rules: what no single record can know about itself.

Each rule walks the catalogue once and groups by key (arXiv id, normalised title, id) or
sorts once (dates along arXiv ids), so the cost grows linearly, or as n log n, with the
number of records. Rules return :class:`Finding` values
that name a record and a location inside it; :mod:`catalog` turns them into positioned
diagnostics.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import functools
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel

from .incremental import Memo
from .schema import REF_RE, Benchmark, Dataset, Model, Resource

Record = Model | Benchmark | Dataset

if TYPE_CHECKING:
    from .catalog import Catalog

# Fields whose values are claims about the model that a source must support.
DATE_ERROR_MONTHS = 13  # a date this many months from its arXiv id is an error, not a warning
ORDER_SLACK_DAYS = 1  # arXiv dates are UTC days; allow one day either way around a neighbour

SOURCED_FIELDS = (
    "taxonomy",
    "modalities",
    "understanding_encoder",
    "generation_tokenizer",
    "attention",
    "backbone",
    "parameters",
    "base_model",
    "training_data",
    "results",
)


@dataclass(frozen=True)
class Finding:
    kind: str  # "models", "benchmarks" or "datasets"
    record_id: str
    loc: tuple[str | int, ...]
    severity: str
    message: str
    at_key: bool = False


def run_all(catalog: Catalog, memo: Memo | None = None) -> list[Finding]:
    """Every finding. Rules that look at one record at a time are kept in ``memo`` while
    the record is the same object, so a rebuild checks only the records that changed.

    The catalogue-wide rules read only what :func:`_shape` keeps of each record; while no
    record's shape changed (an edit of a name, a score or a note), their findings are
    those of the last build and the rules are not run again.
    """
    memo = memo if memo is not None else Memo()
    own: list[Finding] = []
    shapes = []
    for kind, record in catalog.records():
        path = catalog.path(kind, record.id)
        found, shape = memo.get(
            ("checks", kind, record.id),
            (record, path),
            lambda kind=kind, record=record, path=path: (
                [*dates(kind, record), *sourcing(kind, record)],
                _shape(kind, record, path),
            ),
        )
        own.extend(found)
        shapes.append(shape)
    wide = memo.get(
        ("checks", "catalogue-wide"),
        tuple(shapes),
        lambda: [f for rule in (shared_papers, references, date_order) for f in rule(catalog)],
    )
    return [*wide, *own]


def _shape(kind: str, record: Record, path: str) -> tuple:
    """What the catalogue-wide rules read of a record: where it is, its paper's id, title
    and date, and every id or metric name it refers to."""
    paper = record.paper
    cited = (paper.arxiv, paper.title, paper.date, paper.date_note) if paper else None
    if isinstance(record, Model):
        refs: tuple = (
            tuple(record.training_data),
            tuple((r.benchmark, r.metric) for r in record.results),
            record.base_model,
        )
    else:
        refs = (tuple(record.related), tuple(getattr(record, "lower_is_better", ())))
    return (kind, record.id, path, cited, refs)


@functools.lru_cache(maxsize=65536)
def _title_key(title: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", title.casefold()).strip()


def _linked(catalog: Catalog, a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Records of a shared paper are fine when one names the other in ``related``."""
    for x, y in ((a, b), (b, a)):
        record = catalog.get(*x)
        if isinstance(record, Resource) and f"{y[0][:-1]}:{y[1]}" in record.related:
            return True
    return False


def shared_papers(catalog: Catalog) -> Iterator[Finding]:
    """Two records for one paper: one has the wrong arXiv id, or they are one artefact."""
    for field, keyfn, label in (
        ("arxiv", lambda p: p.arxiv, "arXiv id"),
        ("title", lambda p: _title_key(p.title), "title"),
    ):
        groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for kind, record in catalog.records():
            if record.paper is not None and keyfn(record.paper):
                groups[keyfn(record.paper)].append((kind, record.id))
        for members in groups.values():
            if len(members) < 2:
                continue
            for me in members:
                others = [o for o in members if o != me and not _linked(catalog, me, o)]
                if not others:
                    continue
                value = getattr(catalog.get(*me).paper, field)
                names = ", ".join(f"{catalog.path(*o)}" for o in others)
                yield Finding(
                    me[0],
                    me[1],
                    ("paper", field),
                    "error",
                    f"{label} '{value}' is also used by {names}; one of them is wrong, "
                    "or they are one artefact and should name each other in 'related'",
                )


def _missing(kind: str, ref: str, known: list[str]) -> str:
    close = difflib.get_close_matches(ref, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown {kind} '{ref}': there is no data/{kind}s/{ref}.yaml{hint}"


def references(catalog: Catalog) -> Iterator[Finding]:
    """Every id a record names exists, and every metric a benchmark ranks lowest-first is
    one its results use (a misspelt name would leave its leaderboard ranked the wrong way)."""
    ids = {kind: set(records) for kind, records in catalog.by_kind().items()}
    sorted_ids = {kind: sorted(v) for kind, v in ids.items()}

    def check(kind: str, ref: str) -> str | None:
        if ref in ids[kind + "s"]:
            return None
        return _missing(kind, ref, sorted_ids[kind + "s"])

    metrics: dict[str, set[str]] = {}  # benchmark -> the metrics its results use
    for model in catalog.models.values():
        for i, ds in enumerate(model.training_data):
            if msg := check("dataset", ds):
                yield Finding("models", model.id, ("training_data", i), "error", msg)
        for i, res in enumerate(model.results):
            if msg := check("benchmark", res.benchmark):
                yield Finding("models", model.id, ("results", i, "benchmark"), "error", msg)
            metrics.setdefault(res.benchmark, set()).add(res.metric.casefold())
        if model.base_model and (msg := check("model", model.base_model)):
            yield Finding("models", model.id, ("base_model",), "error", msg)
        elif loop := _base_loop(catalog, model.id):
            yield Finding(
                "models",
                model.id,
                ("base_model",),
                "error",
                f"base_model goes round in a loop ({' -> '.join(loop)}): a model cannot build "
                "on itself, directly or through others",
            )
    for bench in catalog.benchmarks.values():
        used = metrics.get(bench.id)
        for i, name in enumerate(bench.lower_is_better):
            if used and name.casefold() not in used:
                yield Finding(
                    "benchmarks",
                    bench.id,
                    ("lower_is_better", i),
                    "warning",
                    f"no result of this benchmark uses the metric '{name}', so no leaderboard "
                    "ranks by it; the results name " + ", ".join(f"'{m}'" for m in sorted(used)),
                )
    for kind, records in (("benchmarks", catalog.benchmarks), ("datasets", catalog.datasets)):
        for record in records.values():
            for i, ref in enumerate(record.related):
                m = REF_RE.fullmatch(ref)
                assert m is not None  # the schema checked the form
                if msg := check(m.group(1), m.group(2)):
                    yield Finding(kind, record.id, ("related", i), "error", msg)


def _base_loop(catalog: Catalog, start: str) -> list[str] | None:
    """The chain of base models from ``start`` back to ``start``, if there is one."""
    chain, seen = [start], {start}
    model = catalog.models[start]
    while model.base_model and model.base_model in catalog.models:
        chain.append(model.base_model)
        if model.base_model == start:
            return chain
        if model.base_model in seen:  # a loop that ``start`` only leads into
            return None
        seen.add(model.base_model)
        model = catalog.models[model.base_model]
    return None


def month_gap(arxiv: str, date: str) -> int:
    """Months between the arXiv id's year-month and a YYYY-MM-DD date."""
    year, month = 2000 + int(arxiv[:2]), int(arxiv[2:4])
    return abs((int(date[:4]) * 12 + int(date[5:7])) - (year * 12 + month))


def dates(kind: str, record: Record) -> Iterator[Finding]:
    paper = record.paper
    if paper is not None and paper.year_month() is None:
        yield Finding(
            kind,
            record.id,
            ("paper",),
            "warning",
            "the paper has no date, arXiv id or year at the end of its venue, so its BibTeX "
            "entry has no year; add one of them",
        )
    if paper is None or not paper.arxiv or not paper.date or paper.date_note:
        return
    gap = month_gap(paper.arxiv, paper.date)
    if gap > 1:
        # a gap of a year or more is a wrong id or a wrong date, not a late first version
        yield Finding(
            kind,
            record.id,
            ("paper", "date"),
            "error" if gap >= DATE_ERROR_MONTHS else "warning",
            f"date {paper.date} is {gap} months from arXiv id {paper.arxiv} "
            f"(20{paper.arxiv[:2]}-{paper.arxiv[2:4]}); fix it, or explain it in paper.date_note",
        )


def _arxiv_key(arxiv: str) -> tuple[int, int]:
    """Order of arXiv ids: year-month, then the running number within the month."""
    head, _, number = arxiv.partition(".")
    return int(head), int(number)


def date_order(catalog: Catalog) -> Iterator[Finding]:
    """arXiv numbers new papers nearly always in the order they are submitted, so
    first-version dates should not decrease along the ids; a paper announced late, such
    as OBELICS, is the exception a ``date_note`` explains, and records with one are left
    out. The dates that keep the longest ordered run are taken as right; a date outside
    it is reported when it is off by more than a day from the run's dates on both sides
    of it, so one late or early date yields one finding, not one per neighbour."""
    dated: list[tuple[tuple[int, int], dt.date, str, str, str]] = []
    for kind, record in catalog.records():
        paper = record.paper
        if paper is None or not paper.arxiv or not paper.date or paper.date_note:
            continue
        day = dt.date.fromisoformat(paper.date)
        dated.append((_arxiv_key(paper.arxiv), day, paper.arxiv, kind, record.id))
    dated.sort()
    # longest non-decreasing run of dates (patience sorting, O(n log n))
    tails: list[dt.date] = []
    tail_at: list[int] = []
    back = [-1] * len(dated)
    for i, (_, day, *_rest) in enumerate(dated):
        j = bisect.bisect_right(tails, day)
        back[i] = tail_at[j - 1] if j else -1
        if j == len(tails):
            tails.append(day)
            tail_at.append(i)
        else:
            tails[j] = day
            tail_at[j] = i
    keep: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        keep.add(i)
        i = back[i]
    kept = sorted(keep)
    slack = dt.timedelta(days=ORDER_SLACK_DAYS)
    for i, (_, day, _, kind, rid) in enumerate(dated):
        if i in keep:
            continue
        at = bisect.bisect_left(kept, i)
        before = dated[kept[at - 1]] if at else None
        after = dated[kept[at]] if at < len(kept) else None
        if before is not None and day < before[1] - slack:
            other, word = before, "earlier"
        elif after is not None and day > after[1] + slack:
            other, word = after, "later"
        else:
            continue
        yield Finding(
            kind,
            rid,
            ("paper", "date"),
            "warning",
            f"date {day} is out of order with arXiv ids: {catalog.path(other[3], other[4])} has the "
            f"{word} id {other[2]} but is dated {other[1]}; arXiv numbers papers nearly always in "
            "the order they are submitted, so one of the two is probably not the first-version "
            "date (explain a real exception, such as a late announcement, in paper.date_note)",
        )


def sourcing(kind: str, model: Record) -> Iterator[Finding]:
    """Every filled claim is covered by a source, and third-party scores name theirs."""
    if not isinstance(model, Model):
        return
    covered = {c for s in model.sources for c in s.covers}
    for field in SOURCED_FIELDS:
        if _filled(getattr(model, field)) and field not in covered:
            yield Finding(
                "models",
                model.id,
                (field,),
                "error",
                f"'{field}' is filled but no entry in 'sources' covers it; "
                f"add '{field}' to the 'covers' list of the source it was read in",
                at_key=True,
            )
    for i, res in enumerate(model.results):
        if res.reported_by == "third-party" and not res.source:
            yield Finding(
                "models",
                model.id,
                ("results", i, "reported_by"),
                "error",
                "a third-party score needs 'source': the URL it was read at",
            )


def _filled(value: object) -> bool:
    if isinstance(value, BaseModel):
        return bool(value.model_dump(exclude_none=True, exclude_defaults=True))
    return value not in (None, "", [])
