"""docs/schema.json is the JSON Schema of the public models, kept in step with them."""
from __future__ import annotations

import json
import re
from pathlib import Path

from perfnlp.schema import MODELS, build_schema, main

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "docs" / "schema.json"
REGENERATE = "python -m perfnlp.schema docs/schema.json"


def test_schema_file_is_current() -> None:
    assert SCHEMA_FILE.is_file(), f"docs/schema.json is missing: {REGENERATE}"
    on_disk = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert on_disk == build_schema(), f"docs/schema.json is stale: {REGENERATE}"


def test_check_command(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    assert main(["--check", str(out)]) == 1  # missing counts as stale
    assert main([str(out)]) == 0
    assert main(["--check", str(out)]) == 0
    out.write_text(out.read_text(encoding="utf-8").replace("Quantity", "Quantum"), encoding="utf-8")
    assert main(["--check", str(out)]) == 1


def test_every_public_model_has_a_definition() -> None:
    schema = build_schema()
    assert schema["title"]
    assert set(MODELS) <= set(schema["$defs"])


def _types(node: dict) -> set[str]:
    if "anyOf" in node:
        return set().union(*(_types(n) for n in node["anyOf"]))
    return {node["type"]} if "type" in node else set()


def test_quantity_value_is_a_decimal_string_or_number() -> None:
    import perfnlp

    value = build_schema()["$defs"]["Quantity"]["properties"]["value"]
    types = _types(value)
    assert types and types <= {"string", "number"}
    # what perfnlp actually writes must fit the schema: an exact decimal string
    dumped = perfnlp.extract_quantities("共报废老旧机动车1.728万辆")[0].model_dump(mode="json")["value"]
    assert isinstance(dumped, str) and "string" in types
    patterns = [n["pattern"] for n in value.get("anyOf", [value]) if "pattern" in n]
    assert all(re.match(p, dumped) for p in patterns), (dumped, patterns)


def test_assessment_status_enum() -> None:
    status = build_schema()["$defs"]["Assessment"]["properties"]["status"]
    assert set(status["enum"]) == {"achieved", "on_track", "behind", "unknown"}
