"""A dataset of many documents: build_dataset(DIR, "tasks.sqlite" | "tasks.duckdb" | "tasks.parquet").

Every target item of every document below DIR becomes one row of a table `items`, with its document's
metadata beside every ReportRow column, so that years of reports can be queried together (docs/dataset.md):

    documents  one row per file: path (relative to DIR), size, mtime_ns, sha256, kind, title, place, year,
               report_as_of, period, tasks, items, error (why it could not be read, else NULL), settings,
               perfnlp_version, read_at
    items      one row per target item: path, title, place, year, report_as_of, period, sha256, then every
               ReportRow column (document … flags; achieved and target_value as numbers, their exact decimal
               text in achieved_exact and target_value_exact)

Formats, told by the suffix of `out`: .sqlite/.db (the standard library's sqlite3; dates as ISO text), .duckdb
(extra perfnlp[db]), .parquet (extra perfnlp[parquet]: the items table in one file, the documents table as
JSON in the file's key-value metadata under "perfnlp:documents").

Incremental: a file whose (path, size, mtime) and settings (perfnlp version, context, yellow margin) are
those recorded is skipped unread; one whose size or mtime changed is hashed (by the worker reading it) and
skipped when its sha256 is unchanged; anything else is read again and its rows replaced. A file that could
not be read is tried again on every run. Files gone from DIR are removed from the dataset, unless part of DIR
could not be listed this time (then nothing is removed). SQLite and DuckDB commit each document as it is read,
so an interrupted run keeps what it did; a Parquet file is written whole at the end (the old one stays until
then).

What is guessed: `place` (guess_place) from the title by a simple rule, see its docstring; `year`,
`report_as_of` and `period` from the title (context_from_title; the period as written there: 第二季度, 1-8月).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterable, Literal, Sequence

from pydantic import BaseModel

from .._version import __version__
from ..documents import DocumentError, read_document
from ..judging.warning import YELLOW_MARGIN
from ..reading.periods import read_periods
from ..text.context import Context, context_from
from ..text.lexicon import rows as lexicon_rows
from .batch import Failure, Job, ProgressBar, Source, find_documents, make_jobs, one_line, read_bytes, run_jobs
from .export import COLUMNS as ROW_COLUMNS
from .report import Report, assess_document

Kind = Literal["text", "int", "float", "date"]


class DatasetError(ValueError):
    """The dataset cannot be written: a bad output name, a file that is not a perfnlp dataset, a missing extra."""


# ---------------------------------------------------------------------------------------------- columns

DOCUMENT_COLUMNS: dict[str, Kind] = {
    "path": "text", "size": "int", "mtime_ns": "int", "sha256": "text", "kind": "text", "title": "text",
    "place": "text", "year": "int", "report_as_of": "date", "period": "text", "tasks": "int", "items": "int",
    "error": "text", "settings": "text", "perfnlp_version": "text", "read_at": "text",
}
_META = ("path", "title", "place", "year", "report_as_of", "period", "sha256")


def _item_columns() -> dict[str, Kind]:
    out: dict[str, Kind] = {name: DOCUMENT_COLUMNS[name] for name in _META}
    for name, kind in ROW_COLUMNS.items():
        if kind == "decimal":
            out[name] = "float"
            out[f"{name}_exact"] = "text"
        elif kind in ("int", "float", "date"):
            out[name] = kind  # type: ignore[assignment]
        else:
            out[name] = "text"
    return out


ITEM_COLUMNS: dict[str, Kind] = _item_columns()


# ------------------------------------------------------------------------------------------ the guesses

@cache
def _place_words() -> dict[str, tuple[str, ...]]:
    roles: dict[str, list[str]] = {}
    for row in lexicon_rows("place_words.tsv"):
        roles.setdefault(row[1], []).append(row[0])
    return {role: tuple(sorted(words, key=len, reverse=True)) for role, words in roles.items()}


_CJK = r"[\u4e00-\u9fff]"


def _alternation(words: Iterable[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@cache
def _place_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(a province with its ending, optionally a place run after it; a province alone; a place run alone)"""
    words = _place_words()
    province = f"(?:{_alternation(words['province'])})(?:{_alternation(words['province_ending'])})?"
    run = f"(?:{_alternation(words['place_ending'])})"
    return (re.compile(f"{province}{_CJK}{{1,4}}{run}"), re.compile(province), re.compile(f"{_CJK}{{1,5}}{run}"))


