"""Synthetic but realistic catalogues for the benchmark: N models with benchmarks, datasets,
results and references among them, in the layout of data/ (deterministic for a given N)."""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PARADIGMS = ["diffusion", "autoregressive", "hybrid"]
ENCODINGS = ["pixel", "semantic", "learnable-query", "hybrid-pseudo", "hybrid-joint"]
ATTENTION = ["causal", "bidirectional", "causal-text-full-image"]
WORDS = [
    "unified",
    "vision",
    "language",
    "model",
    "token",
    "diffusion",
    "flow",
    "generation",
    "understanding",
    "image",
    "multimodal",
    "scaling",
    "native",
    "any",
    "world",
    "pixel",
    "semantic",
    "query",
]


def _title(rng: random.Random, name: str) -> str:
    return f"{name}: " + " ".join(rng.choice(WORDS).capitalize() for _ in range(rng.randint(5, 10)))


def _arxiv(i: int, offset: int) -> tuple[str, str]:
    year, month = 23 + (i // 12000) % 3, 1 + (i // 1000) % 12
    return f"{year:02d}{month:02d}.{offset + i % 1000 + 10000:05d}", f"20{year:02d}-{month:02d}-15"


def generate(n: int, out: Path, seed: int = 7) -> Path:
    rng = random.Random(seed + n)
    if out.exists():
        shutil.rmtree(out)
    for kind in ("models", "benchmarks", "datasets"):
        (out / kind).mkdir(parents=True)
    shutil.copy(REPO / "data" / "taxonomy.yaml", out / "taxonomy.yaml")
    n_bench, n_data = max(10, n // 20), max(10, n // 20)
    for i in range(n_bench):
        arxiv, date = _arxiv(i, 60000)
        (out / "benchmarks" / f"bench-{i}.yaml").write_text(
            f"id: bench-{i}\nname: Bench {i}\ntasks: [generation]\npaper:\n"
            f"  title: '{_title(rng, f'Bench{i}')}'\n  authors: [A. Author, B. Author]\n"
            f"  arxiv: '{arxiv}'\n  date: '{date}'\n  url: https://arxiv.org/abs/{arxiv}\n"
            f"sources:\n- url: https://arxiv.org/abs/{arxiv}\n  covers: [paper, tasks]\n"
            "added: '2026-11-01'\n",
            encoding="utf-8",
        )
    for i in range(n_data):
        (out / "datasets" / f"set-{i}.yaml").write_text(
            f"id: set-{i}\nname: Set {i}\ntasks: [text-to-image]\nsize: {rng.randint(1, 900)}M\n"
            "added: '2026-11-01'\n",
            encoding="utf-8",
        )
    for i in range(n):
        arxiv, date = _arxiv(i, 20000 + 30000 * (i // 12000 // 3))
        name = f"Model-{i}"
        results = "".join(
            f"- benchmark: bench-{rng.randrange(n_bench)}\n  value: {rng.random():.3f}\n"
            f"  scale: fraction\n  metric: overall\n  table: Table {rng.randint(1, 9)}\n"
            "  reported_by: self\n"
            for _ in range(rng.randint(1, 6))
        )
        data = ", ".join(sorted({f"set-{rng.randrange(n_data)}" for _ in range(rng.randint(1, 4))}))
        (out / "models" / f"model-{i}.yaml").write_text(
            "# yaml-language-server: $schema=../../schema/model.schema.json\n"
            f"id: model-{i}\nname: {name}\npaper:\n  title: '{_title(rng, name)}'\n"
            f"  authors: [{', '.join(f'Person {rng.randint(1, 999)}' for _ in range(rng.randint(2, 12)))}]\n"
            f"  arxiv: '{arxiv}'\n  date: '{date}'\n  url: https://arxiv.org/abs/{arxiv}\n"
            f"links:\n  code: https://github.com/example/model-{i}\n"
            f"taxonomy:\n  paradigm: {rng.choice(PARADIGMS)}\n  encoding: {rng.choice(ENCODINGS)}\n"
            "modalities:\n  input: [text, image]\n  output: [text, image]\n"
            "understanding_encoder:\n  name: SigLIP\n  kind: continuous\n"
            f"generation_tokenizer:\n  name: VQ-{rng.randint(1, 30)}\n  kind: discrete\n"
            f"  codebook_size: {rng.choice([8192, 16384, 65536])}\n"
            f"attention: {rng.choice(ATTENTION)}\n"
            f"backbone:\n  name: LLM-{rng.randint(1, 20)}\n  params: {rng.choice(['1.5B', '7B', '14B'])}\n"
            f"training_data: [{data}]\nresults:\n{results}"
            f"sources:\n- url: https://arxiv.org/abs/{arxiv}\n  where: Tables\n"
            "  covers: [paper, links, taxonomy, modalities, understanding_encoder, "
            "generation_tokenizer, attention, backbone, training_data, results]\n"
            "added: '2026-11-01'\n",
            encoding="utf-8",
        )
    return out


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    print(generate(n, Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/umm-bench-{n}")))
