"""`otklik lint`: check replies against reviews and the business profile, findings by rule id.

    otklik lint --reply "Спасибо!" --review "Маломерит, пришлось вернуть" --rating 2 --author "Анна"
    otklik lint --file replies.jsonl --profile my.yaml

JSONL rows: {id, text, rating, author, product, kind, reply}. Exit code 1 when any finding has
error severity, 2 on bad input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from otklik.compose.faq import FaqIndex
from otklik.compose.morph import Morph
from otklik.compose.phrasebank import PhraseBank
from otklik.domain import Item, ItemKind, LintFinding
from otklik.errors import InputError, OtklikError
from otklik.lint.rules import Linter, lint_reply
from otklik.profile import BusinessProfile, load_profile
from otklik.sources.files import jsonl_objects
from otklik.understand import Analyzer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


def _rows(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        raise InputError("file not found", file=path)
    rows = []
    for n, row in jsonl_objects(path):
        if not isinstance(row.get("reply"), str):
            raise InputError("missing reply text", file=path, line=n, field="reply")
        row["_line"] = n
        rows.append(row)
    return rows


def _item(row: dict[str, object], n: int) -> Item:
    rating = row.get("rating")
    kind = str(row.get("kind") or "review")
    return Item(
        external_id=str(row.get("id") or n),
        kind=ItemKind.QUESTION if kind == "question" else ItemKind.REVIEW,
        text=str(row.get("text") or ""),
        rating=int(rating) if isinstance(rating, int | float | str) and str(rating).strip().isdigit() else None,
        author=str(row["author"]) if row.get("author") else None,
        product=str(row["product"]) if row.get("product") else None,
    )


def lint_rows(rows: list[dict[str, object]], profile: BusinessProfile, platform: str | None) -> list[tuple[Item, list[LintFinding]]]:
    """Lint each row's reply against its review; reuses one linter for all rows."""
    morph = Morph()
    bank = PhraseBank()
    linter = Linter(profile, morph, FaqIndex(profile, morph), bank)
    out = []
    items = [_item(row, n) for n, row in enumerate(rows, start=1)]
    analyses = Analyzer(profile).analyze(items)
    for row, item, analysis in zip(rows, items, analyses, strict=True):
        findings = lint_reply(str(row["reply"]), item=item, analysis=analysis, profile=profile,
                              platform=platform or (str(row["platform"]) if row.get("platform") else None), linter=linter)
        out.append((item, findings))
    return out


def _print(console: Console, results: list[tuple[Item, list[LintFinding]]]) -> None:
    for item, findings in results:
        title = f"[bold]{item.external_id}[/]"
        if not findings:
            console.print(f"{title}: [green]замечаний нет[/]")
            continue
        table = Table(title=f"{item.external_id}: {len(findings)} замеч.", title_justify="left", show_lines=False)
        table.add_column("правило", style="bold")
        table.add_column("важность")
        table.add_column("что не так")
        for f in findings:
            style = "red" if f.severity == "error" else "yellow"
            table.add_row(f.rule, f"[{style}]{f.severity}[/]", f.message)
        console.print(table)


@app.command("lint")
def lint_command(
    reply: Annotated[str | None, typer.Option("--reply", help="The reply text to check")] = None,
    review: Annotated[str | None, typer.Option("--review", help="The review or question it answers")] = None,
    rating: Annotated[int | None, typer.Option("--rating", min=1, max=5, help="Stars of the review")] = None,
    author: Annotated[str | None, typer.Option("--author", help="Author as the platform shows it")] = None,
    product: Annotated[str | None, typer.Option("--product", help="Product name")] = None,
    kind: Annotated[str, typer.Option("--kind", help="review or question")] = "review",
    platform: Annotated[str | None, typer.Option("--platform", help="Platform key of the profile, e.g. ozon")] = None,
    profile: Annotated[Path | None, typer.Option("--profile", "-p", help="Business profile YAML (default: bundled clothing example)")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="JSONL of {id, text, rating, author, product, kind, reply}")] = None,
) -> None:
    """Check replies against the rules (R-*, P-*, N-*, Q-*, F-*); exit 1 on any error finding."""
    console = Console()
    try:
        prof = load_profile(profile)
        if file is not None:
            rows = _rows(file)
        elif reply is not None and review is not None:
            rows = [{"id": "reply", "text": review, "rating": rating, "author": author, "product": product,
                     "kind": kind, "reply": reply}]
        else:
            raise InputError("give --reply and --review, or --file")
        results = lint_rows(rows, prof, platform)
    except OtklikError as exc:
        Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    _print(console, results)
    errors = sum(1 for _, fs in results for f in fs if f.severity == "error")
    if errors:
        raise typer.Exit(1)
