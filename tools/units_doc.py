"""Generate docs/units.md: every unit perfnlp reads, its dimension, pint unit and conversion factor.

The rows come from src/perfnlp/data/units.tsv (its "# ---" comments give the sections); the factors from
pint's registry as perfnlp extends it (perfnlp.reading.units.registry(), data/units.pint); the examples from
perfnlp itself, so the page shows what the library does, not what someone remembered.

    python tools/units_doc.py           rewrite docs/units.md
    python tools/units_doc.py --check   exit 1 if docs/units.md is stale
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parents[1]
UNITS_TSV = ROOT / "src" / "perfnlp" / "data" / "units.tsv"
OUT = ROOT / "docs" / "units.md"

# Per physical dimension: its SI unit (J and W rather than kg·m²/s²), then the units a readable figure is
# chosen from (the largest that gives a magnitude of at least 0.1: 0.7 MW, 29.3076 GJ, 666.667 m²).
SI_AND_READABLE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("kg", ("t", "kg", "g", "mg", "µg")),
    ("m", ("km", "m")),
    ("m²", ("km²", "m²")),
    ("m³", ("m³", "L")),
    ("s", ("d", "h", "min", "s")),
    ("J", ("TJ", "GJ", "MJ", "kJ", "J")),
    ("W", ("GW", "MW", "kW", "W")),
)
PINT_NAME = {"kg": "kilogram", "t": "tonne", "g": "gram", "mg": "milligram", "µg": "microgram",
             "km": "kilometer", "m": "meter", "km²": "kilometer ** 2", "m²": "meter ** 2",
             "m³": "meter ** 3", "L": "liter", "d": "day", "h": "hour", "min": "minute", "s": "second",
             "TJ": "terajoule", "GJ": "gigajoule", "MJ": "megajoule", "kJ": "kilojoule", "J": "joule",
             "GW": "gigawatt", "MW": "megawatt", "kW": "kilowatt", "W": "watt"}
EXAMPLES = ("296.5万吨标准煤", "1.728万辆", "25.2亿元/平方公里", "3千米", "1.5吨/月·平方公里", "百余户", "60.89%")


@dataclass
class Row:
    surface: str
    pint: str
    dimension: str
    extra: str  # not_before characters, or "*denominator"


@dataclass
class Section:
    title: str
    notes: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


def read_sections(path: Path = UNITS_TSV) -> list[Section]:
    sections: list[Section] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ---"):  # "# --- title: note" starts a section
            title, _, note = line.removeprefix("# ---").strip().partition(": ")
            sections.append(Section(title, [note] if note else []))
        elif line.startswith("#"):
            if sections:  # a comment continuing the section heading
                sections[-1].notes.append(line.removeprefix("#").strip())
        elif line.strip():
            cells = [c.strip() for c in line.split("\t")] + [""]
            if not sections:
                sections.append(Section("units"))
            sections[-1].rows.append(Row(cells[0], cells[1], cells[2], cells[3]))
    return sections


def number(value: Decimal, significant: int) -> str:
    """A Decimal rounded to `significant` digits, written without exponent, thousands grouped."""
    rounded = Decimal(f"{value:.{significant}g}")
    text = f"{rounded:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def conversion(row: Row, surface_of: dict[str, str]) -> tuple[str, str]:
    """(factor to the SI or base unit, readable form) of one unit."""
    from perfnlp.reading.units import registry

    ureg = registry()
    one = ureg.Quantity(Decimal(1), row.pint)
    for si, readable_units in SI_AND_READABLE:
        if ureg.Unit(PINT_NAME[si]).dimensionality != one.dimensionality:
            continue
        exact = f"{number(one.to(PINT_NAME[si]).magnitude, 10)} {si}"
        for symbol in readable_units:
            magnitude = one.to(PINT_NAME[symbol]).magnitude
            if abs(magnitude) >= Decimal("0.1") or symbol == readable_units[-1]:
                return exact, f"{number(magnitude, 6)} {symbol}"
    if one.dimensionless:  # %, ‰, 倍: a plain fraction
        return number(one.to("dimensionless").magnitude, 10), "—"
    # a base dimension of its own (currency, counts, score …): the unit it is counted in
    base = one.to_base_units()
    name = surface_of.get(str(base.units), str(base.units))
    return f"{number(base.magnitude, 10)} {name}", "—"


def shared_counts(sections: list[Section]) -> list[tuple[str, list[str]]]:
    """Counting dimensions that more than one classifier shares."""
    by_dimension: dict[str, list[str]] = {}
    for section in sections:
        for row in section.rows:
            if row.dimension.startswith("count:"):
                by_dimension.setdefault(row.dimension, []).append(row.surface)
    return [(d, s) for d, s in by_dimension.items() if len(s) > 1]


def intro(sections: list[Section]) -> list[str]:
    import perfnlp
    from perfnlp.reading.numerals import MULTIPLIERS

    lines = [
        "# Units",
        "",
        "<!-- generated by tools/units_doc.py from src/perfnlp/data/units.tsv and pint; do not edit by hand:",
        "     run `python tools/units_doc.py` (CI runs `python tools/units_doc.py --check`) -->",
        "",
        "Every unit perfnlp reads after a number: as written, its dimension, the pint unit it converts with",
        "(`Quantity.to()`), and what one of it is in the SI unit of its dimension (currency: 元; counts and",
        "other units with a dimension of their own: the unit itself).",
        "",
        "## Multipliers",
        "",
        "A multiplier written between the number and the unit is applied to the value and is not part of the",
        "unit: 296.5万吨标准煤 is 2,965,000 of the unit 吨标准煤. The multipliers, longest read first: "
        + ", ".join(f"{m} (10^{len(str(v)) - 1})" for m, v in MULTIPLIERS.items()) + ".",
        "A character that starts a unit is no multiplier (3千米 is 3 千米, not 3000 米); a lone 百/千/万 counts",
        "only before 余/多 (百余户 is about 100 户).",
        "",
        "## Compound units",
        "",
        "A unit, `/` and a unit, then `·` and more units in the denominator, are read as written and their",
        "dimensions combined: 元/平方公里 is currency/area, 吨/月·平方公里 is mass/(time·area). 月 is a unit only",
        "after `/` or `·`: after a bare number it is a month of the calendar.",
        "",
        "## Counting classifiers",
        "",
        "Every counting classifier is a dimension of its own, so counts of different things are never",
        "compared or converted: 户 (households) and 处 (sites) are different dimensions, and",
        "`Quantity.to()` between them raises ValueError.",
    ]
    shared = shared_counts(sections)
    if shared:
        lines += ["The exceptions are classifiers that count the same thing and share one dimension: "
                  + "; ".join(f"{', '.join(s)} ({d})" for d, s in shared) + "."]
    lines += ["", "## As read", "", "| written | value | unit | dimension |", "|---|---|---|---|"]
    for text in EXAMPLES:
        for q in perfnlp.extract_quantities(text):
            high = f"–{q.high}" if q.high is not None else ""
            lines.append(f"| {q.text} | {q.value}{high}{' (approx.)' if q.approx else ''} | {q.unit or '—'} "
                         f"| {q.dimension} |")
    q = perfnlp.extract_quantities("296.5万吨标准煤")[0]
    lines += ["", f"`extract_quantities(\"296.5万吨标准煤\")[0].to(\"GJ\")` is "
                  f"{number(q.to('GJ').magnitude, 12)} GJ.", ""]
    return lines


def render() -> str:
    sections = read_sections()
    surface_of: dict[str, str] = {}
    for section in sections:
        for row in section.rows:
            surface_of.setdefault(row.pint, row.surface)
    lines = intro(sections)
    lines += ["## Table", "",
              "*not before*: characters that, right after the surface, make it part of a word (吨位 is no unit).", ""]
    for section in sections:
        lines += [f"### {section.title}", ""]
        if section.notes:
            lines += [" ".join(section.notes), ""]
        lines += ["| written | dimension | pint unit | 1 unit = (SI or base) | readable | not before |",
                  "|---|---|---|---|---|---|"]
        for row in section.rows:
            exact, readable = conversion(row, surface_of)
            not_before = "only after / or ·" if row.extra == "*denominator" else row.extra or ""
            lines.append(f"| {row.surface} | {row.dimension} | `{row.pint}` | {exact} | {readable} | {not_before} |")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate docs/units.md from units.tsv and pint.")
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/units.md is stale")
    ns = parser.parse_args(argv)
    text = render()
    if ns.check:
        current = OUT.read_text(encoding="utf-8") if OUT.is_file() else None
        if current != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run python tools/units_doc.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
