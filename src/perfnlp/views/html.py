"""Stage 8c: the HTML report. One self-contained file a performance office can open and forward: no network,
no external assets, no JavaScript (inline CSS, CSS bars), every piece of input text escaped.

- report_html(report)        the whole document: a summary (title, period, counts per status), then per
                             task the target and progress texts with the figures highlighted and per
                             target item a bar of the ratio against the 序时进度 mark, status, explanation, flags;
- report_table_html(report)  a fragment, a table with status colours (Report._repr_html_ in notebooks);
- assessment_html(a)         a fragment for one Assessment (Assessment._repr_html_).

Colours: achieved dark green, on_track green, behind red, unknown grey. Unknown is grey, not amber: it means
"the progress text gives nothing comparable", which is a gap in the report, not a warning about the work.
Levels (rates, indices, changes) are judged by their current value, not by the share of the year elapsed,
so their bars carry no 序时进度 mark.
"""
from __future__ import annotations

from decimal import Decimal

import datetime as dt
from typing import TYPE_CHECKING, Iterable, NamedTuple, Sequence

from .._version import __version__
from ..judging.explain import target_line
from ..reading.periods import elapsed_share
from ..reading.quantities import display
from .text import STATUS_WORDS, esc

if TYPE_CHECKING:
    from ..judging.assessment import Assessment
    from ..reading.quantities import Quantity
    from ..reports.report import Report, ReportRow, ReportTask
    from ..text.context import Context

STATUS_ENGLISH = {"achieved": "achieved", "on_track": "on track", "behind": "behind", "unknown": "unknown"}
STATUS_COLOURS = {"achieved": "#146c2e", "on_track": "#2e9e4f", "behind": "#c4261d", "unknown": "#8a8f98"}
STATUS_TINTS = {"achieved": "#e3f4e8", "on_track": "#edf8f0", "behind": "#fdecea", "unknown": "#f1f2f4"}

