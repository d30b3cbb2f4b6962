"""The site build: render into a scratch folder, run mkdocs strictly, then swap into place.

Nothing under docs/ or site/ changes unless every stage succeeded, so a failed or killed
build leaves the previous site intact. Generated pages are written into docs/ only when
their content changed (what `serve` relies on to stay fast), and generated files that no
longer have a record are removed; hand-written pages in docs/ are never touched.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog import Catalog
from ..incremental import BuildCache

MANIFEST = ".umm-generated"


class BuildError(Exception):
    """A stage failed; the message says which and why (no traceback for the user)."""


@dataclass
class Written:
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def _previous(docs: Path) -> set[str]:
    manifest = docs / MANIFEST
    if not manifest.is_file():
        return set()
    return {line for line in manifest.read_text(encoding="utf-8").splitlines() if line}


def _inside(root: Path, rel: str) -> Path:
    path = (root / rel).resolve()
    if not path.is_relative_to(root.resolve()):
        raise BuildError(f"generated path {rel!r} would leave {root}")
    return path


def check_collisions(docs: Path, files: dict[str, str]) -> None:
    """A generated page must not overwrite a hand-written one."""
    ours = _previous(docs)
    clashes = sorted(rel for rel in files if rel not in ours and (docs / rel).exists())
    if clashes:
        raise BuildError(
            "generated pages would overwrite hand-written files in docs/: " + ", ".join(clashes)
        )


def stage_docs(docs: Path, files: dict[str, str], into: Path) -> None:
    """docs/ without its old generated files, plus the new ones, in a scratch folder."""
    old = _previous(docs)
    if docs.is_dir():
        for src in sorted(docs.rglob("*")):
            rel = src.relative_to(docs).as_posix()
            if src.is_file() and rel not in old and rel != MANIFEST:
                dst = into / rel
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)
    for rel, text in files.items():
        dst = _inside(into, rel)
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(text, encoding="utf-8", newline="\n")


def run_mkdocs(config_file: Path, docs_dir: Path, site_dir: Path) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("mkdocs: %(levelname)s: %(message)s"))
    logger.addHandler(handler)
    try:
        config = load_config(
            str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True
        )
        mkdocs_build(config)
    except MkDocsException as exc:
        raise BuildError(f"mkdocs: {exc}") from None
    finally:
        logger.removeHandler(handler)


def swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with renames only (both on one file system)."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    if old.exists():
        shutil.rmtree(old)


def write_generated(docs: Path, files: dict[str, str], cache: BuildCache | None = None) -> Written:
    """Bring docs/ up to date: write changed files, remove stale ones, keep the rest.

    With a cache, a page whose text is the very object written last time (it was reused,
    not rendered again) is not read back from disk, only checked to exist.
    """
    done = Written()
    written = cache.written if cache is not None else {}
    root = str(docs)
    for rel in sorted(files):
        text = files[rel]
        # a reused page was checked when it was written; it only has to be there still
        if written.get(rel) is text and os.path.isfile(os.path.join(root, rel)):
            done.unchanged += 1
            continue
        path = _inside(docs, rel)
        data = text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            done.unchanged += 1
            written[rel] = text
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        done.changed.append(rel)
        written[rel] = text
    for rel in sorted(_previous(docs) - set(files)):
        path = _inside(docs, rel)
        written.pop(rel, None)
        if path.is_file():
            path.unlink()
            done.removed.append(rel)
    manifest = "".join(f"{rel}\n" for rel in sorted(files))
    (docs / MANIFEST).write_text(manifest, encoding="utf-8")
    return done


def generated(
    catalog: Catalog, root: Path, templates: Path, cache: BuildCache | None = None
) -> dict[str, str]:
    """Every generated file of docs/: the rendered pages plus the Contribute page."""
    from .pages import render_site

    files = render_site(catalog, templates, cache=cache)
    guide = root / "CONTRIBUTING.md"
    if guide.is_file():  # the site's Contribute page is the repository's guide, verbatim
        front = '---\ngenerated: true\ntitle: "Contribute"\n---\n'
        files["contribute.md"] = front + guide.read_text(encoding="utf-8")
    return files


def build_site(
    catalog: Catalog,
    *,
    root: Path,
    templates: Path,
    docs: Path,
    site: Path,
    config_file: Path,
    run_docs: bool = True,
    cache: BuildCache | None = None,
) -> Written:
    files = generated(catalog, root, templates, cache)
    check_collisions(docs, files)
    if run_docs:
        site.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".umm-build-", dir=site.parent) as tmp:
            staged, built = Path(tmp) / "docs", Path(tmp) / "site"
            stage_docs(docs, files, staged)
            run_mkdocs(config_file, staged, built)
            swap_in(built, site)
    return write_generated(docs, files, cache)
