"""The corpus of bad records under tests/bad: each gives exit 1 and one pointed error line,
no traceback, bounded time and memory, and nothing written to docs/ or site/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from umm_survey.cli import app

from .conftest import FIXTURES, REPO

BAD = Path(__file__).resolve().parent / "bad"

# file -> (line:col of the first error, words the message must contain)
EXPECTED = {
    "syntax-error.yaml": ("13:11", "YAML syntax error"),
    "tab-indent.yaml": ("12:1", "tab character"),
    "bom.yaml": ("1:1", "byte-order mark"),
    "non-utf8.yaml": ("7:15", "not valid UTF-8 (byte 0xe9)"),
    "empty.yaml": ("1:1", "file is empty"),
    "comments-only.yaml": ("1:1", "file is empty"),
    "top-list.yaml": ("1:1", "this file is a list"),
    "top-scalar.yaml": ("1:1", "this file is a single value"),
    "duplicate-key.yaml": ("4:1", "duplicate key 'name' (first at line 3)"),
    "duplicate-nested-key.yaml": ("13:3", "duplicate key 'paradigm' (first at line 12)"),
    "unknown-key.yaml": ("4:1", "unknown key 'nmae' in the record; did you mean 'name'?"),
    "unknown-nested-key.yaml": ("13:3", "did you mean 'encoding'?"),
    "wrong-type-list.yaml": ("6:12", "paper.authors: Input should be a valid list"),
    "wrong-type-number.yaml": ("17:10", "results[0].value: Input should be a valid number"),
    "unquoted-arxiv.yaml": ("8:10", 'write "2501.00123" in quotes'),
    "no-trap.yaml": ("14:12", "reads unquoted `no` as the boolean false"),
    "yes-trap.yaml": ("22:16", "reads unquoted `yes` as the boolean true"),
    "alias-bomb.yaml": ("2:7", "anchors and aliases"),
    "deep-nesting.yaml": ("2", "nesting is too deep"),  # column depends on the libyaml version
    "dotdot-id.yaml": ("2:5", "'../../etc/passwd' is not an id"),
    "con.yaml": ("2:5", "'con' is reserved"),
    "Upper.yaml": ("1:1", "file name 'Upper.yaml' is not an id"),
    "javascript-url.yaml": ("10:8", "only http(s) URLs are allowed, not 'javascript:alert(1)'"),
    "data-url.yaml": ("10:8", "only http(s) URLs are allowed, not 'data:"),
    "script-title.yaml": ("5:10", "paper.title: contains markup '<script>'"),
    "onerror-notes.yaml": ("26:8", "notes: contains markup '<img src=x onerror"),
    "onerror-attr-name.yaml": ("3:7", "name: contains markup 'onclick='"),
    "dangling-dataset.yaml": ("15:17", "unknown dataset 'no-such-set'"),
    "dangling-benchmark.yaml": ("16:14", "unknown benchmark 'genevall'"),
    "duplicate-arxiv.yaml": ("8:10", "arXiv id '2501.00123' is also used by data/models/beta.yaml"),
    "date-far-from-arxiv.yaml": ("9:9", "date 2020-01-02 is 60 months from arXiv id 2501.00123"),
    "missing-name.yaml": ("2:1", "missing required key 'name'"),
    "bidi-control.yaml": ("3:7", "invisible direction control U+202E"),
    "custom-tag.yaml": (
        "3:7",
        "YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed",
    ),
    "id-mismatch.yaml": ("2:5", "id 'gamma' differs from the file name 'id-mismatch.yaml'"),
    "unsourced-claim.yaml": ("14:1", "'attention' is filled but no entry in 'sources' covers it"),
    "bad-date.yaml": ("9:9", "'2025-02-30' is not a date of the form YYYY-MM-DD"),
}


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 30


def case_project(tmp: Path, name: str) -> Path:
    data = tmp / "data"
    shutil.copytree(FIXTURES / "mini", data)
    shutil.copy(REPO / "data" / "taxonomy.yaml", data / "taxonomy.yaml")
    if name != "duplicate-arxiv.yaml":  # the cases are edits of beta; keep one of the two
        (data / "models" / "beta.yaml").unlink()
    shutil.copy(BAD / name, data / "models" / name)
    return tmp


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_record(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = case_project(tmp_path, name)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(app, ["build", "--site", "site", "--docs", "docs"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # reported, not crashed
    position, words = EXPECTED[name]
    first = next(line for line in result.output.splitlines() if f"models/{name}:" in line)
    assert first.startswith(f"data/models/{name}:{position}:"), first
    assert ": error: " in first, first
    assert words in first, first
    assert "Traceback" not in result.output
    assert not (root / "site").exists() and not (root / "docs").exists()


LIMITS = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB
from umm_survey.cli import main
sys.argv = ["umm-survey", "validate"]
main()
"""


@pytest.mark.parametrize("name", ["alias-bomb.yaml", "deep-nesting.yaml", "huge"])
def test_hostile_files_cost_bounded_time_and_memory(name: str, tmp_path: Path) -> None:
    if name == "huge":  # 20 MB: generated here rather than kept in the repository
        root = case_project(tmp_path, "empty.yaml")
        (root / "data" / "models" / "empty.yaml").unlink()
        with open(root / "data" / "models" / "huge.yaml", "w", encoding="utf-8") as f:
            f.write("id: huge\nname: Huge\nnotes: '")
            f.write("x" * (20 * 1024 * 1024))
            f.write("'\n")
    else:
        root = case_project(tmp_path, name)
    done = subprocess.run(
        [sys.executable, "-c", LIMITS],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    if name == "huge":
        assert (
            "huge.yaml:1:1: error: file is 20971550 bytes; a record may be at most 1048576"
            in done.stderr
        )
