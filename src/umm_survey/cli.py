"""The `umm-survey` command: argument parsing and printing only; the work is in the modules.

Exit status: 0 when clean, 1 when the data has errors, 2 for a usage error.
"""

from __future__ import annotations

import datetime as _dt
import gc
import sys
from pathlib import Path
from typing import Annotated

import typer

from . import catalog as catalog_mod
from . import contrib
from . import importer as importer_mod
from .diagnostics import Diagnostic, format_all, has_errors
from .export import bibtex as bibtex_mod
from .incremental import BuildCache
from .render import build as build_mod
from .stats import KIND_FIELDS, field_named, missing_report, report

app = typer.Typer(
    help="Knowledge base of unified multimodal understanding and generation models.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(help="Import records from other formats.", no_args_is_help=True)
app.add_typer(import_app, name="import")

DataOpt = Annotated[Path, typer.Option("--data", help="Folder of records.", show_default=True)]
UPSTREAM_URL = "https://github.com/AIDC-AI/Awesome-Unified-Multimodal-Models"


def _print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    if diagnostics:
        typer.echo(format_all(diagnostics), err=True)


def _summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def load_or_exit(data: Path, cache: BuildCache | None = None) -> catalog_mod.Catalog:
    """Load the catalogue; print problems; exit 1 on errors."""
    if not data.is_dir():
        typer.echo(f"error: data folder '{data}' does not exist", err=True)
        raise typer.Exit(2)
    loaded = catalog_mod.load_catalog(data, cache)
    _print_diagnostics(loaded.diagnostics)
    if has_errors(loaded.diagnostics) or loaded.catalog is None:
        typer.echo(_summary(loaded.diagnostics), err=True)
        raise typer.Exit(1)
    return loaded.catalog


@app.command()
def validate(data: DataOpt = Path("data")) -> None:
    """Check every record and the catalogue as a whole; list every problem."""
    catalog = load_or_exit(data)
    typer.echo(
        f"{len(catalog.models)} models, {len(catalog.benchmarks)} benchmarks, "
        f"{len(catalog.datasets)} datasets: no errors",
        err=True,
    )


@app.command()
def stats(
    data: DataOpt = Path("data"),
    missing: Annotated[
        str,
        typer.Option(
            help="List the records that lack this field instead (a label of the report, "
            "e.g. backbone or 'training data').",
        ),
    ] = "",
    kind: Annotated[
        str, typer.Option(help="With --missing: models, benchmarks or datasets.")
    ] = "models",
) -> None:
    """Counts per paradigm and encoding, and how many records fill each field."""
    if not missing:
        typer.echo(report(load_or_exit(data)), nl=False)
        return
    fields = KIND_FIELDS.get(kind)
    if fields is None:
        typer.echo(f"error: --kind must be one of {', '.join(KIND_FIELDS)}", err=True)
        raise typer.Exit(2)
    label = field_named(fields, missing)
    if label is None:
        known = ", ".join(f"'{name}'" for name, _ in fields)
        typer.echo(f"error: {kind} have no field '{missing}' (known: {known})", err=True)
        raise typer.Exit(2)
    typer.echo(missing_report(load_or_exit(data), kind, label), nl=False)


@import_app.command("awesome-md")
def import_awesome_md(
    file: Annotated[Path, typer.Argument(help="Markdown awesome-list made of tables.")],
    data: DataOpt = Path("data"),
    added: Annotated[str, typer.Option(help="Date the records enter the catalogue.")] = "",
    source_url: Annotated[str, typer.Option(help="Where the list is published.")] = UPSTREAM_URL,
) -> None:
    """Turn every table row of an awesome-list into a record under --data.

    Existing records are kept as they are; rows that cannot be read are listed.
    """
    if not file.is_file():
        typer.echo(f"error: '{file}' is not a file", err=True)
        raise typer.Exit(2)
    added = added or _dt.date.today().isoformat()
    taxonomy, problems = catalog_mod.load_taxonomy(data)
    if taxonomy is None:
        _print_diagnostics(problems)
        raise typer.Exit(1)
    result = importer_mod.import_awesome(
        file.read_text(encoding="utf-8"), catalog_mod.display_path(file), added, source_url
    )
    importer_mod.link_shared_papers(result)
    written, kept, diagnostics = importer_mod.write_records(result, data, taxonomy)
    _print_diagnostics(diagnostics)
    for label, count in result.counts.items():
        typer.echo(f"{count:>4}  {label}")
    typer.echo(f"wrote {written} records, kept {kept} existing, {len(diagnostics)} rows reported")


TemplatesOpt = Annotated[Path, typer.Option("--templates", help="Folder of page templates.")]


def _build(
    data: Path,
    site: Path,
    docs: Path,
    templates: Path,
    config: Path,
    cache: BuildCache | None = None,
) -> None:
    catalog = load_or_exit(data, cache)
    # the catalogue lives as long as the build: the cyclic collector need not walk it again
    # and again while ten thousand pages are rendered
    gc.collect()
    gc.freeze()
    try:
        written = build_mod.build_site(
            catalog,
            root=Path.cwd(),
            templates=templates,
            docs=docs,
            site=site,
            config_file=config,
            cache=cache,
        )
    except build_mod.BuildError as exc:
        typer.echo(f"error: {exc}", err=True)
        typer.echo("the previous site/ and docs/ were left as they were", err=True)
        raise typer.Exit(1) from None
    finally:
        gc.unfreeze()
    typer.echo(
        f"{len(written.changed)} generated pages written, {written.unchanged} unchanged, "
        f"{len(written.removed)} removed; site in {site}/",
        err=True,
    )


@app.command()
def build(
    data: DataOpt = Path("data"),
    site: Annotated[Path, typer.Option("--site", help="Where the website goes.")] = Path("site"),
    docs: Annotated[
        Path, typer.Option("--docs", help="Pages folder (generated part is git-ignored).")
    ] = Path("docs"),
    templates: TemplatesOpt = Path("templates"),
    config: Annotated[Path, typer.Option("--config", help="mkdocs configuration.")] = Path(
        "mkdocs.yml"
    ),
) -> None:
    """Validate data/, render the pages into docs/ and build the website into site/.

    A failing stage leaves the previous site/ and docs/ untouched.
    """
    _build(data, site, docs, templates, config)


@app.command()
def serve(
    data: DataOpt = Path("data"),
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8000,
    templates: TemplatesOpt = Path("templates"),
) -> None:
    """Build, serve site/ on localhost and rebuild when data/, templates/ or docs/ change.

    Rebuilds read again only the files that changed and render again only the pages
    that show them.
    """
    from .serve import serve_forever

    cache = BuildCache()
    serve_forever(
        lambda: _build(data, Path("site"), Path("docs"), templates, Path("mkdocs.yml"), cache),
        [data, templates, Path("docs")],
        Path("site"),
        port,
    )


@app.command()
def bib(
    ids: Annotated[list[str] | None, typer.Argument(help="Record ids (default: all).")] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")
    ] = None,
    paradigm: Annotated[str | None, typer.Option(help="Only models of this paradigm.")] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Only models of this visual encoding.")
    ] = None,
    kind: Annotated[str | None, typer.Option(help="model, benchmark or dataset.")] = None,
    ascii_only: Annotated[
        bool, typer.Option("--ascii", help="LaTeX escapes instead of UTF-8.")
    ] = False,
    data: DataOpt = Path("data"),
) -> None:
    """Write BibTeX entries for all records with a paper, or a selection."""
    catalog = load_or_exit(data)
    if kind is not None and kind not in ("model", "benchmark", "dataset"):
        typer.echo(f"error: --kind must be model, benchmark or dataset, not '{kind}'", err=True)
        raise typer.Exit(2)
    for opt, group in ((paradigm, "paradigms"), (encoding, "encodings")):
        if opt is not None and opt not in catalog.taxonomy.ids(group):
            known = ", ".join(catalog.taxonomy.ids(group))
            typer.echo(f"error: unknown {group[:-1]} '{opt}' (known: {known})", err=True)
            raise typer.Exit(2)
    chosen = []
    wanted_ids = set(ids or [])
    for k, record in catalog.records():
        if kind and k != kind + "s":
            continue
        if wanted_ids and record.id not in wanted_ids:
            continue
        if paradigm or encoding:
            tax = getattr(record, "taxonomy", None)
            if (
                tax is None
                or (paradigm and tax.paradigm != paradigm)
                or (encoding and tax.encoding != encoding)
            ):
                continue
        chosen.append((k, record.id))
    unknown_ids = wanted_ids - {rid for _, rid in chosen}
    if unknown_ids:
        typer.echo(f"error: no record with id {', '.join(sorted(unknown_ids))}", err=True)
        raise typer.Exit(2)
    for k, rid in chosen:
        record = catalog.get(k, rid)
        if record.paper is not None and not record.paper.authors:
            typer.echo(
                f"{catalog.path(k, rid)}:1:1: warning: no authors; the entry has none", err=True
            )
    cited = bibtex_mod.entries(catalog, chosen, ascii_only=ascii_only)
    text = bibtex_mod.to_bibtex(cited)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {len(cited)} entries to {output}", err=True)


