"""Prose reports: the statements that report a figure against a goal, grouped under their headings.

What is guessed, and how (the words are data/statements.tsv):

* A paragraph is cut into numbered items (一、 (一) 1. （1）) and each item into sentences (。！？) and
  sentence parts (；). A numbered item whose first sentence is a short phrase with no figure
  (一、关于开展职业技能培训和评价取证。) gives that phrase as the group of its statements; so does a short
  label before a colon (■按项目类别统计:), whose parts then form one statement; so does a heading line (a
  short line without sentence punctuation, such as "(一)高质量发展").
* A part is a statement when it states a share of a goal (完成年度目标任务的74.33%, 为年投资计划的74.1%,
  分别占年度目标的88.9%和67%), a completion rate (完成率95.4%, 开工率达到70%), a bracketed goal (增长58.3%
  (目标10.5%)), a comparison with the goal (增幅高于年度目标0.3个百分点), a goal figure beside an achieved
  one (计划改造2050公里，实际改造3146.8公里), or a completion claim beside a goal figure.
* A part that states only a goal (今年全省棚户区改造开工任务为11.95万套) is held and joined to the next
  statement of its paragraph (实际开工12.71万套…): a target stated once and results later linked to it.
* In a statement the goal clauses (计划…, 任务为…, 年度投资计划…, (目标…)) are the task's target; the clauses
  from the first that reports progress on are its progress; leading clauses with neither name the subject,
  which becomes the group when the heading gives none. The target and progress are substrings of the line.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from ..reading.numerals import CN_SECTION_UNITS
from ..text.lexicon import alternatives, words
from ..text.normalize import fold
from .model import Task
from .tables import NUMERALS, clean_title

_HEADING_MAX = 40
_FIGURE = r"[0-9０-９][0-9０-９.．,，]*"
_MULTIPLIER = "|".join(CN_SECTION_UNITS)                # 万, 亿 … before a unit
_UNIT_AFTER = re.compile(rf"\s?(?:{_MULTIPLIER})?\s?[\u4e00-\u9fff]")  # a figure followed by its unit, not by a mark


def _words(kind: str) -> tuple[str, ...]:
    return words("statements.tsv", kind)


def _alternatives(kind: str) -> str:
    return alternatives("statements.tsv", kind)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    goal, verb, rate = _alternatives("goal"), _alternatives("share_verb"), _alternatives("rate")
    lead, done, compare = _alternatives("target_lead"), _alternatives("done"), _alternatives("compare")
    counter = _alternatives("summary_counter")
    return {
        # 完成年度目标任务的74.33%, 为年投资计划的74.1%, 占百日会战目标任务的46.7%: no figure between the goal
        # and the share (占全省固定资产投资计划6441亿元的35.8% is a composition share)
        "share": re.compile(rf"(?:{verb})了?[^，。；,;0-9%]{{0,12}}?(?:{goal})[^，。；,;0-9%]{{0,4}}?的?\s?{_FIGURE}\s?[%％]"),
        "rate": re.compile(rf"(?:{rate})\s?(?:均|都|分别)?\s?(?:为|达到|达|是|已达)?\s?{_FIGURE}\s?[%％]"
                           rf"|(?:{rate})[^，。；,;0-9]{{0,8}}分别(?:为|是|达到)?[:：]?[^，。；,;0-9]{{0,6}}{_FIGURE}\s?[%％]"),
        # 已超额完成年度目标(50场)的180%, 为年度投资目标(1237.6亿元)的55.98%: the share names its goal's figure
        "named_share": re.compile(rf"(?:{verb})了?(?P<goal>[^，。；,;0-9%]{{0,12}}?(?:{goal})\s?[(（][^()（）]{{1,40}}[)）])"
                                  rf"的?\s?{_FIGURE}\s?[%％]"),
        # 39个工业项目全部开工建设: a goal named as the subject, then the claim that all of it is done
        "subject_claim": re.compile(
            rf"(?<![0-9.]){_FIGURE}\s?(?:{_MULTIPLIER})?\s?(?:{_alternatives('count_unit')})[^，。；,;0-9]{{0,16}}?"
            rf"(?:{_alternatives('goal_noun')})[^，。；,;0-9]{{0,3}}?(?P<mark>(?:{_alternatives('all_mark')})"
            rf"(?:{_alternatives('done')}))(?=[^0-9，。；,;]{{0,12}}(?:[，。；,;]|$))"),
        # 公办幼儿园在园幼儿占比达到45%,目前已达46.2%; 完成20处老旧居民楼周边环境提升工程,目前已完成22处: a goal
        # clause, then a clause that opens with a report mark and reports in the same unit
        "goal_report": re.compile(
            rf"(?<![0-9.]){_FIGURE}\s?(?:{_MULTIPLIER})?\s?(?P<unit>[%％]|{_alternatives('count_unit')})[^，。；,;0-9]{{0,16}}[，,]\s?"
            rf"(?P<mark>(?:{_alternatives('report_mark')})(?:{_alternatives('done')})?)[^，。；,;0-9]{{0,6}}?"
            rf"{_FIGURE}\s?(?:{_MULTIPLIER})?\s?(?:(?P=unit))"),
        # 4个项目完成全年目标, 18项民生工程提前或超额完成年度目标任务, 有9个指标超额完成年度任务: how many of the
        # report's items met their goals, a summary of the statements that follow, no task of its own
        # (10个项目超额完成9月份节点目标 names the period of the goal)
        "summary": re.compile(_summary()),
        # a tally of the report's own items, never a task whatever else the part says: 23项目标任务已提前完成2项
        # (the goals counted in their own counter); 有6项任务列入…,分别是A、B…,均已完成 (a roster of the items' names,
        # no figure after it);
        # 任务完成率大部分超过90% (most of the items that follow)
        "tally": re.compile(
            rf"(?<![0-9.]){_FIGURE}\s?(?P<counter>{counter})(?:{_alternatives('tally_noun')})[^。；;0-9]{{0,16}}?"
            rf"(?:{done})[^，。；,;0-9]{{0,4}}?{_FIGURE}\s?(?P=counter)"
            rf"|(?<![0-9.]){_FIGURE}\s?(?:{counter})(?:{_alternatives('summary_noun')})[^。；;]{{0,30}}?[，,]\s?"
            rf"(?:{_alternatives('roster')})(?=[^。；;0-9]{{0,120}}(?:[。；;]|$))"
            rf"|(?:{_alternatives('most_mark')})[^，。；,;0-9]{{0,4}}?{_FIGURE}\s?[%％]"),
        "bracket": re.compile(rf"[(（]\s?(?:年度|全年)?目标\s?(?:为)?\s?-?{_FIGURE}"),
        "compare": re.compile(rf"(?:{compare})[^，。；,;]{{0,8}}?(?:{goal})[^，。；,;]{{0,6}}?{_FIGURE}"
                              rf"|比[^，。；,;]{{0,8}}?(?:{goal})[^，。；,;]{{0,3}}?(?:高|低|快|慢)"),
        "lead": re.compile(rf"(?:{lead})[^，。；,;]{{0,16}}?{_FIGURE}"),
        "done": re.compile(rf"(?:{done})[^，。；,;]{{0,16}}?{_FIGURE}"),
        "claim": re.compile(_alternatives("claim")),
        # 980公里江海堤围任务累计已完成580公里, 5000亩老菜田改造任务已完成75%: a goal named as the subject, then its
        # report in the same unit or as a share (group "mark" is where the report starts)
        "subject_goal": re.compile(
            rf"(?<![0-9.]){_FIGURE}\s?(?:{_MULTIPLIER})?\s?(?P<unit>{_alternatives('count_unit')})[^，。；,;0-9]{{0,16}}?"
            rf"(?:{_alternatives('goal_noun')})\s?(?P<mark>(?:{_alternatives('report_mark')})(?:{_alternatives('done')})?)[^，。；,;0-9]{{0,6}}?"
            rf"{_FIGURE}\s?(?:{_MULTIPLIER})?\s?(?:(?P=unit)|[%％])"),
        # a figure that is no year, month or day (2019-2020年度, 1-8月, 10月底 are time words)
        "figure": re.compile(rf"(?<![0-9０-９.A-Za-z])(?!(?:19|20)[0-9]{{2}}\s?[年\-—~至])(?![0-9]{{1,2}}\s?(?:[-—~至到]\s?[0-9]{{1,2}}\s?)?[月日号])"
                             rf"{_FIGURE}"),
    }


_ITEM_START = re.compile(rf"(?:(?<=^)|(?<=[。；;！？!?\s]))\s*(?:[{NUMERALS}]{{1,3}}、|[（(][{NUMERALS}]{{1,3}}[)）]"
                         r"|[0-9]{1,2}[.．、](?![0-9])|[（(][0-9]{1,2}[)）])")
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
_PART = re.compile(r"[^；;]+[；;]?")
_CLAUSE = re.compile(r"[^，,]+[，,]?")
_LABEL = re.compile(r"^\s*[■●◆▲★□]?\s*([^，。；,;:：0-9]{2,16})[:：]")


def _is_heading(line: str) -> bool:
    text = line.strip()
    return (
        0 < len(text) <= _HEADING_MAX
        and re.search(r"[\u4e00-\u9fff]", text) is not None
        and not _PUBLICATION.search(text)
        and not any(ch in text for ch in "。；;")
        and not text.endswith((":", "：", ",", "，", "、"))
    )


@dataclass
class _Part:
    start: int            # span in the line
    end: int
    kinds: set[str]

    @property
    def statement(self) -> bool:
        k = self.kinds
        if "tally" in k:
            return False
        if "summary" in k and not k & {"share", "named_share", "rate", "bracket", "compare", "lead", "subject_goal",
                                       "subject_claim", "goal_report"}:
            return False
        return bool(k & {"share", "named_share", "rate", "bracket", "compare", "subject_goal", "subject_claim",
                              "goal_report"}) or {"lead", "report"} <= k \
            or ("claim" in k and ("lead" in k or "figure" in k))

    @property
    def goal_only(self) -> bool:
        return "lead" in self.kinds and not self.statement and "done" not in self.kinds


def _goal_colon(line: str, start: int, end: int) -> int | None:
    """Where the goals start after a goal word and a colon (目标任务为:开工改造小区1500个,投资完成率达到50%), when no
    report follows in the part; else None."""
    m = _goal_colon_pattern().search(line, start, end)
    if m is None or _REPORT_MARK.search(line, m.end(), end):
        return None
    return m.end()


@cache
def _goal_colon_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?:{_alternatives('target_lead')})\s?(?:为|是)?\s?[:：]")


def _kinds(text: str) -> set[str]:
    if _goal_colon(text, 0, len(text)) is not None and _patterns()["figure"].search(text):
        return {"lead", "figure", "goals"}  # 目标任务为:…: every figure after the colon is a goal
    if _GOAL_TAIL.search(text) and not _patterns()["share"].search(text):
        return {"lead", "figure", "goals"}  # 提出完成…3000公里、…3万公里等目标任务: the figures the tail names are goals
    found = {name for name, p in _patterns().items() if name != "figure" and p.search(text)}
    if _REPORTS.search(text) and "done" in found:
        found.add("report")  # a report word proper (已, 实际, 累计, 完成 …), not only a verb such as 新建
    if any(_UNIT_AFTER.match(text, m.end()) for m in _patterns()["figure"].finditer(text)):
        found.add("figure")  # a figure with its unit, not a year or a date
    if "lead" in found and "done" in found:
        # 计划完成5.86万户: a goal clause, not a report, unless a report clause stands apart from it
        clauses = [c for c in _CLAUSE.findall(text)]
        done = [c for c in clauses if _patterns()["done"].search(c) and not _patterns()["lead"].search(c)]
        if not done:
            found.discard("done")
        elif _does_what_is_planned(clauses, done):
            found.add("report")
    return found


def _does_what_is_planned(clauses: list[str], done: list[str]) -> bool:
    """1-8月计划开工74项,市级开工72项: a done clause whose verb a goal clause plans and whose counting unit
    it counts (one pass over the clauses: the goal clauses' units and texts, then each done clause)."""
    goals = [c for c in clauses if _is_goal_clause(c)]
    units = {m.group(2) for c in goals for m in _COUNT_UNIT.finditer(c)}
    if not units:
        return False
    planned = "".join(goals)
    verb = _word_pattern("done")
    return any(verb.search(d).group() in planned and any(m.group(2) in units for m in _COUNT_UNIT.finditer(d))
               for d in done)


def prose_tasks(lines: Sequence[str], *, numbers: Sequence[int] | None = None,
                title: str | None = None) -> list[Task]:
    """The statements of prose lines; `numbers` are the lines' numbers in the source (1, 2 … by default);
    a line that is the document's title is not read."""
    tasks: list[Task] = []
    group: str | None = None
    held: list[_Goal] = []  # goals stated in an earlier paragraph with no report beside them
    plan: _Plan | None = None  # a line that states what is to be done, waiting for the lines that report on it
    numbered = False  # the line before was a bare item number ("6"): the next paragraph is one item
    for index, line in enumerate(lines):
        number = numbers[index] if numbers is not None else index + 1
        if not line.strip() or (title is not None and len(title) <= 60 and clean_title([line]) == title
                                and not line.rstrip().endswith("。")):
            continue  # the title line (a long first line, or one ending its sentence, is a paragraph, and is read)
        if re.fullmatch(r"\s*[0-9]{1,3}\s*[.、]?\s*", line):
            numbered = True
            continue
        folded = fold(line)  # the words are matched on the folded text (计劃 as 计划); the texts come from the line
        named = _named_item(folded)
        if named is not None and _patterns()["figure"].search(folded, named):
            # “婚姻登记跨区通办”项目,我市于3月22日起…截至9月底,全市办理…48987件: the paragraph reports on the item
            # it names; its goal is the one it states, or else the name
            if plan is not None and plan.reports:
                tasks.append(plan.task(group, len(tasks) + 1))
            plan = None
            task = _task(folded, line, None, named, len(line), group, number, len(tasks) + 1, own_goal=False)
            name = line[:named].strip(" ，,:：")
            progress = line[slice(*_trim(folded, named, len(line)))]
            tasks.append(task.model_copy(update={"target": task.target or name, "group": group or name,
                                                 "progress": progress if not task.target else task.progress}))
            continue
        found, goals = _line_statements(folded, line, number, group, len(tasks) + 1)
        if numbered and len(found) > 1:
            found = [_task(folded, line, None, 0, len(line), group, number, len(tasks) + 1)]
        numbered = False
        label = _label_at(folded)
        if label == "goal_label":
            if plan is not None and plan.reports:
                tasks.append(plan.task(group, len(tasks) + 1))
            plan = _Plan(line.strip(), number, None)  # 任务目标:…  (the label stays: it is the cell's name)
            continue
        if label == "report_label" and plan is not None:
            plan.reports.append(line.strip())
            continue
        style = _line_marker(folded)
        if plan is not None and plan.reports and not plan.claimed_only and style is not None \
                and plan.style is not None and style != plan.style and not found:
            plan.reports.append(line.strip())  # 推进情况:1. … then 2. …: the report's own items
            continue
        # 二、解决6万人农村饮水安全问题。(责任单位:…)该件实事已全面完成: a plan line with its own claim and no figure,
        # the lines after it report the figures
        claim = found[0] if len(found) == 1 and _ITEM_START.match(folded) \
            and not _patterns()["figure"].search(fold(found[0].progress)) else None
        plan_goal = _plan_goal(folded, line) if (not found or claim is not None) and _ITEM_START.match(folded) else None
        if plan_goal is not None:
            if plan is not None and (not plan.reports or plan.claimed_only):
                plan = None  # 一、… then 1.…: a plan line followed by a plan line heads its sub-items
            tasks.extend(plan.task(group, len(tasks) + 1) for _ in [0] if plan is not None and plan.reports)
            plan = _Plan(plan_goal, number, style)
            if claim is not None:
                plan.claim = _RESPONSIBLE.sub("", claim.progress).strip(" ，,。；;")
                plan.reports.append(plan.claim)
            continue
        if plan is not None and (not found and _REPORTS.search(folded) or _OPENS_REPORT.match(folded)) \
                and not _is_caption(folded):
            plan.reports.append(line.strip())  # 此项工作已完成。截至…: the report on the plan above
            continue
        if not found and _is_heading(line):
            if plan is not None and plan.reports:
                tasks.append(plan.task(group, len(tasks) + 1))
            plan = None
            group = line.strip()
            continue
        tasks.extend(_linked(task, held) for task in found)
        held.extend(goals)
    if plan is not None and plan.reports:
        tasks.append(plan.task(group, len(tasks) + 1))
    tasks = sorted(_without_repeats(tasks), key=lambda t: t.line)
    return [t.model_copy(update={"row": n}) for n, t in enumerate(tasks, 1)]


def _named_goals(line: str, start: int, end: int) -> dict[int, str]:
    """Where the reports start that follow a goal named as their subject (…任务|累计已完成580公里, …项目|全部开工),
    each with the kind of statement it is (subject_goal, subject_claim, goal_report)."""
    patterns = _patterns()
    return {m.start("mark"): name for name in ("goal_report", "subject_goal", "subject_claim")  # a claim wins
            for m in patterns[name].finditer(line, start, end)}


def _named_item(line: str) -> int | None:
    """Where the body of a paragraph that opens with a quoted name (“老旧小区改造”项目,) starts, or None."""
    m = _named_item_pattern().match(line)
    return m.end() if m else None


@cache
def _named_item_pattern() -> re.Pattern[str]:
    return re.compile(rf"\s*[“\"「][^”\"」，。；,;]{{2,40}}[”\"」](?:{_alternatives('named_item')})[,，:：]")


_NAME_CLAUSE = re.compile(rf"\s*[^，,。；;0-9]{{2,20}}(?:{_alternatives('goal_noun')})\s?[，,]")
_BREAKDOWN_LEAD = re.compile(rf"\s*[^，,。；;0-9]{{2,20}}(?:{_alternatives('breakdown_tail')})\s?[，,:：]")
_SUBJECT_COUNT = re.compile(rf"{_FIGURE}\s?(?:{_alternatives('count_unit')})[^，,。；;0-9、]{{1,16}}?(?:{_alternatives('plan_mark')})")
_GOAL_TAIL = re.compile(rf"{_FIGURE}\s?(?:{_MULTIPLIER})?[^，。；,;0-9、]{{0,6}}?(?P<tail>{_alternatives('goal_tail')})")
_PROPOSE = re.compile(rf"\s*(?:{_alternatives('propose')})")
_CLAIMED_GOAL = re.compile(rf"(?:{_alternatives('claim')})了?(?P<goal>[^，。；,;]{{2,30}}?"
                           rf"(?:{_alternatives('goal_noun')}|{_alternatives('summary_noun')}))(?=\s?(?:[，。；,;]|$))")
_SPREAD_MARK = re.compile(_alternatives("spread_mark"))
_OPENS_REPORT = re.compile(rf"\s*(?:{_alternatives('opens_report')})")
_REPORTS = re.compile(_alternatives("report_word"))
_RESPONSIBLE = re.compile(rf"[(（]\s?(?:{_alternatives('responsible')})[^()（）]*[)）]")


@dataclass
class _Plan:
    """A line that states a goal with figures and no report (1.减少农村扶贫对象6.76万人(责任单位:…)), and the
    lines after it that report on it (此项工作已完成。截至2019年12月底,全市完成减少农村扶贫对象7.497万人…)."""

    goal: str
    line: int
    style: str | None  # the marker style of its numbering (一、 or 1. …), None when it has none
    reports: list[str] = field(default_factory=list)
    claim: str | None = None  # the claim on its own line (该件实事已全面完成), its first report

    @property
    def claimed_only(self) -> bool:
        return self.claim is not None and self.reports == [self.claim]

    def task(self, group: str | None, row: int) -> Task:
        return Task(row=row, group=group, target=self.goal, progress="\n".join(self.reports), line=self.line)


@cache
def _label_pattern() -> re.Pattern[str]:
    kinds = ("goal_label", "report_label", "field_label")
    return re.compile("|".join(f"(?P<{k}>(?:{_alternatives(k)})\\s?[:：])" for k in kinds))


def _label_at(line: str, at: int = 0) -> str | None:
    """The kind of label a line (or item) opens with: goal_label, report_label, field_label or None."""
    m = _label_pattern().match(line.strip()) if at == 0 else _label_pattern().match(line, at)
    return m.lastgroup if m else None


def _is_caption(line: str) -> bool:
    """黔西南州2020年1-6月重大工程和重点项目(分行业)投资完成情况表: a table's caption, no report."""
    text = line.strip()
    return len(text) <= 60 and text.endswith(words("table_words.tsv", "caption_end")) \
        and not re.search(r"[。，,；;]", text)


def _line_marker(line: str) -> str | None:
    m = _ITEM_START.match(line)
    return _marker_style(m.group()) if m else None


def _plan_goal(line: str, source: str) -> str | None:
    """The goal of a plan line, or None: a line with a figure and no report marker in its first sentence
    (its numbering, heading phrase and responsible units left out)."""
    m = _ITEM_START.match(line)
    start = m.end() if m else 0
    first = _SENTENCE.match(line, start)
    if first is None:
        return None
    a, b = first.span()
    if _REPORTS.search(line, a, b) or _PUBLICATION.search(line, a, b) or re.search(r"[〔\[【]", line[a:b]):
        return None
    if not _COUNTS.search(_RESPONSIBLE.sub("", line[a:b])):
        return None  # a goal counts something: a figure with its unit (连续22年 counts none)
    heading, body = _item_heading(line, source, 0, b) if m else (None, a)
    if heading is not None and body < b:
        a = body
    goal = _RESPONSIBLE.sub("", source[a:b])
    goal = goal.strip(" ，,。；;")
    comma = re.match(r"^[^，,。；;0-9]{2,16}[，,](?=.*[0-9])", fold(goal))
    if comma and not _patterns()["figure"].search(goal[:comma.end()]):
        goal = goal[comma.end():]  # 做好重点群体就业工作,开展…2万人次: the lead phrase names the item
    return goal or None


_COUNTS = re.compile(rf"[0-9][0-9.]*\s?(?:{_MULTIPLIER})?\s?(?:[%％]|(?!{_alternatives('duration')})[\u4e00-\u9fff])")


@dataclass(frozen=True)
class _Goal:
    key: str     # what the goal is of, without its figures (全省重点工程建设项目)
    text: str    # the goal as written, with its subject (全省重点工程建设项目1099项,年度投资计划2306.8亿元)


def _subject_key(text: str) -> str:
    """The words of a subject without figures, counts and time words: 11个市市级重点工程建设项目 → 市市级重点工程建设项目."""
    text = fold(text)
    text = _TIME_WORDS.sub("", text)
    text = _COUNTED.sub("", text)
    return re.sub(r"[^\u4e00-\u9fff]", "", text)


def _common(a: str, b: str) -> int:
    """The length of the longest common substring of two short keys."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _linked(task: Task, held: list[_Goal]) -> Task:
    """A statement with no goal of its own takes a goal stated earlier about the same subject (全省重点工程建设
    项目…年度投资计划2306.8亿元 … 截至8月底,全省重点工程建设项目完成投资1594.2亿元)."""
    if not held:
        return task
    if task.target:
        # 为年度投资目标(1237.6亿元)的55.98% after 年计划投资1237.6亿元: the goal as first stated, with its subject
        bracket = re.search(r"[(（]\s?([0-9][0-9.]*)", task.target)
        if bracket is None or not task.target.endswith((")", "）")):
            return task
        same = [g for g in held if re.search(rf"(?<![0-9.]){re.escape(bracket.group(1))}(?![0-9])", g.text)]
        return task.model_copy(update={"target": same[-1].text}) if same else task
    key = _subject_key(_lead_phrase(task.progress) or "")
    best, score = None, 0
    if len(key) >= 4:
        for goal in held:
            common = _common(key[:30], goal.key[:30])
            if common >= 5 and common >= 0.7 * min(len(key), len(goal.key)) and common > score:
                best, score = goal, common
    if best is None:
        best = _by_words(task.progress, held)
    return task.model_copy(update={"target": best.text}) if best is not None else task


def _by_words(progress: str, held: list[_Goal]) -> _Goal | None:
    """The held goal that shares most of the words of the progress's first figure's clause (已开工小区1110个
    and 开工改造小区1500个 share 开工, 小区): at least two bigrams and half of the clause's, and no tie."""
    folded = fold(progress)
    figure = _patterns()["figure"].search(folded)
    if figure is None:
        return None
    clause = next((m for m in _CLAUSE.finditer(folded) if m.start() <= figure.start() < m.end()), None)
    words = _bigrams(_subject_key(clause.group())) if clause else set()
    if len(words) < 2:
        return None
    scored = sorted(((len(words & _bigrams(g.key)), k) for k, g in enumerate(held)), reverse=True)
    top, index = scored[0]
    if top < 2 or top < len(words) / 2 or (len(scored) > 1 and scored[1][0] == top):
        return None
    return held[index]


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _without_repeats(tasks: list[Task]) -> list[Task]:
    """A lead paragraph that repeats a later statement (截至8月底,…完成投资1594.2亿元,完成率69.1%) is read once:
    the later statement, which has its goal beside it, is kept. (One pass from the end: the last 10 to 14
    characters of every later progress, with the lines they stand on.)"""
    later: dict[str, set[int]] = {}
    kept: list[Task] = []
    for task in reversed(tasks):
        tail = task.progress[-14:]
        lines = later.get(tail, set()) if len(tail) >= 10 else set()
        if not (len(lines) > 1 or (lines and task.line not in lines)):
            kept.append(task)
        for size in range(10, 15):
            seen = later.setdefault(task.progress[-size:], set()) if len(task.progress) >= size else None
            if seen is not None and len(seen) < 2:
                seen.add(task.line)  # two lines are enough to tell that one differs
    return kept[::-1]


def _strip_marker(text: str) -> str:
    m = _ITEM_START.match(text)
    return text[m.end():].strip() if m else text


def _items(line: str) -> list[tuple[int, int]]:
    """Numbered items of the line's top level: the marker style of its first item (一、 or (1) or 1.) only,
    so that (1)(2) inside 三、 stay in their item."""
    marks = list(_ITEM_START.finditer(line))
    if not marks:
        return [(0, len(line))] if line.strip() else []
    style = _marker_style(marks[0].group())
    starts = sorted({0} | {m.start() for m in marks if m.start() > 0 and _marker_style(m.group()) == style})
    return [(a, b) for a, b in zip(starts, starts[1:] + [len(line)]) if line[a:b].strip()]


def _line_statements(line: str, source: str, number: int, group: str | None, first: int
                     ) -> tuple[list[Task], list[_Goal]]:
    """The statements of one paragraph (`line` its folded text, `source` the text as written) and the goals it
    states with no report beside them."""
    tasks: list[Task] = []
    goals: list[_Goal] = []
    for a, b in _items(line):
        heading, body = _item_heading(line, source, a, b)
        item_group = heading or group
        marker = _ITEM_START.match(line, a)
        planned = _labelled_item(line, source, marker.end() if marker else a, b, item_group, number,
                                 first + len(tasks)) or \
            _planned_item(line, source, body, b, item_group, number, first + len(tasks))
        if planned is not None:
            tasks.append(planned)
            continue
        pending: _Part | None = None
        used: _Part | None = None  # the goal part the paragraph's last statement with one took
        narrowed: tuple[int, _Part, _Part] | None = None  # (task, goal part, rest held) when goals were shared out
        for s in _SENTENCE.finditer(line, body, b):
            label = _LABEL.match(line, s.start())
            parts = [_Part(m.start(), m.end(), _kinds(m.group())) for m in _PART.finditer(line, s.start(), s.end())
                     if m.group().strip()]
            if label and sum(p.statement for p in parts) >= 2:
                # ■按项目类别统计:产业发展项目…;基础设施项目…: one statement under its label
                tasks.append(_task(line, source, None, s.start() + label.end(), s.end(),
                                   source[label.start(1):label.end(1)].strip(), number, first + len(tasks)))
                pending = None
                continue
            named = heading is not None  # the item's heading names what its statements report on
            opened: Task | None = None  # the sentence's statement that opened with its item's name
            opened_at = -1  # where its progress starts in the source
            # 34个子项已完成年度目标任务,包括A…;B…;C…: a summary claim over the items it lists
            umbrella = _umbrella().search(line, s.start(), s.end())
            for part in [piece for part in parts for piece in _split_subjects(line, part)]:
                if part.statement or (pending is not None and ("done" in part.kinds or _spreads_alike(line, pending, part))):
                    before = pending
                    goal, pending = _goal_for(line, pending, part) if pending is not None else (None, None)
                    task = _task(line, source, goal, part.start, part.end, item_group, number, first + len(tasks))
                    if narrowed is not None and before is narrowed[2]:
                        narrowed = None  # the rest of a goal part shared out is taken
                    if goal is not None:
                        used = goal
                    elif not task.target and used is not None:
                        # 目标任务为:开工改造小区1500个,投资完成率达到50%及以上。…全省…。张家界市、怀化市开工率均达
                        # 100%: a part of the whole reports on the goal it shares its verb with
                        one, _ = _goal_for(line, used, part)
                        if one is not used:
                            task = _task(line, source, one, part.start, part.end, item_group, number, first + len(tasks))
                    names = _NAME_CLAUSE.match(line, part.start) is not None
                    if opened is None and not named and _BREAKDOWN_LEAD.match(line, part.start):
                        named = True  # 省重点工程建设完成投资额中,A类…;B类…: the parts of one figure, one task
                    joined = _joined(source, opened, opened_at, task, part.start) \
                        if opened is not None and not task.target and not names else None
                    if joined is not None:
                        # 城乡生活水源置换工程,城市生活水源,…占年度任务的100%;农村生活水源,…投资完成率93%: a part with
                        # no goal or name of its own goes on reporting on the item named first
                        tasks[-1] = opened = joined
                        continue
                    tasks.append(task)
                    if before is not None and goal is not before and pending is not None:
                        narrowed = (len(tasks) - 1, before, pending)
                    # the statement later parts may join: one that names its item, or the first under a named item
                    opened = task if names or (named and opened is None) else None
                    opened_at = source.find(task.progress, part.start) if opened is not None else -1
                elif umbrella is not None and part.start >= umbrella.end() and "figure" in part.kinds:
                    # …;持续确保辖区7家二级公立医院均设置1或2个便民门诊;…: a listed item with no report of its
                    # own, reported on by the summary claim
                    tasks.append(Task(row=first + len(tasks), group=item_group, line=number,
                                      target=source[slice(*_trim(line, part.start, part.end))],
                                      progress=source[slice(*_trim(line, *umbrella.span("claim")))]))
                elif part.goal_only:
                    if pending is not None:
                        goals.extend(_held(line, source, pending))
                    pending = part
        if pending is not None and narrowed is not None and pending is narrowed[2]:
            # no statement took the rest of the goals shared out: they are all the first taker's
            k, whole, _ = narrowed
            a, b, _ = _goal_span(line, whole)
            tasks[k] = tasks[k].model_copy(update={"target": source[a:b]})
            pending = None
        if pending is not None:
            goals.extend(_held(line, source, pending))
    return tasks, goals


def _summary() -> str:
    """The pattern of a summary of how many of the report's items met their goals (4个项目完成全年目标)."""
    counter, done, goal = (_alternatives(k) for k in ("summary_counter", "done", "goal"))
    return (rf"(?<![0-9.]){_FIGURE}\s?(?:{counter})(?:{_alternatives('summary_noun')})[^，。；,;0-9]{{0,8}}?(?:{done})"
            rf"[^，。；,;0-9]{{0,8}}?(?:[0-9]{{1,2}}月份?[^，。；,;0-9]{{0,4}}?)?(?:{goal})")


@cache
def _umbrella() -> re.Pattern[str]:
    """A summary that lists the items it speaks of (34个子项已完成年度目标任务,包括…)."""
    return re.compile(rf"(?P<claim>{_summary()})[，,]\s?(?:{_alternatives('roster')})")


def _goal_for(line: str, pending: _Part, part: _Part) -> tuple[_Part, _Part | None]:
    """The goal a statement takes from the goal part held before it, and what stays held for the next one:
    of 计划开工64个,计划竣工63个 the statement 实际开工11个 takes the clause that plans its verb (开工), and the
    next (实际竣工1个) the rest; of a list of goals (完成…提质改造3000公里、新增纳入…农村道路3万公里等目标任务) the
    ones whose verbs it does or that one of its figure clauses names best (most shared character pairs). All of
    it when no goal, or every goal, is chosen."""
    tail = _GOAL_TAIL.search(line, pending.start, pending.end)
    if tail is not None or _goal_colon(line, pending.start, pending.end) is not None:
        # the goals after a goal word and a colon, or before a goal tail: each clause (、 before a tail) one goal
        a, b, _ = _goal_span(line, pending)
        goals = [(m.start() + a, m.end() + a) for m in re.finditer(r"[^、]+" if tail else r"[^，,]+", line[a:b])]
    else:
        goals = [(a, b) for a, b in _clause_spans(line, pending.start, pending.end) if _is_goal_clause(line[a:b])]
    if len(goals) < 2:
        return pending, None
    done, figure = _word_pattern("done"), _patterns()["figure"]
    # the verbs of a goal: its done words before its figure (棚户区改造开工任务为11.95万套: 改造, 开工)
    verbs = [{m.group() for m in done.finditer(line, a, f.start() if f else b)}
             for a, b in goals for f in [figure.search(line, a, b)]]
    text = line[part.start:part.end]
    keys = [_bigrams(_subject_key(line[a:b])) for a, b in goals]
    # a goal whose verb the statement does, or that one of its figure clauses names best (建成示范村8个 for
    # 整村推进示范村20个: 示范, 范村)
    by_verb = {k for k, some in enumerate(verbs) if any(verb in text for verb in some)}
    by_words = set()
    for a, b in _clause_spans(line, part.start, part.end):
        if figure.search(line, a, b):
            shared = [len(_bigrams(_subject_key(line[a:b])) & key) for key in keys]
            best = max(shared)
            if best >= 2 and shared.count(best) == 1:
                by_words.add(shared.index(best))
    chosen = sorted(by_verb | by_words)
    if len(chosen) == len(goals):
        return pending, None  # 实际开工12.71万套,基本建成5.61万套: a report on every goal
    if not chosen or chosen != list(range(chosen[0], chosen[-1] + 1)):
        return pending, None
    kinds = pending.kinds | {"goals"}
    rest = [k for k in range(len(goals)) if k not in chosen]
    held = _Part(goals[rest[0]][0], pending.end if rest[-1] == len(goals) - 1 else goals[rest[-1]][1], kinds) \
        if rest == list(range(rest[0], rest[-1] + 1)) else None
    return _Part(goals[chosen[0]][0], goals[chosen[-1]][1], kinds), held


def _joined(source: str, opened: Task, opened_at: int, task: Task, part: int) -> Task | None:
    """The task `opened` (its progress at `opened_at`) with its progress run on to the end of `task`'s (in the
    part from `part`), or None when that is not found where it should be."""
    end = source.find(task.progress, part) if opened_at >= 0 else -1
    if end < 0:
        return None
    return opened.model_copy(update={"progress": source[opened_at:end + len(task.progress)]})


def _spreads_alike(line: str, goal: _Part, part: _Part) -> bool:
    """…四项主要污染物需分别减排12%、12%、14.9%、16.1%。…分别下降了12.8%、13.5%、18.9%、18.2%: a report that
    spreads as many figures over the items as the goal before it did reports on that goal."""
    count = _spread(line, goal.start, goal.end)
    return count >= 2 and _spread(line, part.start, part.end) == count


def _spread(line: str, start: int, end: int) -> int:
    """How many figures follow the first spread mark (分别, 依次) to the end of its clause."""
    m = _SPREAD_MARK.search(line, start, end)
    if m is None:
        return 0
    clause = _CLAUSE.match(line, m.end(), end)
    return len(_patterns()["figure"].findall(clause.group())) if clause else 0


def _labelled_item(line: str, source: str, a: int, b: int, group: str | None, number: int, row: int) -> Task | None:
    """1.新增安装300套路口交通信息视频采集设备。 牵头领导:… 责任单位:… 实际完成情况:…: the goal runs to the first
    field label, the report from the report label to the item's end."""
    labels = [m for m in _label_pattern().finditer(line, a, b)]
    report = next((m for m in labels if m.lastgroup == "report_label"), None)
    if report is None or not labels or labels[0].start() <= a:
        return None
    goal = source[slice(*_trim(line, a, labels[0].start()))]
    progress = source[slice(*_trim(line, report.end(), b))]
    if not goal or not progress:
        return None
    return Task(row=row, group=group, target=goal, progress=progress, line=number)


def _planned_item(line: str, source: str, a: int, b: int, group: str | None, number: int, row: int) -> Task | None:
    """A numbered item whose first sentence states goals with figures and whose later sentences report
    (1.做好重点群体就业工作,开展…培训2万人次…。已开展…培训8718人次;…): one task, goal and report."""
    if not _ITEM_START.match(line, max(0, a - 8)) and a == 0:
        return None
    first = _SENTENCE.match(line, a, b)
    if first is None or first.end() >= b:
        return None
    opening = _CLAUSE.match(line, first.end(), b)
    if not _REPORTS.search(line, first.end(), b) and not (opening and _TIME_WORDS.search(opening.group())):
        return None  # the sentences after the goal report on it: a report word, or a period opens them (一季度,…)
    goal = _plan_goal(line[a:first.end()], source[a:first.end()])
    if goal is None or any(_Part(0, 0, _kinds(m.group())).statement for m in _PART.finditer(line, a, first.end())):
        return None
    progress = source[slice(*_trim(line, first.end(), b))]
    return Task(row=row, group=group, target=goal, progress=progress, line=number)


def _held(line: str, source: str, part: _Part) -> list[_Goal]:
    """A goal part kept for later statements (its words, without figures, are the key it is found by); a list of
    goals named by a goal tail (…3000公里、…3万公里等目标任务) is kept goal by goal."""
    a, b, first_goal = _goal_span(line, part)
    if _GOAL_TAIL.search(line, part.start, part.end):
        pieces = [(m.start() + a, m.end() + a) for m in re.finditer(r"[^、]+", line[a:b])]
        if len(pieces) > 1 and all(_patterns()["figure"].search(line, x, y) for x, y in pieces):
            return [_Goal(_subject_key(source[x:y]), source[slice(*_trim(line, x, y))]) for x, y in pieces]
    subject = _BREAKDOWN.sub("", source[a:first_goal].strip(" ，,"))
    return [_Goal(_subject_key(subject or source[a:b]), source[a:b])]


def _goal_span(line: str, part: _Part) -> tuple[int, int, int]:
    """The goal of a goal part: from its subject clause to its last goal clause (after a goal word and a colon,
    the goals to the part's end), and where its first goal clause starts."""
    colon = _goal_colon(line, part.start, part.end)
    if colon is not None:
        a, b = _trim(line, colon, part.end)
        return a, b, a
    tail = _GOAL_TAIL.search(line, part.start, part.end)
    if tail is not None:
        # the goals run from the clause of the first figure to the tail (提出|完成…3000公里、…3万公里|等目标任务)
        first = _patterns()["figure"].search(line, part.start, tail.end())
        clause = max((a for a, _ in _clause_spans(line, part.start, part.end) if first and a <= first.start()),
                     default=part.start)
        verb = _PROPOSE.match(line, clause)
        a, b = _trim(line, verb.end() if verb else clause, tail.start("tail"))
        return a, b, a
    clauses = _clause_spans(line, part.start, part.end)
    goal_clauses = [(a, b) for a, b in clauses if _is_goal_clause(line[a:b])]
    first_goal = goal_clauses[0][0] if goal_clauses else part.start
    before = [(a, b) for a, b in clauses if b <= first_goal]
    start = before[-1][0] if before and not _TIME_WORDS.search(line[before[-1][0]:before[-1][1]]) else first_goal
    end = goal_clauses[-1][1] if goal_clauses else part.end
    a, b = _trim(line, start, end)
    return a, b, first_goal


def _marker_style(marker: str) -> str:
    marker = marker.strip()
    bracket = marker[:1] in "(（"
    digits = bool(re.search(r"[0-9]", marker))
    return f"{'b' if bracket else 'p'}{'d' if digits else 'c'}"


def _split_subjects(line: str, part: _Part) -> list[_Part]:
    """化学需氧量减排1006.4吨,完成全年目标的201.28%,氨氮减排148.3吨,完成全年目标的247.17%: two statements,
    because the second figure's clause opens with a subject of its own (not with 完成, 已 … as 共到位资金…,
    完成投资… does, which go on about the same subject)."""
    if not part.statement:
        return [part]
    patterns = _patterns()
    clauses = _clause_spans(line, part.start, part.end)
    cuts = [part.start]
    seen_share = False
    named_goals = _named_goals(line, part.start, part.end)
    for k, (a, b) in enumerate(clauses):
        if b in named_goals and a > part.start and patterns["figure"].search(line, part.start, a):
            cuts.append(a)  # …累计已完成580公里,除险加固888宗病险水库任务累计已完成519宗: a goal named anew
            continue
        text = line[a:b].strip()
        following = line[clauses[k + 1][0]:clauses[k + 1][1]].strip() if k + 1 < len(clauses) else ""
        if seen_share and patterns["figure"].search(text) and not _word_pattern("done").match(text) \
                and not _is_goal_clause(text) and patterns["share"].match(following):
            cuts.append(a)
        if patterns["share"].search(text):
            seen_share = True
    if len(cuts) == 1:
        return [part]
    bounds = cuts + [part.end]
    return [_Part(x, y, _kinds(line[x:y])) for x, y in zip(bounds, bounds[1:])]


def _item_heading(line: str, source: str, a: int, b: int) -> tuple[str | None, int]:
    """一、关于X。… → ("关于X", where the body starts); (None, a) when the item has no heading phrase."""
    m = _ITEM_START.match(line, a)
    if m is None:
        return None, a
    end = m.end()
    stop = re.compile(r"[。:：；;]").search(line, end, b)
    if stop is None:
        return None, end
    phrase = source[end:stop.start()].strip()
    if 0 < len(phrase) <= _HEADING_MAX and not _patterns()["figure"].search(phrase) and "，" not in phrase \
            and "," not in phrase:
        return phrase, stop.end()
    return None, end


def _task(line: str, source: str, pending: _Part | None, start: int, end: int, group: str | None, number: int,
          row: int, own_goal: bool = True) -> Task:
    """A statement: its goal clauses (with the goal part held before it) as target, the clauses from the
    first report on as progress; leading clauses that are neither name the subject. With no goal clause, the
    statement's own words may give the goal (`own_goal`: its subject, or the goal a claim names); a paragraph
    on a named item has the name instead."""
    clauses = _clause_spans(line, start, end)
    target_spans: list[tuple[int, int]] = []
    subject: tuple[int, int] | None = None
    progress_start: int | None = None
    patterns = _patterns()
    named_goals = _named_goals(line, start, end)
    for k, (a, b) in enumerate(clauses):
        text = line[a:b]
        following = line[clauses[k + 1][0]:clauses[k + 1][1]] if k + 1 < len(clauses) else ""
        if b in named_goals and not target_spans:
            target_spans.append((a, b))  # 5000亩老菜田改造任务|已完成75%: the goal it names is the subject
            # 39个工业项目|全部开工建设: a claim over all of it reads its subject too (全部 of the 39)
            progress_start = a if named_goals[b] == "subject_claim" else None
            continue
        if patterns["figure"].search(text) and not patterns["lead"].search(text) and following \
                and any(patterns[p].match(following.strip()) for p in ("share", "rate")):
            progress_start = a if progress_start is None else progress_start
            break  # 新增城镇就业66289人,为任务的116.3%: the figure the share is of
        if _is_goal_clause(text):
            target_spans.append((a, b))
            progress_start = None  # the progress starts after the goal
            continue
        if any(patterns[p].search(text) for p in ("done", "share", "named_share", "rate", "claim", "compare", "bracket")):
            progress_start = a if progress_start is None else progress_start
            break
        if progress_start is None:
            progress_start = a  # 截至6月底, 经测算: context of the report, part of its progress
        if subject is None and not _TIME_WORDS.search(text) and not _SOURCE.search(text):
            subject = (a, b)
    if progress_start is None:
        progress_start = clauses[-1][0] if clauses else start
    end = _statement_end(line, clauses, progress_start, end)
    progress_start, end = _trim(line, progress_start, end)
    progress = source[progress_start:end]
    bracket = _BRACKET_GOAL.search(line, progress_start, end)
    if bracket and not target_spans:
        target = source[bracket.start(1):bracket.end(1)].strip()
        a, b = _trim(line, progress_start, bracket.start())
        progress = (source[a:b] + source[bracket.end():end]).strip(" ，,。；;")
    else:
        if pending is not None:
            a, b, first_goal = _goal_span(line, pending)
            if first_goal > pending.start or "goals" in pending.kinds or _is_goal_clause(line[pending.start:b]):
                target_spans[:0] = [(a, b)]  # a goal part with goal clauses: its subject and goals
        target = _join(source, target_spans)
        if pending is not None and len(target_spans) > 1 and target_spans[0][1] < pending.end \
                and _patterns()["figure"].search(line, target_spans[0][1], target_spans[1][0]):
            # the held goal's other clauses, left to other statements, stand between: the held goal is the target,
            # the statement's own goal (其中1-2月计划开工10个) a node of it, told in the progress
            target = _join(source, target_spans[:1])
            progress = source[slice(*_trim(line, target_spans[1][0], end))]
    subject_text = source[slice(*_trim(line, *subject))] if subject else None
    named_goal = _patterns()["named_share"].search(line, progress_start, end) if not target else None
    if named_goal is not None:
        target = source[named_goal.start("goal"):named_goal.end("goal")]  # 完成年度目标(50场)的180%
    claimed = _CLAIMED_GOAL.search(line, progress_start, end) if not target and own_goal else None
    if claimed is not None and re.search(r"[0-9“\"「]", claimed.group("goal")):
        # 全部兑现承诺的28件民生实事, 全面完成了“十二五”黄标车淘汰任务: the goal the claim names after it
        target = source[slice(*_trim(line, *claimed.span("goal")))]
    if own_goal and subject_text and not target and _shares_unit(subject_text, source[subject[1]:end]) \
            and not _patterns()["share"].search(line, subject[1], end):
        # (上述700个市级重点项目中,…109个项目共完成投资…,占年计划的80%: a share names the goal, not the subject)
        target, subject_text = subject_text, None  # 177个计划新开工项目，已开工124个: the subject is the goal
    return Task(row=row, group=group or subject_text or _lead_phrase(progress), target=target,
                progress=progress or source[slice(*_trim(line, start, end))], line=number)


_TIME_WORDS = re.compile(rf"{_alternatives('time_word')}|[0-9{NUMERALS}]\s*月")
_REPORT_MARK = re.compile(_alternatives("report_start"))
_BRACKET_GOAL = re.compile(rf"[(（]\s?((?:{_alternatives('goal_period')})?(?:{_alternatives('bracket_goal')})[^()（）]{{1,20}})[)）]")


def _clause_spans(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of line[start:end]; a clause that states a goal and then reports (177个计划新开工项目已开工
    124个) is cut where the report starts."""
    out: list[tuple[int, int]] = []
    for m in _CLAUSE.finditer(line, start, end):
        if not m.group().strip():
            continue
        a, b = m.span()
        lead = _patterns()["lead"].search(line, a, b)
        mark = _REPORT_MARK.search(line, lead.start(), b) if lead else None
        named = min(_named_goals(line, a, b), default=None)
        if lead and mark and mark.start() > lead.start() and _patterns()["figure"].search(line, mark.start(), b) \
                and not _BRACKET_GOAL.search(line, a, b):
            out.extend([(a, mark.start()), (mark.start(), b)])
        elif named is not None and not lead:
            out.extend([(a, named), (named, b)])
        else:
            out.append((a, b))
    return out


def _statement_end(line: str, clauses: list[tuple[int, int]], start: int, end: int) -> int:
    """Where a statement's progress ends: after its last clause that reports against the goal (a share, a
    rate, a comparison, a claim) — the clauses after it (全区森林覆盖率达到33%，…) are no part of it."""
    patterns = _patterns()
    last = None
    for a, b in clauses:
        if a < start:
            continue
        found = [m for k in ("share", "named_share", "rate", "compare", "bracket", "claim") for m in [patterns[k].search(line, a, b)] if m]
        if found:
            share = [m for m in found if line[m.end() - 1] in "%％"]
            # 完成率95.56%2项任务…: a share ends its clause even when no mark follows it; a list of shares
            # (分别为:长治124.9%、忻州86.3%…) runs on to its last
            last = max(_list_end(line, m.end(), b) for m in share) if share and len(share) == len(found) else b
    return last if last is not None else end


_LISTED_SHARE = re.compile(rf"\s?(?:、|{_alternatives('list_joiner')})\s?[^，。；,;0-9%]{{0,8}}?\s?[0-9][0-9.]*\s?[%％]")


def _list_end(line: str, at: int, limit: int) -> int:
    while True:
        m = _LISTED_SHARE.match(line, at, limit)
        if m is None:
            return at
        at = m.end()


def _is_goal_clause(text: str) -> bool:
    """计划改造2050公里, 年度投资计划2306.8亿元, 开工任务为11.95万套, 计划完成5.86万户: the word nearest before
    the clause's first figure is a goal word (a report word right after 计划/预计 belongs to the goal)."""
    if _BRACKET_GOAL.search(text) or _patterns()["share"].search(text) or _patterns()["rate"].search(text) \
            or _patterns()["compare"].search(text) or _PART_OF_WHOLE.search(text):  # 占…计划6441亿元的35.8%: a part of a whole
        # 增长58.3%(目标10.5%), 为计划的101%, 比全年预期增长目标高1.2个百分点: a report, with its goal in brackets,
        # as a share or compared
        return False
    figure = _patterns()["figure"].search(text)
    if figure is None:
        return False
    before = text[:figure.start()]
    leads = [m.end() for m in _word_pattern("target_lead").finditer(before)]
    if not leads and not _word_pattern("done").search(before) and _SUBJECT_COUNT.match(text, figure.start()):
        # 316个市重点项目计划投资116.6亿元: a count of the subject, then its goal
        figure = _patterns()["figure"].search(text, figure.end())
        before = text[:figure.start()] if figure else ""
        leads = [m.end() for m in _word_pattern("target_lead").finditer(before)]
    if not leads or _patterns()["claim"].search(before):
        return False  # 超额完成承接…任务3.1公里: a claim, not a goal
    done = [m.end() for m in _word_pattern("done").finditer(before)
            if not _PLANNED_BEFORE.search(before[:m.start()])]
    return not done or max(leads) >= max(done)


@cache
def _word_pattern(kind: str) -> re.Pattern[str]:
    return re.compile(_alternatives(kind))


def _join(line: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return ""
    return line[slice(*_trim(line, spans[0][0], spans[-1][1]))]


def _trim(line: str, a: int, b: int) -> tuple[int, int]:
    """The span without the spaces and clause marks at its ends."""
    while a < b and line[a] in _TRIM:
        a += 1
    while b > a and line[b - 1] in _TRIM:
        b -= 1
    return a, b


_TRIM = frozenset(" 　，,。；;:：\t")


_COUNT_UNIT = re.compile(rf"[0-9０-９.]+\s?({_MULTIPLIER})?({_alternatives('shared_unit')})")


def _shares_unit(subject: str, progress: str) -> bool:
    units = {m.group(2) for m in _COUNT_UNIT.finditer(subject)}
    return bool(units) and any(m.group(2) in units for m in _COUNT_UNIT.finditer(progress))


def _lead_phrase(progress: str) -> str | None:
    """The words before the first report verb or figure, past the context clauses (截至8月底, 此外):
    海口观澜湖度假区项目完成投资26.1亿元 → 海口观澜湖度假区项目; 此外,11个市市级重点工程建设项目完成… → 11个市市级
    重点工程建设项目."""
    folded = fold(progress)
    for m in _CLAUSE.finditer(folded):
        clause = m.group().strip(" ，,")
        if not clause or ((_TIME_WORDS.search(clause) or _SOURCE.search(clause))
                          and not _patterns()["figure"].search(clause)) \
                or len(clause) <= 4:
            continue
        stop = _LEAD_STOP.search(clause)
        figure = _patterns()["figure"].search(clause)
        cut = min(x.start() for x in (stop, figure) if x) if (stop or figure) else len(clause)
        if stop is not None and figure is not None and figure.start() < stop.start():
            cut = stop.start()  # 11个市市级重点工程建设项目完成投资: a count inside the subject
        phrase = progress[m.start():m.start() + len(m.group())].strip(" ，,")[:cut].strip(" ，,:：")
        return phrase if 2 <= len(phrase) <= 30 else None
    return None


_LEAD_STOP = re.compile(_alternatives("lead_stop"))
# 统计显示, 据介绍, 记者从…获悉: a clause that says where the figures come from names no subject
_SOURCE = re.compile(rf"^\s*(?:{_alternatives('source_lead')})|(?:{_alternatives('source_tail')})\s*[，,:：]?\s*$")
_BREAKDOWN = re.compile(rf"^(?:{_alternatives('breakdown')})")
_PART_OF_WHOLE = re.compile(rf"(?:{_alternatives('part_of')})[^，,。；;]{{0,24}}的\s?[0-9][0-9.]*\s?[%％]")
# 计划完成, 计划于年底前竣工: a plan word right before the verb, or before a deadline before it
_PLANNED_BEFORE = re.compile(rf"(?:{_alternatives('plan_mark')})(?:于[^，。；,;0-9]{{1,8}}?前)?$")
_COUNTED = re.compile(rf"[0-9.]+\s?(?:{_MULTIPLIER})?\s?(?:{_alternatives('counter')})?")
_PUBLICATION = re.compile(rf"{_alternatives('publication')}|(?:{_alternatives('publication_label')})\s*[:：]")
_NAMES_PERIOD = re.compile(rf"{_alternatives('period_word')}|[0-9{NUMERALS}]\s*个?月")


def early_lines(lines: Iterable[str], limit: int = 12) -> tuple[list[str], list[str]]:
    """The first lines that may say which period the document reports, and the publication lines among
    them (发布日期: …), which may give a year but never a period."""
    periods: list[str] = []
    dated: list[str] = []
    lead: str | None = None  # the first sentence of the first paragraph: the period when nothing else names one
    body_years: set[int] = set()  # the years the early paragraphs of the body name
    for line in lines:
        text = line.strip()
        if not text:
            continue
        limit -= 1
        if limit < 0:
            break
        if len(text) > 60:
            year = _BODY_YEAR.search(text)
            body_years.update(int(y) for y in _BODY_YEAR.findall(text))
            if year and not any(_PUBLISHED_MONTH.search(d) or "年" in d for d in dated):
                dated.append(f"{year.group(1)}年")  # the year the body names first: a year only
            if lead is None:
                # the first of the paragraph's first sentences that names a period (现将…1—6月份进展情况予以公示)
                sentences = re.split(r"[。；;！？!?]", text, maxsplit=4)[:4]
                later = [s for s in sentences[1:] if _REPORTED_MONTHS.search(s)] \
                    if not _NAMES_PERIOD.search(sentences[0]) and not re.search(r"[|\t]", text) else []
                lead = (later or sentences)[0]
            continue
        if _PUBLICATION.search(text) or re.fullmatch(r"[0-9.:\s/-]+", text) \
                or re.search(r"(?:19|20)[0-9]{2}\s?年\s?[0-9]{1,2}\s?月\s*$", text) \
                or _STAMPED.search(text):  # …公报  2014 年 8 月; 东亚经贸新闻  2018-01-27 08:32
            dated.append(text)
        elif (_NAMES_PERIOD.search(text) or re.search(r"(?:19|20)[0-9]{2}\s?年", text)) \
                and not re.search(r"[。，,；;]", text) and not _label_at(fold(text)):
            periods.append(text)  # a caption or heading, not a sentence of the body
    if lead is not None and _NAMES_PERIOD.search(lead):
        periods.append(lead)
    published = next((m for d in dated for m in [_PUBLISHED_MONTH.search(d)] if m), None)
    if published is not None and int(published.group(1)) - 1 in body_years and int(published.group(2)) <= 3:
        # published 2016年03月26日 on 山东省2015年…减排结果, or in January on a 政府工作报告 reviewing 2017: the
        # figures are of the year before, to its end (the plans for the new year are no progress)
        periods.insert(0, f"{int(published.group(1)) - 1}年度")  # a title that names the whole year
    return periods, dated


_REPORTED_MONTHS = re.compile(r"(?<![0-9])[0-9]{1,2}\s?[-—~至到]\s?[0-9]{1,2}\s?月")  # 1—6月份: a span of months
_BODY_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s?年")
_STAMPED = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}-[0-9]{1,2}-[0-9]{1,2}\s+[0-9]{1,2}:[0-9]{2}")  # a date and a time
_PUBLISHED_MONTH = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s?[年\-./]\s?([0-9]{1,2})(?![0-9])")


def first_line(lines: Iterable[str]) -> str | None:
    """The document's title: its first non-empty line that is not a paragraph of sentences."""
    return next((clean_title([s]) for s in lines if s.strip() and not is_paragraph(s)), None)


def is_paragraph(text: str) -> bool:
    """A long line of sentences (more than 60 characters with 。；; or two commas) is prose, not a title."""
    return len(text.strip()) > 60 and bool(re.search(r"[。；;]|[，,].*[，,]", text))
