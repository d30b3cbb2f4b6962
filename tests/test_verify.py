"""`umm-survey verify` against a local server that answers like the arXiv API and like
dead, slow, flaky and redirecting hosts (no network is used)."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from umm_survey.cli import app

ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>"""
ENTRY = """<entry><id>http://arxiv.org/abs/{id}v2</id><title>{title}</title>
<published>{date}T17:59:00Z</published></entry>"""
PAPERS = {
    "2410.10000": ("Alpha: A Unified Model\n  for Testing", "2024-10-14"),  # same, wrapped
    "2501.00123": ("Beta: Something Else Entirely", "2025-01-05"),  # title and date differ
    "2310.11513": (
        "GenEval: An Object-Focused Framework for Evaluating Text-to-Image Alignment",
        "2023-10-17",
    ),
    # 2311.16502 (MMMU) is unknown to this server
}


class Handler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, body: bytes = b"") -> None:
        path = self.path.split("?")[0]
        Handler.hits[path] = Handler.hits.get(path, 0) + 1
        if path == "/api/query":
            ids = self.path.split("id_list=")[1].split("&")[0].split(",")
            entries = "".join(
                ENTRY.format(id=i, title=PAPERS[i][0], date=PAPERS[i][1])
                for i in ids
                if i in PAPERS
            )
            return self._send(200, ATOM.format(entries=entries).encode())
        if path == "/ok":
            return self._send(200, b"fine")
        if path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.end_headers()
            return None
        if path == "/slow":
            time.sleep(2)
            return self._send(200, b"late")
        if path == "/flaky":
            return self._send(503 if Handler.hits[path] == 1 else 200, b"")
        if path == "/no-head" and self.command == "HEAD":
            return self._send(405, b"")
        if path == "/no-head":
            return self._send(200, b"ok")
        return self._send(404, b"gone")

    def _send(self, code: int, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    do_GET = _answer
    do_HEAD = _answer


@pytest.fixture
def server() -> Iterator[str]:
    Handler.hits = {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_verify_reports_mismatches_and_dead_links_by_line(mini: Path, server: str) -> None:
    alpha = mini / "models" / "alpha.yaml"
    text = alpha.read_text(encoding="utf-8").replace(
        "  code: https://github.com/example/alpha\n",
        f"  code: {server}/moved\n  weights: {server}/dead\n  demo: {server}/slow\n"
        f"  project: {server}/flaky\n  data: {server}/no-head\n",
    )
    alpha.write_text(text, encoding="utf-8")
    cache = mini.parent / "cache.json"
    args = [
        "verify",
        "--data",
        str(mini),
        "--arxiv-api",
        f"{server}/api/query",
        "--timeout",
        "0.5",
        "--retries",
        "1",
        "--cache",
        str(cache),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ": warning: " in ln]
    shown = [ln.split("data/", 1)[1] for ln in lines]
    assert shown == [
        "benchmarks/mmmu.yaml:7:10: warning: arXiv has no answer for 2311.16502",
        f"models/alpha.yaml:16:12: warning: link {server}/dead is dead: HTTP 404",
        f"models/alpha.yaml:17:9: warning: link {server}/slow is dead: no answer (timed out)",
        "models/beta.yaml:5:10: warning: arXiv's title for 2501.00123 is 'Beta: Something Else Entirely'",
        "models/beta.yaml:9:9: warning: arXiv's first version of 2501.00123 is dated 2025-01-05",
    ]
    assert Handler.hits["/flaky"] == 2  # retried once, then fine
    assert Handler.hits["/api/query"] == 1  # all ids in one batch
    # a second run asks again only for the links that were not good
    before = dict(Handler.hits)
    CliRunner().invoke(app, args)
    assert Handler.hits.get("/ok", 0) == before.get("/ok", 0)
    assert Handler.hits["/dead"] > before["/dead"]
