"""Plain records for the judging stage's working objects: equality and repr by the fields named in
`__slots__`, as a dataclass has them, without importing dataclasses (which imports inspect, ast and dis:
about 15 ms of the `assess` command's start, for three small classes)."""
from __future__ import annotations

from typing import Any


class SlotRecord:
    """Compares equal to a record of its own class with equal fields (in `__slots__` order); unhashable
    unless a subclass says how (a dataclass with eq and no frozen has no hash either); a repr that names them."""

    __slots__ = ()

    def fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.fields() == other.fields()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__qualname__}({inner})"
