"""`umm-survey serve`: a local preview that rebuilds when a source file changes.

Polling file times keeps this free of extra dependencies. A rebuild reads again only the
record files that changed, renders again only the pages that show them (see
incremental.py) and rewrites only the generated pages whose content changed.
"""

from __future__ import annotations

import functools
import gc
import http.server
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import typer

from .render.build import MANIFEST


def snapshot(folders: Iterable[Path], ignore: set[Path]) -> dict[Path, float]:
    """Modification times of the files a build reads (generated pages excluded)."""
    times: dict[Path, float] = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and path.resolve() not in ignore and not path.name.startswith("."):
                times[path] = path.stat().st_mtime
    return times


def _generated(docs: Path) -> set[Path]:
    manifest = docs / MANIFEST
    if not manifest.is_file():
        return set()
    return {(docs / rel).resolve() for rel in manifest.read_text(encoding="utf-8").split()}


def serve_forever(
    rebuild: Callable[[], None], watched: list[Path], site: Path, port: int, interval: float = 1.0
) -> None:
    def attempt() -> None:
        gc.unfreeze()
        try:
            rebuild()
        except typer.Exit:
            typer.echo("build failed; still serving the previous site", err=True)
        # what the build keeps (records, cached pages) is frozen so that the collector
        # does not walk it again and again during the next rebuild
        gc.collect()
        gc.freeze()

    attempt()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    typer.echo(f"serving http://127.0.0.1:{port}/ (Ctrl-C to stop)", err=True)
    docs = Path("docs")
    before = snapshot(watched, _generated(docs))
    try:
        while True:
            time.sleep(interval)
            now = snapshot(watched, _generated(docs))
            if now != before:
                typer.echo("change seen; rebuilding", err=True)
                attempt()
                before = snapshot(watched, _generated(docs))
    except KeyboardInterrupt:
        server.shutdown()
