"""Reading items from files: JSONL, CSV (marketplace cabinet exports) and XLSX.

Every bad row raises InputError naming the file, the line and the field; nothing is half-read:
``read_items`` validates the whole file before returning, and ``ItemFile`` streams it row by row
for an import that writes inside one transaction (all-or-nothing, bounded memory). A column Otklik
does not know is refused, never guessed at: the user maps it (``--map "Колонка=text"``) or it is
listed as irrelevant in ``data/columns.yaml``.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
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
          "pros", "cons", "photos", "videos", "order_status", "answer")
IGNORE = ("ignore", "-")  # --map "Колонка=ignore": the user says this column does not matter
HEADER_SEARCH_ROWS = 30  # cabinet exports put a report title and blank rows above the header
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True, slots=True)
class Columns:
    """The column names Otklik knows (columns.yaml) and the ones known not to matter."""

    aliases: dict[str, str]  # lower-cased column name → field
    ignored: frozenset[str]  # lower-cased names of columns that carry nothing Otklik uses
    by_field: dict[str, list[str]]  # field → its column names, for the error message


@cache
def known_columns() -> Columns:
    raw = load_yaml_mapping(Path(__file__).parent / "data" / "columns.yaml", InputError, "column map")
    ignored = frozenset(str(c).strip().lower() for c in raw.pop("ignored", []) or [])
    by_field = {f: [str(a) for a in aliases] for f, aliases in raw.items()}
    aliases = {a.strip().lower(): f for f, names in by_field.items() for a in names}
    return Columns(aliases, ignored, by_field)


def parse_mapping(specs: list[str] | tuple[str, ...] | None) -> dict[str, str]:
    """``["Комментарий покупателя=text", "Бренд=ignore"]`` → {column (lower-cased): field or ignore}."""
    out: dict[str, str] = {}
    for spec in specs or ():
        column, sep, target = spec.rpartition("=")
        column, target = column.strip(), target.strip().lower()
        if not sep or not column:
            raise InputError(f"--map {spec!r}: write it as \"Column name=field\", e.g. \"Комментарий покупателя=text\"")
        if target not in FIELDS and target not in IGNORE:
            raise InputError(f"--map {spec!r}: unknown field {target!r}; use one of {', '.join(FIELDS)} or 'ignore'")
        out[column.lower()] = "ignore" if target in IGNORE else target
    return out


def _header_fields(header: list[str], mapping: dict[str, str]) -> tuple[list[str | None], list[str]]:
    """Each column's field (None = not used) and the columns nobody said anything about."""
    cols = known_columns()
    fields: list[str | None] = []
    unknown: list[str] = []
    for h in header:
        key = (h or "").strip().lower()
        target = mapping.get(key) or cols.aliases.get(key)
        if target is None and key and key not in cols.ignored:
            unknown.append(h.strip())
        fields.append(None if target in (None, "ignore") else target)
    return fields, unknown


def _is_header(row: list[str], mapping: dict[str, str]) -> bool:
    fields, _ = _header_fields(row, mapping)
    return "id" in fields


