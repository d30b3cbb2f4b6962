"""Import a Markdown awesome-list made of tables into records.

Headings tell what a table holds (model paradigm and encoding, benchmark task, dataset
task); each table row becomes one record. A row the importer cannot read is reported with
its line number, never dropped in silence. The list is treated as claims: the records it
yields name the list as their source, and the catalogue checks then show where it is wrong.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .diagnostics import Diagnostic, warning
from .dump import record_yaml
from .schema import KIND_SCHEMAS, Taxonomy
from .validate import dotted

_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5})(?:v\d+)?", re.I)
_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}")
_NO_VENUE = {"", "-", "arxiv"}


def slugify(name: str) -> str:
    s = name.replace("+", "-plus").lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


@dataclass(frozen=True)
class Section:
    """What the rows under a heading are."""

    kind: str  # models | benchmarks | datasets
    label: str  # the heading, for reports
    survey_section: str | None = None
    paradigm: str | None = None
    encoding: str | None = None
    task: str | None = None


def _encoding(text: str) -> str | None:
    if "pixel" in text or "pxiel" in text:  # the list spells it both ways
        return "pixel"
    if "semantic" in text:
        return "semantic"
    if "learnable" in text:
        return "learnable-query"
    if "hybrid" in text and ("pseudo" in text or "pseduo" in text):
        return "hybrid-pseudo"
    if "hybrid" in text and "joint" in text:
        return "hybrid-joint"
    return None


def classify(headings: dict[int, str]) -> Section | None:
    """The section that the current heading path (level -> text) describes, if known."""
    h3 = headings.get(3, "").lower()
    h4 = headings.get(4, "").lower()
    h5 = headings.get(5, "").lower()
    label = " / ".join(headings[k] for k in sorted(headings) if k >= 3)
    if "any-to-any" in h3:
        return Section("models", label, survey_section="any-to-any")
    if "application" in h3:
        return Section("models", label, survey_section="applications")
    if "benchmark" in h3:
        for key, task in (
            ("understanding", "understanding"),
            ("generation", "generation"),
            ("interleaved", "interleaved"),
        ):
            if key in h4:
                return Section("benchmarks", label, task=task)
        return None
    if h3.startswith("dataset"):
        for key, task in (
            ("understanding", "understanding"),
            ("text-to-image", "text-to-image"),
            ("editing", "editing"),
            ("interleaved", "interleaved"),
            ("other", "other"),
        ):
            if key in h4:
                return Section("datasets", label, task=task)
        return None
    if "unified" in h3:
        if h4 == "diffusion":
            return Section("models", label, survey_section="text-image", paradigm="diffusion")
        paradigm = {"mllm ar": "autoregressive", "mllm ar-diffusion": "hybrid"}.get(h4)
        if paradigm and _encoding(h5):
            return Section("models", label, "text-image", paradigm, _encoding(h5))
    return None


def split_row(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", body)]


@dataclass
class ImportResult:
    records: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {"models": {}, "benchmarks": {}, "datasets": {}}
    )
    counts: Counter[str] = field(default_factory=Counter)
    lines: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)


def _date(cell: str) -> str | None:
    m = _DATE.search(cell)
    if not m:
        return None
    y, mo, d = (int(x) for x in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _paper(cell: str) -> dict[str, Any] | None:
    m = _LINK.search(cell)
    if not m:
        return None
    title, url = m.group(1).strip(), m.group(2)
    paper: dict[str, Any] = {"title": title}
    arxiv = _ARXIV.search(url)
    if arxiv:
        paper["arxiv"] = arxiv.group(1)
        paper["url"] = f"https://arxiv.org/abs/{arxiv.group(1)}"
    elif url.startswith(("http://", "https://")):
        paper["url"] = url
    return paper


def _links(cells: dict[str, str], kind: str) -> dict[str, str]:
    links: dict[str, str] = {}
    for column in ("code", "demo"):
        m = _LINK.search(cells.get(column, ""))
        if not m:
            continue
        label, url = m.group(1).lower(), m.group(2)
        if "project" in label:
            links["project"] = url
        elif "huggingface" in label and kind != "models":
            links["data"] = url
        else:
            links[column] = url
    return links


def import_awesome(text: str, source_name: str, added: str, source_url: str) -> ImportResult:
    result = ImportResult()
    headings: dict[int, str] = {}
    header: list[str] | None = None
    section: Section | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        heading = re.match(r"^(#{2,6})\s+(.*?)\s*$", stripped)
        if heading:
            level = len(heading.group(1))
            headings = {k: v for k, v in headings.items() if k < level}
            headings[level] = heading.group(2)
            section, header = classify(headings), None
            continue
        if not stripped.startswith("|"):
            header = None if not stripped else header
            continue
        if _SEPARATOR.match(stripped):
            continue
        cells = split_row(stripped)
        if header is None:
            header = [c.lower() for c in cells]
            continue
        if section is None:
            result.problems.append(
                warning(
                    source_name,
                    lineno,
                    1,
                    f"row under heading '{' / '.join(headings.values())}' "
                    "not imported: the importer does not know what this section holds",
                )
            )
            continue
        row = dict(zip(header, cells, strict=False))
        problem = _import_row(row, section, (source_name, lineno), result, added, source_url)
        if problem:
            result.problems.append(warning(source_name, lineno, 1, f"row not imported: {problem}"))
        else:
            result.counts[section.label] += 1
    return result


def _import_row(
    row: dict[str, str],
    section: Section,
    where: tuple[str, int],
    result: ImportResult,
    added: str,
    source_url: str,
) -> str | None:
    name_cell = row.get("name") or row.get("dataset") or ""
    name_link = _LINK.search(name_cell)
    name = (name_link.group(1) if name_link else name_cell).strip()
    if not name:
        return "no name in the first column"
    record_id = slugify(name)
    if not record_id:
        return f"name '{name}' gives no usable id"
    paper = _paper(row.get("title") or row.get("paper") or "")
    if section.kind == "models" and paper is None:
        return f"'{name}': no linked paper title"
    if paper is not None:
        date = _date(row.get("date", ""))
        if date:
            paper["date"] = date
        venue = row.get("venue", "").strip()
        if venue.lower() not in _NO_VENUE:
            paper["venue"] = venue
    links = _links(row, section.kind)
    if section.kind == "datasets" and name_link and name_link.group(2).startswith("http"):
        links.setdefault("data", name_link.group(2))
    covers = ["paper", "links"] + (["taxonomy"] if section.paradigm else [])
    covers += ["tasks", "size"] if section.kind != "models" else []
    record: dict[str, Any] = {"id": record_id, "name": name}
    if section.kind == "models":
        record["survey_section"] = section.survey_section
        if paper is not None:
            record["paper"] = paper
        record["links"] = links
        if section.paradigm:
            record["taxonomy"] = {"paradigm": section.paradigm, "encoding": section.encoding}
    else:
        record["tasks"] = [section.task]
        size = row.get("samples", "").strip()
        if size and size != "-":
            record["size"] = size
        if paper is not None:
            record["paper"] = paper
        record["links"] = links
    record["sources"] = [
        {"url": source_url, "where": f"row in section '{section.label}'", "covers": covers}
    ]
    record["added"] = added
    existing = result.records[section.kind].get(record_id)
    if existing is not None:
        same = (existing.get("paper") or {}).get("arxiv") == (paper or {}).get("arxiv")
        if not same or section.kind == "models":
            return f"'{name}' gives id '{record_id}', which an earlier row already took"
        for task in record.get("tasks", []):
            if task not in existing["tasks"]:
                existing["tasks"].append(task)
        detail = ""
        if record.get("size") != existing.get("size"):
            detail = f"; its size '{record.get('size')}' differs, kept '{existing.get('size')}'"
        result.problems.append(
            warning(
                *where, 1, f"row merged into the earlier record '{record_id}' (same paper){detail}"
            )
        )
        return None
    result.records[section.kind][record_id] = record
    result.lines[(section.kind, record_id)] = where
    return None


def link_shared_papers(result: ImportResult) -> None:
    """Benchmarks and datasets from one paper (same arXiv id and title) name each other."""
    by_paper: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for kind, records in result.records.items():
        for rid, rec in records.items():
            paper = rec.get("paper") or {}
            if paper.get("arxiv"):
                key = (paper["arxiv"], re.sub(r"[^a-z0-9]+", "", paper["title"].lower()))
                by_paper.setdefault(key, []).append((kind, rid))
    for members in by_paper.values():
        for kind, rid in members:
            if kind == "models":
                continue
            rec = result.records[kind][rid]
            for other_kind, other_id in members:
                if (other_kind, other_id) != (kind, rid):
                    ref = f"{other_kind[:-1]}:{other_id}"
                    rec.setdefault("related", [])
                    if ref not in rec["related"]:
                        rec["related"].append(ref)


def write_records(
    result: ImportResult, data_dir: Path, taxonomy: Taxonomy
) -> tuple[int, int, list[Diagnostic]]:
    """Write each imported record that validates and does not exist yet.

    Returns (written, kept, problems); a row whose record does not validate is reported at
    its line in the list.
    """
    written = kept = 0
    problems = list(result.problems)
    for kind, records in result.records.items():
        (data_dir / kind).mkdir(parents=True, exist_ok=True)
        for rid, raw in sorted(records.items()):
            path = data_dir / kind / f"{rid}.yaml"
            if path.exists():
                kept += 1
                continue
            try:
                record = KIND_SCHEMAS[kind].model_validate(raw, context={"taxonomy": taxonomy})
            except ValidationError as exc:
                for err in exc.errors(include_input=False, include_url=False):
                    problems.append(
                        warning(
                            *result.lines[(kind, rid)],
                            1,
                            f"row not imported: {dotted(err['loc'])}: {err['msg']}",
                        )
                    )
                continue
            path.write_text(record_yaml(record, kind), encoding="utf-8")
            written += 1
    return written, kept, problems