PLACE_SEARCHED = 40  # characters of the title searched for a place


def guess_place(title: str | None) -> str | None:
    """The place a title names first, or None: 大兴区政府2017年度… → 大兴区, 2022年度黄石市… → 黄石市, 湖北省黄石市
    → 湖北省黄石市, 2017年上半年市政府…(西城区) → 西城区, 山东完成… → 山东.

    The rule (a guess; the words are in data/place_words.tsv): in the title's first 40 characters, the first
    province name (with or without 省/市/自治区, and with a city or county after it when there is one), or
    the first run of one to five Chinese characters ending in a place ending (市 区 县 州 镇 乡 街道 …), that is
    not a generic (全市, 我州), does not end in a word such as 小区 or 园区, does not start with a character such
    as 个/度/全/我/市, and holds none such as 年/月/季/的/和/关. A place without an ending is found only when it
    is a province (海口 is not found). Names are kept as written (山东, not 山东省)."""
    if not title:
        return None
    words = _place_words()
    text = title[:PLACE_SEARCHED]
    with_run, province, run = _place_patterns()
    not_first = set(words.get("not_first", ()))
    not_inside = set("".join(words.get("not_inside", ())))
    generic = set(words.get("generic", ()))
    not_ending = tuple(words.get("not_ending", ()))

    def plausible(name: str) -> bool:
        return not (name in generic or name[0] in not_first or not_inside & set(name) or name.endswith(not_ending))

    for start in range(len(text)):
        for pattern in (with_run, province, run):
            match = pattern.match(text, start)
            if match is not None and plausible(match.group(0)):
                return match.group(0)
    return None


def title_period(title: str | None, year: int | None) -> str | None:
    """The period a title names, as written there (第二季度, 1-8月, 上半年), or None."""
    if not title:
        return None
    periods = [p.text for p in read_periods(title, Context(year=year)) if p.kind != "year"]
    return "、".join(dict.fromkeys(periods)) or None


# ------------------------------------------------------------------------------------------- the worker

@dataclass(frozen=True)
class DatasetOutcome:
    """What a worker gives back for one file: its hash, and the rows to store or why it could not be read.
    `document` and `failure` both None: the content is the one recorded, nothing was read. Rows, not the
    Report, travel back: a fraction of its size to pickle."""

    sha256: str | None
    document: dict[str, Any] | None = None   # the documents row, but for what only the caller knows
    items: list[dict[str, Any]] = field(default_factory=list)
    failure: Failure | None = None


def read_for_dataset(job: Job) -> DatasetOutcome:
    """Hash the file; if the content is new, read and assess it into rows. Never raises for the document."""
    source = job.item
    assert isinstance(source, Source)
    try:
        data = job.data if job.data is not None else read_bytes(source.path)
    except (DocumentError, OSError) as exc:
        return DatasetOutcome(None, failure=Failure(document=source.name, reason=one_line(exc)))
    digest = hashlib.sha256(data).hexdigest()
    if job.known_sha256 == digest:
        return DatasetOutcome(digest)
    try:
        doc = read_document(data, name=source.name)
        report = assess_document(doc, context=job.context, yellow_margin=job.yellow_margin)
        document, items = _rows(source.name, digest, doc.kind, report)
    except (DocumentError, OSError, ImportError, RecursionError, MemoryError) as exc:
        return DatasetOutcome(digest, failure=Failure(document=source.name, reason=one_line(exc)))
    except Exception as exc:  # a bug in a reader: recorded on this document, the others go on
        return DatasetOutcome(digest, failure=Failure(
            document=source.name, reason=f"internal error, please report it: {type(exc).__name__}: {one_line(exc)}"))
    return DatasetOutcome(digest, document, items)


