"""Contributor tooling: JSON Schema for editors, record skeletons, canonical formatting."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .dump import SCHEMA_COMMENT, record_yaml
from .load import read_file
from .schema import KIND_SCHEMAS, Taxonomy
from .validate import to_record

# fields whose allowed values come from data/taxonomy.yaml: (path in the schema, group)
_TAXONOMY_ENUMS = {
    "Classification": {"paradigm": "paradigms", "encoding": "encodings"},
    "Modalities": {"input": "modalities", "output": "modalities"},
    "Model": {"attention": "attention"},
}


def json_schema(kind: str, taxonomy: Taxonomy) -> dict[str, Any]:
    """The record schema as JSON Schema, with the taxonomy's ids as enums for completion."""
    schema = KIND_SCHEMAS[kind].model_json_schema()
    defs = schema.get("$defs", {})
    for name, fields in _TAXONOMY_ENUMS.items():
        target = schema if name == KIND_SCHEMAS[kind].__name__ else defs.get(name)
        if not target:
            continue
        for field, group in fields.items():
            prop = target["properties"].get(field)
            if prop is None:
                continue
            ids = taxonomy.ids(group)
            if prop.get("type") == "array" or "items" in prop:
                prop["items"] = {"type": "string", "enum": ids}
            else:
                prop.pop("anyOf", None)
                prop["enum"] = [*ids, None]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_files(taxonomy: Taxonomy) -> dict[str, str]:
    return {
        f"{kind[:-1]}.schema.json": json.dumps(
            json_schema(kind, taxonomy), indent=2, sort_keys=True
        )
        + "\n"
        for kind in KIND_SCHEMAS
    }


MODEL_SKELETON = """\
{schema}# A unified model. Fill what you read in the paper or the official repository; leave the
# rest empty (unknown stays unknown). Each filled field must be covered by a source below.
id: {id}
name: {name}
aliases: []
paper:
  title: {title}
  authors: []            # full list, in order, as on the arXiv page
  arxiv: {arxiv}
  date:                  # 'YYYY-MM-DD' of arXiv v1 (first public)
  venue:                 # e.g. CVPR 2025, only once published
  url: {url}
links:
  code:
  weights:
  demo:
  project:
taxonomy:
  paradigm:              # diffusion | autoregressive | hybrid
  encoding:              # pixel | semantic | learnable-query | hybrid-pseudo | hybrid-joint
modalities:
  input: []              # text, image, video, audio, ...
  output: []
understanding_encoder:   # e.g. name: SigLIP-L, kind: continuous
generation_tokenizer:    # e.g. name: VQGAN, kind: discrete, codebook_size: 16384
attention:               # causal | bidirectional | causal-text-full-image | ...
backbone:                # e.g. name: Qwen2.5-7B, params: 7B
parameters:              # total, e.g. 7B
base_model:              # id of the catalogued model whose weights it starts from, if any
training_data: []        # dataset ids from data/datasets/
results: []              # - {{benchmark: geneval, value: 0.8, scale: fraction, metric: overall, table: Table 2, reported_by: self}}
sources:
- url: {url}
  where: arXiv abstract page
  covers: [paper]
notes:
added: '{added}'
"""


def slug(name: str) -> str:
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", name.lower())).strip("-")


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def model_skeleton(
    record_id: str,
    name: str,
    arxiv: str,
    added: str,
    title: str = "",
    authors: list[str] | None = None,
    date: str = "",
) -> str:
    url = f"https://arxiv.org/abs/{arxiv}" if arxiv else ""
    text = MODEL_SKELETON.format(
        schema=SCHEMA_COMMENT.format(kind="model"),
        id=record_id,
        name=_q(name),
        title=_q(title) if title else "",
        arxiv=_q(arxiv) if arxiv else "",
        url=url,
        added=added,
    )
    if authors:
        listed = "".join(f"\n  - {_q(a)}" for a in authors)
        text = text.replace(
            "  authors: []            # full list, in order, as on the arXiv page",
            f"  authors:{listed}",
        )
    if date:
        text = text.replace(
            "  date:                  # 'YYYY-MM-DD' of arXiv v1 (first public)",
            f"  date: '{date}'",
        )
    return text


# --- canonical formatting -------------------------------------------------------------

_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*):")


def _top_level_comments(text: str) -> dict[str | None, list[str]]:
    """Full-line comments, grouped by the top-level key they stand before (None: the end)."""
    groups: dict[str | None, list[str]] = {}
    pending: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("# yaml-language-server:"):
            continue
        if stripped.startswith("#"):
            pending.append(stripped)
            continue
        m = _TOP_KEY.match(line)
        if m and pending:
            groups.setdefault(m.group(1), []).extend(pending)
            pending = []
    if pending:
        groups.setdefault(None, []).extend(pending)
    return groups


def canonical(path: Path, kind: str, taxonomy: Taxonomy) -> tuple[str | None, list]:
    """The canonical text of a record file, or the problems that prevent formatting it.

    Full-line comments are kept before the top-level key they preceded; comments at the
    end of a line are not kept (the layout moves values around).
    """
    doc = read_file(path)
    record, problems = to_record(doc, KIND_SCHEMAS[kind], {"taxonomy": taxonomy})
    if record is None:
        return None, problems
    original = path.read_text(encoding="utf-8")
    comments = _top_level_comments(original)
    body = record_yaml(record, kind)
    out: list[str] = []
    for line in body.splitlines():
        m = _TOP_KEY.match(line)
        if m and m.group(1) in comments:
            out.extend(comments[m.group(1)])
        out.append(line)
    out.extend(comments.get(None, []))
    return "\n".join(out) + "\n", []


# --- pasted BibTeX -> skeleton fields ---------------------------------------------------


def from_bibtex(text: str) -> dict[str, Any]:
    """Title, authors, arXiv id and name from the first entry of pasted BibTeX."""
    import bibtexparser
    from pylatexenc.latex2text import LatexNodes2Text

    library = bibtexparser.parse_string(text)
    if not library.entries:
        raise ValueError("no BibTeX entry found")
    entry = library.entries[0]
    fields = {f.key.lower(): str(f.value) for f in entry.fields}
    plain = LatexNodes2Text()

    def clean(value: str) -> str:
        return " ".join(plain.latex_to_text(value).split())

    title = clean(fields.get("title", ""))
    authors = []
    for person in re.split(r"\s+and\s+", fields.get("author", "")):
        person = clean(person)
        if "," in person:
            last, first = (p.strip() for p in person.split(",", 1))
            person = f"{first} {last}".strip()
        if person:
            authors.append(person)
    arxiv = fields.get("eprint", "")
    if not re.fullmatch(r"\d{4}\.\d{4,5}", arxiv):
        found = re.search(r"(\d{4}\.\d{4,5})", fields.get("journal", "") + fields.get("url", ""))
        arxiv = found.group(1) if found else ""
    name = title.split(":", 1)[0].strip() if ":" in title else ""
    return {"title": title, "authors": authors, "arxiv": arxiv, "name": name}
