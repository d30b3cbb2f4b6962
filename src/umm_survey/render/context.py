"""What each page needs, computed from the catalogue as plain values.

Templates only lay these values out. Everything here is deterministic: lists are sorted
by explicit keys, never by dict or set order.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..catalog import Catalog
from ..incremental import Memo
from ..schema import Model, Resource, Result
from ..stats import (
    KIND_FIELDS,
    RESOURCE_FIELDS,
    category_counts,
    completeness,
    missing,
    model_completeness,
)

NEWEST = 10
GAPS_SHOWN = 500  # records listed per field on the Facts wanted page; the CLI lists all
RELATED = 8  # related models shown per kind of relation
# modalities that make a model "any-to-any" beyond text and images
_BEYOND_TEXT_IMAGE = {"video", "audio", "speech", "music", "3d", "action"}


def model_url(model_id: str) -> str:
    return f"models/{model_id}.md"


@functools.lru_cache(maxsize=65536)
def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.casefold())


def sort_date(model: Model) -> tuple[str, str]:
    return (model.paper.date or "9999", model.id)


def params_of(model: Model) -> str | None:
    if model.parameters:
        return model.parameters
    return model.backbone.params if model.backbone and model.backbone.params else None


def is_any_to_any(model: Model) -> bool:
    if model.survey_section == "any-to-any":
        return True
    mods = model.modalities
    return bool(mods and _BEYOND_TEXT_IMAGE & (set(mods.input) | set(mods.output)))


@dataclass(frozen=True)
class Score:
    model: Model
    result: Result
    rank: int


@dataclass(frozen=True)
class Board:
    """One ranking: results measured the same way (metric, split, scale, protocol, source)."""

    metric: str
    split: str | None
    scale: str
    protocol: str
    reported_by: str
    scores: list[Score]
    lower_is_better: bool = False

    @property
    def label(self) -> str:
        parts = [self.metric]
        if self.split:
            parts.append(f"split {self.split}")
        parts.append(f"scale {self.scale}")
        if self.protocol != "standard":
            parts.append(self.protocol)
        parts.append("self-reported" if self.reported_by == "self" else "third-party")
        return ", ".join(parts)


@dataclass
class Site:
    catalog: Catalog
    by_paradigm: dict[str, list[Model]] = field(default_factory=dict)
    by_pair: dict[tuple[str, str], list[Model]] = field(default_factory=dict)
    any_to_any: list[Model] = field(default_factory=list)
    boards: dict[str, list[Board]] = field(default_factory=dict)
    users: dict[tuple[str, str], list[Model]] = field(default_factory=dict)
    related: dict[str, dict[str, list[Model]]] = field(default_factory=dict)
    derived: dict[str, list[Model]] = field(default_factory=dict)  # base model -> its fine-tunes
    newest: list[Model] = field(default_factory=list)
    by_added: list[Model] = field(default_factory=list)  # newest addition first, then by id
    unplaced: dict[str, list[Model]] = field(default_factory=dict)  # paradigm, no encoding
    timeline: list[Model] = field(default_factory=list)
    models: list[Model] = field(default_factory=list)


def build_site(catalog: Catalog, memo: Memo | None = None) -> Site:
    site = Site(catalog)
    models = sorted(catalog.models.values(), key=sort_date)
    site.models = models
    site.timeline = [m for m in models if m.paper.date]
    for p in catalog.taxonomy.paradigms:
        site.by_paradigm[p.id] = [m for m in models if m.taxonomy.paradigm == p.id]
        site.unplaced[p.id] = [m for m in site.by_paradigm[p.id] if m.taxonomy.encoding is None]
        for e in catalog.taxonomy.encodings:
            members = [m for m in site.by_paradigm[p.id] if m.taxonomy.encoding == e.id]
            if members:
                site.by_pair[(p.id, e.id)] = members
    site.any_to_any = [m for m in models if is_any_to_any(m)]
    by_id = sorted(models, key=lambda m: m.id)
    site.by_added = sorted(by_id, key=lambda m: m.added, reverse=True)  # stable: ids stay in order
    site.newest = sorted(models, key=lambda m: (m.added, m.paper.date or "", m.id), reverse=True)[
        :NEWEST
    ]
    memo = memo if memo is not None else Memo()
    facets = [memo.get(("facets", m.id), (m,), lambda m=m: _facets(m)) for m in models]
    site.boards = _boards(catalog, models, facets, memo)
    site.users = _users(models, facets)
    site.related = _related(models, facets, memo)
    for m in models:
        if m.base_model:
            site.derived.setdefault(m.base_model, []).append(m)
    return site


@dataclass(frozen=True)
class Facets:
    """What the catalogue-wide groupings read of one model, worked out once per record."""

    # (benchmark, how it was measured, result) for each result
    results: list[tuple[str, tuple, Result]]
    # the datasets it trains on and the benchmarks it reports, as (kind, id), each once
    uses: list[tuple[str, str]]
    # (kind of relation, shared value) for the relations it takes part in
    related: list[tuple[str, str]]


def _facets(m: Model) -> Facets:
    results = [
        (r.benchmark, (r.metric, r.split or "", r.scale, r.protocol, r.reported_by), r)
        for r in m.results
    ]
    uses = [("datasets", d) for d in sorted(set(m.training_data))]
    uses += [("benchmarks", b) for b in sorted({r.benchmark for r in m.results})]
    related = []
    if m.generation_tokenizer:
        related.append(("same generation tokenizer", _norm(m.generation_tokenizer.name)))
    if m.taxonomy.encoding:
        related.append(("same visual encoding", f"{m.taxonomy.paradigm}/{m.taxonomy.encoding}"))
    if m.backbone:
        related.append(("same backbone", _norm(m.backbone.name)))
    return Facets(results, uses, [(label, key) for label, key in related if key])


def _boards(
    catalog: Catalog, models: list[Model], facets: list[Facets], memo: Memo
) -> dict[str, list[Board]]:
    groups: dict[str, dict[tuple, list[tuple[Model, Result]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for m, f in zip(models, facets, strict=True):
        for bench, key, r in f.results:
            groups[bench][key].append((m, r))
    out: dict[str, list[Board]] = {}
    for bench in sorted(groups):
        lower = {name.casefold() for name in catalog.benchmarks[bench].lower_is_better}
        boards = []
        for key in sorted(groups[bench], key=lambda k: (-len(groups[bench][k]), k)):
            entries, low = groups[bench][key], key[0].casefold() in lower  # key[0]: metric
            # a board none of whose results changed is not ranked again
            boards.append(
                memo.get(
                    ("board", bench, key),
                    (tuple(entries), low),
                    lambda key=key, entries=entries, low=low: _board(key, entries, low),
                )
            )
        out[bench] = boards
    return out


def _board(key: tuple, entries: list[tuple[Model, Result]], lower_is_better: bool) -> Board:
    """One ranking: results measured the same way, best first, equal values share a rank."""
    sign = 1 if lower_is_better else -1
    rows = sorted(entries, key=lambda mr: (sign * mr[1].value, mr[0].id, mr[1].setting or ""))
    scores, rank, last = [], 0, None
    for i, (m, r) in enumerate(rows, start=1):
        if r.value != last:
            rank, last = i, r.value
        scores.append(Score(m, r, rank))
    metric, split, scale, protocol, reported_by = key
    return Board(metric, split or None, scale, protocol, reported_by, scores, lower_is_better)


def _users(models: list[Model], facets: list[Facets]) -> dict[tuple[str, str], list[Model]]:
    """Back-links: the models that train on a dataset or report a benchmark."""
    users: dict[tuple[str, str], list[Model]] = defaultdict(list)
    for m, f in zip(models, facets, strict=True):
        for used in f.uses:
            users[used].append(m)
    return dict(users)


def _related(
    models: list[Model], facets: list[Facets], memo: Memo
) -> dict[str, dict[str, list[Model]]]:
    """Per model: others with the same generation tokenizer, encoding or backbone."""
    index: dict[str, dict[str, list[Model]]] = {
        "same generation tokenizer": defaultdict(list),
        "same visual encoding": defaultdict(list),
        "same backbone": defaultdict(list),
    }
    for m, f in zip(models, facets, strict=True):
        for label, key in f.related:
            index[label][key].append(m)
    out: dict[str, dict[str, list[Model]]] = {m.id: {} for m in models}
    for label, groups in index.items():
        for key, group in groups.items():
            if len(group) > 1:
                # a group whose members are all unchanged keeps its lists
                name = ("related", label, key)
                *_, picked = memo.get(
                    name, tuple(group), lambda g=group, n=name: _picked(g, memo.previous(n))
                )
                for mid, others in picked.items():
                    out[mid][label] = others
    return {
        mid: {label: related[label] for label in index if label in related}
        for mid, related in out.items()
    }


Picked = tuple[dict[str, str | None], dict[str, tuple[str, ...]], dict[str, list[Model]]]


def _picked(group: list[Model], before: Picked | None) -> Picked:
    """``_nearest_in_time`` of a group, with the ids and dates it was chosen from and the
    chosen ids. The choice depends on ids and dates only: after an edit that changed
    neither (a name, a score), the last build's ids are mapped to this build's records."""
    when = {m.id: m.paper.date for m in group}
    if before is not None and before[0] == when:
        ids = before[1]
    else:
        ids = {mid: tuple(o.id for o in near) for mid, near in _nearest_in_time(group).items()}
    by_id = {m.id: m for m in group}
    return when, ids, {mid: [by_id[o] for o in near] for mid, near in ids.items()}


def _nearest_in_time(group: list[Model]) -> dict[str, list[Model]]:
    """For each model of a group, the RELATED others closest in time (ties by id).

    The group is sorted once by date; each model then looks at its neighbours only, so the
    cost grows with the group's size, not with its square (categories hold thousands).
    """
    days = {m.id: _days(m) for m in group}
    ordered = sorted(group, key=lambda o: (days[o.id], o.id))
    out: dict[str, list[Model]] = {}
    for i, m in enumerate(ordered):
        here = days[m.id]
        picked: list[Model] = []
        for step in (-1, 1):
            j, taken, last_gap = i + step, 0, -1
            while 0 <= j < len(ordered):
                o = ordered[j]
                gap = abs(days[o.id] - here)
                if taken >= RELATED and gap != last_gap:
                    break
                picked.append(o)
                taken, last_gap = taken + 1, gap
                j += step
        picked.sort(key=lambda o: (abs(days[o.id] - here), o.id))
        out[m.id] = picked[:RELATED]
    return out


def _days(m: Model) -> int:
    """Days since year 1 of the first public date; records without a date sort first."""
    return _dt.date.fromisoformat(m.paper.date).toordinal() if m.paper.date else 0


def home_stats(catalog: Catalog, memo: Memo | None = None) -> dict:
    resources = list(catalog.benchmarks.values()) + list(catalog.datasets.values())
    return {
        "counts": category_counts(catalog),
        "models": model_completeness(catalog, memo),
        "resources": completeness(resources, RESOURCE_FIELDS, memo),
    }


def gaps(catalog: Catalog, memo: Memo | None = None) -> dict:
    """For the Facts wanted page: per kind of record, per field, the records lacking it."""
    by_kind = catalog.by_kind()
    return {
        "gaps": {
            kind: missing(list(by_kind[kind].values()), fields, memo)
            for kind, fields in KIND_FIELDS.items()
        },
        "totals": {kind: len(by_kind[kind]) for kind in KIND_FIELDS},
        "limit": GAPS_SHOWN,
    }


def resource_kind_records(catalog: Catalog, kind: str) -> list[Resource]:
    records = catalog.benchmarks if kind == "benchmarks" else catalog.datasets
    return sorted(records.values(), key=lambda r: (r.name.casefold(), r.id))
