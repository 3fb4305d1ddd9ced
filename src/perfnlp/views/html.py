"""Stage 8c: the HTML report. One self-contained file a performance office can open and forward: no network,
no external assets, no JavaScript (inline CSS, CSS bars), every piece of input text escaped.

- report_html(report)        the whole document: a summary (title, period, counts per status and per warning
                             light 红黄绿灯, and for several documents a document × light/status matrix), the
                             需关注 list of items behind (naming their document), then per task the target and
                             progress texts with the figures highlighted and per target item a bar of the
                             ratio against the 序时进度 mark, status, light, explanation, flags;
- report_table_html(report)  a fragment, a table with status colours (Report._repr_html_ in notebooks);
- assessment_html(a)         a fragment for one Assessment (Assessment._repr_html_).
Every function takes `words`: Words("zh-en") (the default, "已完成 achieved") or Words("zh") (Chinese only).

Colours: achieved dark green, on_track green, behind red, unknown grey; the lights green, amber, red, grey.
Unknown is grey, not amber: it means "the progress text gives nothing comparable", which is a gap in the
report, not a warning about the work. Levels (rates, indices, changes) are judged by their current value,
not by the share of the year elapsed, so their bars carry no 序时进度 mark.
"""
from __future__ import annotations

from decimal import Decimal

import datetime as dt
from typing import TYPE_CHECKING, Iterable, NamedTuple, Sequence

from .._version import __version__
from ..judging.explain import target_line
from ..reading.periods import elapsed_share
from ..reading.quantities import display
from .text import LIGHTS, STATUS_WORDS, STATUSES, esc
from .words import BILINGUAL, Words

if TYPE_CHECKING:
    from ..judging.assessment import Assessment
    from ..reading.quantities import Quantity
    from ..reports.report import Report, ReportRow, ReportTask
    from ..text.context import Context

STATUS_ENGLISH = {s: BILINGUAL.en(f"status.{s}") for s in STATUSES}
STATUS_COLOURS = {"achieved": "#146c2e", "on_track": "#2e9e4f", "behind": "#c4261d", "unknown": "#8a8f98"}
STATUS_TINTS = {"achieved": "#e3f4e8", "on_track": "#edf8f0", "behind": "#fdecea", "unknown": "#f1f2f4"}
LIGHT_COLOURS = {"green": "#2e9e4f", "yellow": "#c98a00", "red": "#c4261d", "grey": "#8a8f98"}
LIGHT_TINTS = {"green": "#edf8f0", "yellow": "#fff6d6", "red": "#fdecea", "grey": "#f1f2f4"}
# Known flags in words (data/view_words.tsv); a flag not listed there is shown as its name.
FLAG_WORDS = {key.removeprefix("flag."): BILINGUAL.zh(key) for key in (
    "flag.unit_mismatch", "flag.different_stage", "flag.plan_not_progress", "flag.summed_parts",
    "flag.restated_target", "flag.stated_differs", "flag.inferred_target", "flag.no_date", "flag.deadline_passed")}

