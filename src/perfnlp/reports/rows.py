"""One task of a document as the judging layer reads it: its target items, its progress, and for a table
row the evidence its columns give (which achieved cell belongs to which target cell, the completion-rate
cell as a stated ratio).

What is guessed, and how:

* A task without value cells (a text table such as 年度目标 | 进展情况, or a prose statement) is read as
  text: its target by `parse_target` (the row's label names the metric when the text does not), its
  progress by `parse_progress`; alignment pairs the figures.
* A table row with value cells (年度指标值 | 实际完成值 | 完成率, or 2015年目标/绝对值 …) is read cell by
  cell. Each target cell is a target text of its own (7以上, ≥50个, 控制在10410人内, 4620); a bare value
  takes the unit its column gives (Cell.unit: header, unit column, caption, block label), else the unit
  written in the row's label (公猪舍(≥**平方米): the template's blank with its comparator and unit), with
  the flag unit_from_header / unit_from_caption …. A column whose header names a growth rate (增速, 增长率)
  makes its figure a change (增长7%) in percent.
* A bare goal with a multiplier (200万) takes its result's unit (195.5万元); a plain figure under a category
  that names what should stay low (成本指标) is a ceiling (a result that writes its goal's words, 通过 | 通过,
  is judged met by judging/assessment.py, for rows and free text alike); a budget of 0 is no goal; 年初预算数 is the later item of a row that also has 全年预算数. A prose
  target that opens its own progress of several shares (产业发展项目172个,…为年投资计划的80%;基础设施项目75个,…)
  counts its first part: one item per share. A rate listed for several names (完成率由高到低分别为:长治124.9%、…)
  is one item per name; a grid run together into a progress (names, a row of goals, the row of results) gives
  the goal that is its total the results' total, and one item per column (text/start/end in the progress).
* Target and progress cells pair by their second header level (2015年目标/增速 with 2015年实绩/增速), else
  in order; a bare achieved value takes the unit of the target it pairs with. A rate cell is the stated
  ratio of the pair whose progress cell stands before it (a bare 51 under 完成进度 is 51%).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from ..documents.model import Cell, Task
from ..judging.assessment import Evidence
from ..reading.numerals import MULTIPLIERS
from ..reading.quantities import Quantity, written_multiplier
from ..reading.units import unit_at
from ..statements.progress import Progress, parse_progress
from ..statements.targets import Target, names_a_ceiling, parse_target
from ..documents.tables import table_words
from ..text.context import Context
from ..text.lexicon import alternatives, rows as data_rows, words

_RATE_SUFFIX = "率"  # a metric that names a rate: 投资完成率, 开工率 (the word every rate name ends with)
_PLACEHOLDER = re.compile(rf"\s*[-—–/／\\—]*\s*|\s*(?:{table_words('placeholder')}|/)\s*")
_GROWTH = re.compile(table_words("growth"))
_START_GOAL = re.compile(table_words("start_goal"))
_FALL = re.compile(table_words("fall"))
_JOINERS = rf"、|{table_words('name_joiner')}"
_LABEL_TEMPLATE = re.compile(r"[(（]\s*(≥|≤|>|<|＞|＜)\s*\**\s*([^()（）*]{1,8}?)\s*[)）]")
_SIGN_COMPARATORS = {"≥": "ge", "≤": "le", ">": "gt", "<": "lt", "＞": "gt", "＜": "lt"}


def read_task(task: Task, context: Context, standing: Sequence[Target] = ()
              ) -> tuple[list[Target], Progress, list[Evidence | None] | None]:
    """The target items, the progress and (for a table row with value cells) the evidence of one task.

    standing: rate goals the document states for every row (目标任务为:…投资完成率达到50%及以上, then a table
    with a 计划投资完成率 column): a row's rate cell under a header that names one is judged against it."""
    progress = parse_progress(task.progress, context)
    if not task.cells:
        targets = parse_target(task.target, context, group=task.group)
        targets = [_growth_goal(_under_category(t, task), progress) for t in targets]
        counted = _counted_in_progress(task, targets, progress)
        if counted or not any(t.quantity is not None or t.zero_ceiling for t in targets):
            shared = _shared_items(task, counted or targets, progress) or _listed_rates(targets, progress)
            if shared is not None:
                return shared[0], progress, shared[1]
        return targets, progress, None
    label = task.group or ""
    template = _LABEL_TEMPLATE.search(label)
    metric = _LABEL_TEMPLATE.sub("", label).strip() if template else label
    target_cells = [c for c in task.cells if c.role == "target"]
    if len(target_cells) > 1:
        # 年初预算数 | 全年预算数: the goal as adjusted governs, the start's goal is the later item
        target_cells.sort(key=lambda c: _START_GOAL.match(c.header) is not None)
    progress_cells = [c for c in task.cells if c.role == "progress"]
    rate_cells = [c for c in task.cells if c.role == "rate"]
    targets: list[Target] = []
    owners: list[Cell] = []
    for cell in target_cells:
        if _PLACEHOLDER.fullmatch(cell.text):
            continue  # "-", "—", "/": the table has no goal in this column for this row
        sub = _sub_header(cell)
        items = parse_target(cell.text, context, group=f"{metric}{sub}" if sub else metric)
        for item in items:
            targets.append(_under_category(_in_cell(item, cell, task.target, template, sub), task))
            owners.append(cell)
    if not targets:
        return parse_target(task.target, context, group=task.group), progress, None
    pairs = _pair_cells(target_cells, progress_cells)
    evidence: list[Evidence | None] = []
    for index, (target, owner) in enumerate(zip(targets, owners)):
        achieved_cell = pairs.get(owner.column)
        figures: tuple[Quantity, ...] = ()
        flags: list[str] = []
        if achieved_cell is not None and target.quantity is not None:
            inside = [q for q in progress.quantities
                      if achieved_cell.offset <= q.start < achieved_cell.offset + len(achieved_cell.text)]
            if inside:  # 8.7(实际增长7.9): the cell's own figure is its first
                figure = inside[0]
                if figure.unit == "":
                    figure, flag = _with_unit(figure, achieved_cell, target.quantity)
                    if flag:
                        flags.append(flag)
                if target.change == "decrease" and _GROWTH.search(_sub_header(achieved_cell) or achieved_cell.header):
                    figure = figure.model_copy(update={"value": -figure.value})  # a growth of -5.5 is a fall of 5.5
                figures = (figure,)
                if target.quantity.unit == "" and figure.unit and figure.dimension:
                    # 200万 | 195.5万元: a bare goal is written in the unit its result writes out
                    quantity = target.quantity.model_copy(update={"unit": figure.unit, "dimension": figure.dimension})
                    targets[index] = target = target.model_copy(update={"quantity": quantity})
                    flags.append("unit_from_progress")
        rate_cell = _rate_cell(achieved_cell, progress_cells, rate_cells)
        rate = _rate_in(rate_cell, progress)
        goal = _standing_goal(rate_cell, standing)
        if goal is not None and rate is not None:
            # the row's rate is the achieved figure of the document's goal for that rate, not a share of the row's
            # base (计划投资额 is what the rate is of, not a goal of its own)
            targets[index] = goal.model_copy(update={"metric": f"{goal.metric}({metric})" if metric else goal.metric})
            figure = next(q for q in progress.quantities if rate_cell.offset <= q.start)  # the rate's own figure
            if figure.unit == "":
                figure = figure.model_copy(update={"unit": "%", "dimension": "percent"})
            evidence.append(Evidence(figures=(figure,), stated_ratio=None, flags=("goal_from_document",)))
            continue
        if target.quantity is not None and target.quantity.value == 0 and target.quantity.dimension == "currency" \
                and not target.written:
            # 年度资金总额 | 0 | 0 | 0 | 0%: a budget of nothing is no goal; its rate of 0 (of 0) says nothing
            evidence.append(Evidence(flags=("zero_goal",)))
            continue
        if not figures and rate is None:
            evidence.append(None)
            continue
        evidence.append(Evidence(figures=figures, stated_ratio=rate, flags=tuple(flags)))
    return targets, progress, evidence


