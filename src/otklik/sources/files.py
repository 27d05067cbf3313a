"""Reading items from files: JSONL, CSV (marketplace cabinet exports) and XLSX.

Every bad row raises InputError naming the file, the line and the field; nothing is half-read:
``read_items`` validates the whole file before returning, so an import is all-or-nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from otklik.datafiles import load_yaml_mapping
from otklik.domain import Item, ItemKind
from otklik.errors import InputError

MAX_TEXT_CHARS = 20_000  # the longest marketplace review field is 5,000; leave room, refuse junk
MAX_FILE_BYTES = 512 * 1024 * 1024
KNOWN_SOURCES = {"file", "ozon", "wildberries", "yandex_market", "google", "yandex_maps", "2gis", "site"}
FIELDS = ("id", "text", "rating", "author", "product", "product_id", "kind", "created_at", "source",
          "pros", "cons", "photos", "videos", "order_status")


@cache
def _column_aliases() -> dict[str, str]:
    raw = load_yaml_mapping(Path(__file__).parent / "data" / "columns.yaml", InputError, "column map")
    return {alias.strip().lower(): field for field, aliases in raw.items() for alias in aliases}


def read_items(path: str | Path, *, encoding: str = "utf-8", default_source: str = "file") -> list[Item]:
    """Read and validate every row of ``path``; raise InputError on the first bad one."""
    p = Path(path)
    if not p.exists():
        raise InputError("file not found", file=p)
    if p.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"file is larger than {MAX_FILE_BYTES // 2**20} MB", file=p)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown text encoding '{encoding}' (e.g. utf-8, cp1251)", file=p) from None
    suffix = p.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        rows = jsonl_objects(p, encoding)
    elif suffix == ".csv":
        rows = _csv_rows(p, encoding)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(p)
    else:
        raise InputError(f"unsupported file type '{suffix}': use .jsonl, .csv or .xlsx", file=p)
    items: list[Item] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        item = row_to_item(row, file=p, line=line, default_source=default_source)
        key = (item.source, item.external_id)
        if key in seen:
            raise InputError(f"duplicate id '{item.external_id}' (first on line {seen[key]})", file=p, line=line, field="id")
        seen[key] = line
        items.append(item)
    return items


def _decode(raw: bytes, *, file: Path, line: int, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"broken text encoding at byte {exc.start} (not {encoding}); "
            "re-save the file as UTF-8 or pass --encoding cp1251",
            file=file,
            line=line,
        ) from exc


def jsonl_objects(p: Path, encoding: str = "utf-8") -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line; InputError names the line of a bad one."""
    with p.open("rb") as fh:
        for n, raw in enumerate(fh, start=1):
            text = _decode(raw, file=p, line=n, encoding=encoding).lstrip("\ufeff").strip()
            if not text:
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(f"not valid JSON: {exc.msg} (column {exc.colno})", file=p, line=n) from exc
            if not isinstance(obj, dict):
                raise InputError("each line must be a JSON object", file=p, line=n)
            yield n, obj


def _map_header(header: list[str], p: Path) -> list[str | None]:
    aliases = _column_aliases()
    mapped = [aliases.get((h or "").strip().lower()) for h in header]
    if "id" not in mapped:
        raise InputError(f"no id column among {header!r}", file=p, line=1, field="id")
    return mapped


def _csv_rows(p: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any]]]:
    raw = p.read_bytes()
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    # Decode line by line first so a broken byte is reported with its line number.
    lines = raw.split(b"\n")
    decoded = [_decode(b, file=p, line=i, encoding=enc if i == 1 else encoding) for i, b in enumerate(lines, 1)]
    text = "\n".join(decoded)
    sample = text[:4096]
    try:  # sniff only the delimiter: the sniffer guesses quoting wrongly on real exports
        delimiter = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    fields = _map_header(header, p)
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            line = reader.line_num
            if len(values) > len(fields):
                raise InputError(f"{len(values)} values but the header has {len(fields)} columns", file=p, line=line)
            yield line, {f: v for f, v in zip(fields, values, strict=False) if f is not None}
    except csv.Error as exc:
        raise InputError(f"broken CSV: {exc}", file=p, line=reader.line_num) from exc


