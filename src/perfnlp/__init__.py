"""perfnlp: read Chinese government performance documents.

For every task: what the target is, how far the work has come, and whether it is on pace (序时进度).

    >>> import perfnlp
    >>> perfnlp.extract_quantities("1-4月，共转出、报废老旧机动车1.728万辆。")[0].value
    Decimal('17280')

The public names are loaded on first use, so that `import perfnlp` and the command line start fast.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name → module that defines it
_EXPORTS: dict[str, str] = {
    "extract_quantities": "quantities", "scan": "quantities", "Quantity": "quantities",
    "SkippedSpan": "quantities", "Scan": "quantities",
    "Context": "periods", "Period": "periods", "context_from_title": "periods", "read_periods": "periods",
    "elapsed_share": "periods",
    "parse_target": "targets", "Target": "targets",
    "parse_progress": "progress", "Progress": "progress", "StatedRatio": "progress",
    "assess": "assessment", "Assessment": "assessment",
    "read_document": "documents", "Document": "documents", "Task": "documents", "DocumentError": "documents",
    "assess_document": "report", "Report": "report", "ReportRow": "report",
    "assess_many": "batch",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'perfnlp' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # for type checkers and editors; at run time the names load lazily
    from .assessment import Assessment, assess
    from .batch import assess_many
    from .documents import Document, DocumentError, Task, read_document
    from .periods import Context, Period, context_from_title, elapsed_share, read_periods
    from .progress import Progress, StatedRatio, parse_progress
    from .quantities import Quantity, Scan, SkippedSpan, extract_quantities, scan
    from .report import Report, ReportRow, assess_document
    from .targets import Target, parse_target
