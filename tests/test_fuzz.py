"""Property-based checks: the loader only ever answers with a record or with diagnostics,
and no text from a record becomes markup on a page. Plus determinism across hash seeds."""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from umm_survey.catalog import load_catalog
from umm_survey.incremental import Memo
from umm_survey.load import parse_text
from umm_survey.render.context import RELATED, _days, _facets, _related
from umm_survey.render.pages import relpath, render_site
from umm_survey.schema import Model
from umm_survey.validate import to_record

from .conftest import FIXTURES, REPO

REAL = sorted((REPO / "data" / "models").glob("*.yaml"))[:40]
HOSTILE_BITS = [
    "<script>",
    "</title>",
    "<img src=x onerror=alert(1)>",
    "|",
    "[a](b)",
    "{: x }",
    "`",
    "*",
    "_",
    "#",
    "\\",
    "&amp;",
    "'",
    '"',
    "javascript:",
    "\n",
    "  ",
    "é",
    "王",
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = REAL[draw(st.integers(0, len(REAL) - 1))].read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "dup-line"]))
        if op == "insert":
            text = (
                text[:pos]
                + draw(st.sampled_from([*HOSTILE_BITS, ":", "- ", "&a ", "*a", "\t", "{", "]"]))
                + text[pos:]
            )
        elif op == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 20)) :]
        else:
            lines = text.splitlines(keepends=True)
            if lines:
                i = draw(st.integers(0, len(lines) - 1))
                lines.insert(i, lines[i])
                text = "".join(lines)
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated(), st.text(max_size=300)))
def test_loader_answers_with_a_record_or_diagnostics(text: str) -> None:
    doc = parse_text(text, "x.yaml")  # must not raise, whatever the text
    record, problems = to_record(doc, Model, {"taxonomy": _TAXONOMY})
    assert (record is None) == bool(problems)
    for d in problems:
        assert d.path == "x.yaml" and d.line >= 1 and d.col >= 1 and d.message


def _taxonomy():  # loaded once for the property tests
    from umm_survey.catalog import load_taxonomy

    tax, _ = load_taxonomy(REPO / "data")
    return tax


_TAXONOMY = _taxonomy()
ALLOWED_TAGS = {
    "h1",
    "h2",
    "p",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "em",
    "strong",
    "ul",
    "li",
    "code",
    "pre",
    "div",
    "br",
}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


plain = st.lists(
    st.sampled_from(HOSTILE_BITS + list("abcXYZ 019-:.")), min_size=1, max_size=12
).map("".join)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(name=plain, title=plain, backbone=plain, notes=plain)
def test_no_record_text_becomes_markup(name: str, title: str, backbone: str, notes: str) -> None:
    base = load_catalog(_MINI).catalog
    assert base is not None
    alpha = base.models["alpha"]
    data = alpha.model_dump()
    data.update(name=name.replace("\n", " ").strip() or "x", notes=notes.strip() or None)
    data["paper"]["title"] = title.replace("\n", " ").strip() or "x"
    data["backbone"]["name"] = backbone.replace("\n", " ").strip() or "x"
    try:
        changed = Model.model_validate(data, context={"taxonomy": base.taxonomy})
    except Exception:  # markup and control characters are refused by the schema: fine
        return
    base.models["alpha"] = changed
    page = render_site(base, REPO / "templates")["models/alpha.md"]
    body = page.split("---\n", 2)[2]
    html = markdown.markdown(body, extensions=["tables", "md_in_html", "fenced_code"])
    parser = Tags()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, (tag, name, title, backbone, notes)
        assert not any(k.startswith("on") for k, _ in attrs)
        assert all(not (v or "").lower().startswith("javascript:") for _, v in attrs)


