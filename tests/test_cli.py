"""The command line: exit status 0 clean, 1 data errors, 2 usage; never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from umm_survey.cli import app

runner = CliRunner()


def test_validate_exit_codes(mini: Path) -> None:
    ok = runner.invoke(app, ["validate", "--data", str(mini)])
    assert ok.exit_code == 0
    assert "2 models, 2 benchmarks, 1 datasets: no errors" in ok.output

    missing = runner.invoke(app, ["validate", "--data", str(mini / "nowhere")])
    assert missing.exit_code == 2

    unknown_option = runner.invoke(app, ["validate", "--dta", str(mini)])
    assert unknown_option.exit_code == 2

    (mini / "models" / "alpha.yaml").write_text("id: alpha\nname: [unclosed\n", encoding="utf-8")
    bad = runner.invoke(app, ["validate", "--data", str(mini)])
    assert bad.exit_code == 1
    assert bad.output.splitlines()[0] == (
        "data/models/alpha.yaml:3:1: error: YAML syntax error: did not find expected ',' or ']'"
        " (while parsing a flow sequence)"
    )
    assert "1 error, 0 warnings" in bad.output


def test_console_script_reports_without_traceback(mini: Path) -> None:
    (mini / "models" / "alpha.yaml").write_bytes(b"\xef\xbb\xbfid: alpha\n")
    done = subprocess.run(
        [sys.executable, "-m", "umm_survey", "validate", "--data", "data"],
        capture_output=True,
        text=True,
        cwd=mini.parent,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(
        "data/models/alpha.yaml:1:1: error: file starts with a byte-order"
    )


def test_stats_counts_and_field_completeness(mini: Path) -> None:
    out = runner.invoke(app, ["stats", "--data", str(mini)])
    assert out.exit_code == 0
    text = out.output
    assert "autoregressive" in text and "diffusion" in text
    assert (
        "models per paradigm:\n  diffusion                   1\n  autoregressive              1\n"
        in text
    )
    # alpha names its understanding encoder, beta does not
    assert "  understanding encoder       1 / 2      50.0%\n" in text
    assert "  attention                   2 / 2     100.0%\n" in text


def test_stats_missing_names_what_it_knows(mini: Path) -> None:
    benches = runner.invoke(
        app, ["stats", "--data", str(mini), "--missing", "SIZE", "--kind", "benchmarks"]
    )
    assert benches.exit_code == 0, benches.output
    assert benches.output.splitlines()[-1].endswith("of 2 benchmarks lack size")
    unknown = runner.invoke(app, ["stats", "--data", str(mini), "--missing", "colour"])
    assert unknown.exit_code == 2
    assert "models have no field 'colour' (known: 'authors'," in unknown.output
    kind = runner.invoke(app, ["stats", "--data", str(mini), "--missing", "date", "--kind", "x"])
    assert kind.exit_code == 2
    assert "--kind must be one of models, benchmarks, datasets" in kind.output