def _check_header(header: list[str], p: Path, line: int, mapping: dict[str, str]) -> list[str | None]:
    """The header's fields; refuse unknown columns, two columns for one field, or a --map for a
    column the file does not have: Otklik never guesses what a column holds."""
    fields, unknown = _header_fields(header, mapping)
    present = {(h or "").strip().lower() for h in header}
    missing = [c for c in mapping if c not in present]
    if missing:
        listed = ", ".join(f"«{h.strip()}»" for h in header if (h or "").strip())
        raise InputError(f"--map names column(s) {', '.join(f'«{m}»' for m in missing)} that the file does not have; "
                         f"its columns are {listed}", file=p, line=line)
    if unknown:
        cols = known_columns()
        names = ", ".join(f"«{u}»" for u in unknown)
        known = "; ".join(f"{f}: {', '.join(a)}" for f, a in cols.by_field.items())
        raise InputError(
            f"unknown column(s) {names}: Otklik does not guess what they hold. Map each one, e.g. "
            f"--map \"{unknown[0]}=text\" (fields: {', '.join(FIELDS)}), or --map \"{unknown[0]}=ignore\". "
            f"Known columns — {known}",
            file=p, line=line,
        )
    seen: dict[str, str] = {}
    for h, f in zip(header, fields, strict=True):
        if f is None:
            continue
        if f in seen:
            raise InputError(f"columns «{seen[f]}» and «{h.strip()}» both mean '{f}'; keep one, "
                             f"e.g. --map \"{h.strip()}=ignore\"", file=p, line=line)
        seen[f] = h.strip()
    if "id" not in seen:
        raise InputError(f"no id column among {header!r}", file=p, line=line, field="id")
    return fields