def _xlsx_rows(p: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise InputError(f"cannot read as XLSX: {exc}", file=p) from exc
    try:
        ws = wb.active
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return
        fields = _map_header([str(h) if h is not None else "" for h in header], p)
        for n, values in enumerate(rows, start=2):
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            yield n, {f: v for f, v in zip(fields, values, strict=False) if f is not None and v is not None}
    finally:
        wb.close()


def _str(value: Any, *, field: str, file: Path, line: int, limit: int = MAX_TEXT_CHARS) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise InputError("must be text, not a structure", file=file, line=line, field=field)
    s = str(value)
    if len(s) > limit:
        raise InputError(f"text is {len(s):,} characters, more than the limit of {limit:,}", file=file, line=line, field=field)
    if "\x00" in s:
        raise InputError("contains a NUL character (binary data?)", file=file, line=line, field=field)
    return s


def _int(value: Any, *, field: str, file: Path, line: int, low: int, high: int) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InputError(f"must be a whole number from {low} to {high}, got {value!r}", file=file, line=line, field=field)
    try:
        f = float(str(value).strip().replace(",", "."))
    except ValueError as exc:
        raise InputError(f"must be a whole number from {low} to {high}, got {value!r}", file=file, line=line, field=field) from exc
    if f != int(f) or not low <= f <= high:
        raise InputError(f"must be a whole number from {low} to {high}, got {value!r}", file=file, line=line, field=field)
    return int(f)


def parse_datetime(value: Any) -> datetime | None:
    """ISO 8601, Unix seconds, or «ДД.ММ.ГГГГ [ЧЧ:ММ]». Naive times are read as UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), tz=UTC)
    else:
        s = str(value).strip()
        if s.isdigit():
            return datetime.fromtimestamp(int(s), tz=UTC)
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
        except ValueError:
            for fmt in ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y"):
                try:
                    dt = datetime.strptime(s, fmt)
                    break
                except ValueError:
                    continue
            else:
                raise ValueError(s) from None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def row_to_item(row: dict[str, Any], *, file: Path, line: int, default_source: str = "file") -> Item:
    """Validate one row (already keyed by Otklik field names) into an Item."""
    ext_id = _str(row.get("id"), field="id", file=file, line=line, limit=128).strip()
    if not ext_id:
        raise InputError("missing id", file=file, line=line, field="id")
    text = _str(row.get("text"), field="text", file=file, line=line)
    rating = _int(row.get("rating"), field="rating", file=file, line=line, low=1, high=5)
    kind_raw = _str(row.get("kind"), field="kind", file=file, line=line, limit=32).strip().lower() or "review"
    if kind_raw in ("вопрос",):
        kind_raw = "question"
    if kind_raw in ("отзыв",):
        kind_raw = "review"
    if kind_raw not in ("review", "question"):
        raise InputError(f"must be 'review' or 'question', got {kind_raw!r}", file=file, line=line, field="kind")
    pros = _str(row.get("pros"), field="pros", file=file, line=line)
    cons = _str(row.get("cons"), field="cons", file=file, line=line)
    if not text.strip() and rating is None and not pros.strip() and not cons.strip():
        raise InputError("needs text or rating", file=file, line=line, field="text")
    source = _str(row.get("source"), field="source", file=file, line=line, limit=64).strip().lower() or default_source
    if source not in KNOWN_SOURCES:
        raise InputError(f"unknown source {source!r}; use one of {sorted(KNOWN_SOURCES)}", file=file, line=line, field="source")
    try:
        created = parse_datetime(row.get("created_at"))
    except (ValueError, OverflowError, OSError) as exc:
        raise InputError(
            f"not a date: {row.get('created_at')!r} (use ISO 8601 like 2026-11-21T10:00:00+03:00)",
            file=file, line=line, field="created_at",
        ) from exc
    author = _str(row.get("author"), field="author", file=file, line=line, limit=200).strip() or None
    product = _str(row.get("product"), field="product", file=file, line=line, limit=500).strip() or None
    product_id = _str(row.get("product_id"), field="product_id", file=file, line=line, limit=128).strip() or None
    order_status = _str(row.get("order_status"), field="order_status", file=file, line=line, limit=32).strip().upper() or None
    photos = _int(row.get("photos"), field="photos", file=file, line=line, low=0, high=1000) or 0
    videos = _int(row.get("videos"), field="videos", file=file, line=line, low=0, high=1000) or 0
    extra = {k: v for k, v in row.items() if k not in FIELDS and isinstance(v, (str, int, float, bool))}
    return Item(
        external_id=ext_id,
        source=source,
        kind=ItemKind(kind_raw),
        text=text.strip(),
        rating=rating,
        pros=pros.strip(),
        cons=cons.strip(),
        author=author,
        product=product,
        product_id=product_id,
        created_at=created,
        photos=photos,
        videos=videos,
        order_status=order_status,
        extra=extra,
    )
