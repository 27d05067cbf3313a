"""Console helpers shared by CLI commands: Rich consoles, progress bars, error exit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

err_console = Console(stderr=True, soft_wrap=True)


@contextmanager
def progress_bar(description: str, total: int, *, unit: str = "items") -> Iterator[Progress]:
    """A progress bar on stderr (stdout may carry JSONL); hidden when not a terminal in CI.
    ``unit="bytes"`` counts a file's bytes (sizes in MB) instead of items."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn() if unit == "bytes" else MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=False,
    ) as progress:
        progress.add_task(description, total=total)
        yield progress
