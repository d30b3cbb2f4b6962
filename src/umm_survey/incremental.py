"""What a long-lived process (`umm-survey serve`) keeps from one build to the next.

A rebuild after one record changed should cost a small fraction of a full build. Records
are never modified after validation, so a record object reused from the previous build
stands for content that did not change: every cached value here is stored with the
objects it was made from and is reused only when the same objects (by identity) come
back, or an equal one (records are compared by value only when they are new objects).

Nothing here decides *what* a page shows; callers name a value's dependencies, and the
tests compare every incremental build with a fresh one after random edits.
"""

from __future__ import annotations

import functools
import os
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Memo:
    """Values keyed by name, each valid while its dependencies are unchanged.

    Dependencies are tuples compared with ``==``, which checks identity before equality
    element by element: records reused from the last build (the same objects) cost a
    pointer comparison, and a record read again from a changed file is compared by value.

    Entries not asked for during a build are dropped at the next :meth:`begin`, so the
    memo never holds pages of records that were deleted.
    """

    def __init__(self) -> None:
        self._now: dict[Any, tuple[tuple, Any]] = {}
        self._before: dict[Any, tuple[tuple, Any]] = {}
        self.hits = 0
        self.made: list[Any] = []  # keys computed during this build

    def begin(self) -> None:
        self._before, self._now = {**self._before, **self._now}, {}
        self.hits, self.made = 0, []

    def end(self) -> None:
        self._before = {}

    def get(self, key: Any, deps: tuple, make: Callable[[], T]) -> T:
        old = self._now.get(key) or self._before.get(key)
        if old is not None and old[0] == deps:
            self.hits += 1
            self._now[key] = old
            return old[1]  # type: ignore[no-any-return]
        self.made.append(key)
        value = make()
        self._now[key] = (deps, value)
        return value

    def previous(self, key: Any) -> Any:
        """The value last stored under ``key`` whatever its dependencies, or None: for a
        ``make`` that can reuse part of an out-of-date value."""
        old = self._now.get(key) or self._before.get(key)
        return None if old is None else old[1]

    def clear(self) -> None:
        self._now, self._before = {}, {}


@functools.lru_cache(maxsize=65536)
def _ends_run(key: str) -> bool:
    return zlib.crc32(key.encode()) % 64 == 0


def _record_id(record: Any) -> str:
    return record.id  # type: ignore[no-any-return]


def runs(records: list[T], key: Callable[[T], str] = _record_id) -> list[list[T]]:
    """Consecutive records cut after each record whose id hashes to 0 mod 64: the cuts
    depend on the records, not on positions, so an edit, insertion or move changes one or
    two runs only."""
    out: list[list[T]] = [[]]
    for r in records:
        out[-1].append(r)
        if _ends_run(key(r)):
            out.append([])
    return [run for run in out if run]


def by_runs(
    memo: Memo, name: str, records: list[T], deps: tuple, each: Callable[[T], R]
) -> list[R]:
    """``each`` of every record in order, reused a run at a time: a run none of whose
    records changed (and ``deps`` with them) costs one look-up, not one per record."""
    out: list[R] = []
    for run in runs(records):
        out.extend(
            memo.get(
                (name, _record_id(run[0])),
                (tuple(run), *deps),
                lambda run=run: [each(r) for r in run],
            )
        )
    return out


def file_key(path: Path) -> tuple[int, int, int]:
    """What tells that a file changed without reading it (time, size, inode)."""
    st = os.stat(path)
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def folder_key(folder: Path) -> tuple:
    """The file keys of every file below ``folder`` (for the templates)."""
    return tuple(
        (p.relative_to(folder).as_posix(), file_key(p))
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    )


@dataclass
class BuildCache:
    """Everything reused between builds; an empty one gives a full build."""

    # path -> (file key, taxonomy object it was validated against, record, problems)
    records: dict[Path, tuple[tuple, Any, Any, list]] = field(default_factory=dict)
    taxonomy: tuple[tuple, Any, list] | None = None
    templates_key: tuple | None = None
    everything: tuple | None = None  # every record, in catalogue order
    environment: Any = None
    pages: Memo = field(default_factory=Memo)
    parts: Memo = field(default_factory=Memo)  # rows, BibTeX entries, JSON blocks, CSV rows
    checks: Memo = field(default_factory=Memo)  # findings of the one-record checks
    # generated path -> the text object last written to docs/ (identity = unchanged)
    written: dict[str, str] = field(default_factory=dict)

    def memos(self) -> Iterable[Memo]:
        return (self.pages, self.parts)

    def begin(self) -> None:
        for memo in self.memos():
            memo.begin()

    def end(self) -> None:
        for memo in self.memos():
            memo.end()

    def forget(self) -> None:
        """Drop the remembered pages, parts and findings and the record of what was written;
        the records read and the compiled templates stay."""
        for memo in (*self.memos(), self.checks):
            memo.clear()
        self.written.clear()