@app.command()
def new(
    kind: Annotated[str, typer.Argument(help="What to add (only 'model' for now).")] = "model",
    arxiv: Annotated[str, typer.Option(help="arXiv id, e.g. 2410.13848.")] = "",
    name: Annotated[str, typer.Option(help="Model name, e.g. Janus.")] = "",
    title: Annotated[str, typer.Option(help="Paper title.")] = "",
    from_bibtex: Annotated[
        Path | None,
        typer.Option("--from-bibtex", help="Start from pasted BibTeX (e.g. arXiv's export)."),
    ] = None,
    data: DataOpt = Path("data"),
) -> None:
    """Write a record skeleton with every field present and commented."""
    if kind != "model":
        typer.echo("error: only 'new model' is supported", err=True)
        raise typer.Exit(2)
    authors: list[str] = []
    if from_bibtex is not None:
        try:
            found = contrib.from_bibtex(from_bibtex.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            typer.echo(f"error: {from_bibtex}: {exc}", err=True)
            raise typer.Exit(2) from None
        arxiv, title = arxiv or found["arxiv"], title or found["title"]
        name, authors = name or found["name"], found["authors"]
    if not name:
        typer.echo("error: give --name (or BibTeX whose title starts with 'Name:')", err=True)
        raise typer.Exit(2)
    record_id = contrib.slug(name)
    catalog = load_or_exit(data)
    path = data / "models" / f"{record_id}.yaml"
    if record_id in catalog.models or path.exists():
        typer.echo(f"error: {path} exists already; edit it instead", err=True)
        raise typer.Exit(1)
    for kind_, record in catalog.records():
        if arxiv and record.paper is not None and record.paper.arxiv == arxiv:
            typer.echo(
                f"error: arXiv {arxiv} is already {catalog.path(kind_, record.id)}", err=True
            )
            raise typer.Exit(1)
    text = contrib.model_skeleton(
        record_id, name, arxiv, _dt.date.today().isoformat(), title=title, authors=authors
    )
    path.write_text(text, encoding="utf-8")
    typer.echo(
        f"wrote {path}; fill it in, then run umm-survey fmt and umm-survey validate", err=True
    )


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", help="Folder for the JSON Schema files.")] = Path(
        "schema"
    ),
    data: DataOpt = Path("data"),
) -> None:
    """Write JSON Schema files for editors (records point at them in their first line)."""
    taxonomy, problems = catalog_mod.load_taxonomy(data)
    if taxonomy is None:
        _print_diagnostics(problems)
        raise typer.Exit(1)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in contrib.schema_files(taxonomy).items():
        (out / name).write_text(text, encoding="utf-8")
    typer.echo(f"wrote {out}/{{model,benchmark,dataset}}.schema.json", err=True)


