"""Every error class of one record, with its exact position and message."""

from __future__ import annotations

from pathlib import Path

import pytest

from umm_survey.catalog import load_catalog


def problems(data: Path) -> list[str]:
    return [str(d).replace(str(data.parent) + "/", "") for d in load_catalog(data).diagnostics]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_fixture_catalogue_is_clean(mini: Path) -> None:
    loaded = load_catalog(mini)
    assert loaded.diagnostics == []
    assert loaded.catalog is not None
    assert sorted(loaded.catalog.models) == ["alpha", "beta"]


CASES = [
    # (old text, new text, expected diagnostic)
    (
        "name: Alpha\n",
        "name: Alpha\nnmae: x\n",
        "data/models/alpha.yaml:4:1: error: unknown key 'nmae' in the record; did you mean 'name'?",
    ),
    (
        "  codebook_size: 8192\ngeneration",
        "  codebok_size: 8192\ngeneration",
        "data/models/alpha.yaml:25:3: error: unknown key 'codebok_size' in understanding_encoder;"
        " did you mean 'codebook_size'?",
    ),
    (
        "arxiv: '2410.10000'",
        "arxiv: 2410.10000",
        "data/models/alpha.yaml:10:10: error: paper.arxiv: YAML reads unquoted `2410.10000` as the"
        ' number 2410.1, losing its exact digits; write "2410.10000" in quotes',
    ),
    (
        "attention: causal",
        "attention: no",
        "data/models/alpha.yaml:30:12: error: attention: YAML 1.1 reads unquoted `no` as the boolean"
        ' false; write "no"',
    ),
    (
        "  codebook_size: 8192\ngeneration",
        "  codebook_size: '8192'\ngeneration",
        "data/models/alpha.yaml:25:18: error: understanding_encoder.codebook_size: Input should be"
        " a valid integer",
    ),
    (
        "code: https://github.com/example/alpha",
        "code: javascript:alert(1)",
        "data/models/alpha.yaml:15:9: error: links.code: only http(s) URLs are allowed, not"
        " 'javascript:alert(1)'",
    ),
    (
        "paradigm: autoregressive",
        "paradigm: autoregresive",
        "data/models/alpha.yaml:17:13: error: taxonomy.paradigm: unknown paradigm 'autoregresive'"
        " (known: diffusion, autoregressive, hybrid); did you mean 'autoregressive'?",
    ),
    (
        "name: Alpha\n",
        "",
        "data/models/alpha.yaml:2:1: error: missing required key 'name'",
    ),
    (
        "id: alpha",
        "id: alpha2",
        "data/models/alpha.yaml:2:5: error: id 'alpha2' differs from the file name 'alpha.yaml';"
        " they must be equal",
    ),
    (
        "training_data: [pixset]",
        "training_data: [pixset, nope]",
        "data/models/alpha.yaml:34:25: error: unknown dataset 'nope': there is no"
        " data/datasets/nope.yaml",
    ),
    (
        "- benchmark: mmmu",
        "- benchmark: mmmuu",
        "data/models/alpha.yaml:44:14: error: unknown benchmark 'mmmuu': there is no"
        " data/benchmarks/mmmuu.yaml; did you mean 'mmmu'?",
    ),
    (
        "value: 0.61",
        "value: .nan",
        "data/models/alpha.yaml:37:10: error: results[0].value: Input should be a finite number",
    ),
    (
        "date: '2024-10-14'",
        "date: '2024-07-14'",
        "data/models/alpha.yaml:11:9: warning: date 2024-07-14 is 3 months from arXiv id"
        " 2410.10000 (2024-10); fix it, or explain it in paper.date_note",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"), CASES, ids=[c[1].split(":")[0].strip() or "delete" for c in CASES]
)
def test_one_error_class(mini: Path, old: str, new: str, expected: str) -> None:
    edit(mini / "models" / "alpha.yaml", old, new)
    assert problems(mini) == [expected]


def test_a_date_note_silences_the_date_warning(mini: Path) -> None:
    edit(
        mini / "models" / "alpha.yaml",
        "date: '2024-10-14'",
        "date: '2023-01-14'\n  date_note: first shown at a workshop before the arXiv post",
    )
    assert problems(mini) == []


def test_bad_file_names_and_shared_papers(mini: Path) -> None:
    (mini / "models" / "Bad_Name.yaml").write_text("id: bad_name\nname: B\n", encoding="utf-8")
    beta = (mini / "models" / "beta.yaml").read_text(encoding="utf-8")
    (mini / "models" / "gamma.yaml").write_text(beta.replace("id: beta", "id: gamma"), "utf-8")
    assert problems(mini) == [
        "data/models/Bad_Name.yaml:1:1: error: file name 'Bad_Name.yaml' is not an id: use"
        " lowercase letters, digits and dashes",
        "data/models/beta.yaml:5:10: error: title 'Beta: Diffusion for Everything' is also used by"
        " data/models/gamma.yaml; one of them is wrong, or they are one artefact and should name"
        " each other in 'related'",
        "data/models/beta.yaml:8:10: error: arXiv id '2501.00123' is also used by"
        " data/models/gamma.yaml; one of them is wrong, or they are one artefact and should name"
        " each other in 'related'",
        "data/models/gamma.yaml:5:10: error: title 'Beta: Diffusion for Everything' is also used"
        " by data/models/beta.yaml; one of them is wrong, or they are one artefact and should name"
        " each other in 'related'",
        "data/models/gamma.yaml:8:10: error: arXiv id '2501.00123' is also used by"
        " data/models/beta.yaml; one of them is wrong, or they are one artefact and should name"
        " each other in 'related'",
    ]


def test_every_problem_of_every_file_is_reported_in_one_run(mini: Path) -> None:
    edit(mini / "models" / "alpha.yaml", "name: Alpha\n", "name: Alpha\nnmae: x\n")
    edit(mini / "models" / "alpha.yaml", "attention: causal", "attention: yes")
    edit(mini / "models" / "beta.yaml", "  - Grace Hopper", "  - Grace Hopper\n   bad: indent")
    (mini / "datasets" / "tabbed.yaml").write_text("id: tabbed\n\tname: T\n", encoding="utf-8")
    found = problems(mini)
    assert [f.split(": error:")[0] for f in found] == [
        "data/datasets/tabbed.yaml:2:1",
        "data/models/alpha.yaml:4:1",
        "data/models/alpha.yaml:31:12",
        "data/models/beta.yaml:8:7",
    ]


def _copy_of_beta(data: Path, rid: str, arxiv: str, date: str) -> None:
    """Another model record like beta, with its own id, title, arXiv id and date."""
    text = (data / "models" / "beta.yaml").read_text(encoding="utf-8")
    for old, new in (
        ("id: beta", f"id: {rid}"),
        ("Beta: Diffusion for Everything", f"{rid.title()}: Another Paper"),
        ("2501.00123", arxiv),
        ("date: '2025-01-02'", f"date: '{date}'"),
    ):
        assert old in text
        text = text.replace(old, new)
    (data / "models" / f"{rid}.yaml").write_text(text, encoding="utf-8")


def test_a_date_out_of_order_with_the_arxiv_ids_is_reported_once(mini: Path) -> None:
    # beta (2501.00123, 2 Jan), gamma (2501.00200, 5 Jan) and zeta (2501.00250, 6 Jan) are
    # in order; delta's id is later than theirs, yet its date is earlier by more than a day:
    # delta is the odd one out, and its neighbour in the ordered run is named
    _copy_of_beta(mini, "gamma", "2501.00200", "2025-01-05")
    _copy_of_beta(mini, "zeta", "2501.00250", "2025-01-06")
    _copy_of_beta(mini, "delta", "2501.00300", "2025-01-02")
    _copy_of_beta(mini, "epsilon", "2501.00400", "2025-01-07")
    assert problems(mini) == [
        "data/models/delta.yaml:9:9: warning: date 2025-01-02 is out of order with arXiv ids:"
        " data/models/zeta.yaml has the earlier id 2501.00250 but is dated 2025-01-06; arXiv"
        " numbers papers nearly always in the order they are submitted, so one of the two is"
        " probably not the first-version date (explain a real exception, such as a late"
        " announcement, in paper.date_note)"
    ]


def test_a_day_of_difference_or_a_date_note_is_not_reported(mini: Path) -> None:
    _copy_of_beta(mini, "gamma", "2501.00200", "2025-01-05")
    _copy_of_beta(mini, "delta", "2501.00300", "2025-01-04")  # one day: time zones
    _copy_of_beta(mini, "epsilon", "2501.00400", "2025-01-07")
    assert problems(mini) == []
    edit(mini / "models" / "delta.yaml", "date: '2025-01-04'", "date: '2025-01-01'")
    assert len(problems(mini)) == 1
    edit(
        mini / "models" / "delta.yaml",
        "date: '2025-01-01'",
        "date: '2025-01-01'\n  date_note: the conference version came first",
    )
    assert problems(mini) == []


def test_a_paper_with_no_year_anywhere_is_reported(mini: Path) -> None:
    alpha = mini / "models" / "alpha.yaml"
    edit(alpha, "  arxiv: '2410.10000'\n  date: '2024-10-14'\n", "")
    edit(alpha, "  url: https://arxiv.org/abs/2410.10000\n", "")
    # the venue still ends in a year, which is enough to cite it
    assert problems(mini) == []
    edit(alpha, "venue: ICLR 2025", "venue: ICLR")
    assert problems(mini) == [
        "data/models/alpha.yaml:6:3: warning: the paper has no date, arXiv id or year at the end"
        " of its venue, so its BibTeX entry has no year; add one of them"
    ]


def test_a_lower_is_better_metric_that_no_result_uses_is_reported(mini: Path) -> None:
    path = mini / "benchmarks" / "geneval.yaml"
    edit(path, "tasks: [generation]\n", "tasks: [generation]\nlower_is_better: [Overall]\n")
    assert problems(mini) == []  # the results say "overall": names match ignoring case
    edit(path, "lower_is_better: [Overall]", "lower_is_better: [Overall, gFID]")
    assert problems(mini) == [
        "data/benchmarks/geneval.yaml:5:28: warning: no result of this benchmark uses the metric"
        " 'gFID', so no leaderboard ranks by it; the results name 'overall'"
    ]


def test_a_base_model_needs_a_source_and_cannot_loop(mini: Path) -> None:
    beta = mini / "models" / "beta.yaml"
    edit(beta, "attention: bidirectional\n", "attention: bidirectional\nbase_model: alpha\n")
    assert problems(mini) == [
        "data/models/beta.yaml:15:1: error: 'base_model' is filled but no entry in 'sources'"
        " covers it; add 'base_model' to the 'covers' list of the source it was read in"
    ]
    edit(beta, "attention, results]", "attention, results, base_model]")
    assert problems(mini) == []
    alpha = mini / "models" / "alpha.yaml"
    edit(alpha, "attention: causal\n", "attention: causal\nbase_model: beta\n")
    edit(alpha, "training_data, results]", "training_data, results, base_model]")
    loop = "a model cannot build on itself, directly or through others"
    assert problems(mini) == [
        "data/models/alpha.yaml:31:13: error: base_model goes round in a loop"
        f" (alpha -> beta -> alpha): {loop}",
        "data/models/beta.yaml:15:13: error: base_model goes round in a loop"
        f" (beta -> alpha -> beta): {loop}",
    ]