def _rows(path: str, digest: str, kind: str, report: Report) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    title = report.titles[0] if report.titles else None
    ctx = report.context or Context()
    document: dict[str, Any] = {
        "path": path, "sha256": digest, "kind": kind, "title": title, "place": guess_place(title), "year": ctx.year,
        "report_as_of": ctx.as_of, "period": title_period(title, ctx.year), "tasks": len(report.tasks),
        "items": len(report.rows), "error": None,
    }
    items = []
    for row in report.rows:
        plain = row.plain()
        item: dict[str, Any] = {name: document[name] for name in _META}
        for name, column in ROW_COLUMNS.items():
            value = plain.get(name)
            if column == "decimal":
                item[f"{name}_exact"] = value
                number = float(value) if value is not None else None
                value = number if number is not None and math.isfinite(number) else None
            elif column == "date":
                value = getattr(row, name)
            item[name] = value
        items.append(item)
    return document, items


# ------------------------------------------------------------------------------------------- the stores

@dataclass(frozen=True)
class Known:
    """What the dataset recorded of a file."""

    size: int
    mtime_ns: int
    sha256: str | None
    settings: str
    error: str | None


class _Store:
    def known(self) -> dict[str, Known]:
        raise NotImplementedError

    def put(self, document: dict[str, Any], items: Sequence[dict[str, Any]]) -> None:
        raise NotImplementedError

    def touch(self, path: str, size: int, mtime_ns: int) -> None:
        raise NotImplementedError

    def remove(self, paths: Iterable[str]) -> None:
        raise NotImplementedError

    def item_count(self) -> int:
        raise NotImplementedError

    def close(self, ok: bool) -> None:
        raise NotImplementedError


def _sql_type(kind: Kind, dialect: str) -> str:
    if dialect == "sqlite":
        return {"text": "TEXT", "int": "INTEGER", "float": "REAL", "date": "TEXT"}[kind]
    return {"text": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "date": "DATE"}[kind]