def _mini_copy() -> Path:
    """The mini catalogue with the repository's taxonomy, in a temporary folder."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="umm-fuzz-")) / "data"
    shutil.copytree(FIXTURES / "mini", folder)
    shutil.copy(REPO / "data" / "taxonomy.yaml", folder / "taxonomy.yaml")
    return folder


_MINI = _mini_copy()

RENDER = """
import json, sys
from pathlib import Path
from umm_survey.catalog import load_catalog
from umm_survey.export import bibtex, tables
from umm_survey.render.pages import render_site
cat = load_catalog(Path(sys.argv[1])).catalog
out = render_site(cat, Path(sys.argv[2]))
out["all.bib"] = bibtex.to_bibtex(bibtex.entries(cat))
out["all.json"] = tables.to_json(cat)
out["models.csv"] = tables.models_csv(cat)
print(json.dumps(out, sort_keys=True))
"""


def _copy_in_order(src: Path, dst: Path, reverse: bool) -> None:
    files = sorted(p for p in src.rglob("*") if p.is_file())
    for p in reversed(files) if reverse else files:
        target = dst / p.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(p, target)


def test_outputs_are_byte_identical_across_hash_seeds_and_file_order(tmp_path: Path) -> None:
    outputs = []
    for seed, reverse in (("1", False), ("4242", True)):
        data = tmp_path / f"data-{seed}"
        _copy_in_order(REPO / "data", data, reverse)
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", RENDER, str(data), str(REPO / "templates")],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=True,
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0].keys() == outputs[1].keys()
    for key in outputs[0]:
        assert outputs[0][key] == outputs[1][key], key


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["models", "taxonomy", "hybrid", "a.md", "index.md"]), max_size=4),
    st.lists(st.sampled_from(["models", "taxonomy", "hybrid", "a.md", "index.md"]), max_size=4),
)
def test_fast_relpath_agrees_with_posixpath(target: list[str], start: list[str]) -> None:
    t, s = "/".join(target), "/".join(start)
    assert relpath(t, s) == posixpath.relpath(t or ".", s or ".")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([None, "2024-01-01", "2024-01-02", "2024-03-01", "2025-06-30"]),
            st.sampled_from(["pixel", "semantic"]),
            st.sampled_from([None, "VQ", "VAE"]),
        ),
        min_size=2,
        max_size=30,
    )
)
def test_related_models_are_the_nearest_in_time(rows: list[tuple]) -> None:
    """The neighbour walk picks exactly what sorting every other member would pick."""
    models = []
    for i, (date, encoding, tokenizer) in enumerate(rows):
        paper = {"title": "T", **({"date": date} if date else {})}
        models.append(
            Model.model_validate(
                {
                    "id": f"m{i:02d}",
                    "name": f"M{i}",
                    "paper": paper,
                    "taxonomy": {"paradigm": "hybrid", "encoding": encoding},
                    **({"generation_tokenizer": {"name": tokenizer}} if tokenizer else {}),
                    "added": "2026-01-01",
                }
            )
        )
    related = _related(models, [_facets(m) for m in models], Memo())

    for m in models:
        for label, attr in (
            ("same visual encoding", lambda o: o.taxonomy.encoding),
            (
                "same generation tokenizer",
                lambda o: o.generation_tokenizer and o.generation_tokenizer.name,
            ),
        ):
            mine = attr(m)
            peers = [o for o in models if o.id != m.id and mine and attr(o) == mine]
            expected = sorted(peers, key=lambda o: (abs(_days(o) - _days(m)), o.id))[:RELATED]
            assert [o.id for o in related[m.id].get(label, [])] == [o.id for o in expected]


# The escaping as first written, with regular expressions: HTML entities, then a backslash
# before every Markdown punctuation character. The table-driven version must agree.
_REF_SPACE = re.compile(r"\s+")
_REF_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_REF_HTML = re.compile("[&<>\"']")
_REF_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^=$])")
_REF_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}


def _reference_md(text: str) -> str:
    text = _REF_INVISIBLE.sub("", _REF_SPACE.sub(" ", text).strip())
    text = _REF_HTML.sub(lambda m: _REF_ENTITIES[m.group()], text)
    return _REF_PUNCT.sub(r"\\\1", text)


@settings(max_examples=600, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(),
            st.sampled_from(
                list("\\`*_{}[]()#+-.!|~^=$&<>\"' \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u202e\u2067")
            ),
        )
    )
)
def test_markdown_escaping_agrees_with_the_regex_formulation(text: str) -> None:
    from umm_survey.render.escape import md

    assert str(md(text)) == _reference_md(text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(list("()[]{}<>\"' |\\`\t\n")))))
def test_url_encoding_agrees_with_quoting_each_unsafe_character(tail: str) -> None:
    from urllib.parse import quote

    from umm_survey.render.escape import safe_url

    url = "https://example.org/" + tail
    if safe_url(url) is None:  # not http(s) once stripped
        return
    text = url.strip()
    expected = "".join(
        quote(c, safe="") if c in "()[]{}<>\"' |\\`" or ord(c) < 33 else c for c in text
    )
    assert safe_url(url) == expected


def _reference_check(value: str, multiline: bool) -> str | None:
    """The text check as first written: one character at a time."""
    import unicodedata

    from umm_survey.schema import _BIDI

    for ch in value:
        if ch in _BIDI:
            return f"contains the invisible direction control U+{ord(ch):04X}"
        if unicodedata.category(ch) == "Cc" and not (multiline and ch == "\n"):
            return f"contains the control character U+{ord(ch):04X}"
    return None


@settings(max_examples=600, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(),
            st.sampled_from(list("\n\r\t\x00\x1f\x7f\x85\x9f\xa0\u200e\u202a\u2066 ab")),
        ),
        min_size=1,
    ),
    st.booleans(),
)
def test_text_and_url_checks_agree_with_the_per_character_formulation(
    text: str, multiline: bool
) -> None:
    import unicodedata

    from umm_survey.schema import _check_text, _http_url

    expected = _reference_check(text, multiline)
    try:
        _check_text(text, multiline=multiline)
        got = None
    except ValueError as exc:
        got = str(exc)
    if expected is not None:
        assert got == expected
    else:
        assert got is None or not got.startswith("contains the")
    bad_url = any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in text)
    try:
        _http_url("https://example.org/" + text)
        url_refused = False
    except ValueError as exc:
        url_refused = "spaces or control" in str(exc)
    assert url_refused == bad_url
