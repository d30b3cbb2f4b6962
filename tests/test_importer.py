"""The awesome-list importer: section mapping, unreadable rows reported, the real list."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from umm_survey.catalog import load_catalog
from umm_survey.cli import app
from umm_survey.importer import import_awesome

from .conftest import REPO, UPSTREAM

SMALL = """\
## Papers
### Text-and-Image Unified Models
#### Diffusion
| Name | Title | Venue | Date | Code | Demo |
| :--- | :--- | :--- | :--- | :--- | :--- |
| Dif-One | [Dif-One: Masked Diffusion for All](https://arxiv.org/abs/2501.01234) | ICML 2025 | 2025/01/03 | [Github](https://github.com/example/dif-one) | - |
| | [A row without a name](https://arxiv.org/abs/2501.09999) | arXiv | 2025/01/20 | - | - |
#### MLLM AR
##### b-2: Semantic Encoding
| Name | Title | Venue | Date | Code | Demo |
| :--- | :--- | :--- | :--- | :--- | :--- |
| Sem-Two | [Sem-Two: Seeing in CLIP Space](https://arxiv.org/pdf/2402.04321) | arXiv | 2024/02/06 | - | [Demo](https://example.org/demo) |
| No-Paper | just words | arXiv | 2024/02/06 | - | - |
### Mystery Section
| Name | Title |
| :--- | :--- |
| Lost | [Lost](https://arxiv.org/abs/2403.00001) |
"""


def test_small_list_maps_sections_and_reports_every_unread_row() -> None:
    result = import_awesome(SMALL, "list.md", "2026-11-24", "https://example.org/list")
    models = result.records["models"]
    assert sorted(models) == ["dif-one", "sem-two"]
    # the survey does not split its diffusion section by encoding: unknown stays unknown
    assert models["dif-one"]["taxonomy"] == {"paradigm": "diffusion", "encoding": None}
    assert models["sem-two"]["taxonomy"] == {"paradigm": "autoregressive", "encoding": "semantic"}
    assert models["dif-one"]["paper"]["arxiv"] == "2501.01234"
    assert models["dif-one"]["paper"]["date"] == "2025-01-03"
    assert models["dif-one"]["paper"]["venue"] == "ICML 2025"
    assert models["sem-two"]["paper"]["arxiv"] == "2402.04321"  # a /pdf/ link still gives the id
    assert models["sem-two"]["links"] == {"demo": "https://example.org/demo"}
    reported = [(p.line, p.severity) for p in result.problems]
    assert reported == [(7, "warning"), (13, "warning"), (17, "warning")]
    assert "no name" in result.problems[0].message
    assert "no linked paper title" in result.problems[1].message
    assert "does not know what this section holds" in result.problems[2].message


@pytest.mark.skipif(not UPSTREAM.is_file(), reason="the survey's list lives in ../shared")
def test_the_real_upstream_list_section_by_section() -> None:
    result = import_awesome(
        UPSTREAM.read_text(encoding="utf-8"), "up.md", "2026-11-24", "https://example.org"
    )
    counts = {label.split(" / ")[-1]: n for label, n in result.counts.items()}
    assert counts == {
        "Diffusion": 7,
        "b-1: Pixel Encoding": 15,
        "b-2: Semantic Encoding": 26,
        "b-3: Learnable Query Encoding": 11,
        "b-4: Hybrid Encoding (Pseduo)": 6,
        "b-5: Hybrid Encoding (Joint)": 8,
        "c-1: Pxiel Encoding": 5,
        "c-2: Hybrid Encoding (Pseduo)": 6,
        "Any-to-Any Multimodal models": 13,
        "Benchmarks on Understanding Tasks": 13,
        "Benchmarks on Image Generation Tasks": 42,
        "Other Tasks": 7,  # the heading "Interleaved / Compositional / Other Tasks"
        "Multimodal Understanding": 13,
        "Text-to-Image": 23,
        "Image Editing": 16,
        "Interleaved Image-Text": 4,
        "Other Text-Image-to-Image": 8,
        "Applications and Opportunities": 4,
    }
    assert {k: len(v) for k, v in result.records.items()} == {
        "models": 101,
        "benchmarks": 62,
        "datasets": 63,
    }
    # the one row that is not a record of its own is said so, with its line
    assert [p.message.split(";")[0] for p in result.problems] == [
        "row merged into the earlier record 'echo-4o-image' (same paper)"
    ]
    # and data/ holds a record for every row of the list
    for kind, records in result.records.items():
        missing = [rid for rid in records if not (REPO / "data" / kind / f"{rid}.yaml").is_file()]
        assert missing == [], kind


def test_import_into_a_folder_writes_valid_records_and_keeps_existing(mini: Path) -> None:
    listing = mini.parent / "list.md"
    listing.write_text(SMALL, encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(app, ["import", "awesome-md", str(listing), "--data", str(mini)])
    assert first.exit_code == 0, first.output
    assert (mini / "models" / "dif-one.yaml").is_file()
    before = (mini / "models" / "dif-one.yaml").read_bytes()
    again = runner.invoke(app, ["import", "awesome-md", str(listing), "--data", str(mini)])
    assert "kept 2 existing" in again.output
    assert (mini / "models" / "dif-one.yaml").read_bytes() == before
    loaded = load_catalog(mini)
    assert not [d for d in loaded.diagnostics if d.severity == "error"]