class _SqlStore(_Store):
    """SQLite or DuckDB, through their DB-API connections: the same SQL, `?` parameters."""

    def __init__(self, out: Path, dialect: Literal["sqlite", "duckdb"]) -> None:
        self.dialect = dialect
        if dialect == "sqlite":
            import sqlite3

            try:
                self.db: Any = sqlite3.connect(out)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.DatabaseError as exc:
                raise DatasetError(f"{out} is not an SQLite database: {exc}") from None
        else:
            try:
                import duckdb
            except ImportError:
                raise ImportError("a .duckdb dataset needs the optional extra: pip install 'perfnlp[db]'") from None
            try:
                self.db = duckdb.connect(str(out))
            except duckdb.Error as exc:
                raise DatasetError(f"cannot open {out} as a DuckDB database: {one_line(exc)}") from None
        self._create(out)

    def _create(self, out: Path) -> None:
        for table, columns in (("documents", DOCUMENT_COLUMNS), ("items", ITEM_COLUMNS)):
            spec = ", ".join(f'"{name}" {_sql_type(kind, self.dialect)}' for name, kind in columns.items())
            key = ', PRIMARY KEY ("path")' if table == "documents" else ""
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({spec}{key})")
            have = [row[1] for row in self.db.execute(f"PRAGMA table_info('{table}')").fetchall()]
            if have != list(columns):
                raise DatasetError(f"{out} holds a table {table} that is not this perfnlp's dataset "
                                   f"(columns differ); write to a new file or use --rebuild with a new name")
        self.db.execute('CREATE INDEX IF NOT EXISTS items_path ON items ("path")')
        self.db.commit()

    def known(self) -> dict[str, Known]:
        rows = self.db.execute("SELECT path, size, mtime_ns, sha256, settings, error FROM documents").fetchall()
        return {r[0]: Known(int(r[1]), int(r[2]), r[3], r[4], r[5]) for r in rows}

    def _values(self, row: dict[str, Any], columns: dict[str, Kind]) -> list[Any]:
        out = []
        for name, kind in columns.items():
            value = row.get(name)
            if kind == "date" and isinstance(value, dt.date) and self.dialect == "sqlite":
                value = value.isoformat()
            out.append(value)
        return out

    def put(self, document: dict[str, Any], items: Sequence[dict[str, Any]]) -> None:
        path = document["path"]
        self.db.execute("DELETE FROM items WHERE path = ?", [path])
        self.db.execute("DELETE FROM documents WHERE path = ?", [path])
        marks = ", ".join("?" for _ in DOCUMENT_COLUMNS)
        self.db.execute(f"INSERT INTO documents VALUES ({marks})", self._values(document, DOCUMENT_COLUMNS))
        if items and self.dialect == "duckdb":
            # DuckDB's executemany runs a statement per row (0.3 s for a document of 84 items): bind each
            # column as one list and unnest them together instead (8 ms)
            rows = [self._values(i, ITEM_COLUMNS) for i in items]
            unnested = ", ".join(f"unnest(?::{_sql_type(kind, 'duckdb')}[])" for kind in ITEM_COLUMNS.values())
            self.db.execute(f"INSERT INTO items SELECT {unnested}", [list(column) for column in zip(*rows)])
        elif items:
            marks = ", ".join("?" for _ in ITEM_COLUMNS)
            self.db.executemany(f"INSERT INTO items VALUES ({marks})", [self._values(i, ITEM_COLUMNS) for i in items])
        self.db.commit()

    def touch(self, path: str, size: int, mtime_ns: int) -> None:
        self.db.execute("UPDATE documents SET size = ?, mtime_ns = ? WHERE path = ?", [size, mtime_ns, path])
        self.db.commit()

    def remove(self, paths: Iterable[str]) -> None:
        for path in paths:
            self.db.execute("DELETE FROM items WHERE path = ?", [path])
            self.db.execute("DELETE FROM documents WHERE path = ?", [path])
        self.db.commit()

    def item_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM items").fetchone()[0])

    def close(self, ok: bool) -> None:
        self.db.close()


