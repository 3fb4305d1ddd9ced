"""Stage 8b: how readings look to people: plain text for the terminal, HTML for notebooks and reports.
All input text is escaped before it reaches HTML."""
from __future__ import annotations

import html
from typing import TYPE_CHECKING, Iterable

from ..judging.explain import target_line
from ..reading.numerals import format_number as _number
from .words import BILINGUAL, Words

if TYPE_CHECKING:
    from ..judging.assessment import Assessment
    from ..statements.progress import Progress
    from ..reading.quantities import Quantity, Scan
    from ..reports.report import Report
    from ..statements.targets import Target

STATUSES = ("achieved", "on_track", "behind", "unknown")
LIGHTS = ("green", "yellow", "red", "grey")
STATUS_WORDS = {status: BILINGUAL.zh(f"status.{status}") for status in STATUSES}
WARNING_WORDS = {light: BILINGUAL.zh(f"warning.{light}") for light in LIGHTS}


def quantity_text(q: "Quantity") -> str:
    high = f"–{_number(q.high)}" if q.high is not None else ""
    approx = BILINGUAL.zh("quantity.approx") if q.approx else ""
    return f"{q.text}  = {approx}{_number(q.value)}{high} {q.unit or BILINGUAL.zh('quantity.no_unit')}"


def sentence_text(text: str, scanned: "Scan", targets: list["Target"], progress: "Progress") -> str:
    w = BILINGUAL
    lines = [text, "", f"{w.text('sentence.quantities')}:"]
    lines += [f"  {quantity_text(q)}" for q in scanned.quantities] or [f"  {w.zh('sentence.none')}"]
    if scanned.skipped:
        lines.append(f"{w.text('sentence.not_quantities')}:")
        lines += [f"  {s.text}  ({s.reason})" for s in scanned.skipped]
    lines.append(f"{w.text('sentence.as_target')}:")
    lines += [f"  {i + 1}. {target_line(t)}" for i, t in enumerate(targets)] or [f"  {w.zh('sentence.no_target')}"]
    lines.append(f"{w.text('sentence.as_progress')}:")
    periods = [p for p in progress.periods if p.kind != "year"]
    if periods:
        lines += [f"  {w.zh('sentence.period')} {p.text}: {p.first_day or '?'} – {p.last_day or '?'} ({p.kind})"
                  for p in periods]
    lines.append(f"  {w.zh('label.as_of')} as_of: {progress.as_of or w.zh('sentence.not_given')}")  # the field's name
    if progress.stated:
        lines += [f"  {w.text('sentence.stated')}: {s.text} → {s.value:.4f}" for s in progress.stated]
    if progress.claims_completion:
        lines.append(f"  {w.zh('sentence.claims_completion')}")
    return "\n".join(lines)


def assessment_text(a: "Assessment", words: Words = BILINGUAL) -> str:
    code = f" {a.status}" if words.bilingual else ""
    parts = [f"[{words.zh('status.' + a.status)}{code} · {words.zh('warning.' + a.warning)}] {target_line(a.target)}"]
    parts.append(f"  {a.explanation}")
    if a.flags:
        label = words.en("label.flags") if words.bilingual else words.zh("label.flags")
        parts.append(f"  {label}: " + ", ".join(a.flags))
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------------------
# HTML

def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def highlight(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """`text` escaped, with each (start, end, css class) span wrapped in <mark>."""
    out: list[str] = []
    cursor = 0
    for start, end, css in sorted(spans):
        if start < cursor or end <= start:
            continue
        out.append(esc(text[cursor:start]))
        out.append(f'<mark class="{esc(css)}">{esc(text[start:end])}</mark>')
        cursor = end
    out.append(esc(text[cursor:]))
    return "".join(out)


_INLINE_STYLE = ("<style>.pn mark.q{background:#fff3b0}.pn mark.t{background:#d7ecff}.pn td,.pn th{padding:2px 6px;"
                 "text-align:left;vertical-align:top}.pn .achieved{color:#1b7f3b}.pn .on_track{color:#1b7f3b}"
                 ".pn .behind{color:#b42318}.pn .unknown{color:#777}</style>")


def target_html(t: "Target") -> str:
    spans = [(t.quantity.start - t.start, t.quantity.end - t.start, "q")] if t.quantity is not None else []
    return (f'<div class="pn">{_INLINE_STYLE}<div>{highlight(t.text, spans)}</div>'
            f"<div><b>{esc(target_line(t))}</b></div></div>")


def progress_html(p: "Progress") -> str:
    spans = [(q.start, q.end, "q") for q in p.quantities] + [(x.start, x.end, "t") for x in p.periods]
    stated = "".join(f"<li>{esc(s.text)} → {s.value:.4f}</li>" for s in p.stated)
    return (f'<div class="pn">{_INLINE_STYLE}<div>{highlight(p.text, spans)}</div>'
            f"<div>as_of: {esc(p.as_of or '—')}</div><ul>{stated}</ul></div>")


def _bar_text(ratio: float | None, expected: float | None, width: int = 20) -> str:
    """[#######|....] : the ratio filled, | the 序时进度 mark."""
    if ratio is None:
        return " " * (width + 2)
    cells = ["#" if i < round(min(ratio, 1) * width) else "." for i in range(width)]
    if expected is not None:
        mark = min(width - 1, int(expected * width))
        cells[mark] = "|"
    return "[" + "".join(cells) + "]"


def counts_text(report: "Report", words: Words = BILINGUAL) -> list[str]:
    """Two lines: the items per status, the items per warning light."""
    code = (lambda key: f" {key}") if words.bilingual else (lambda key: "")
    statuses = " · ".join(f"{words.zh('status.' + s)}{code(s)} {n}" for s, n in report.counts.items())
    lights = " · ".join(f"{words.zh('warning.' + w)}{code(w)} {n}" for w, n in report.warnings.items())
    return [f"{len(report.rows)} {words.text('label.items')}: {statuses}", f"{words.text('label.warning')}: {lights}"]


def _rows_text(report: "Report", words: Words) -> list[str]:
    lines: list[str] = []
    for row in report.rows:
        ratio = f"{row.ratio * 100:6.1f}%" if row.ratio is not None else "      —"
        status = f"{row.status:<8}  " if words.bilingual else f"{words.zh('status.' + row.status):<6}  "
        lines.append(f"{row.row:>3}.{row.item:<2} {_bar_text(row.ratio, row.expected_ratio)} {ratio}  "
                     f"{words.zh('warning.' + row.warning)}  {status}{row.group or ''} | {row.target}")
        if row.figure:
            lines.append(f"{'':7}{words.zh('label.progress_flow')} {row.figure}: {row.explanation}")
    return lines


def report_text(report: "Report", words: Words = BILINGUAL) -> str:
    """The report for a terminal: a heading with the counts, then a line per target item. A report of
    several documents gets the counts of all, then a section per document (its rows numbered as in it)."""
    parts = report.by_document()
    if len(parts) == 1:
        title = " / ".join(t for t in report.titles if t) or " / ".join(d for d in report.documents if d)
        return "\n".join([title, *counts_text(report, words), "", *_rows_text(report, words)])
    total = words.text("label.total")
    lines = [f"{len(parts)} {words.text('label.documents')} · {total}", *counts_text(report, words)]
    for part in parts:
        name = part.documents[0] or ""
        title = part.titles[0] or ""
        lines += ["", f"== {name}" + (f" · {title}" if title else ""), *counts_text(part, words), ""]
        lines += _rows_text(part, words)
    return "\n".join(lines)
