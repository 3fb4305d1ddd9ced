"""What the wheel carries besides the code: the type marker, the licence, the data files, the extras."""
from __future__ import annotations

import re

import tomllib

from conftest import ROOT

PACKAGE = ROOT / "src" / "perfnlp"


def test_wheel_declares_types_licence_and_extras():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert (PACKAGE / "py.typed").is_file()
    assert "py.typed" in project["tool"]["setuptools"]["package-data"]["perfnlp"]
    assert "data/*" in project["tool"]["setuptools"]["package-data"]["perfnlp"]
    assert project["project"]["license"] == "MIT" and project["project"]["license-files"] == ["LICENSE"]
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert project["project"]["requires-python"] == ">=3.11"
    extras = project["project"]["optional-dependencies"]
    assert {"test", "office", "pandas", "dask", "db", "parquet"} <= set(extras)
    assert any(d.startswith("duckdb") for d in extras["db"]) and any(d.startswith("pyarrow") for d in extras["parquet"])
    # the runtime dependencies are the four the house allows
    assert sorted(d.split(">")[0] for d in project["project"]["dependencies"]) == ["jieba", "pint", "pydantic", "regex"]


def test_readme_says_python_and_chromium():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Python 3.11" in readme and "chromium" in readme
    # the test command installs every extra the tests use, as CI does
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    installed = re.search(r"pip install -q -e ('[^']+')", ci)
    assert installed, ".ci/run installs the package with its extras"
    assert f"pip install -e {installed.group(1)}" in readme, "the README's test command installs what CI installs"
    for extra in ("test", "office", "db", "parquet", "pdf", "xls"):
        assert extra in installed.group(1)
