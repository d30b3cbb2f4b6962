"""JSON and CSV downloads: valid, complete, formatted like the standard library, and inert
in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from umm_survey.catalog import Catalog, load_catalog
from umm_survey.export import tables

from .conftest import REPO


def loaded(data: Path) -> Catalog:
    catalog = load_catalog(data).catalog
    assert catalog is not None
    return catalog


def standard(text: str) -> str:
    return json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"


def test_the_json_of_the_real_catalogue_is_what_the_standard_encoder_writes() -> None:
    catalog = loaded(REPO / "data")
    text = tables.to_json(catalog)
    assert text == standard(text)
    document = json.loads(text)
    assert [m["id"] for m in document["models"]] == sorted(catalog.models)
    assert len(document["benchmarks"]) == len(catalog.benchmarks)
    assert len(document["datasets"]) == len(catalog.datasets)
    # references carry the name they point to
    model = next(m for m in document["models"] if m["results"] and m["training_data"])
    record = catalog.models[model["id"]]
    assert model["results"][0]["benchmark_name"] == (
        catalog.benchmarks[record.results[0].benchmark].name
    )
    assert model["training_data"][0] == {
        "id": record.training_data[0],
        "name": catalog.datasets[record.training_data[0]].name,
    }


def test_json_keeps_what_the_fast_encoder_refuses(mini: Path) -> None:
    # a 2^128 codebook is real (UniWeTok) and past the 64 bits the fast encoder takes
    path = mini / "models" / "alpha.yaml"
    text = path.read_text(encoding="utf-8")
    assert "codebook_size: 8192" in text
    path.write_text(text.replace("codebook_size: 8192", f"codebook_size: {2**128}"), "utf-8")
    out = tables.to_json(loaded(mini))
    assert out == standard(out)
    alpha = next(m for m in json.loads(out)["models"] if m["id"] == "alpha")
    assert alpha["understanding_encoder"]["codebook_size"] == 2**128


def test_csv_rows_are_one_per_model_and_never_formulas(mini: Path) -> None:
    path = mini / "models" / "alpha.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: Alpha\n", "name: '=HYPERLINK(\"x\")'\n"), "utf-8")
    catalog = loaded(mini)
    rows = list(csv.DictReader(io.StringIO(tables.models_csv(catalog))))
    assert [r["id"] for r in rows] == sorted(catalog.models)
    assert rows[0]["name"] == '\'=HYPERLINK("x")'
    assert list(rows[0]) == tables.CSV_COLUMNS
    assert rows[0]["base_model"] == ""