# Known flags in words; a flag not listed here (the lead may add some) is shown as its name.
FLAG_WORDS = {
    "unit_mismatch": "单位不一致，无法换算",
    "different_stage": "进展数据属于其他阶段（签约、招标等）",
    "plan_not_progress": "进展为计划，并非完成情况",
    "summed_parts": "由各部分数据合计",
    "restated_target": "进展中重述了目标值",
    "stated_differs": "自述完成比例与计算结果不一致",
    "inferred_target": "目标无数值，按自述比例推算",
    "no_date": "进展未写明时间，无法计算序时进度",
    "deadline_passed": "已过截止时间，未见完成",
}

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
""" + "".join(f".pnr .s-{s}{{--c:{STATUS_COLOURS[s]};--tint:{STATUS_TINTS[s]}}}" for s in STATUS_COLOURS)

_PAGE_CSS = """
body{margin:0;background:#f6f7f9}
.pnr.page{max-width:1100px;margin:0 auto;padding:24px 28px 48px;background:#fff}
.pnr h1{font-size:1.5em;margin:0 0 4px}.pnr h2{font-size:1.2em;margin:28px 0 8px;padding-bottom:4px;
 border-bottom:2px solid #1f2328}
.pnr .meta{color:#59636e;margin:0 0 12px}
.pnr .counts{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.pnr .count{flex:1 1 150px;border-top:5px solid var(--c);background:var(--tint);padding:8px 12px;border-radius:4px}
.pnr .count b{display:block;font-size:1.8em;color:var(--c)}
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


def status_chip(status: str) -> str:
    return (f'<span class="chip s-{esc(status)}">{esc(STATUS_WORDS.get(status, status))} '
            f'<small>{esc(STATUS_ENGLISH.get(status, status))}</small></span>')


def ratio_bar(ratio: float | None, expected: float | None, status: str, *, pace: bool = True) -> str:
    """A CSS bar: the ratio filled in the status colour (0–100%, an arrow past 100%), a line at 序时进度."""
    if ratio is None:
        label = "无可比数据"
        fill = ""
    else:
        width = max(0.0, min(ratio, 1.0)) * 100  # a negative ratio (change the wrong way) shows empty
        label = f"完成 {_percent(ratio)}"
        fill = f'<span class="fill" style="width:{width:.1f}%"></span>'
        if ratio > 1:
            fill += '<span class="over">▶</span>'
    mark = ""
    if pace and expected is not None:
        label += f"，序时进度 {_percent(expected)}"
        mark = f'<span class="pace" style="left:{max(0.0, min(expected, 1.0)) * 100:.1f}%" title="序时进度"></span>'
    return (f'<span class="bar s-{esc(status)}" role="img" aria-label="{esc(label)}" title="{esc(label)}">'
            f"{fill}{mark}</span>")


def flags_html(flags: Sequence[str]) -> str:
    if not flags:
        return ""
    items = "".join(f'<li title="{esc(f)}">{esc(FLAG_WORDS.get(f, f))} <small>{esc(f)}</small></li>'
                    for f in flags)
    return f'<ul class="flags">{items}</ul>'


def _figures_text(ratio: float | None, expected: float | None, pace: bool, a: "Assessment") -> str:
    parts = [f"{_ratio_label(a)} <b>{_percent(ratio)}</b>"]
    if pace:
        parts.append(f"序时进度 {_percent(expected)}")
    else:
        parts.append("<small>水平指标，按当前值判断 level: judged by its current value</small>")
    goal = a.target.quantity
    if a.achieved_value is not None and goal is not None:
        parts.append(f"实际 {esc(_like(a.achieved_value, goal))}，目标 {esc(goal.text)}")
    return f'<span class="figs">{" · ".join(parts)}</span>'


def _ratio_label(a: "Assessment") -> str:
    # under a ceiling (控制在…以内) the ratio is the share of the limit used, not work done
    if a.ratio is not None and a.target.comparator in ("le", "lt"):
        return "占上限 <small>share of limit</small>"
    return "完成率"


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

def assessment_html(a: "Assessment") -> str:
    """A fragment: one target item with its chosen figure, ratio bar against 序时进度, status, explanation."""
    t = a.target
    spans = []
    if t.quantity is not None:
        spans.append(Span(t.quantity.start - t.start, t.quantity.end - t.start, "goal", "目标值 target figure"))
    figures = a.parts or ([a.achieved] if a.achieved is not None else [])
    figure = " + ".join(f'<mark class="fig">{esc(q.text)}</mark>' for q in figures) or "—"
    paced = _paced(a)
    ratio = a.ratio if a.ratio is not None else a.stated_ratio  # a stated share stands in for a missing ratio
    return (
        f'<div class="pnr"><style>{_CSS}</style>'
        f'<div class="item s-{esc(a.status)}" data-status="{esc(a.status)}">'
        f'<div class="line">{status_chip(a.status)} {esc(target_line(t))}</div>'
        f"<div>目标 <small>target</small>：{marked(t.text, spans)}</div>"
        f"<div>进展数据 <small>figure</small>：{figure}"
        f"{'（截至 ' + esc(a.as_of) + '）' if a.as_of else ''}</div>"
        f"<div>{ratio_bar(ratio, a.expected_ratio, a.status, pace=paced)}"
        f"{_figures_text(ratio, a.expected_ratio, paced, a)}</div>"
        f'<p class="expl">{esc(a.explanation)}</p>{flags_html(a.flags)}</div></div>'
    )


# ---------------------------------------------------------------------------------------------------------
# a Report as a table (notebooks)

def report_table_html(report: "Report", max_rows: int = 500) -> str:
    """A fragment: the counts, then one table row per target item coloured by status (first max_rows)."""
    counts = " · ".join(f'<span class="s-{s}" style="color:var(--c)"><b>{n}</b> {esc(STATUS_WORDS[s])} '
                        f"<small>{esc(STATUS_ENGLISH[s])}</small></span>" for s, n in report.counts.items())
    several = len({row.document for row in report.rows}) > 1
    head = ("<tr>" + ("<th>文件 <small>document</small></th>" if several else "") +
            "<th>序号</th><th>分组 <small>group</small></th><th>目标 <small>target</small></th>"
            "<th>进展数据 <small>figure</small></th><th>完成率 <small>ratio</small></th>"
            "<th>序时 <small>pace</small></th><th>状态 <small>status</small></th></tr>")
    body: list[str] = []
    for row in report.rows[:max_rows]:
        doc = f"<td>{esc(row.document or '')}</td>" if several else ""
        body.append(
            f'<tr class="srow s-{esc(row.status)}">{doc}<td class="num">{row.row}.{row.item}</td>'
            f"<td>{esc(row.group or '')}</td><td>{esc(row.target)}</td><td>{esc(row.figure or '—')}</td>"
            f'<td class="num">{_percent(row.ratio)}</td><td class="num">{_percent(row.expected_ratio)}</td>'
            f'<td class="st">{esc(STATUS_WORDS[row.status])} <small>{esc(STATUS_ENGLISH[row.status])}</small></td></tr>'
        )
    more = ""
    if len(report.rows) > max_rows:
        more = f"<p><small>… {len(report.rows) - max_rows} more rows; Report.to_frame() has them all.</small></p>"
    title = esc(_title(report))
    return (f'<div class="pnr"><style>{_CSS}</style><div><b>{title}</b></div>'
            f"<div>{len(report.rows)} 项 target items: {counts}</div>"
            f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>{more}</div>")


# ---------------------------------------------------------------------------------------------------------
# the whole document

def _title(report: "Report") -> str:
    titles = [t for t in dict.fromkeys(report.titles) if t]
    if titles:
        return " / ".join(titles)
    return " / ".join(d for d in dict.fromkeys(report.documents) if d) or "绩效任务进展评估"


def _period(report: "Report") -> str:
    ctx: Context | None = report.context
    dates = sorted({row.as_of for row in report.rows if row.as_of is not None})
    parts: list[str] = []
    if ctx is not None and ctx.year is not None:
        parts.append(f"年度 <small>year</small> {ctx.year}")
    if ctx is not None and ctx.as_of is not None:
        parts.append(f"截至 <small>as of</small> {esc(ctx.as_of.isoformat())}")
        parts.append(f"序时进度 <small>share of year elapsed</small> {_percent(elapsed_share(ctx.as_of))}")
    elif dates:
        parts.append(f"进展日期 <small>progress dates</small> {esc(dates[0])} – {esc(dates[-1])}")
    if len(dates) > 1:
        # rows whose progress names its own date (1-5月) are paced to that date
        parts.append("<small>各项按其进展日期计算序时进度 each item is paced to its own progress date"
                     "</small>")
    return " · ".join(parts) or "未写明时间 <small>no period given</small>"


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


def _target_spans(task: _Task) -> list[Span]:
    text = task.read.target_text
    several = len(task.rows) > 1
    spans = []
    for row in task.rows:
        q = row.assessment.target.quantity
        if q is not None and _in_text(text, q):
            spans.append(Span(q.start, q.end, "goal", f"目标值{_which(row, several)} target figure"))
    spans += [Span(q.start, q.end, "q", "数量 quantity") for q in task.read.target_quantities]
    return spans


def _progress_spans(task: _Task) -> list[Span]:
    progress = task.read.progress
    text = progress.text
    several = len(task.rows) > 1
    spans: list[Span] = []
    for row in task.rows:
        a = row.assessment
        for q in a.parts or ([a.achieved] if a.achieved is not None else []):
            if _in_text(text, q):
                spans.append(Span(q.start, q.end, "fig", f"采用的进展数据{_which(row, several)} figure used"))
    for s in progress.stated:
        q = progress.quantities[s.quantity_index] if s.quantity_index < len(progress.quantities) else None
        if q is not None:
            spans.append(Span(q.start, q.end, "st", f"自述完成比例 stated share {s.value:.4f}"))
    spans += [Span(q.start, q.end, "q", "数量 quantity") for q in progress.quantities]
    spans += [Span(p.start, p.end, "t", f"时间 {p.first_day or '?'} – {p.last_day or '?'}")
              for p in progress.periods if p.kind != "year"]
    return spans


def _which(row: "ReportRow", several: bool) -> str:
    return f" 第{row.item}项" if several else ""


def _behind_figures(row: "ReportRow") -> str:
    ratio = row.ratio if row.ratio is not None else row.stated_ratio
    if ratio is None:
        return esc(row.explanation)
    said = f"{_ratio_label(row.assessment)} {_percent(ratio)}"
    if row.expected_ratio is None or not _paced(row.assessment):
        return said
    return f"{said}，序时进度 {_percent(row.expected_ratio)}"


def _item_html(row: "ReportRow") -> str:
    a = row.assessment
    paced = _paced(a)
    ratio = row.ratio if row.ratio is not None else row.stated_ratio
    return (
        f'<div class="item s-{esc(row.status)}" data-status="{esc(row.status)}" data-row="{row.row}" '
        f'data-item="{row.item}">'
        f'<div class="line">{status_chip(row.status)} {esc(row.target)}</div>'
        f"<div>{ratio_bar(ratio, row.expected_ratio, row.status, pace=paced)}"
        f"{_figures_text(ratio, row.expected_ratio, paced, a)}</div>"
        f'<p class="expl">{esc(row.explanation)}</p>{flags_html(row.flags)}</div>'
    )


def _task_html(task: _Task, anchor: str) -> str:
    first = task.rows[0]
    group = f" {esc(first.group)}" if first.group else ""
    items = "".join(_item_html(row) for row in task.rows)
    return (
        f'<section class="task" id="{esc(anchor)}"><header><span class="no">{first.row}</span>{group}</header>'
        f'<div class="texts"><div class="label">年度目标 <small>target</small></div>'
        f'<div class="text">{marked(first.target_text, _target_spans(task))}</div>'
        f'<div class="label">进展情况 <small>progress</small></div>'
        f'<div class="text">{marked(first.progress, _progress_spans(task))}</div></div>'
        f"{items}</section>"
    )


def _summary_html(report: "Report", anchors: dict[tuple[str | None, int, int], str]) -> str:
    counts = report.counts
    total = max(len(report.rows), 1)
    boxes = "".join(
        f'<div class="count s-{s}"><b>{n}</b>{esc(STATUS_WORDS[s])} <small>{esc(STATUS_ENGLISH[s])}</small></div>'
        for s, n in counts.items())
    share = "".join(f'<span class="s-{s}" style="width:{n * 100 / total:.2f}%" title="{esc(STATUS_WORDS[s])} {n}">'
                    "</span>" for s, n in counts.items() if n)
    behind = [row for row in report.rows if row.status == "behind"]
    attention = ""
    if behind:
        links = "".join(
            f'<li><a href="#{esc(anchors[(row.document, row.row, row.item)])}">{row.row}. '
            f"{esc(row.metric or row.group or '')}</a> — {_behind_figures(row)}</li>" for row in behind)
        attention = f'<h2>需关注 <small>behind</small></h2><ol class="attention">{links}</ol>'
    tasks = len({(row.document, row.row) for row in report.rows})
    legend = ('<div class="legend"><span><mark class="goal">目标值</mark> target figure</span>'
              '<span><mark class="fig">采用的进展数据</mark> figure used</span>'
              '<span><mark class="st">自述比例</mark> stated share</span>'
              '<span><mark class="q">其他数量</mark> other quantities</span>'
              '<span><mark class="t">时间</mark> period</span>'
              '<span>▮ 序时进度 line = share of the year elapsed</span></div>')
    return (f"<h1>{esc(_title(report))}</h1>"
            f'<p class="meta">绩效任务进展评估 <small>performance assessment</small> · {_period(report)}<br>'
            f"{tasks} 项任务 <small>tasks</small> · {len(report.rows)} 个目标项 <small>target items</small></p>"
            f'<div class="counts">{boxes}</div><div class="share">{share}</div>{legend}{attention}')


def report_html(report: "Report") -> str:
    """The whole self-contained HTML document for a Report."""
    tasks = _tasks(report)
    anchors: dict[tuple[str | None, int, int], str] = {}
    for n, task in enumerate(tasks, 1):
        for row in task.rows:
            anchors.setdefault((row.document, row.row, row.item), f"task-{n}")
    several = len({task.document for task in tasks}) > 1
    body: list[str] = []
    current: object = object()
    for n, task in enumerate(tasks, 1):
        if several and task.document != current:
            current = task.document
            body.append(f"<h2>{esc(task.title or task.document or '')} <small>{esc(task.document or '')}</small></h2>")
        body.append(_task_html(task, f"task-{n}"))
    if not several:
        body.insert(0, "<h2>各项任务 <small>tasks</small></h2>")
    generated = dt.date.today().isoformat()
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(_title(report))} — 绩效任务进展评估</title>"
        f"<style>{_CSS}{_PAGE_CSS}</style></head>\n"
        f'<body><main class="pnr page">{_summary_html(report, anchors)}\n'
        + "\n".join(body)
        + f"\n<footer>perfnlp {esc(__version__)} · {generated} · 规则推断，供核对参考 "
          "<small>rule-based reading; check against the source</small></footer></main></body></html>\n"
    )