_DISTRIBUTED = re.compile(rf"\s?(?:{_JOINERS})\s?[\u4e00-\u9fff]{{0,6}}\s?$")
_EACH = re.compile(rf"((?:[\u4e00-\u9fff]{{2,10}}(?:{_JOINERS}))+[\u4e00-\u9fff]{{2,10}})[^、，,。；;]{{0,12}}?(?:{table_words('each')})")


# the rate words of data/statements.tsv (完成率, 开工率 …), read here to name each listed item
_LISTED = re.compile(rf"({alternatives('statements.tsv', 'rate')})[^，,。；;:：0-9]{{0,8}}?"
                     rf"(?:{table_words('respectively')})[为是]?\s?[:：]?")
_LIST_NAME = re.compile(r"\s?([\u4e00-\u9fff]{1,10})\s?")


def _listed_rates(targets: list[Target], progress: Progress) -> tuple[list[Target], list[Evidence | None]] | None:
    """11个市完成率由高到低分别为:长治124.9%、忻州86.3%、…: a rate listed for several names, one percentage each
    (joined by 、), is one item per name judged on its rate. None when the progress lists no such rates."""
    if not targets:
        return None
    m = _LISTED.search(progress.text)
    if m is None:
        return None
    rate = m.group(1)
    items: list[Target] = []
    evidence: list[Evidence | None] = []
    at = m.end()
    for q in progress.quantities:
        if q.start < at:
            continue
        name = _LIST_NAME.fullmatch(progress.text, at, q.start)
        if q.unit != "%" or name is None:
            break
        items.append(targets[0].model_copy(update={"metric": f"{name.group(1)}{rate}", "quantity": None}))
        evidence.append(Evidence(stated_ratio=round(float(q.value / Decimal(100)), 6)))
        at = q.end + 1 if progress.text[q.end:q.end + 1] == "、" else len(progress.text) + 1
    return (items, evidence) if len(items) >= 2 else None


