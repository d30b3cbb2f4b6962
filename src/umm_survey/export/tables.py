"""JSON (every record, references resolved) and CSV (one row per model) for data users."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..catalog import Catalog
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
    "code",
    "weights",
    "authors",
    "title",
]


def _record(record: Any) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude_none=True, exclude_defaults=False)


def to_json(catalog: Catalog) -> str:
    """The whole catalogue; each reference also carries the name it points to."""
    models = []
    for m in sorted(catalog.models.values(), key=lambda m: m.id):
        data = _record(m)
        data["training_data"] = [
            {"id": d, "name": catalog.datasets[d].name} for d in m.training_data
        ]
        for r in data["results"]:
            r["benchmark_name"] = catalog.benchmarks[r["benchmark"]].name
        models.append(data)
    doc = {
        "format": FORMAT_VERSION,
        "taxonomy": catalog.taxonomy.model_dump(mode="json"),
        "models": models,
        "benchmarks": [_record(b) for b in sorted(catalog.benchmarks.values(), key=lambda r: r.id)],
        "datasets": [_record(d) for d in sorted(catalog.datasets.values(), key=lambda r: r.id)],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


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
        m.links.code,
        m.links.weights,
        "; ".join(m.paper.authors),
        m.paper.title,
    ]
    return [_cell(v) for v in values]


def models_csv(catalog: Catalog) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for m in sorted(catalog.models.values(), key=lambda m: m.id):
        writer.writerow(_row(m))
    return buf.getvalue()