class ItemFile:
    """The items of one file, read and validated row by row: memory stays bounded however large
    the file, and ``done``/``total`` (bytes) drive a progress bar. Iterating raises InputError
    on the first bad row, so a caller writing inside one transaction stays all-or-nothing."""

    def __init__(self, path: str | Path, *, encoding: str = "utf-8", default_source: str = "file",
                 mapping: dict[str, str] | None = None) -> None:
        p = Path(path)
        if not p.exists():
            raise InputError("file not found", file=p)
        self.total = p.stat().st_size
        if self.total > MAX_FILE_BYTES:
            raise InputError(f"file is larger than {MAX_FILE_BYTES // 2**20} MB", file=p)
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown text encoding '{encoding}' (e.g. utf-8, cp1251)", file=p) from None
        self.suffix = p.suffix.lower()
        if self.suffix not in (".jsonl", ".ndjson", ".csv", ".xlsx"):
            raise InputError(f"unsupported file type '{self.suffix}': use .jsonl, .csv or .xlsx", file=p)
        self.path, self.encoding, self.default_source = p, encoding, default_source
        self.mapping = dict(mapping or {})
        self.done = 0

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        if self.suffix in (".jsonl", ".ndjson"):
            objects = jsonl_objects(self.path, self.encoding, counter=self)
            if not self.mapping:
                return objects
            return ((n, self._remap(obj)) for n, obj in objects)
        if self.suffix == ".csv":
            return self._csv_rows()
        return self._xlsx_rows()

    def _remap(self, obj: dict[str, Any]) -> dict[str, Any]:
        """A JSONL object's keys renamed (or dropped) as --map says."""
        out: dict[str, Any] = {}
        for key, value in obj.items():
            target = self.mapping.get(str(key).strip().lower())
            if target != "ignore":
                out[target or key] = value
        return out

    def __iter__(self) -> Iterator[Item]:
        seen: dict[tuple[str, str], int] = {}
        for line, row in self.rows():
            item = row_to_item(row, file=self.path, line=line, default_source=self.default_source)
            key = (item.source, item.external_id)
            if key in seen:
                raise InputError(f"duplicate id '{item.external_id}' (first on line {seen[key]})", file=self.path,
                                 line=line, field="id")
            seen[key] = line
            yield item
        self.done = self.total

    # -- CSV ----------------------------------------------------------------------------------------
    def _lines(self, fh: Any) -> Iterator[str]:
        """Decoded physical lines, so a broken byte is reported with its line number."""
        first = "utf-8-sig" if self.encoding.lower().replace("_", "-") in ("utf-8", "utf8") else self.encoding
        for n, raw in enumerate(fh, start=1):
            self.done += len(raw)
            yield _decode(raw, file=self.path, line=n, encoding=first if n == 1 else self.encoding)

    def _find_csv_header(self, head: list[str]) -> tuple[str, int]:
        """The delimiter and the index (among parsed rows) of the header row: the first row with an
        id column, under the delimiter that recognises the most columns in it."""
        best: tuple[int, str, int] | None = None
        text = "".join(head)
        for d in DELIMITERS:
            reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=d)
            try:
                for idx, row in enumerate(itertools.islice(reader, HEADER_SEARCH_ROWS)):
                    if _is_header(row, self.mapping):
                        score = sum(f is not None for f in _header_fields(row, self.mapping)[0])
                        if best is None or score > best[0]:
                            best = (score, d, idx)
                        break
            except csv.Error:  # the sample may end inside a quoted field
                continue
        if best is not None:
            return best[1], best[2]
        first = next((h for h in head if h.strip()), "")
        try:  # no header with an id: sniff the first line's delimiter to name its columns in the error
            return csv.Sniffer().sniff(first, delimiters=",;\t").delimiter, 0
        except csv.Error:
            return ",", 0

    def _csv_rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        with self.path.open("rb") as fh:
            lines = self._lines(fh)
            head = list(itertools.islice(lines, HEADER_SEARCH_ROWS))
            if not any(h.strip() for h in head):
                return
            delimiter, skip = self._find_csv_header(head)
            reader = csv.reader(itertools.chain(head, lines), csv.excel, delimiter=delimiter)
            try:
                for _ in range(skip):
                    next(reader)
                header = next(reader)
                fields = _check_header(header, self.path, reader.line_num, self.mapping)
                for values in reader:
                    if not any(v.strip() for v in values):
                        continue
                    line = reader.line_num
                    if len(values) > len(fields):
                        raise InputError(f"{len(values)} values but the header has {len(fields)} columns",
                                         file=self.path, line=line)
                    yield line, {f: v for f, v in zip(fields, values, strict=False) if f is not None}
            except csv.Error as exc:
                raise InputError(f"broken CSV: {exc}", file=self.path, line=reader.line_num) from exc

    # -- XLSX ---------------------------------------------------------------------------------------
    def _xlsx_rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        from openpyxl import load_workbook

        try:
            wb = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
            raise InputError(f"cannot read as XLSX: {exc}", file=self.path) from exc
        try:
            ws = wb.active
            n_rows = ws.max_row or 0
            rows = enumerate(ws.iter_rows(values_only=True), start=1)
            header: list[str] | None = None
            first: list[str] | None = None
            for n, values in rows:
                cells = ["" if v is None else str(v) for v in values or ()]
                if first is None and any(c.strip() for c in cells):
                    first = cells
                if _is_header(cells, self.mapping):
                    header = cells
                    break
                if n >= HEADER_SEARCH_ROWS:
                    break
            if header is None:
                if first is None:
                    return
                raise InputError(f"no id column in the first {HEADER_SEARCH_ROWS} rows (first row: {first!r}); "
                                 "name the id column with --map \"Column=id\"", file=self.path, field="id")
            fields = _check_header(header, self.path, n, self.mapping)
            for n, values in rows:
                if n_rows:
                    self.done = self.total * n // n_rows
                if values is None or all(v is None or str(v).strip() == "" for v in values):
                    continue
                yield n, {f: v for f, v in zip(fields, values, strict=False) if f is not None and v is not None}
        finally:
            wb.close()


def read_items(path: str | Path, *, encoding: str = "utf-8", default_source: str = "file",
               mapping: dict[str, str] | None = None) -> list[Item]:
    """Read and validate every row of ``path``; raise InputError on the first bad one."""
    return list(ItemFile(path, encoding=encoding, default_source=default_source, mapping=mapping))


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


def jsonl_objects(p: Path, encoding: str = "utf-8", *, counter: ItemFile | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line; InputError names the line of a bad one."""
    with p.open("rb") as fh:
        for n, raw in enumerate(fh, start=1):
            if counter is not None:
                counter.done += len(raw)
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
    answer = _str(row.get("answer"), field="answer", file=file, line=line).strip()
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
        seller_answer=answer,
    )
