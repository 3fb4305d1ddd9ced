"""The command line (../shared/CONTRACT.md):

    python -m perfnlp "能源消费总量控制在296.5万吨标准煤以内"      readable reading of one sentence
    python -m perfnlp --json "…"                                   the same as JSON
    python -m perfnlp assess --target "…" --progress "…" [--year 2017] [--as-of 2017-06-30] [--json]
    python -m perfnlp table FILE|DIR [--csv | --json | --html OUT.html]

Exit 0 on success, 2 on bad usage or unreadable input with a one-line reason on stderr.
Only what a command needs is imported: reading a sentence loads no pint (and nothing loads jieba).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any, NoReturn, Sequence

PROG = "perfnlp"


class UsageError(Exception):
    """Bad usage or unreadable input: exit 2 with this one-line message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage block
        raise UsageError(message)


def _sentence_parser() -> _Parser:
    p = _Parser(prog=PROG, description="Read one sentence: its quantities, as a target and as progress.")
    p.add_argument("text", help="the sentence to read")
    p.add_argument("--json", action="store_true", help="print JSON instead of the readable reading")
    p.add_argument("--year", type=int, help="the report's year, for periods written without one")
    p.add_argument("--as-of", type=_date, help="the report's date (YYYY-MM-DD)")
    return p


def _assess_parser() -> _Parser:
    p = _Parser(prog=f"{PROG} assess", description="Assess a progress text against a target text.")
    p.add_argument("--target", required=True, help="the annual target text")
    p.add_argument("--progress", required=True, help="the progress text")
    p.add_argument("--year", type=int, help="the report's year")
    p.add_argument("--as-of", type=_date, help="the report's date (YYYY-MM-DD)")
    p.add_argument("--json", action="store_true", help="print JSON")
    return p


def _table_parser() -> _Parser:
    p = _Parser(prog=f"{PROG} table", description="Assess a whole progress table or report (or a directory of them).")
    p.add_argument("path", help="a .tsv/.txt/.csv/.xlsx/.docx file or a directory")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--csv", action="store_true", help="one CSV row per target item")
    out.add_argument("--json", action="store_true", help="a JSON list of row objects")
    out.add_argument("--html", metavar="OUT", help="write a self-contained HTML report to OUT")
    p.add_argument("--processes", type=int, default=1, help="worker processes for a directory")
    return p


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _context(year: int | None, as_of: dt.date | None) -> Any:
    from .text.context import Context
    try:
        return Context(year=year, as_of=as_of)
    except ValueError as e:
        raise UsageError(f"bad --year/--as-of: {_first_line(e)}") from None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args[:1] == ["assess"]:
            return _run_assess(_assess_parser().parse_args(args[1:]))
        if args[:1] == ["table"]:
            return _run_table(_table_parser().parse_args(args[1:]))
        if args[:1] in (["-h"], ["--help"]):
            _sentence_parser().print_help()
            print("\ncommands: assess --target … --progress …   |   table FILE [--csv|--json|--html OUT]")
            return 0
        if not args:
            raise UsageError("no sentence given; try: python -m perfnlp \"能源消费总量控制在296.5万吨标准煤以内\"")
        return _run_sentence(_sentence_parser().parse_args(args))
    except UsageError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


def _run_sentence(ns: argparse.Namespace) -> int:
    from .statements.progress import parse_progress
    from .reading.quantities import scan
    from .statements.targets import parse_target

    context = _context(ns.year, ns.as_of)
    scanned = scan(ns.text)
    targets = parse_target(ns.text, context)
    progress = parse_progress(ns.text, context)
    if ns.json:
        out = {
            "text": ns.text,
            "quantities": [q.model_dump(mode="json") for q in scanned.quantities],
            "skipped": [s.model_dump(mode="json") for s in scanned.skipped],
            "target": [t.model_dump(mode="json") for t in targets],
            "progress": progress.model_dump(mode="json", exclude={"quantities"}),
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    from .views.text import sentence_text
    print(sentence_text(ns.text, scanned, targets, progress))
    return 0


def _run_assess(ns: argparse.Namespace) -> int:
    from .judging.assessment import assess

    context = _context(ns.year, ns.as_of)
    results = assess(ns.target, ns.progress, context=context)
    if ns.json:
        print(json.dumps([a.model_dump(mode="json") for a in results], ensure_ascii=False, indent=2))
        return 0
    from .views.text import assessment_text
    for a in results:
        print(assessment_text(a))
    return 0


def _run_table(ns: argparse.Namespace) -> int:
    from pathlib import Path

    from .documents import DocumentError

    path = Path(ns.path)
    if not path.exists():
        raise UsageError(f"no such file or directory: {ns.path}")
    try:
        from .reports.batch import assess_many
        reports = assess_many([path], processes=ns.processes)
    except DocumentError as e:
        raise UsageError(_first_line(e)) from None
    except ImportError as e:
        raise UsageError(_first_line(e)) from None
    from .reports.report import Report
    report = Report.merge(reports)
    if ns.csv:
        sys.stdout.write(report.to_csv())
    elif ns.json:
        print(report.to_json())
    elif ns.html:
        from .views.html import report_html
        try:
            Path(ns.html).write_text(report_html(report), encoding="utf-8")
        except OSError as e:
            raise UsageError(f"cannot write {ns.html}: {e.strerror}") from None
        print(f"wrote {ns.html}: {len(report.rows)} target items", file=sys.stderr)
    else:
        from .views.text import report_text
        print(report_text(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
