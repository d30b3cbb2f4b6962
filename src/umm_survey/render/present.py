"""Small formatting helpers the templates call (values in, plain text or Markup out)."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from ..schema import Encoder, Links, Model, Paper, Result, Taxonomy

_PARAMS_RE = re.compile(r"(\d+(?:\.\d+)?)([MBT])")
_UNIT = {"M": 1e6, "B": 1e9, "T": 1e12}


class Present:
    def __init__(self, taxonomy: Taxonomy, catalog: Any):
        self.catalog = catalog
        self.names = {
            "paradigms": {t.id: t.name for t in taxonomy.paradigms},
            "encodings": {t.id: t.name for t in taxonomy.encodings},
            "attention": {t.id: t.name for t in taxonomy.attention},
            "modalities": {t.id: t.name for t in taxonomy.modalities},
            "benchmarks": {t.id: t.name for t in taxonomy.benchmark_tasks},
            "datasets": {t.id: t.name for t in taxonomy.dataset_tasks},
        }

    def globals(self) -> dict[str, Any]:
        return {
            name: getattr(self, name)
            for name in (
                "taxonomy_name",
                "modality_ids",
                "modality_names",
                "encoder_text",
                "value_text",
                "param_value",
                "openness",
                "fenced",
                "board_count",
                "task_names",
                "link_items",
                "ref_name",
                "ref_path",
                "arxiv_month",
            )
        }

    def taxonomy_name(self, group: str, term: str | None, default: str = "unknown") -> str:
        return self.names[group].get(term, term) if term else default  # type: ignore[return-value]

    def modality_ids(self, m: Model) -> str:
        mods = m.modalities
        return " ".join(sorted(set(mods.input) | set(mods.output))) if mods else ""

    def modality_names(self, ids: list[str]) -> str:
        return ", ".join(self.names["modalities"].get(i, i) for i in ids)

    def task_names(self, kind: str, ids: list[str]) -> str:
        return ", ".join(self.names[kind].get(i, i) for i in ids)

    @staticmethod
    def encoder_text(enc: Encoder) -> str:
        details = [enc.kind] if enc.kind else []
        if enc.codebook_size:
            details.append(f"codebook {enc.codebook_size:,}")
        if enc.latent_channels:
            details.append(f"{enc.latent_channels} latent channels")
        return enc.name + (f" ({', '.join(details)})" if details else "")

    @staticmethod
    def arxiv_month(paper: Paper) -> str:
        """'2025-11' for a record whose day is unknown: the month its arXiv id was issued."""
        when = paper.year_month() if paper.arxiv and not paper.date else None
        return f"{when[0]}-{when[1]:02d}" if when and when[1] else ""

    @staticmethod
    def value_text(r: Result) -> str:
        """The value as papers print it: 0.80 rather than 0.8, 62.0% rather than 62%."""
        text = repr(float(r.value))  # the shortest text that reads back as the value
        if "e" not in text:
            places = max(len(text.partition(".")[2]), 2 if r.scale == "fraction" else 1)
            text = f"{r.value:.{places}f}"
        return text + "%" if r.scale == "percent" else text

    @staticmethod
    def param_value(size: str | None) -> str:
        """Sortable number for a size such as 7B, 1.3B or 16B-A3B (total counts)."""
        m = _PARAMS_RE.match(size or "")
        return f"{float(m.group(1)) * _UNIT[m.group(2)]:.0f}" if m else ""

    @staticmethod
    def openness(m: Model) -> str:
        parts = [p for p, v in (("code", m.links.code), ("weights", m.links.weights)) if v]
        return " + ".join(parts)

    @staticmethod
    def fenced(text: str, lang: str) -> Markup:
        """A fenced code block longer than any run of backticks inside it."""
        longest = max((len(r) for r in re.findall(r"`+", text)), default=0)
        fence = "`" * max(3, longest + 1)
        return Markup(f"{fence}{lang}\n{text.rstrip()}\n{fence}")

    @staticmethod
    def board_count(boards: list) -> int:
        return sum(len(b.scores) for b in boards)

    @staticmethod
    def link_items(links: Links) -> list[tuple[str, str]]:
        return [(k.capitalize(), str(v)) for k, v in links.model_dump(exclude_none=True).items()]

    def ref_name(self, ref: str) -> str:
        kind, rid = ref.split(":", 1)
        return self.catalog.by_kind()[kind + "s"][rid].name

    @staticmethod
    def ref_path(ref: str) -> str:
        kind, rid = ref.split(":", 1)
        return f"{kind}s/{rid}.md"
