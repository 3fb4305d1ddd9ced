"""The command line (../shared/CONTRACT.md):

    python -m perfnlp "能源消费总量控制在296.5万吨标准煤以内"      readable reading of one sentence
    python -m perfnlp --json "…"                                   the same as JSON
    python -m perfnlp -                                            sentences from standard input, one a line
    python -m perfnlp assess --target "…" --progress "…" [--year 2017] [--as-of 2017-06-30] [--json]
    python -m perfnlp table FILE|DIR|- [--year Y] [--as-of DATE] [--csv | --json | --html OUT | --xlsx OUT]
    python -m perfnlp dataset DIR --out tasks.duckdb|tasks.sqlite|tasks.parquet
    python -m perfnlp --version

Exit 0 on success; 2 on bad usage or unreadable input, with a one-line reason on stderr (a directory is
read whole: each document that cannot be read gets its line on stderr, and the exit is 2 at the end); 1
when a worker process died or perfnlp itself failed (one line; PERFNLP_DEBUG=1 shows the traceback).
Only what a command needs is imported: reading a sentence loads no pint (and nothing loads jieba).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from typing import IO, Any, NoReturn, Sequence

PROG = "perfnlp"
COMMANDS = ("assess", "table", "dataset")
MAX_LINE_CHARS = 1_000_000     # one sentence of standard input; a longer "line" is a file, not a sentence
MAX_PROCESSES = 64


class UsageError(Exception):
    """Bad usage or unreadable input: exit 2 with this one-line message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage block
        raise UsageError(f"{message} (see: {self.prog} --help)")


# ------------------------------------------------------------------------------------------ argument types

def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year such as 2017: {text!r}") from None
    from .text.years import FIRST_YEAR, LAST_YEAR
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"year {year} is outside {FIRST_YEAR}-{LAST_YEAR}")
    return year


