"""The home page's timeline: every dated model as a dot, one lane per paradigm (SVG)."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict

from ..incremental import Memo, runs
from ..schema import Model, Taxonomy
from .escape import html

COLOURS = {"diffusion": "#d9480f", "autoregressive": "#1c7ed6", "hybrid": "#2f9e44"}
UNKNOWN_COLOUR = "#868e96"
WIDTH, LANE, LEFT, RIGHT, TOP, AXIS = 960, 70, 150, 20, 10, 30


@functools.lru_cache(maxsize=65536)
def _months(date: str) -> int:
    d = dt.date.fromisoformat(date)
    return d.year * 12 + d.month - 1


def timeline_svg(
    models: list[Model], taxonomy: Taxonomy, link_prefix: str = "", memo: Memo | None = None
) -> str:
    """Inline SVG; each dot links to the model's page and names it in a tooltip."""
    dated = [m for m in models if m.paper.date]
    lanes = [(p.id, p.name) for p in taxonomy.paradigms]
    if any(m.taxonomy.paradigm is None for m in dated):
        lanes.append(("", "Not classified"))
    height = TOP + LANE * len(lanes) + AXIS
    if not dated:
        return ""
    first = min(_months(m.paper.date) for m in dated)  # type: ignore[arg-type]
    last = max(_months(m.paper.date) for m in dated) + 1  # type: ignore[arg-type]
    span = max(last - first, 1)
    plot = WIDTH - LEFT - RIGHT

    def x_of(months: float) -> float:
        return LEFT + plot * (months - first) / span

    out = [
        f'<svg class="umm-timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}"'
        f' role="img" aria-label="Timeline of {len(dated)} models by date of first release,'
        ' coloured by paradigm">'
    ]
    for i, (pid, name) in enumerate(lanes):
        y = TOP + LANE * i + LANE / 2
        out.append(
            f'<text x="{LEFT - 10}" y="{y + 4:.0f}" text-anchor="end" font-size="13"'
            f' fill="{COLOURS.get(pid, UNKNOWN_COLOUR)}">{html(name)}</text>'
        )
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.0f}" y2="{y:.0f}"'
            ' stroke="currentColor" stroke-opacity="0.15"/>'
        )
    axis_y = TOP + LANE * len(lanes)
    for year in range(first // 12, (last - 1) // 12 + 2):
        months = year * 12
        if first <= months <= last:
            x = x_of(months)
            out.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{axis_y}" stroke="currentColor"'
                ' stroke-opacity="0.25" stroke-dasharray="3 3"/>'
            )
            out.append(
                f'<text x="{x:.1f}" y="{axis_y + 18}" text-anchor="middle" font-size="12"'
                f' fill="currentColor">{year}</text>'
            )
    stack: dict[tuple[str, int], int] = defaultdict(int)
    lane_index = {pid: i for i, (pid, _) in enumerate(lanes)}
    memo = memo if memo is not None else Memo()

    def dot(m: Model, lane: int, n: int) -> str:
        d = dt.date.fromisoformat(m.paper.date)  # type: ignore[arg-type]
        months = _months(m.paper.date) + (d.day - 1) / 31  # type: ignore[arg-type]
        offset = ((n % 7) - 3) * 8
        y = TOP + LANE * lane + LANE / 2 + offset
        colour = COLOURS.get(m.taxonomy.paradigm or "", UNKNOWN_COLOUR)
        return (
            f'<a href="{html(link_prefix + "models/" + m.id + "/")}">'
            f'<circle cx="{x_of(months):.1f}" cy="{y:.1f}" r="5" fill="{colour}"'
            f' fill-opacity="0.8"><title>{html(m.name)} ({m.paper.date})</title></circle></a>'
        )

    placed = []
    for m in sorted(dated, key=lambda m: (m.paper.date, m.id)):
        pid = m.taxonomy.paradigm or ""
        month = _months(m.paper.date)  # type: ignore[arg-type]
        n = stack[(pid, month)]
        stack[(pid, month)] += 1
        placed.append((m, lane_index[pid], n))
    # a dot moves only when its record, its place in the stack or the axis changes; runs
    # of dots none of which moved are reused whole
    for run in runs(placed, key=lambda p: p[0].id):
        out.append(
            memo.get(
                ("dots", run[0][0].id),
                (tuple(run), first, span, link_prefix),
                lambda run=run: "\n".join(dot(m, lane, n) for m, lane, n in run),
            )
        )
    out.append("</svg>")
    return "\n".join(out)