def _shares(progress: Progress) -> list[tuple[float, int]]:
    """The stated shares of a progress text with the index of their percentage, in order; a share written
    as a distribution (分别完成年度目标任务的81.73%、111.13%、91.34%) gives one share per percentage."""
    out: list[tuple[float, int]] = []
    taken: set[int] = set()
    quantities = progress.quantities
    for s in progress.stated:
        out.append((s.value, s.quantity_index))
        taken.add(s.quantity_index)
        k = s.quantity_index + 1
        while k < len(quantities) and quantities[k].unit == "%" and k not in taken \
                and _DISTRIBUTED.search(progress.text, quantities[k - 1].end, quantities[k].start) \
                and quantities[k].start - quantities[k - 1].end <= 8:
            out.append((round(float(quantities[k].value / Decimal(100)), 6), k))
            taken.add(k)
            k += 1
    return sorted(out, key=lambda pair: pair[1])


def _shared_items(task: Task, targets: list[Target], progress: Progress
                  ) -> tuple[list[Target], list[Evidence | None]] | None:
    """A target with no figure whose progress states several shares (新开工11万套、基本建成13.21万套,分别完成年度
    任务的100%、100.1%): one item per share, each judged on its share, with the figure it is a share of."""
    shares = _shares(progress)
    each = _EACH.search(progress.text)
    if len(shares) == 1 and each is not None and each.end() <= progress.stated[0].end:
        # 张家界市、怀化市、郴州市开工率均达100%: one share for each of the names listed
        names = re.split(_JOINERS, each.group(1))
        items = [targets[0].model_copy(update={"metric": f"{targets[0].metric}({name})" if targets[0].metric
                                                else name}) for name in names]
        return items, [Evidence(stated_ratio=shares[0][0]) for _ in names]
    if len(shares) < 2:
        return None
    quantities = progress.quantities
    share_indexes = {i for _, i in shares}
    figures = [i for i, q in enumerate(quantities) if i not in share_indexes and q.unit not in ("%", "个百分点")]
    template = targets[0]
    items: list[Target] = []
    evidence: list[Evidence | None] = []
    distributed = len(shares) > 1 and all(b[1] == a[1] + 1 for a, b in zip(shares, shares[1:]))
    for n, (value, index) in enumerate(shares):
        if distributed:
            before = [i for i in figures if i < shares[0][1]]
            own = before[len(before) - len(shares) + n] if len(before) >= len(shares) else None
        else:
            before = [i for i in figures if i < index and (n == 0 or i > shares[n - 1][1])]
            own = before[-1] if before else None
        figure = quantities[own] if own is not None else None
        metric = _figure_metric(progress.text, figure) if figure is not None else template.metric
        items.append(template.model_copy(update={"metric": metric or template.metric}))
        evidence.append(Evidence(figures=(figure,) if figure is not None else (), stated_ratio=value))
    return items, evidence


_FIGURE_LEAD = re.compile(rf"^(?:截至[^，,]{{0,8}}|{table_words('figure_lead')})+")
_BARE_GOAL = re.compile(rf"^\s?(?:{table_words('goal_period')})?(?:{table_words('goal_word')})\s?(?:为)?\s?[0-9]")


