"""Shared fixtures: small catalogues built in a temporary folder from the repo's taxonomy."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
UPSTREAM = REPO.parent / "shared" / "upstream" / "awesome-unified-multimodal-models.README.md"


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def mini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the small valid catalogue under tests/fixtures/mini; cwd is its parent."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini", data)
    shutil.copy(REPO / "data" / "taxonomy.yaml", data / "taxonomy.yaml")
    monkeypatch.chdir(tmp_path)
    return data


def require_tool(name: str) -> str:
    """Path of a system tool; skip without it, except in CI (.ci/run installs them all)."""
    import os

    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("UMM_REQUIRE_TOOLS"):
        pytest.fail(f"{name} is not installed; .ci/run should have installed it")
    pytest.skip(f"{name} is not installed")