# Scoped under .pnr so that a fragment in a notebook does not restyle the page around it.
_CSS = """
.pnr{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","Hiragino Sans GB",
 sans-serif;color:#1f2328;line-height:1.55;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.pnr small,.pnr .en{font-size:.78em;color:#59636e;font-weight:normal}
.pnr mark{padding:0 1px;border-radius:2px;color:inherit}
.pnr mark.q{background:#fff3b0}
.pnr mark.fig{background:#ffd166;box-shadow:inset 0 -2px 0 #b7791f;font-weight:bold}
.pnr mark.goal{background:#cfe5ff;box-shadow:inset 0 -2px 0 #2f6fb5;font-weight:bold}
.pnr mark.st{background:#e9dcff}
.pnr mark.t{background:none;border-bottom:1px dotted #59636e}
.pnr .chip{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:.9em;white-space:nowrap}
.pnr .chip small{color:#fff;opacity:.9}
.pnr .chip{background:var(--c)}
.pnr .bar{position:relative;display:inline-block;width:220px;height:14px;background:#e6e8eb;border-radius:3px;
 vertical-align:middle;overflow:visible}
.pnr .bar .fill{position:absolute;left:0;top:0;bottom:0;background:var(--c);border-radius:3px}
.pnr .bar .pace{position:absolute;top:-4px;bottom:-4px;width:0;border-left:2px solid #1f2328}
.pnr .bar .over{position:absolute;right:-12px;top:-3px;font-size:12px;color:var(--c)}
.pnr .figs{font-variant-numeric:tabular-nums;margin-left:10px}
.pnr table{border-collapse:collapse;font-size:.92em}
.pnr th,.pnr td{padding:3px 8px;border-bottom:1px solid #e6e8eb;text-align:left;vertical-align:top}
.pnr td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.pnr tr.srow{background:var(--tint)}
.pnr tr.srow td.st{color:var(--c);font-weight:bold;white-space:nowrap}
.pnr ul.flags{margin:4px 0 0;padding:0;list-style:none}
.pnr ul.flags li{display:inline-block;margin:0 6px 2px 0;padding:0 6px;border:1px solid #d0d7de;border-radius:4px;
 font-size:.85em;background:#fff}
.pnr .item{border-left:5px solid var(--c);background:var(--tint);padding:6px 10px;margin:6px 0;
 border-radius:0 4px 4px 0}
.pnr .item .line{font-weight:bold;margin:0 0 2px}
.pnr .item .expl{margin:4px 0 0}
.pnr .light{display:inline-block;padding:0 7px;border-radius:10px;font-size:.85em;white-space:nowrap;
 border:2px solid var(--w);color:#1f2328;background:var(--wt)}
.pnr .light::before{content:"";display:inline-block;width:.7em;height:.7em;border-radius:50%;background:var(--w);
 margin-right:4px;vertical-align:-.05em}
.pnr tr.srow td.wl{white-space:nowrap}
""" + "".join(f".pnr .s-{s}{{--c:{STATUS_COLOURS[s]};--tint:{STATUS_TINTS[s]}}}" for s in STATUS_COLOURS) + "".join(
    f".pnr .w-{w}{{--w:{LIGHT_COLOURS[w]};--wt:{LIGHT_TINTS[w]}}}" for w in LIGHT_COLOURS)