def _figure_metric(text: str, q: Quantity) -> str:
    """The words of a figure's clause before it (新增技能人才(取证)166.7万人 → 新增技能人才(取证))."""
    start = max(text.rfind(mark, 0, q.start) for mark in "，,；;。、") + 1
    words = text[start:q.start].strip()
    words = _FIGURE_LEAD.sub("", words)
    return words.strip(" ：:") or text[q.end:q.end + 12].split("，")[0].split(",")[0].strip()




def _counted_in_progress(task: Task, targets: list[Target], progress: Progress) -> list[Target]:
    """产业发展项目172个,完成投资295.9亿元,为年投资计划的80%;基础设施项目75个,…: when the target is the opening
    words of its own progress, which then states a share for each of several parts, its figure counts the first
    part and is no goal. The targets without their figures (empty when that is not the case)."""
    text = task.target.strip()
    if not text or not task.progress.lstrip().startswith(text) or len(progress.stated) < 2 \
            or not all(t.quantity is not None for t in targets):
        return []
    return [t.model_copy(update={"quantity": None}) for t in targets[:1]]


def _under_category(target: Target, task: Task) -> Target:
    """A plain figure under a category that names what should stay low (成本指标 | 项目总成本 | 200万) is a ceiling."""
    if target.comparator == "ge" and not target.written and target.change is None and task.category \
            and names_a_ceiling(task.category):
        return target.model_copy(update={"comparator": "le"})
    return target


def _growth_goal(target: Target, progress: Progress) -> Target:
    """A bare percentage goal (目标10.5%) against a report of growth (地区生产总值增长58.3%) is a goal of growth."""
    q = target.quantity
    if q is None or q.unit != "%" or target.change is not None or target.comparator not in ("ge", "approx"):
        return target
    if not _BARE_GOAL.search(target.text):
        return target
    if _GROWTH.search(progress.text) and not _FALL.search(progress.text):
        return target.model_copy(update={"change": "increase", "cumulative": False})
    return target


def _sub_header(cell: Cell) -> str:
    return cell.header.rsplit("/", 1)[1] if "/" in cell.header else ""


def _in_cell(item: Target, cell: Cell, whole: str, template: re.Match[str] | None, sub: str) -> Target:
    """A target item read from one cell, with its spans in the task's whole target text, its bare value
    given the column's unit, and a growth column's change."""
    shift = cell.offset
    update: dict[str, object] = {"text": whole[item.start + shift:item.end + shift], "start": item.start + shift,
                                 "end": item.end + shift}
    q = item.quantity
    if q is not None:
        q = q.model_copy(update={"start": q.start + shift, "end": q.end + shift})
        if q.unit == "":
            label_unit = template.group(2) if template else None
            unit = cell.unit or (label_unit if label_unit and _unit_parts(label_unit) else None)
            if unit:
                q = _apply_unit(q, unit) or q
        update["quantity"] = q
        if template and item.comparator == "ge" and not _has_comparator_word(cell.text):
            update["comparator"] = _SIGN_COMPARATORS[template.group(1)]
        if item.change is None and _GROWTH.search(sub or cell.header) and q.unit in ("%", ""):
            # a growth column: 7以上 is a growth of at least 7%; -0.2 a fall of at least 0.2%
            update["change"] = "decrease" if q.value < 0 else "increase"
            update["cumulative"] = False
            if q.value < 0:
                q = q.model_copy(update={"value": -q.value})
                update["quantity"] = q
    return item.model_copy(update=update)


def _has_comparator_word(text: str) -> bool:
    return _COMPARATOR_WORD.search(text) is not None


# any word of data/comparators.tsv that sets a comparator (以上, 不低于, 控制在 …), or a sign
_COMPARATOR_WORD = re.compile("|".join([re.escape(r[0]) for r in data_rows("comparators.tsv") if r[1] != "-"]
                                       + ["≥", "≤", ">", "<"]))


def _pair_cells(target_cells: list[Cell], progress_cells: list[Cell]) -> dict[int, Cell]:
    """target column → the progress cell that reports on it: the same second header level first
    (2015年目标/增速 with 2015年实绩/增速), then the pairs whose headers share most words (计划投资额 with
    累计完成投资额, 计划完成数 with 累计开工数), nearest columns first."""
    targets = [c for c in target_cells if not _PLACEHOLDER.fullmatch(c.text)]
    out: dict[int, Cell] = {}
    free = list(progress_cells)
    for cell in targets:
        sub = _sub_header(cell)
        same = [p for p in free if sub and _sub_header(p) == sub]
        if same:
            out[cell.column] = same[0]
            free.remove(same[0])
    pairs = sorted(((-_shared_bigrams(t.header, p.header), abs(p.column - t.column), t.column, p.column, t, p)
                    for t in targets if t.column not in out for p in free), key=lambda x: x[:4])
    for *_, t, p in pairs:
        if t.column not in out and p in free:
            out[t.column] = p
            free.remove(p)
    for cell in targets:
        if cell.column not in out and progress_cells and not _sub_header(cell):
            out[cell.column] = progress_cells[-1]  # 年初预算数 | 全年预算数 | 全年执行数: both budgets against one result
    return out


