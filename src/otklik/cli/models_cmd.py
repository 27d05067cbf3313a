"""`otklik train` and `otklik evaluate`: rebuild the shipped models, and score them on held-out data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from otklik.errors import OtklikError

app = typer.Typer(help="Train and evaluate the understanding models.", no_args_is_help=True)

DataDir = Annotated[Path, typer.Option("--data-dir", help="folder with the review data sets")]


@app.command()
def train(
    data_dir: DataDir = Path("../shared/data"),
    out: Annotated[Path | None, typer.Option("--out", help="where to write model files (default: package models/)")] = None,
    heldout_only: Annotated[bool, typer.Option(
        "--heldout-only", help="fit on training parts only, as evaluation does (needs --out)")] = False,
) -> None:
    """Rebuild the model files from all the data, gold texts excepted (reproducible: fixed splits and seeds)."""
    from otklik.understand.modelfile import MODELS_DIR
    from otklik.understand.training import train_all

    console = Console()
    if heldout_only and out is None:
        console.print("[red]error:[/red] --heldout-only files must not replace the shipped models: pass --out DIR")
        raise typer.Exit(2)
    try:
        with console.status("training…") as status:
            manifest = train_all(data_dir, out or MODELS_DIR, progress=lambda m: status.update(m),
                                 heldout_only=heldout_only)
    except OtklikError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    table = Table(title="model files")
    for col in ("file", "MB", "train rows", "labels"):
        table.add_column(col)
    for name, info in manifest["files"].items():
        table.add_row(name, f"{info['bytes'] / 1e6:.1f}", str(info["train_rows"]), ", ".join(info["labels"]))
    console.print(table)


@app.command()
def evaluate(
    data_dir: DataDir = Path("../shared/data"),
    models_dir: Annotated[Path | None, typer.Option(
        "--models-dir", help="model files for the gold-set rows (default: shipped)")] = None,
    heldout_models: Annotated[Path | None, typer.Option(
        "--heldout-models", help="files from `train --heldout-only` for the public rows (default: refit now)")] = None,
) -> None:
    """Score the shipped methods on held-out data next to a TF-IDF + LR baseline.

    The shipped files have seen the public test parts, so those rows use the same methods
    refitted on the training parts only (about a minute unless --heldout-models is given).
    """
    from otklik.understand.evaluation import evaluate as run_eval

    console = Console()
    try:
        with console.status("evaluating…") as status:
            rows = run_eval(data_dir, models_dir, progress=lambda m: status.update(m), heldout_dir=heldout_models)
    except OtklikError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    table = Table(title="held-out evaluation")
    for col in ("task", "metric", "n", "ours", "baseline", "Δ", "target"):
        table.add_column(col, justify="right" if col in ("n", "ours", "baseline", "Δ") else "left")
    for r in rows:
        verdict = "" if r.met is None else (" [green]met[/green]" if r.met else " [red]missed[/red]")
        table.add_row(r.task, r.metric, str(r.n_test), f"{r.ours:.4f}", f"{r.baseline:.4f}",
                      f"{r.ours - r.baseline:+.4f}", r.target + verdict)
    console.print(table)
