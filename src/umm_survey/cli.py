"""The `umm-survey` command: argument parsing and printing only; the work is in the modules.

Exit status: 0 when clean, 1 when the data has errors, 2 for a usage error.
"""

from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from . import catalog as catalog_mod
from . import importer as importer_mod
from .diagnostics import Diagnostic, format_all, has_errors
from .stats import report

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


def load_or_exit(data: Path) -> catalog_mod.Catalog:
    """Load the catalogue; print problems; exit 1 on errors."""
    if not data.is_dir():
        typer.echo(f"error: data folder '{data}' does not exist", err=True)
        raise typer.Exit(2)
    loaded = catalog_mod.load_catalog(data)
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
def stats(data: DataOpt = Path("data")) -> None:
    """Counts per paradigm and encoding, and how many records fill each field."""
    typer.echo(report(load_or_exit(data)), nl=False)


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


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())