@app.command()
def fmt(
    files: Annotated[list[Path] | None, typer.Argument(help="Record files (default: all).")] = None,
    check: Annotated[
        bool, typer.Option("--check", help="List files that differ; change nothing.")
    ] = False,
    data: DataOpt = Path("data"),
) -> None:
    """Rewrite records in the canonical layout (key order, quoting, list style)."""
    taxonomy, problems = catalog_mod.load_taxonomy(data)
    if taxonomy is None:
        _print_diagnostics(problems)
        raise typer.Exit(1)
    targets: list[tuple[Path, str]] = []
    for kind in catalog_mod.KINDS:
        for path in sorted((data / kind).glob("*.yaml")):
            if not files or any(path.resolve() == f.resolve() for f in files):
                targets.append((path, kind))
    differ, failed = [], []
    for path, kind in targets:
        text, errs = contrib.canonical(path, kind, taxonomy)
        if text is None:
            failed.extend(errs)
            continue
        if path.read_text(encoding="utf-8") != text:
            differ.append(path)
            if not check:
                path.write_text(text, encoding="utf-8")
    _print_diagnostics(sorted(failed))
    for path in differ:
        typer.echo(
            f"{catalog_mod.display_path(path)}: {'not canonical' if check else 'reformatted'}"
        )
    if failed or (check and differ):
        raise typer.Exit(1)