def _shared_bigrams(a: str, b: str) -> int:
    grams = {a[i:i + 2] for i in range(len(a) - 1) if "\u4e00" <= a[i] <= "\u9fff" and "\u4e00" <= a[i + 1] <= "\u9fff"}
    return sum(1 for g in grams if g in b)


def standing_goals(targets: Sequence[Target]) -> list[Target]:
    """The rate goals among a prose task's targets (投资完成率达到50%及以上): a percentage for a metric that
    names a rate, which a table of the same document may report row by row."""
    return [t for t in targets if t.quantity is not None and t.quantity.unit == "%" and t.change is None
            and t.metric.endswith(_RATE_SUFFIX)]


def _rate_cell(achieved: Cell | None, progress_cells: list[Cell], rate_cells: list[Cell]) -> Cell | None:
    """The rate cell that follows an achieved cell (before the next achieved cell)."""
    if not rate_cells:
        return None
    if achieved is None:
        return rate_cells[0] if len(rate_cells) == 1 and not progress_cells else None
    later = [p.column for p in progress_cells if p.column > achieved.column]
    limit = min(later) if later else 10**6
    return next((r for r in rate_cells if achieved.column < r.column < limit), None)


def _standing_goal(rate_cell: Cell | None, standing: Sequence[Target]) -> Target | None:
    """The document's goal for the rate a cell's header names (计划投资完成率 names 投资完成率), if any."""
    if rate_cell is None:
        return None
    header = re.sub(r"[(（][^()（）]*[)）]|\s", "", rate_cell.header)
    return next((g for g in standing if len(g.metric) >= 3 and g.metric in header), None)


def _rate_in(chosen: Cell | None, progress: Progress) -> float | None:
    """The stated ratio a rate cell holds (a bare 51 under 完成进度 is 51%)."""
    if chosen is None:
        return None
    inside = [q for q in progress.quantities if chosen.offset <= q.start < chosen.offset + len(chosen.text)]
    if len(inside) != 1 or inside[0].unit not in ("%", ""):
        return None
    return round(float(inside[0].value / Decimal(100)), 6)


def _unit_parts(unit: str) -> tuple[str, str, str] | None:
    """万元 → ("万", "元", dimension); 个 → ("", "个", …); None when the text is no unit."""
    unit = "%" if unit.strip() == "％" or unit.strip() in words("table_words.tsv", "percent_word") else unit.strip()
    multiplier = ""
    for candidate in sorted(MULTIPLIERS, key=len, reverse=True):
        if unit.startswith(candidate) and len(unit) > len(candidate):
            multiplier, unit = candidate, unit[len(candidate):]
            break
    found = unit_at(unit, 0)
    if found is None or found.end != len(unit):
        return None
    return multiplier, found.surface, found.dimension


def _apply_unit(q: Quantity, unit: str) -> Quantity | None:
    parts = _unit_parts(unit)
    if parts is None:
        return None
    multiplier, surface, dimension = parts
    value = q.value * MULTIPLIERS[multiplier] if multiplier else q.value
    high = q.high * MULTIPLIERS[multiplier] if multiplier and q.high is not None else q.high
    return q.model_copy(update={"value": _plain(value), "high": high, "unit": surface, "dimension": dimension})


def _plain(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _with_unit(figure: Quantity, cell: Cell, goal: Quantity) -> tuple[Quantity, str | None]:
    """A bare achieved value in its column's unit, else in the unit of the target it reports on."""
    if cell.unit:
        applied = _apply_unit(figure, cell.unit)
        if applied is not None:
            return applied, f"unit_from_{(cell.unit_source or 'header').replace(' ', '_')}"
    if goal.unit:
        # 90 under ≤90万元: a bare result is written the way its target is, multiplier included
        multiplier = written_multiplier(goal)
        value = _plain(figure.value * MULTIPLIERS[multiplier]) if multiplier else figure.value
        return figure.model_copy(update={"value": value, "unit": goal.unit, "dimension": goal.dimension}), \
            "unit_from_target"
    return figure, None