_PAGE_CSS = """
body{margin:0;background:#f6f7f9}
.pnr.page{max-width:1100px;margin:0 auto;padding:24px 28px 48px;background:#fff}
.pnr h1{font-size:1.5em;margin:0 0 4px}.pnr h2{font-size:1.2em;margin:28px 0 8px;padding-bottom:4px;
 border-bottom:2px solid #1f2328}
.pnr .meta{color:#59636e;margin:0 0 12px}
.pnr .counts{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.pnr .count{flex:1 1 150px;border-top:5px solid var(--c);background:var(--tint);padding:8px 12px;border-radius:4px}
.pnr .count b{display:block;font-size:1.8em;color:var(--c)}
.pnr .count.light-count{border-top-color:var(--w);background:var(--wt)}
.pnr .count.light-count b{color:var(--w)}
.pnr table.matrix td.num b{color:var(--w)}
.pnr table.matrix th{white-space:nowrap}
.pnr .share{display:flex;height:12px;border-radius:3px;overflow:hidden;margin:6px 0 14px}
.pnr .share span{display:block;background:var(--c)}
.pnr .legend{font-size:.88em;color:#59636e;margin:8px 0}
.pnr .legend span{margin-right:14px;white-space:nowrap}
.pnr .attention{margin:8px 0 0;padding-left:20px}
.pnr .task{border:1px solid #e6e8eb;border-radius:6px;padding:10px 14px;margin:12px 0;break-inside:avoid}
.pnr .task header{font-weight:bold;margin-bottom:6px}
.pnr .task header .no{display:inline-block;min-width:2.2em;color:#59636e}
.pnr .texts{display:grid;grid-template-columns:7.5em 1fr;gap:4px 10px;margin-bottom:6px}
.pnr .texts .label{color:#59636e;font-size:.9em}
.pnr .texts .text{white-space:pre-wrap;word-break:break-word}
.pnr footer{margin-top:32px;color:#59636e;font-size:.85em}
@media print{body{background:#fff}.pnr.page{padding:0}}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"  # no network, no script, even if asked


class Span(NamedTuple):
    start: int
    end: int
    css: str
    title: str = ""


# ---------------------------------------------------------------------------------------------------------
# small pieces

def marked(text: str, spans: Iterable[Span]) -> str:
    """`text` escaped, each span wrapped in <mark class=… title=…>. Spans earlier in the iterable win
    overlaps: callers list the most important first (the chosen figure before other quantities)."""
    kept: list[Span] = []
    for span in spans:
        if not 0 <= span.start < span.end <= len(text):
            continue
        if any(span.start < k.end and k.start < span.end for k in kept):
            continue
        kept.append(span)
    out: list[str] = []
    cursor = 0
    for span in sorted(kept):
        out.append(esc(text[cursor:span.start]))
        title = f' title="{esc(span.title)}"' if span.title else ""
        out.append(f'<mark class="{esc(span.css)}"{title}>{esc(text[span.start:span.end])}</mark>')
        cursor = span.end
    out.append(esc(text[cursor:]))
    return "".join(out)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def status_chip(status: str, words: Words = BILINGUAL) -> str:
    key = f"status.{status}"
    label = words.html(key) if words.has(key) else esc(status)
    return f'<span class="chip s-{esc(status)}">{label}</span>'


def light_chip(light: str, words: Words = BILINGUAL) -> str:
    """The warning light: a coloured dot and its name (绿灯 green …), its meaning as the tooltip."""
    key = f"warning.{light}"
    if not words.has(key):
        return f'<span class="light w-{esc(light)}">{esc(light)}</span>'
    meaning = words.text(f"warning.meaning.{light}")
    return f'<span class="light w-{esc(light)}" title="{esc(meaning)}">{words.html(key)}</span>'


def ratio_bar(ratio: float | None, expected: float | None, status: str, *, pace: bool = True,
              words: Words = BILINGUAL) -> str:
    """A CSS bar: the ratio filled in the status colour (0–100%, an arrow past 100%), a line at 序时进度."""
    if ratio is None:
        label = words.zh("label.no_data")
        fill = ""
    else:
        width = max(0.0, min(ratio, 1.0)) * 100  # a negative ratio (change the wrong way) shows empty
        label = f"{words.zh('label.done')} {_percent(ratio)}"
        fill = f'<span class="fill" style="width:{width:.1f}%"></span>'
        if ratio > 1:
            fill += '<span class="over">▶</span>'
    mark = ""
    if pace and expected is not None:
        label += f"，{words.zh('label.pace')} {_percent(expected)}"
        mark = (f'<span class="pace" style="left:{max(0.0, min(expected, 1.0)) * 100:.1f}%" '
                f'title="{esc(words.zh("label.pace"))}"></span>')
    return (f'<span class="bar s-{esc(status)}" role="img" aria-label="{esc(label)}" title="{esc(label)}">'
            f"{fill}{mark}</span>")


def flags_html(flags: Sequence[str], words: Words = BILINGUAL) -> str:
    if not flags:
        return ""
    items = []
    for flag in flags:
        key = f"flag.{flag}"
        said = esc(words.zh(key)) if words.has(key) else esc(flag)
        code = f" <small>{esc(flag)}</small>" if words.bilingual else ""
        items.append(f'<li title="{esc(flag)}">{said}{code}</li>')
    return f'<ul class="flags">{"".join(items)}</ul>'


def _figures_text(ratio: float | None, expected: float | None, pace: bool, a: "Assessment",
                  words: Words = BILINGUAL) -> str:
    parts = [f"{_ratio_label(a, words)} <b>{_percent(ratio)}</b>"]
    if pace:
        parts.append(f"{esc(words.zh('label.pace'))} {_percent(expected)}")
    else:
        parts.append(f"<small>{esc(words.text('label.level_note'))}</small>" if words.bilingual else
                     f"<small>{esc(words.zh('label.level_note'))}</small>")
    goal = a.target.quantity
    if a.achieved_value is not None and goal is not None:
        parts.append(f"{esc(words.zh('label.actual'))} {esc(_like(a.achieved_value, goal))}，"
                     f"{esc(words.zh('label.target_value'))} {esc(goal.text)}")
    return f'<span class="figs">{" · ".join(parts)}</span>'


def _ratio_label(a: "Assessment", words: Words = BILINGUAL) -> str:
    # under a ceiling (控制在…以内) the ratio is the share of the limit used, not work done
    if a.ratio is not None and a.target.comparator in ("le", "lt"):
        return words.html("label.share_of_limit")
    return esc(words.zh("label.ratio"))


def _like(value: Decimal, goal: "Quantity") -> str:
    """The achieved value written the way the target figure is (142.13万吨标准煤 beside 296.5万吨标准煤)."""
    return display(value, goal)


def _in_text(text: str, q: "Quantity") -> bool:
    return 0 <= q.start < q.end <= len(text) and text[q.start:q.end] == q.text


def _paced(a: "Assessment") -> bool:
    # the pace line means something for cumulative totals and for a stated completion share
    return a.target.cumulative or (a.ratio is None and a.stated_ratio is not None)


# ---------------------------------------------------------------------------------------------------------
# one Assessment (notebooks)

def assessment_html(a: "Assessment", words: Words = BILINGUAL) -> str:
    """A fragment: one target item with its chosen figure, ratio bar against 序时进度, status, light,
    explanation."""
    t = a.target
    spans = []
    if t.quantity is not None:
        spans.append(Span(t.quantity.start - t.start, t.quantity.end - t.start, "goal", words.text("label.target_figure")))
    figures = a.parts or ([a.achieved] if a.achieved is not None else [])
    figure = " + ".join(f'<mark class="fig">{esc(q.text)}</mark>' for q in figures) or "—"
    paced = _paced(a)
    ratio = a.ratio if a.ratio is not None else a.stated_ratio  # a stated share stands in for a missing ratio
    as_of = f"（{esc(words.zh('label.as_of'))} {esc(a.as_of)}）" if a.as_of else ""
    return (
        f'<div class="pnr"><style>{_CSS}</style>'
        f'<div class="item s-{esc(a.status)}" data-status="{esc(a.status)}" data-warning="{esc(a.warning)}">'
        f'<div class="line">{status_chip(a.status, words)} {light_chip(a.warning, words)} {esc(target_line(t))}</div>'
        f"<div>{words.html('label.target')}：{marked(t.text, spans)}</div>"
        f"<div>{words.html('label.figure')}：{figure}{as_of}</div>"
        f"<div>{ratio_bar(ratio, a.expected_ratio, a.status, pace=paced, words=words)}"
        f"{_figures_text(ratio, a.expected_ratio, paced, a, words)}</div>"
        f'<p class="expl">{esc(a.explanation)}</p>{flags_html(a.flags, words)}</div></div>'
    )


# ---------------------------------------------------------------------------------------------------------
# a Report as a table (notebooks)

def report_table_html(report: "Report", max_rows: int = 500, words: Words = BILINGUAL) -> str:
    """A fragment: the counts, then one table row per target item coloured by status (first max_rows)."""
    counts = " · ".join(f'<span class="s-{s}" style="color:var(--c)"><b>{n}</b> {words.html("status." + s)}</span>'
                        for s, n in report.counts.items())
    lights = " · ".join(f'{light_chip(w, words)} <b data-warning-count="{w}">{n}</b>'
                        for w, n in report.warnings.items())
    several = len({row.document for row in report.rows}) > 1
    head = ("<tr>" + (f"<th>{words.html('label.document')}</th>" if several else "") +
            f"<th>{esc(words.zh('label.row'))}</th><th>{words.html('label.group')}</th>"
            f"<th>{words.html('label.target')}</th><th>{words.html('label.figure')}</th>"
            f"<th>{words.html('label.ratio')}</th><th>{words.html('label.pace_short')}</th>"
            f"<th>{words.html('label.status')}</th><th>{words.html('label.warning')}</th></tr>")
    body: list[str] = []
    for row in report.rows[:max_rows]:
        doc = f"<td>{esc(row.document or '')}</td>" if several else ""
        body.append(
            f'<tr class="srow s-{esc(row.status)}" data-warning="{esc(row.warning)}">{doc}'
            f'<td class="num">{row.row}.{row.item}</td>'
            f"<td>{esc(row.group or '')}</td><td>{esc(row.target)}</td><td>{esc(row.figure or '—')}</td>"
            f'<td class="num">{_percent(row.ratio)}</td><td class="num">{_percent(row.expected_ratio)}</td>'
            f'<td class="st">{words.html("status." + row.status)}</td>'
            f'<td class="wl">{light_chip(row.warning, words)}</td></tr>'
        )
    more = ""
    if len(report.rows) > max_rows:
        more = (f"<p><small>… {len(report.rows) - max_rows} {esc(words.zh('label.items_short'))}: "
                f"{esc(words.text('label.more_rows'))}</small></p>")
    title = esc(_title(report))
    return (f'<div class="pnr"><style>{_CSS}</style><div><b>{title}</b></div>'
            f"<div>{len(report.rows)} {words.html('label.items_short')}: {counts}</div><div>{lights}</div>"
            f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>{more}</div>")


# ---------------------------------------------------------------------------------------------------------
# the whole document

def _title(report: "Report") -> str:
    titles = [t for t in dict.fromkeys(report.titles) if t]
    if titles:
        return " / ".join(titles) if len(titles) <= 3 else " / ".join(titles[:3]) + f" …（{len(titles)}）"
    return " / ".join(d for d in dict.fromkeys(report.documents) if d) or BILINGUAL.zh("label.assessment")


def _period(report: "Report", words: Words = BILINGUAL) -> str:
    ctx: Context | None = report.context
    dates = sorted({row.as_of for row in report.rows if row.as_of is not None})
    parts: list[str] = []
    if ctx is not None and ctx.year is not None:
        parts.append(f"{words.html('label.year')} {ctx.year}")
    if ctx is not None and ctx.as_of is not None:
        parts.append(f"{words.html('label.as_of')} {esc(ctx.as_of.isoformat())}")
        parts.append(f"{words.html('label.elapsed')} {_percent(elapsed_share(ctx.as_of))}")
    elif dates:
        parts.append(f"{words.html('label.progress_dates')} {esc(dates[0])} – {esc(dates[-1])}")
    if len(dates) > 1:
        # rows whose progress names its own date (1-5月) are paced to that date
        parts.append(f"<small>{esc(words.text('label.own_dates'))}</small>")
    return " · ".join(parts) or words.html("label.no_period")


class _Task(NamedTuple):
    title: str | None
    read: "ReportTask"
    rows: list["ReportRow"]

    @property
    def document(self) -> str | None:
        return self.read.document


def _tasks(report: "Report") -> list[_Task]:
    """Each task with the rows of its target items."""
    titles = dict(zip(report.documents, report.titles))
    return [_Task(titles.get(t.document), t, report.rows[t.first_row:t.first_row + t.items])
            for t in report.tasks if t.items]


def _target_spans(task: _Task, words: Words) -> list[Span]:
    text = task.read.target_text
    several = len(task.rows) > 1
    spans = []
    for row in task.rows:
        q = row.assessment.target.quantity
        if q is not None and _in_text(text, q):
            spans.append(Span(q.start, q.end, "goal", _titled(words, "label.target_figure", row, several)))
    spans += [Span(q.start, q.end, "q", words.text("label.quantity")) for q in task.read.target_quantities]
    return spans


def _progress_spans(task: _Task, words: Words) -> list[Span]:
    progress = task.read.progress
    text = progress.text
    several = len(task.rows) > 1
    spans: list[Span] = []
    for row in task.rows:
        a = row.assessment
        for q in a.parts or ([a.achieved] if a.achieved is not None else []):
            if _in_text(text, q):
                spans.append(Span(q.start, q.end, "fig", _titled(words, "label.figure_used", row, several)))
    for s in progress.stated:
        q = progress.quantities[s.quantity_index] if s.quantity_index < len(progress.quantities) else None
        if q is not None:
            spans.append(Span(q.start, q.end, "st", f"{words.text('label.stated_share')} {s.value:.4f}"))
    spans += [Span(q.start, q.end, "q", words.text("label.quantity")) for q in progress.quantities]
    spans += [Span(p.start, p.end, "t", f"{words.zh('label.period')} {p.first_day or '?'} – {p.last_day or '?'}")
              for p in progress.periods if p.kind != "year"]
    return spans


def _titled(words: Words, key: str, row: "ReportRow", several: bool) -> str:
    """目标值 target figure, or 目标值 第2项 target figure for the second item of a task."""
    which = f" {words.zh('label.item_no', n=row.item)}" if several else ""
    return f"{words.zh(key)}{which} {words.en(key)}" if words.bilingual else f"{words.zh(key)}{which}"


def _behind_figures(row: "ReportRow", words: Words) -> str:
    ratio = row.ratio if row.ratio is not None else row.stated_ratio
    if ratio is None:
        return esc(row.explanation)
    said = f"{_ratio_label(row.assessment, words)} {_percent(ratio)}"
    if row.expected_ratio is None or not _paced(row.assessment):
        return said
    return f"{said}，{esc(words.zh('label.pace'))} {_percent(row.expected_ratio)}"


def _item_html(row: "ReportRow", words: Words) -> str:
    a = row.assessment
    paced = _paced(a)
    ratio = row.ratio if row.ratio is not None else row.stated_ratio
    return (
        f'<div class="item s-{esc(row.status)}" data-status="{esc(row.status)}" data-warning="{esc(row.warning)}" '
        f'data-row="{row.row}" data-item="{row.item}">'
        f'<div class="line">{status_chip(row.status, words)} {light_chip(row.warning, words)} {esc(row.target)}</div>'
        f"<div>{ratio_bar(ratio, row.expected_ratio, row.status, pace=paced, words=words)}"
        f"{_figures_text(ratio, row.expected_ratio, paced, a, words)}</div>"
        f'<p class="expl">{esc(row.explanation)}</p>{flags_html(row.flags, words)}</div>'
    )


def _task_html(task: _Task, anchor: str, words: Words) -> str:
    first = task.rows[0]
    group = f" {esc(first.group)}" if first.group else ""
    items = "".join(_item_html(row, words) for row in task.rows)
    return (
        f'<section class="task" id="{esc(anchor)}"><header><span class="no">{first.row}</span>{group}</header>'
        f'<div class="texts"><div class="label">{words.html("label.annual_target")}</div>'
        f'<div class="text">{marked(first.target_text, _target_spans(task, words))}</div>'
        f'<div class="label">{words.html("label.progress")}</div>'
        f'<div class="text">{marked(first.progress, _progress_spans(task, words))}</div></div>'
        f"{items}</section>"
    )


def _matrix_html(report: "Report", anchors: dict[str | None, str], words: Words) -> str:
    """Several documents: a row per document, its items per light and per status, linked to its section."""
    head = (f"<tr><th>{words.html('label.document')}</th>"
            + "".join(f"<th>{light_chip(w, words)}</th>" for w in LIGHTS)
            + "".join(f"<th>{words.html('status.' + s)}</th>" for s in STATUSES)
            + f"<th>{words.html('label.items_short')}</th></tr>")
    body = []
    for part in report.by_document():
        name = part.documents[0]
        title = part.titles[0]
        link = f'<a href="#{esc(anchors[name])}">{esc(name or "")}</a>' if name in anchors else esc(name or "")
        label = f"{link}<br><small>{esc(title)}</small>" if title else link
        lights = "".join(f'<td class="num w-{w}" data-document-warning="{w}">{f"<b>{n}</b>" if n else "0"}</td>'
                         for w, n in part.warnings.items())
        statuses = "".join(f'<td class="num">{n}</td>' for n in part.counts.values())
        body.append(f'<tr data-document="{esc(name or "")}"><td>{label}</td>{lights}{statuses}'
                    f'<td class="num">{len(part.rows)}</td></tr>')
    return (f"<h2>{words.html('label.by_document')}</h2>"
            f'<table class="matrix"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>')


def _summary_html(report: "Report", anchors: dict[tuple[str | None, int, int], str],
                  document_anchors: dict[str | None, str], words: Words) -> str:
    counts = report.counts
    total = max(len(report.rows), 1)
    boxes = "".join(f'<div class="count s-{s}"><b>{n}</b>{words.html("status." + s)}</div>'
                    for s, n in counts.items())
    light_boxes = "".join(
        f'<div class="count light-count w-{w}" title="{esc(words.text("warning.meaning." + w))}">'
        f'<b data-warning-count="{w}">{n}</b>{words.html("warning." + w)}</div>'
        for w, n in report.warnings.items())
    share = "".join(f'<span class="s-{s}" style="width:{n * 100 / total:.2f}%" title="{esc(STATUS_WORDS[s])} {n}">'
                    "</span>" for s, n in counts.items() if n)
    several = len(report.documents) > 1
    behind = [row for row in report.rows if row.status == "behind"]
    attention = ""
    if behind:
        links = []
        for row in behind:
            where = f"{esc(row.document or '')} · " if several else ""
            links.append(f'<li data-warning="{esc(row.warning)}">{light_chip(row.warning, words)} '
                         f'<a href="#{esc(anchors[(row.document, row.row, row.item)])}">{where}{row.row}. '
                         f"{esc(row.metric or row.group or '')}</a> — {_behind_figures(row, words)}</li>")
        attention = f'<h2>{words.html("label.behind_list")}</h2><ol class="attention">{"".join(links)}</ol>'
    matrix = _matrix_html(report, document_anchors, words) if several else ""
    tasks = len({(row.document, row.row) for row in report.rows})
    legend = (f'<div class="legend"><span><mark class="goal">{esc(words.zh("label.target_figure"))}</mark>'
              f'{" " + esc(words.en("label.target_figure")) if words.bilingual else ""}</span>'
              f'<span><mark class="fig">{esc(words.zh("label.figure_used"))}</mark>'
              f'{" " + esc(words.en("label.figure_used")) if words.bilingual else ""}</span>'
              f'<span><mark class="st">{esc(words.zh("label.stated_short"))}</mark>'
              f'{" " + esc(words.en("label.stated_short")) if words.bilingual else ""}</span>'
              f'<span><mark class="q">{esc(words.zh("label.other_quantities"))}</mark>'
              f'{" " + esc(words.en("label.other_quantities")) if words.bilingual else ""}</span>'
              f'<span><mark class="t">{esc(words.zh("label.period"))}</mark>'
              f'{" " + esc(words.en("label.period")) if words.bilingual else ""}</span>'
              f'<span>{esc(words.text("label.pace_line"))}</span></div>')
    documents = f"{len(report.documents)} {words.html('label.documents')} · " if several else ""
    return (f"<h1>{esc(_title(report))}</h1>"
            f'<p class="meta">{words.html("label.assessment")} · {_period(report, words)}<br>'
            f"{documents}{tasks} {words.html('label.tasks')} · {len(report.rows)} {words.html('label.items')}</p>"
            f'<div class="counts">{boxes}</div><div class="counts">{light_boxes}</div>'
            f'<div class="share">{share}</div>{legend}{matrix}{attention}')


def report_html(report: "Report", words: Words = BILINGUAL) -> str:
    """The whole self-contained HTML document for a Report."""
    tasks = _tasks(report)
    anchors: dict[tuple[str | None, int, int], str] = {}
    for n, task in enumerate(tasks, 1):
        for row in task.rows:
            anchors.setdefault((row.document, row.row, row.item), f"task-{n}")
    several = len(report.documents) > 1
    document_anchors = {name: f"doc-{n}" for n, name in enumerate(dict.fromkeys(report.documents), 1)}
    body: list[str] = []
    current: object = object()
    for n, task in enumerate(tasks, 1):
        if several and task.document != current:
            current = task.document
            anchor = document_anchors.get(task.document, "")
            body.append(f'<h2 id="{esc(anchor)}">{esc(task.title or task.document or "")} '
                        f"<small>{esc(task.document or '')}</small></h2>")
        body.append(_task_html(task, f"task-{n}", words))
    if not several:
        body.insert(0, f"<h2>{words.html('label.all_tasks')}</h2>")
    generated = dt.date.today().isoformat()
    footer = words.html("label.footer")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(_title(report))} — {esc(words.zh('label.assessment'))}</title>"
        f"<style>{_CSS}{_PAGE_CSS}</style></head>\n"
        f'<body><main class="pnr page">{_summary_html(report, anchors, document_anchors, words)}\n'
        + "\n".join(body)
        + f"\n<footer>perfnlp {esc(__version__)} · {generated} · {footer}</footer></main></body></html>\n"
    )
