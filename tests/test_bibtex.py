"""BibTeX export: round trip, real bibtex/biber/pdflatex runs, hostile text, stable keys."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest

from umm_survey.catalog import load_catalog
from umm_survey.export import bibtex

from .conftest import FIXTURES, REPO, require_tool


@pytest.fixture
def hostile(mini: Path) -> Path:
    for f in sorted((FIXTURES / "bib").glob("*.yaml")):
        shutil.copy(f, mini / "models" / f.name)
    return mini


def export(data: Path, *, ascii_only: bool = False) -> str:
    catalog = load_catalog(data).catalog
    assert catalog is not None
    return bibtex.to_bibtex(bibtex.entries(catalog, ascii_only=ascii_only))


def test_hostile_entry_is_exact_latex(hostile: Path) -> None:
    text = export(hostile)
    entry = text[text.index("@article{muller2025unicode2,") :].split("\n}\n")[0]
    assert (
        r"title = {{UniCode$^2$:} Costs 5\% \& more \#1 for a\_b \textbraceleft{}x\textbraceright{}"
        r" \textasciitilde{}y \textasciicircum{}z \textbackslash{}input\textbraceleft{}/etc/hostname"
        r"\textbraceright{} x\textbraceright{}, url = \textbraceleft{}evil\textbraceright{}},"
    ) in entry
    assert (
        "author = {Müller, Jürgen and Kaiser, Łukasz and {王小明} and O'Neil, Zoë and de la Cruz, Bob}"
        in entry
    )
    assert "journal = {TPAMI}" in entry and "month = jun" in entry
    ascii_text = export(hostile, ascii_only=True)
    assert ascii_text.isascii()
    assert r"Kaiser, {\L}ukasz" in ascii_text and r"M{\"u}ller, J{\"u}rgen" in ascii_text
    # an organisation stays one author; a URL's braces cannot close the field
    assert "author = {{OpenAI} and Álvarez-Núñez, Ana María and Picard, Jean-Luc}" in text
    assert "url = {https://example.org/card?a=1&b=2}" in text


def test_export_parses_back_into_the_same_entries(hostile: Path) -> None:
    text = export(hostile)
    library = bibtexparser.parse_string(text, parse_stack=[])  # values exactly as written
    assert not library.failed_blocks
    catalog = load_catalog(hostile).catalog
    expected = bibtex.entries(catalog)  # type: ignore[arg-type]
    assert [e.key for e in library.entries] == [c.key for c in expected]
    for got, want in zip(library.entries, expected, strict=True):
        assert got.entry_type == want.entry.entry_type
        assert {f.key: f.value for f in got.fields} == {f.key: f.value for f in want.entry.fields}
    from pybtex.database import parse_string

    parsed = parse_string(text, "bibtex")
    assert sorted(parsed.entries) == sorted(c.key for c in expected)
    assert [str(p) for p in parsed.entries["muller2025unicode2"].persons["author"]][-1] == (
        "de la Cruz, Bob"
    )


def test_the_real_catalogue_round_trips() -> None:
    loaded = load_catalog(REPO / "data")
    assert loaded.catalog is not None
    text = bibtex.to_bibtex(bibtex.entries(loaded.catalog))
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    keys = [e.key for e in library.entries]
    assert len(keys) == len(set(keys)) == sum(1 for _, r in loaded.catalog.records() if r.paper)
    assert all(re.fullmatch(r"[a-z0-9]+", k) for k in keys)


def test_adding_a_clashing_record_changes_no_existing_key(hostile: Path) -> None:
    catalog = load_catalog(hostile).catalog
    before = bibtex.assign_keys(catalog)  # type: ignore[arg-type]
    clash = (hostile / "models" / "beta.yaml").read_text(encoding="utf-8")
    clash = clash.replace("id: beta", "id: beta-two").replace("'2501.00123'", "'2501.00999'")
    clash = clash.replace("Beta: Diffusion for Everything", "Beta: Diffusion Again")
    clash = clash.replace("added: '2026-11-02'", "added: '2026-11-24'")
    (hostile / "models" / "beta-two.yaml").write_text(clash, encoding="utf-8")
    after = bibtex.assign_keys(load_catalog(hostile).catalog)  # type: ignore[arg-type]
    assert {k: v for k, v in after.items() if k in before} == before
    assert before[("models", "beta")] == "hopper2025beta"
    assert after[("models", "beta-two")] == "hopper2025betab"


PLAIN_DOC = r"""\documentclass{article}
\usepackage[T1]{fontenc}
%(declare)s
\begin{document}
\nocite{*}
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""