export_app = typer.Typer(help="Export the catalogue.", no_args_is_help=True)
app.add_typer(export_app, name="export")


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)


OutputOpt = Annotated[Path | None, typer.Option("-o", "--output", help="File (default: stdout).")]


@export_app.command("awesome")
def export_awesome(
    readme: Annotated[
        Path | None, typer.Option(help="Update this file between its awesome-list markers.")
    ] = None,
    check: Annotated[bool, typer.Option(help="With --readme: fail if it is stale.")] = False,
    output: OutputOpt = None,
    data: DataOpt = Path("data"),
) -> None:
    """The awesome-style Markdown list (by paradigm and encoding)."""
    from .export import awesome

    text = awesome.awesome_list(load_or_exit(data))
    if readme is None:
        _emit(text, output)
        return
    old = readme.read_text(encoding="utf-8")
    new_text = awesome.replace_between_markers(old, text)
    if check:
        if new_text != old:
            typer.echo(
                f"{readme}: the list is stale; run umm-survey export awesome --readme {readme}",
                err=True,
            )
            raise typer.Exit(1)
        return
    readme.write_text(new_text, encoding="utf-8")


@export_app.command("json")
def export_json(output: OutputOpt = None, data: DataOpt = Path("data")) -> None:
    """Every record as JSON, references resolved."""
    from .export import tables

    _emit(tables.to_json(load_or_exit(data)), output)


@export_app.command("csv")
def export_csv(output: OutputOpt = None, data: DataOpt = Path("data")) -> None:
    """One CSV row per model."""
    from .export import tables

    _emit(tables.models_csv(load_or_exit(data)), output)


@app.command()
def verify(
    data: DataOpt = Path("data"),
    links: Annotated[bool, typer.Option(help="Also check every external link.")] = True,
    arxiv_api: Annotated[
        str, typer.Option(help="arXiv API endpoint.")
    ] = "https://export.arxiv.org/api/query",
    timeout: Annotated[float, typer.Option(help="Seconds per request.")] = 10.0,
    retries: Annotated[int, typer.Option(help="Retries for transient failures.")] = 2,
    concurrency: Annotated[int, typer.Option(help="Requests at a time.")] = 8,
    cache: Annotated[Path, typer.Option(help="Where good links are remembered (7 days).")] = Path(
        ".cache/links.json"
    ),
) -> None:
    """Compare titles and dates with the arXiv API and check external links (needs internet)."""
    from . import verify as verify_mod

    catalog = load_or_exit(data)
    opts = verify_mod.Options(
        arxiv_api=arxiv_api, timeout=timeout, retries=retries, concurrency=concurrency, cache=cache
    )
    diagnostics = catalog_mod.resolve(verify_mod.verify(catalog, opts, links=links), catalog)
    _print_diagnostics(diagnostics)
    typer.echo(_summary(diagnostics), err=True)
    if diagnostics:
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())
