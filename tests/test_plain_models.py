"""The command line prints a sentence's reading with plain model classes (perfnlp.text.model), without
importing pydantic: the reading must be the same as with pydantic's models, and the public API keeps
returning pydantic models."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"

# prints, for every line of the seeds, the sentence command's text and the quantities' and skipped
# spans' reprs, under two contexts; argv[1] "plain" turns plain models on first
_READ_SEEDS = r'''
import datetime as dt, re, sys
from pathlib import Path
if sys.argv[1] == "plain":
    from perfnlp.text.model import use_plain_models
    assert use_plain_models()
from perfnlp.reading.quantities import scan
from perfnlp.statements.progress import parse_progress
from perfnlp.statements.targets import parse_target
from perfnlp.text.context import Context
from perfnlp.views.text import sentence_text
texts = [piece.strip() for path in sorted(Path(sys.argv[2]).glob("*.txt"))
         for piece in re.split(r"[。；;！？!?\n\r\t]", path.read_text(encoding="utf-8")) if piece.strip()]
out = []
for context in (Context(), Context(year=2017, as_of=dt.date(2017, 6, 30))):
    for text in texts:
        scanned = scan(text)
        out.append(sentence_text(text, scanned, parse_target(text, context), parse_progress(text, context)))
        out.append(repr(scanned.quantities) + repr(scanned.skipped))
print(len(texts), "pydantic" in sys.modules)
print("\n".join(out))
'''


def _run(code: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are in shared/seeds")
def test_plain_models_read_every_seed_sentence_as_pydantic_models_do():
    plain, pydantic = _run(_READ_SEEDS, "plain", str(SEEDS)), _run(_READ_SEEDS, "pydantic", str(SEEDS))
    plain_head, plain_body = plain.split("\n", 1)
    pydantic_head, pydantic_body = pydantic.split("\n", 1)
    count = int(plain_head.split()[0])
    assert count > 500
    assert plain_head == f"{count} False"      # no pydantic in the plain process
    assert pydantic_head == f"{count} True"
    assert plain_body == pydantic_body


def test_the_sentence_command_imports_no_pydantic_and_prints_the_same():
    sentence = "能源消费总量控制在296.5万吨标准煤以内"
    code = ("import runpy, sys; sys.argv = ['perfnlp', sys.argv[1]]\n"
            "try:\n    runpy.run_module('perfnlp', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "print('pydantic' in sys.modules)")
    out = _run(code, sentence)
    assert out.endswith("False\n")
    in_process = subprocess.run([sys.executable, "-c", "import sys; from perfnlp.cli import main; "
                                 "main(sys.argv[1:]); print('pydantic' in sys.modules)", sentence],
                                cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)
    # a caller's argv: pydantic models as everywhere else, the same text
    assert in_process.stdout.endswith("True\n")
    assert out.removesuffix("False\n") == in_process.stdout.removesuffix("True\n")
    assert "296.5万吨标准煤" in out and "≤" in out


_PLAIN_MODEL_BEHAVIOUR = r'''
import datetime as dt
from decimal import Decimal
from perfnlp.text.model import use_plain_models
assert use_plain_models()
from perfnlp.text.context import Context
from perfnlp.text.model import PlainModel, ValidationError
from perfnlp.statements.targets import Target
from perfnlp.reading.quantities import extract_quantities
assert issubclass(Context, PlainModel) and issubclass(ValidationError, ValueError)
for bad in ({"year": 17}, {"year": True}, {"year": 2017, "as_of": dt.date(2018, 3, 1)}):
    try:
        Context(**bad)
    except ValueError as e:
        print("refused", e)
    else:
        raise AssertionError(bad)
c = Context(year=2017)
assert c == Context(year=2017) and hash(c) == hash(Context(year=2017)) and c != Context(year=2018)
assert c.model_fields_set == {"year"} and c.effective_year == 2017
try:
    c.year = 2018
except ValueError:
    print("frozen")
q = extract_quantities("完成报废转出高排放老旧机动车19000辆")[0]
assert q.value == Decimal(19000) and q.unit == "辆"
t = Target(text="x", start=0, end=1, comparator="ge", quantity=q)
assert t.per == () and Target(text="y", start=0, end=1, comparator="ge").per == ()  # immutable: shared safely
u = t.model_copy(update={"metric": "老旧机动车"})
assert u.metric == "老旧机动车" and t.metric == "" and "metric" in u.model_fields_set
print("ok")
'''


def test_plain_models_validate_copy_compare_and_freeze_as_pydantic_models_do():
    out = _run(_PLAIN_MODEL_BEHAVIOUR)
    assert "refused year 17 is outside 1900-2100" in out
    assert "refused as_of 2018-03-01 does not belong to year 2017" in out
    assert out.count("refused") == 3 and "frozen" in out and out.endswith("ok\n")


def test_the_public_api_returns_pydantic_models():
    import pydantic

    import perfnlp

    assert isinstance(perfnlp.extract_quantities("1.728万辆")[0], pydantic.BaseModel)
    assert isinstance(perfnlp.parse_target("能源消费总量控制在296.5万吨标准煤以内")[0], pydantic.BaseModel)
    assert isinstance(perfnlp.Context(year=2017), pydantic.BaseModel)


# assesses every task of the seeds (read beforehand by a pydantic process, given as JSON in argv[2]) and
# prints the assess command's text and the assessments' reprs
_ASSESS_TASKS = r'''
import datetime as dt, json, sys
if sys.argv[1] == "plain":
    from perfnlp.text.model import use_plain_models
    assert use_plain_models()
from perfnlp.judging.assessment import assess
from perfnlp.judging.warning import warning_light
from perfnlp.text.context import Context
from perfnlp.views.text import assessment_text
out = []
for task in json.loads(open(sys.argv[2], encoding="utf-8").read()):
    context = Context(year=task["year"], as_of=task["as_of"] and dt.date.fromisoformat(task["as_of"]))
    for a in assess(task["target"], task["progress"], context=context, group=task["group"]):
        out.append(assessment_text(a))
        out.append(repr(a))
        out.append(warning_light(a, 0.05))
print(len(out), "pydantic" in sys.modules)
print("\n".join(out))
'''


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are in shared/seeds")
def test_plain_models_assess_every_seed_task_as_pydantic_models_do(tmp_path: Path):
    import json

    import perfnlp

    tasks = []
    for path in sorted(SEEDS.glob("*.txt")):
        doc = perfnlp.read_document(path)
        for task in doc.tasks:
            tasks.append({"target": task.target, "progress": task.progress, "group": task.group,
                          "year": doc.context.year, "as_of": doc.context.as_of and doc.context.as_of.isoformat()})
    given = tmp_path / "tasks.json"
    given.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    plain, pydantic = _run(_ASSESS_TASKS, "plain", str(given)), _run(_ASSESS_TASKS, "pydantic", str(given))
    plain_head, plain_body = plain.split("\n", 1)
    pydantic_head, pydantic_body = pydantic.split("\n", 1)
    count = int(plain_head.split()[0])
    assert count > 3 * 150
    assert (plain_head, pydantic_head) == (f"{count} False", f"{count} True")
    assert plain_body == pydantic_body