def _processes(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= n <= MAX_PROCESSES:
        raise argparse.ArgumentTypeError(f"{n}: give 1 to {MAX_PROCESSES} processes")
    return n


def _margin(text: str) -> float:
    """--yellow-margin in percentage points of the year's target: 10 or 10% → 0.10."""
    try:
        points = float(text.strip().removesuffix("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of percentage points such as 10: {text!r}") from None
    if not 0 <= points <= 100:  # also refuses nan; inf is > 100
        raise argparse.ArgumentTypeError(f"{text}: give 0 to 100 percentage points")
    return points / 100


def _add_context(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--year", type=_year, help=f"the report's year{what}")
    p.add_argument("--as-of", type=_date, help=f"the day progress is reported to, YYYY-MM-DD{what}")


def _add_judging(p: argparse.ArgumentParser) -> None:
    p.add_argument("--yellow-margin", type=_margin, metavar="POINTS", default=None,
                   help="how far behind pace still gets a yellow light, in percentage points of the year's "
                        "target (default 10)")
    p.add_argument("--lang", choices=("zh-en", "zh"), default="zh-en",
                   help="labels in Chinese and English (zh-en, the default) or in Chinese only (zh)")


# ------------------------------------------------------------------------------------------------ parsers

def _sentence_parser() -> _Parser:
    p = _Parser(prog=PROG, description="Read one sentence: its quantities, as a target and as progress. "
                                       "Commands: assess, table, dataset (perfnlp COMMAND --help).")
    p.add_argument("text", help='the sentence to read, or "-" for sentences from standard input, one a line')
    p.add_argument("--json", action="store_true", help="print JSON instead of the readable reading")
    _add_context(p, ", for periods written without one")
    p.add_argument("--version", action="store_true", help="print perfnlp's version")
    return p


def _assess_parser() -> _Parser:
    p = _Parser(prog=f"{PROG} assess", description="Assess a progress text against a target text.")
    p.add_argument("--target", required=True, help='the annual target text ("-": standard input)')
    p.add_argument("--progress", required=True, help='the progress text ("-": standard input)')
    _add_context(p, "")
    p.add_argument("--json", action="store_true", help="print JSON")
    _add_judging(p)
    return p


def _table_parser() -> _Parser:
    p = _Parser(prog=f"{PROG} table",
                description="Assess a whole progress table or report, a directory of them, or standard input (-).")
    p.add_argument("path", help='a .tsv/.txt/.csv/.md/.xlsx/.docx file, a directory, or "-" for standard input')
    _add_context(p, " (overrides the title's)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--csv", action="store_true", help="one CSV row per target item (UTF-8 with a BOM)")
    out.add_argument("--json", action="store_true", help="a JSON list of row objects")
    out.add_argument("--html", metavar="OUT", help="write a self-contained HTML report to OUT")
    out.add_argument("--xlsx", metavar="OUT", help="write an .xlsx workbook to OUT (needs perfnlp[office])")
    p.add_argument("--processes", type=_processes, default=1, help="processes for a directory (this one and N - 1 workers)")
    p.add_argument("--progress", action="store_true", help="show a progress bar on stderr even when it is no terminal")
    _add_judging(p)
    return p


def _dataset_parser() -> _Parser:
    p = _Parser(prog=f"{PROG} dataset",
                description="Read every document below DIR into one queryable table, one row per target item "
                            "with its document's metadata (docs/dataset.md). Run again to add what changed.")
    p.add_argument("directory", help="the directory of documents")
    p.add_argument("--out", required=True, help="tasks.sqlite, tasks.duckdb (perfnlp[db]) or tasks.parquet "
                                                "(perfnlp[parquet]); the suffix says which")
    p.add_argument("--processes", type=_processes, default=1, help="processes (this one and N - 1 workers)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a Dask scheduler (tcp://host:8786) to read the documents on (perfnlp[dask])")
    p.add_argument("--rebuild", action="store_true", help="read every document again, not only what changed")
    bar = p.add_mutually_exclusive_group()
    bar.add_argument("--progress", action="store_true", help="always show the progress bar")
    bar.add_argument("--quiet", action="store_true", help="no progress bar and no summary line")
    return p


# ----------------------------------------------------------------------------------------------- helpers

def _context(year: int | None, as_of: dt.date | None) -> Any:
    from .text.context import Context, context_problem
    try:
        return Context(year=year, as_of=as_of)
    except ValueError as e:
        raise UsageError(f"bad --year/--as-of: {context_problem(e)}") from None


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__


def _stdin_bytes() -> bytes:
    from .reports.batch import MAX_DOCUMENT_BYTES

    if sys.stdin is None:
        raise UsageError("no standard input to read")
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read(MAX_DOCUMENT_BYTES + 1) if stream is not None else sys.stdin.read().encode("utf-8")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise UsageError(f"standard input is larger than {MAX_DOCUMENT_BYTES // 2**20} MiB")
    return data


def _stdin_text() -> str:
    from .documents import DocumentError
    from .documents.decode import decode

    try:
        text = decode(_stdin_bytes(), "standard input")
    except DocumentError as e:
        raise UsageError(_one_line(e)) from None
    return text.removeprefix("\ufeff")


def _write_bytes(data: bytes, stream: IO[str] | None = None) -> None:
    stream = stream or sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(data)
        buffer.flush()
    else:  # a text-only stream (tests, IDEs)
        stream.write(data.decode("utf-8"))


def _write_json(data: Any) -> None:
    from .reports.export import json_text

    # utf-8 whatever the console's code page; a lone surrogate (from a broken name) as a JSON \u escape
    _write_bytes((json_text(data) + "\n").encode("utf-8", "backslashreplace"))


def _words(lang: str) -> Any:
    from .views.words import Words
    return Words(lang)


# -------------------------------------------------------------------------------------------------- main

def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")  # a console that cannot show a character
    try:
        # the command line itself (not a caller's argv, nor main() called in a process that goes on to use
        # the library) may print a reading without pydantic (text/model.py)
        return _dispatch(args, plain_models=argv is None and _command_process())
    except UsageError as e:
        _error(str(e))
        return 2
    except BrokenPipeError:
        _quiet_broken_pipe()
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a bug: one line for the user, the traceback on request
        if os.environ.get("PERFNLP_DEBUG"):
            raise
        batch = sys.modules.get(f"{__package__}.reports.batch")  # only a batch raises WorkerDied
        if batch is not None and isinstance(e, batch.WorkerDied):
            _error(_one_line(e))
        else:
            _error(f"internal error, please report it: {type(e).__name__}: {_one_line(e)} "
                   "(PERFNLP_DEBUG=1 shows the traceback)")
        return 1


def _command_process() -> bool:
    """Whether this process is `python -m perfnlp` or the `perfnlp` script: it ends when main() returns."""
    main_module = sys.modules.get("__main__")
    spec = getattr(main_module, "__spec__", None)
    if spec is not None and spec.name == f"{__package__}.__main__":
        return True
    return os.path.basename(sys.argv[0]).lower().removesuffix(".exe").removesuffix("-script.py") == "perfnlp"


def _error(message: str) -> None:
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)


def _quiet_broken_pipe() -> None:
    # the reader went away (| head): stop writing, and let Python not complain when it flushes at exit
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _dispatch(args: list[str], plain_models: bool = False) -> int:
    if args[:1] == ["assess"]:
        return _run_assess(_assess_parser().parse_args(args[1:]), plain_models)
    if args[:1] == ["table"]:
        return _run_table(_table_parser().parse_args(args[1:]))
    if args[:1] == ["dataset"]:
        return _run_dataset(_dataset_parser().parse_args(args[1:]))
    if args[:1] in (["--version"], ["-V"]):
        from ._version import __version__
        print(f"{PROG} {__version__}")
        return 0
    if args[:1] in (["-h"], ["--help"]):
        _sentence_parser().print_help()
        print("\ncommands:\n  perfnlp assess --target … --progress … [--year Y] [--as-of DATE] [--json]\n"
              "  perfnlp table FILE|DIR|- [--csv | --json | --html OUT | --xlsx OUT]\n"
              "  perfnlp dataset DIR --out tasks.sqlite|tasks.duckdb|tasks.parquet")
        return 0
    if not args:
        example = _words("zh").zh("cli.example")
        raise UsageError(f'no sentence given; try: python -m perfnlp "{example}" (or perfnlp --help)')
    misplaced = next((a for a in args[1:] if a in COMMANDS), None)
    if misplaced is not None and args[0].startswith("-") and args[0] != "-":
        raise UsageError(f"the command comes first: perfnlp {misplaced} … {args[0]} "
                         f"(to read the word {misplaced!r} as a sentence, put it first)")
    ns = _sentence_parser().parse_args(args)
    if ns.version:
        from ._version import __version__
        print(f"{PROG} {__version__}")
        return 0
    return _run_sentence(ns, plain_models)


# ------------------------------------------------------------------------------------------------ commands

def _run_sentence(ns: argparse.Namespace, plain_models: bool = False) -> int:
    # one sentence as text: no model is dumped and none leaves the process (standard input is read
    # through the document readers, whose models are pydantic's)
    if plain_models and not ns.json and ns.text != "-":
        from .text.model import use_plain_models
        use_plain_models()
    from .statements.progress import parse_progress
    from .reading.quantities import scan
    from .statements.targets import parse_target

    context = _context(ns.year, ns.as_of)
    if ns.text == "-":
        lines = [(n, line.strip()) for n, line in enumerate(_stdin_text().split("\n"), 1)]
        sentences = [(n, line) for n, line in lines if line]
        for n, line in sentences:
            if len(line) > MAX_LINE_CHARS:
                raise UsageError(f"line {n} of standard input is longer than {MAX_LINE_CHARS} characters: "
                                 "a document? use: perfnlp table -")
    else:
        sentences = [(1, ns.text)]

    def reading(text: str) -> Any:
        return text, scan(text), parse_target(text, context), parse_progress(text, context)

    if ns.json:
        out = []
        for _, text in sentences:
            text, scanned, targets, progress = reading(text)
            out.append({
                "text": text,
                "quantities": [q.model_dump(mode="json") for q in scanned.quantities],
                "skipped": [s.model_dump(mode="json") for s in scanned.skipped],
                "target": [t.model_dump(mode="json") for t in targets],
                "progress": progress.model_dump(mode="json", exclude={"quantities"}),
            })
        _write_json(out if ns.text == "-" else out[0])
        return 0
    from .views.text import sentence_text
    print("\n\n".join(sentence_text(*reading(text)) for _, text in sentences))
    return 0


def _run_assess(ns: argparse.Namespace, plain_models: bool = False) -> int:
    # as _run_sentence: the real command line printing text models in plain classes (text/model.py)
    if plain_models and not ns.json and "-" not in (ns.target, ns.progress):
        from .text.model import use_plain_models
        use_plain_models()
    from .judging.assessment import assess
    from .judging.warning import YELLOW_MARGIN, warning_light

    if ns.target == "-" and ns.progress == "-":
        raise UsageError("only one of --target and --progress can be read from standard input (-)")
    target = _stdin_text() if ns.target == "-" else ns.target
    progress = _stdin_text() if ns.progress == "-" else ns.progress
    context = _context(ns.year, ns.as_of)
    results = assess(target, progress, context=context)
    if ns.yellow_margin is not None and ns.yellow_margin != YELLOW_MARGIN:
        results = [a.model_copy(update={"warning": warning_light(a, ns.yellow_margin)}) for a in results]
    if ns.json:
        _write_json([a.model_dump(mode="json") for a in results])
        return 0
    from .views.text import assessment_text
    words = _words(ns.lang)
    for a in results:
        print(assessment_text(a, words))
    return 0


def _stdin_document() -> Any:
    """The document on standard input; an .xlsx or .docx is told by its zip contents, not by a name."""
    import io
    import zipfile

    from .documents import read_document

    data = _stdin_bytes()
    suffix = ""
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            names = set()
        suffix = ".xlsx" if "xl/workbook.xml" in names else ".docx" if "word/document.xml" in names else ""
    doc = read_document(data, name=f"stdin{suffix}")
    return doc.model_copy(update={"name": "-"})


def _run_table(ns: argparse.Namespace) -> int:
    from pathlib import Path

    from .documents import DocumentError
    from .judging.warning import YELLOW_MARGIN
    from .reports.batch import Failure, assess_batch

    context = _context(ns.year, ns.as_of)
    margin = YELLOW_MARGIN if ns.yellow_margin is None else ns.yellow_margin
    words = _words(ns.lang)  # refuse a bad --lang before the work
    if ns.path == "-":
        try:
            items: list[Any] = [_stdin_document()]
        except DocumentError as e:
            raise UsageError(_one_line(e)) from None
        directory = False
    else:
        path = Path(ns.path)
        if not path.exists():
            raise UsageError(f"no such file or directory: {ns.path}")
        items, directory = [path], path.is_dir()
    try:
        batch = assess_batch(items, processes=ns.processes, progress=True if ns.progress else None,
                             context=context, yellow_margin=margin)
    except ImportError as e:
        raise UsageError(_one_line(e)) from None
    if not directory and batch.failures:
        raise UsageError(_failure_line(batch.failures[0]))
    for failure in batch.failures:
        _error(_failure_line(failure))
    if directory and not batch.reports and not batch.failures:
        raise UsageError(f"no documents ({' '.join(_suffixes())}) in {ns.path}")

    from .reports.report import Report
    report = Report.merge(batch.reports)
    if ns.csv:
        _write_bytes(report.to_csv(bom=True).encode("utf-8", "replace"))
    elif ns.json:
        _write_json([row.plain() for row in report.rows])
    elif ns.html or ns.xlsx:
        _write_file(report, ns.html, ns.xlsx, words)
    else:
        from .views.text import report_text
        print(report_text(report, words))
    return 2 if batch.failures else 0


def _failure_line(failure: Any) -> str:
    # reasons from the readers often name the document already ("cannot decode a/x.txt: …")
    return failure.reason if failure.document in failure.reason else f"{failure.document}: {failure.reason}"


def _suffixes() -> tuple[str, ...]:
    from .reports.batch import SUFFIXES
    return SUFFIXES


def _write_file(report: Any, html: str | None, xlsx: str | None, words: Any) -> None:
    from .reports.export import write_atomically

    out = html or xlsx or ""
    try:
        if html:
            from .views.html import report_html
            page = report_html(report, words).encode("utf-8", "replace")
            write_atomically(html, lambda f: f.write(page))
        else:
            report.to_xlsx(xlsx)
    except ImportError as e:
        raise UsageError(_one_line(e)) from None
    except OSError as e:
        raise UsageError(f"cannot write {out}: {e.strerror or e}") from None
    print(f"wrote {out}: {len(report.rows)} target items", file=sys.stderr)


def _run_dataset(ns: argparse.Namespace) -> int:
    from pathlib import Path

    from .reports.dataset import DatasetError, build_dataset

    root = Path(ns.directory)
    if not root.is_dir():
        raise UsageError(f"not a directory: {ns.directory}")
    client = None
    try:
        if ns.scheduler:
            try:
                from distributed import Client
            except ImportError:
                raise UsageError("--scheduler needs the optional extra: pip install 'perfnlp[dask]'") from None
            try:
                client = Client(ns.scheduler, timeout="20s")
            except (OSError, TimeoutError, ValueError) as e:
                raise UsageError(f"cannot reach the Dask scheduler {ns.scheduler}: {_one_line(e)}") from None
        progress = True if ns.progress else False if ns.quiet else None
        summary = build_dataset(root, ns.out, processes=ns.processes, client=client, progress=progress,
                                rebuild=ns.rebuild)
    except (DatasetError, ImportError) as e:
        raise UsageError(_one_line(e)) from None
    finally:
        if client is not None:
            client.close()
    for failure in summary.failures:
        _error(_failure_line(failure))
    if not ns.quiet:
        print(summary.line(), file=sys.stderr)
    return 2 if summary.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