class _ParquetStore(_Store):
    """One Parquet file: the items, and the documents as JSON in its metadata. Written whole at close():
    the old file's rows of unchanged documents are copied batch by batch, then the new rows, which wait in a
    temporary Parquet file beside it (BATCH rows in memory at most)."""

    KEY = b"perfnlp:documents"
    BATCH = 10_000

    def __init__(self, out: Path) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise ImportError("a .parquet dataset needs the optional extra: pip install 'perfnlp[parquet]'") from None
        self.pa, self.pq, self.out = pa, pq, out
        types = {"text": pa.string(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32()}
        self.schema = pa.schema([(name, types[kind]) for name, kind in ITEM_COLUMNS.items()])
        self.documents: dict[str, dict[str, Any]] = {}
        self.replaced: set[str] = set()
        self.new_rows: list[dict[str, Any]] = []
        self.spilled: Path | None = None   # the new rows so far, beyond those in new_rows
        self.spill_writer: Any = None
        self.old_items = 0
        if out.exists():
            try:
                meta = pq.read_schema(out).metadata or {}
                self.documents = {d["path"]: d for d in json.loads(meta[self.KEY])}
                self.old_items = pq.ParquetFile(out).metadata.num_rows
            except (KeyError, ValueError, OSError, pa.ArrowException) as exc:
                raise DatasetError(f"{out} is not a perfnlp Parquet dataset ({type(exc).__name__})") from None

    def known(self) -> dict[str, Known]:
        return {p: Known(int(d["size"]), int(d["mtime_ns"]), d.get("sha256"), d.get("settings", ""), d.get("error"))
                for p, d in self.documents.items()}

    def put(self, document: dict[str, Any], items: Sequence[dict[str, Any]]) -> None:
        record = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in document.items()}
        self.documents[document["path"]] = record
        self.replaced.add(document["path"])
        self.new_rows.extend(items)
        if len(self.new_rows) >= self.BATCH:
            self._spill()

    def _spill(self) -> None:
        if self.spill_writer is None:
            import tempfile

            handle, name = tempfile.mkstemp(dir=self.out.parent, prefix=f".{self.out.name}.", suffix=".new.part")
            os.close(handle)
            self.spilled = Path(name)
            self.spill_writer = self.pq.ParquetWriter(self.spilled, self.schema)
        self.spill_writer.write_table(self.pa.Table.from_pylist(self.new_rows, schema=self.schema))
        self.new_rows = []

    def touch(self, path: str, size: int, mtime_ns: int) -> None:
        self.documents[path].update(size=size, mtime_ns=mtime_ns)

    def remove(self, paths: Iterable[str]) -> None:
        for path in paths:
            self.documents.pop(path, None)
            self.replaced.add(path)

    def item_count(self) -> int:
        return sum(int(d.get("items") or 0) for d in self.documents.values())

    def close(self, ok: bool) -> None:
        try:
            if ok:
                self._write()
        finally:  # on failure the old file stays as it was
            if self.spill_writer is not None:
                self.spill_writer.close()
            if self.spilled is not None:
                self.spilled.unlink(missing_ok=True)

    def _write(self) -> None:
        from .export import write_atomically

        import pyarrow.compute as pc

        pa, pq = self.pa, self.pq
        metadata = {self.KEY: json.dumps(list(self.documents.values()), ensure_ascii=False).encode("utf-8")}
        schema = self.schema.with_metadata(metadata)

        def write(out: Any) -> None:
            with pq.ParquetWriter(out, schema) as writer:
                if self.out.exists() and self.old_items:
                    keep = pa.array(sorted(set(self.documents) - self.replaced), pa.string())
                    for batch in pq.ParquetFile(self.out).iter_batches(batch_size=self.BATCH):
                        table = pa.Table.from_batches([batch]).select(self.schema.names)
                        mask = pc.is_in(table.column("path"), value_set=keep)
                        kept = table.filter(mask)
                        if kept.num_rows:
                            writer.write_table(kept.cast(self.schema))
                if self.spill_writer is not None:
                    self.spill_writer.close()
                    self.spill_writer = None
                    assert self.spilled is not None
                    for batch in pq.ParquetFile(self.spilled).iter_batches(batch_size=self.BATCH):
                        writer.write_table(pa.Table.from_batches([batch]).cast(self.schema))
                if self.new_rows:
                    writer.write_table(pa.Table.from_pylist(self.new_rows, schema=self.schema))

        write_atomically(self.out, write)


def _open_store(out: Path) -> _Store:
    suffix = out.suffix.lower()
    if suffix in (".sqlite", ".sqlite3", ".db"):
        return _SqlStore(out, "sqlite")
    if suffix == ".duckdb":
        return _SqlStore(out, "duckdb")
    if suffix == ".parquet":
        return _ParquetStore(out)
    raise DatasetError(f"--out must end in .sqlite, .duckdb or .parquet (it says which database to write), not {out.name!r}")


# ------------------------------------------------------------------------------------------- the build

class Summary(BaseModel):
    """What a build did."""

    out: str
    found: int = 0       # documents found below the directory
    read: int = 0        # read (new or changed)
    unchanged: int = 0   # skipped: recorded and unchanged
    removed: int = 0     # gone from the directory, removed from the dataset
    items: int = 0       # target items in the dataset now
    failures: list[Failure] = []

    def line(self) -> str:
        failed = f", {len(self.failures)} could not be read" if self.failures else ""
        return (f"{self.out}: {self.items} target items from {self.found} documents ({self.read} read, "
                f"{self.unchanged} unchanged, {self.removed} removed{failed})")


def _settings(context: Context, margin: float) -> str:
    return json.dumps({"perfnlp": __version__, "context": context.model_dump(mode="json"), "yellow_margin": margin},
                      sort_keys=True)


