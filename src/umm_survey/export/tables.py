"""JSON (every record, references resolved) and CSV (one row per model) for data users."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import orjson

from ..catalog import Catalog
from ..incremental import Memo, by_runs
from ..schema import Model

FORMAT_VERSION = 1
CSV_COLUMNS = [
    "id",
    "name",
    "date",
    "arxiv",
    "venue",
    "paradigm",
    "encoding",
    "input",
    "output",
    "understanding_encoder",
    "understanding_encoder_kind",
    "generation_tokenizer",
    "generation_tokenizer_kind",
    "codebook_size",
    "attention",
    "backbone",
    "backbone_params",
    "parameters",
    "base_model",
    "code",
    "weights",
    "authors",
    "title",
]


def _record(record: Any) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude_none=True, exclude_defaults=False)


def _model_data(m: Model, catalog: Catalog) -> dict[str, Any]:
    data = _record(m)
    data["training_data"] = [{"id": d, "name": catalog.datasets[d].name} for d in m.training_data]
    for r in data["results"]:
        r["benchmark_name"] = catalog.benchmarks[r["benchmark"]].name
    return data


def _dumps(value: Any, level: int) -> str:
    """``json.dumps(value, indent=2)`` as it appears ``level`` levels deep in a document.

    orjson writes the text the standard library's indenting encoder writes (that one is pure
    Python and took a tenth of a site build), except that a float in exponent form reads
    1e-7 rather than 1e-07. What orjson refuses, an integer beyond 64 bits (an implicit
    codebook of 2^128 entries) or a lone surrogate, goes to the standard encoder.
    JSON text has no raw newline inside strings, so indenting every line is exact.
    """
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    except orjson.JSONEncodeError:
        text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + "  " * level)


def _array(blocks: list[str]) -> list[str]:
    """The pieces of a JSON array of ``blocks`` at the second level of indentation."""
    if not blocks:
        return ["[]"]
    pieces = ["[\n    "]
    for i, block in enumerate(blocks):
        pieces.extend((",\n    ", block) if i else (block,))
    pieces.append("\n  ]")
    return pieces


def to_json(catalog: Catalog, memo: Memo | None = None) -> str:
    """The whole catalogue; each reference also carries the name it points to.

    The text equals ``json.dumps(document, indent=2)``; it is assembled from one block per
    record so that a rebuild can reuse the blocks of records that did not change.
    """
    memo = memo if memo is not None else Memo()
    # a model's block shows the names of the datasets and benchmarks it refers to
    names = (tuple(catalog.datasets.values()), tuple(catalog.benchmarks.values()))
    models = by_runs(
        memo,
        "json models",
        sorted(catalog.models.values(), key=lambda m: m.id),
        names,
        lambda m: _dumps(_model_data(m, catalog), 2),
    )
    resources = {
        kind: by_runs(
            memo,
            f"json {kind}",
            sorted(records.values(), key=lambda r: r.id),
            (),
            lambda r: _dumps(_record(r), 2),
        )
        for kind, records in (("benchmarks", catalog.benchmarks), ("datasets", catalog.datasets))
    }
    taxonomy = memo.get(
        ("json", "taxonomy"),
        (catalog.taxonomy,),
        lambda: _dumps(catalog.taxonomy.model_dump(mode="json"), 1),
    )
    # one join: the downloads of a large catalogue are tens of megabytes, and each
    # concatenation would copy them again
    return "".join(
        [
            "{\n",
            f'  "format": {FORMAT_VERSION},\n',
            f'  "taxonomy": {taxonomy},\n',
            '  "models": ',
            *_array(models),
            ',\n  "benchmarks": ',
            *_array(resources["benchmarks"]),
            ',\n  "datasets": ',
            *_array(resources["datasets"]),
            "\n}\n",
        ]
    )


def _cell(value: Any) -> str:
    """Text a spreadsheet shows as text: no formula from a leading = + - @ or control."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    if text[:1] in ("=", "+", "-", "@"):
        text = "'" + text
    return text


def _row(m: Model) -> list[str]:
    ue, gt, bb = m.understanding_encoder, m.generation_tokenizer, m.backbone
    values = [
        m.id,
        m.name,
        m.paper.date,
        m.paper.arxiv,
        m.paper.venue,
        m.taxonomy.paradigm,
        m.taxonomy.encoding,
        " ".join(m.modalities.input) if m.modalities else None,
        " ".join(m.modalities.output) if m.modalities else None,
        ue.name if ue else None,
        ue.kind if ue else None,
        gt.name if gt else None,
        gt.kind if gt else None,
        gt.codebook_size if gt else None,
        m.attention,
        bb.name if bb else None,
        bb.params if bb else None,
        m.parameters,
        m.base_model,
        m.links.code,
        m.links.weights,
        "; ".join(m.paper.authors),
        m.paper.title,
    ]
    return [_cell(v) for v in values]


def _csv_line(values: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerow(values)
    return buf.getvalue()


def models_csv(catalog: Catalog, memo: Memo | None = None) -> str:
    memo = memo if memo is not None else Memo()
    models = sorted(catalog.models.values(), key=lambda m: m.id)
    rows = by_runs(memo, "csv", models, (), lambda m: _csv_line(_row(m)))
    return _csv_line(CSV_COLUMNS) + "".join(rows)
