"""JSON Schema of perfnlp's public models: what `.model_dump(mode="json")` and the command line's --json give.

    python -m perfnlp.schema docs/schema.json            write it
    python -m perfnlp.schema --check docs/schema.json    exit 1 if the file is stale

One document, draft 2020-12, with one entry per model under "$defs" (models that the public ones nest, such
as Segment, get an entry too). Serialization mode: the schema describes the JSON that perfnlp writes, so a
Decimal is a string ("17280"), exact.
"""
from __future__ import annotations

import argparse
import json
import sys
from importlib import import_module
from pathlib import Path
from typing import Any, Sequence

TITLE = "perfnlp public models"

# public model → module that defines it (imported from there, not through perfnlp's lazy names)
MODELS: dict[str, str] = {
    "Quantity": "reading.quantities", "SkippedSpan": "reading.numbers", "Scan": "reading.quantities",
    "Number": "reading.numbers", "NumberScan": "reading.numbers",
    "Target": "statements.targets",
    "Period": "reading.periods", "Context": "text.context",
    "Progress": "statements.progress", "StatedRatio": "statements.progress",
    "Assessment": "judging.model",
    "Task": "documents", "Document": "documents",
    "ReportRow": "reports.report", "Report": "reports.report",
}


def _models() -> list[type]:
    found = []
    for name, module in MODELS.items():
        try:
            found.append(getattr(import_module(f"perfnlp.{module}"), name))
        except (ImportError, AttributeError) as e:  # a schema silently missing a model would be worse
            raise ImportError(f"cannot import public model {name} from perfnlp.{module}: {e}") from e
    return found


def build_schema() -> dict[str, Any]:
    """The JSON Schema of every public model, as one document with "$defs"."""
    from pydantic.json_schema import models_json_schema

    _, schema = models_json_schema([(model, "serialization") for model in _models()], title=TITLE)
    schema = _without_decimal_patterns(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "description": "The JSON that perfnlp's models serialize to (model_dump(mode='json'), the CLI's --json). "
                       "Public models: " + ", ".join(MODELS) + ".",
        **schema,
    }


def _without_decimal_patterns(node: Any) -> Any:
    """pydantic versions differ in the pattern they give a Decimal's string (2.13 has one, 2.14 none); the
    schema keeps none, so that it does not depend on the installed pydantic."""
    if isinstance(node, dict):
        return {key: _without_decimal_patterns(value) for key, value in node.items()
                if not (key == "pattern" and isinstance(value, str) and value.startswith("^(?!^[-+.]*$)"))}
    if isinstance(node, list):
        return [_without_decimal_patterns(value) for value in node]
    return node


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m perfnlp.schema", description=__doc__.splitlines()[0])
    parser.add_argument("path", help="where the schema is written (docs/schema.json)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from the models")
    ns = parser.parse_args(argv)
    path = Path(ns.path)
    text = render(build_schema())
    if ns.check:
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != text:
            print(f"{path} is stale: regenerate it with python -m perfnlp.schema {path}", file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