def _records(source: Source, size: int, mtime_ns: int, outcome: DatasetOutcome,
             settings: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The documents row (what the worker found, and what only this side knows) and the items."""
    document: dict[str, Any] = dict.fromkeys(DOCUMENT_COLUMNS)
    document.update(path=source.name, sha256=outcome.sha256, tasks=0, items=0)
    if outcome.document is not None:
        document.update(outcome.document)
    if outcome.failure is not None:
        document["error"] = outcome.failure.reason
    document.update(size=size, mtime_ns=mtime_ns, settings=settings, perfnlp_version=__version__,
                    read_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    return document, outcome.items


def build_dataset(directory: str | os.PathLike[str], out: str | os.PathLike[str], *, processes: int = 1,
                  client: Any = None, progress: bool | None = None, rebuild: bool = False,
                  context: Context | dict[str, Any] | None = None,
                  yellow_margin: float = YELLOW_MARGIN,
                  on_document: Callable[[str], None] | None = None) -> Summary:
    """Read every document below `directory` into the dataset `out` (see the module); returns a Summary.

    processes > 1 reads in that many worker processes; client (a dask.distributed Client) reads on a Dask
    cluster, the files' bytes sent from here. A worker that dies raises WorkerDied (what was committed stays;
    on Dask, a task whose worker died is first given to another worker, up to the scheduler's
    `distributed.scheduler.allowed-failures`, 3 by default). on_document(path) is called after each document
    that was looked at is stored.
    """
    root = Path(directory)
    if not root.is_dir():
        raise DatasetError(f"not a directory: {directory}")
    out_path = Path(out)
    if not out_path.parent.is_dir():
        raise DatasetError(f"cannot write {out}: no such directory {out_path.parent}")
    found, walk_failures = find_documents([root])
    sources = [s for s in found if isinstance(s, Source)]
    given = context_from(context)
    settings = _settings(given, yellow_margin)
    store = _open_store(out_path)
    summary = Summary(out=str(out), found=len(sources), failures=list(walk_failures))
    ok = False
    try:
        known = {} if rebuild else store.known()
        jobs: list[Job] = []
        stats: list[tuple[int, int]] = []
        for source, job in zip(sources, make_jobs(sources, given, yellow_margin)):
            try:
                info = os.stat(source.path)
            except OSError as exc:
                summary.failures.append(Failure(document=source.name, reason=exc.strerror or str(exc)))
                continue
            before = known.get(source.name)
            if before is not None and before.settings == settings and before.error is None:
                if (before.size, before.mtime_ns) == (info.st_size, info.st_mtime_ns):
                    summary.unchanged += 1
                    continue
                job = replace(job, known_sha256=before.sha256)
            jobs.append(job)
            stats.append((info.st_size, info.st_mtime_ns))
        bar = ProgressBar(len(jobs), progress)
        try:
            for done, (index, outcome) in enumerate(run_jobs(jobs, processes, client, work=read_for_dataset), 1):
                source = jobs[index].item
                assert isinstance(source, Source) and isinstance(outcome, DatasetOutcome)
                size, mtime_ns = stats[index]
                if outcome.document is None and outcome.failure is None:
                    store.touch(source.name, size, mtime_ns)
                    summary.unchanged += 1
                else:
                    store.put(*_records(source, size, mtime_ns, outcome, settings))
                    if outcome.failure is not None:
                        summary.failures.append(outcome.failure)
                    else:
                        summary.read += 1
                bar.update(done, f" · {summary.unchanged} unchanged" if summary.unchanged else "")
                if on_document is not None:
                    on_document(source.name)
        finally:
            bar.close()
        present = {s.name for s in sources}
        if not walk_failures:
            gone = [path for path in store.known() if path not in present]
            store.remove(gone)
            summary.removed = len(gone)
        summary.items = store.item_count()
        ok = True
    finally:
        store.close(ok)
    return summary
