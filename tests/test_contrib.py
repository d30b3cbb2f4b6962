"""Contributor path: new → fill → fmt → validate → build; schema, canonical form, exports."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from umm_survey import contrib
from umm_survey.catalog import KINDS, load_catalog, load_taxonomy
from umm_survey.cli import app
from umm_survey.export import awesome

from .conftest import REPO
from .test_render import project

runner = CliRunner()


def test_committed_json_schema_is_current() -> None:
    taxonomy, _ = load_taxonomy(REPO / "data")
    assert taxonomy is not None
    for name, text in contrib.schema_files(taxonomy).items():
        committed = REPO / "schema" / name
        assert committed.read_text(encoding="utf-8") == text, f"run umm-survey schema ({name})"
    model = json.loads((REPO / "schema" / "model.schema.json").read_text(encoding="utf-8"))
    assert "hybrid" in model["$defs"]["Classification"]["properties"]["paradigm"]["enum"]


def test_every_record_is_canonical_and_names_its_schema() -> None:
    taxonomy, _ = load_taxonomy(REPO / "data")
    for kind in KINDS:
        for path in sorted((REPO / "data" / kind).glob("*.yaml")):
            text, problems = contrib.canonical(path, kind, taxonomy)  # type: ignore[arg-type]
            assert problems == []
            assert path.read_text(encoding="utf-8") == text, f"run umm-survey fmt ({path.name})"
            assert text.startswith(f"# yaml-language-server: $schema=../../schema/{kind[:-1]}")


def test_readme_awesome_list_is_current() -> None:
    catalog = load_catalog(REPO / "data").catalog
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert awesome.replace_between_markers(readme, awesome.awesome_list(catalog)) == readme, (  # type: ignore[arg-type]
        "run umm-survey export awesome --readme README.md"
    )


def test_fmt_keeps_comments_and_check_lists_files(mini: Path) -> None:
    alpha = mini / "models" / "alpha.yaml"
    alpha.write_text(
        alpha.read_text()
        .replace("links:\n", "# the official code\nlinks:\n")
        .replace("attention: causal", "attention: 'causal'"),
        encoding="utf-8",
    )
    check = runner.invoke(app, ["fmt", "--check", "--data", str(mini)])
    assert check.exit_code == 1
    assert check.output.strip().endswith("models/alpha.yaml: not canonical")
    done = runner.invoke(app, ["fmt", "--data", str(mini)])
    assert done.exit_code == 0
    text = alpha.read_text(encoding="utf-8")
    assert "# the official code\nlinks:\n" in text and "attention: causal\n" in text
    assert runner.invoke(app, ["fmt", "--check", "--data", str(mini)]).exit_code == 0


def test_new_refuses_existing_ids_and_arxiv(mini: Path) -> None:
    same_id = runner.invoke(app, ["new", "model", "--name", "Alpha", "--data", str(mini)])
    assert same_id.exit_code == 1 and "exists already" in same_id.output
    same_arxiv = runner.invoke(
        app, ["new", "model", "--name", "Other", "--arxiv", "2410.10000", "--data", str(mini)]
    )
    assert same_arxiv.exit_code == 1 and "alpha.yaml" in same_arxiv.output


def test_new_from_pasted_bibtex(mini: Path) -> None:
    pasted = mini.parent / "paste.bib"
    pasted.write_text(
        '@misc{x2025, title={Gamma: {U}nified {M}odels for {M}\\"{u}ller}, '
        'author={M{\\"u}ller, J{\\"u}rgen and Ada Lovelace}, year={2025}, eprint={2507.01234},'
        " archivePrefix={arXiv}, primaryClass={cs.CV}}",
        encoding="utf-8",
    )
    done = runner.invoke(app, ["new", "--from-bibtex", str(pasted), "--data", str(mini)])
    assert done.exit_code == 0, done.output
    text = (mini / "models" / "gamma.yaml").read_text(encoding="utf-8")
    assert 'title: "Gamma: Unified Models for Müller"' in text
    assert '  - "Jürgen Müller"\n  - "Ada Lovelace"' in text
    assert 'arxiv: "2507.01234"' in text


def test_contributor_path_end_to_end(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "tests" / "fixtures" / "mini", data)
    shutil.copy(REPO / "data" / "taxonomy.yaml", data / "taxonomy.yaml")
    root = project(tmp_path, data)
    (root / "README.md").write_text("# x\n", encoding="utf-8")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "umm_survey", *args],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    made = cli(
        "new",
        "model",
        "--arxiv",
        "2509.00001",
        "--name",
        "Zeta-Gen",
        "--title",
        "Zeta-Gen: One Model for Seeing and Drawing",
    )
    assert made.returncode == 0, made.stderr
    record = root / "data" / "models" / "zeta-gen.yaml"
    text = record.read_text(encoding="utf-8")
    assert "unknown stays unknown" in text and "understanding_encoder:" in text
    filled = (
        text.replace(
            "  authors: []            # full list, in order, as on the arXiv page",
            "  authors: [Zeta Author]",
        )
        .replace(
            "  date:                  # 'YYYY-MM-DD' of arXiv v1 (first public)",
            "  date: '2025-09-01'",
        )
        .replace(
            "  paradigm:              # diffusion | autoregressive | hybrid", "  paradigm: hybrid"
        )
        .replace(
            "  encoding:              # pixel | semantic | learnable-query | hybrid-pseudo | hybrid-joint",
            "  encoding: hybrid-pseudo",
        )
        .replace("  covers: [paper]", "  covers: [paper, taxonomy]")
    )
    record.write_text(filled, encoding="utf-8")
    assert cli("fmt").returncode == 0
    assert "# A unified model." in record.read_text(encoding="utf-8")  # comments survive fmt
    checked = cli("validate")
    assert checked.returncode == 0, checked.stderr
    built = cli("build")
    assert built.returncode == 0, built.stderr
    site = root / "site"
    category = (site / "taxonomy" / "hybrid" / "hybrid-pseudo" / "index.html").read_text("utf-8")
    assert "Zeta-Gen" in category
    assert 'href="zeta-gen/"' in (site / "models" / "index.html").read_text("utf-8")
    assert "author2025zetagen" in (site / "downloads" / "umm-survey.bib").read_text("utf-8")
    listed = cli("export", "awesome", "--readme", "README.md")
    assert listed.returncode == 0, listed.stderr
    assert "| Zeta\\-Gen | [Zeta\\-Gen: One Model for Seeing and Drawing]" in (
        root / "README.md"
    ).read_text("utf-8")


def test_workflows_are_valid_github_actions() -> None:
    exe = shutil.which("check-jsonschema")
    assert exe, "check-jsonschema comes with the test extras"
    files = sorted(str(p) for p in (REPO / ".github" / "workflows").glob("*.yml"))
    assert len(files) >= 2
    done = subprocess.run(
        [exe, "--builtin-schema", "vendor.github-workflows", *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