BIBLATEX_DOC = r"""\documentclass{article}
\usepackage[T1]{fontenc}
%(declare)s
\usepackage[backend=biber]{biblatex}
\addbibresource{refs.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""


def _run(cmd: list[str], cwd: Path) -> str:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{cmd[0]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}"
    return done.stdout + done.stderr


def _clean_log(log: str) -> list[str]:
    return [ln for ln in log.splitlines() if re.search(r"warning|error", ln, re.I)]


def _unsupported(text: str) -> str:
    """The test document's own declarations for CJK glyphs pdflatex has no font for."""
    chars = sorted({c for c in text if ord(c) >= 0x2E80})
    return "\n".join(rf"\DeclareUnicodeCharacter{{{ord(c):04X}}}{{?}}" for c in chars)


def latex_check(bib: str, tmp: Path) -> None:
    for tool in ("pdflatex", "bibtex", "biber"):
        require_tool(tool)
    plain = tmp / "plain"
    plain.mkdir()
    (plain / "refs.bib").write_text(bib, encoding="utf-8")
    (plain / "doc.tex").write_text(PLAIN_DOC % {"declare": _unsupported(bib)}, "utf-8")
    _run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc"], plain)
    out = _run(["bibtex", "doc"], plain)
    assert "Warning" not in out and "error" not in out.lower(), out
    for _ in range(2):
        log = _run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc"], plain)
    assert _clean_log(log) == []
    modern = tmp / "biblatex"
    modern.mkdir()
    (modern / "refs.bib").write_text(bib, encoding="utf-8")
    (modern / "doc.tex").write_text(BIBLATEX_DOC % {"declare": _unsupported(bib)}, "utf-8")
    _run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc"], modern)
    # pdflatex users run biber with --output-safechars (biber writes decomposed UTF-8)
    out = _run(["biber", "--output-safechars", "doc"], modern)
    assert not re.search(r"^(WARN|ERROR)", out, re.M), out
    for _ in range(2):
        log = _run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc"], modern)
    assert _clean_log(log) == []


def test_hostile_file_passes_bibtex_biber_and_pdflatex(hostile: Path, tmp_path: Path) -> None:
    (tmp_path / "ascii").mkdir()
    (tmp_path / "utf8").mkdir()
    latex_check(export(hostile, ascii_only=True), tmp_path / "ascii")
    latex_check(export(hostile), tmp_path / "utf8")


def test_real_catalogue_passes_bibtex_biber_and_pdflatex(tmp_path: Path) -> None:
    latex_check(export(REPO / "data", ascii_only=True), tmp_path)


def test_year_and_month_come_from_the_arxiv_id_when_the_day_is_unknown() -> None:
    from umm_survey.export.bibtex import base_key, make_entry
    from umm_survey.schema import Paper

    undated = Paper(title="Gamma Model", authors=["Ada Lovelace"], arxiv="2405.16785")
    fields = {f.key: f.value for f in make_entry("k", undated).fields}
    assert (fields["year"], fields["month"]) == ("{2024}", "may")
    assert base_key(undated, "gamma") == "lovelace2024gamma"
    dated = Paper(
        title="Gamma Model", authors=["Ada Lovelace"], arxiv="2405.16785", date="2024-06-01"
    )
    assert {f.key: f.value for f in make_entry("k", dated).fields}["month"] == "jun"
    nothing = Paper(title="Gamma Model", authors=["Ada Lovelace"])
    assert "year" not in {f.key for f in make_entry("k", nothing).fields}
    # never on arXiv: cited with the year of its proceedings, and no month is made up
    proceedings = Paper(title="Gamma Model", authors=["Ada Lovelace"], venue="ACL 2018")
    fields = {f.key: f.value for f in make_entry("k", proceedings).fields}
    assert fields["year"] == "{2018}" and "month" not in fields
    assert base_key(proceedings, "gamma") == "lovelace2018gamma"
    assert Paper(title="Gamma", venue="ACL 2018 Workshop on X").year_month() is None


def test_organisation_authors_stay_one_name() -> None:
    from umm_survey.export.bibtex import make_entry
    from umm_survey.schema import Paper

    paper = Paper(
        title="Gamma Model",
        authors=["Meituan LongCat Team", "Ada Lovelace", "Inclusion AI", "Bob de la Cruz"],
    )
    fields = {f.key: f.value for f in make_entry("k", paper).fields}
    # braced, a bibliography style prints them whole instead of "Team, M. L."
    assert fields["author"] == (
        "{{Meituan LongCat Team} and Lovelace, Ada and {Inclusion AI} and de la Cruz, Bob}"
    )
