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

from ._version import __version__

# public name → module that defines it
_EXPORTS: dict[str, str] = {
    "extract_quantities": "reading.quantities", "scan": "reading.quantities", "Quantity": "reading.quantities",
    "SkippedSpan": "reading.numbers", "Scan": "reading.quantities",
    "parse_number": "reading.numbers", "extract_numbers": "reading.numbers", "scan_numbers": "reading.numbers",
    "Number": "reading.numbers", "NumberScan": "reading.numbers",
    "Context": "text.context", "Period": "reading.periods", "context_from_title": "reading.periods", "read_periods": "reading.periods",
    "elapsed_share": "reading.periods",
    "parse_target": "statements.targets", "Target": "statements.targets",
    "parse_progress": "statements.progress", "Progress": "statements.progress", "StatedRatio": "statements.progress",
    "assess": "judging.assessment", "Assessment": "judging.assessment",
    "read_document": "documents", "Document": "documents", "Task": "documents", "DocumentError": "documents",
    "assess_document": "reports.report", "Report": "reports.report", "ReportRow": "reports.report",
    "assess_many": "reports.batch",
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
    from .judging.assessment import Assessment, assess
    from .reports.batch import assess_many
    from .documents import Document, DocumentError, Task, read_document
    from .reading.periods import Period, context_from_title, elapsed_share, read_periods
    from .text.context import Context
    from .statements.progress import Progress, StatedRatio, parse_progress
    from .reading.numbers import Number, NumberScan, SkippedSpan, extract_numbers, parse_number, scan_numbers
    from .reading.quantities import Quantity, Scan, extract_quantities, scan
    from .reports.report import Report, ReportRow, assess_document
    from .statements.targets import Target, parse_target


def _register_notebook_views() -> None:
    """In a running IPython (Jupyter) shell, show the models as HTML; costs nothing anywhere else."""
    import sys

    if "IPython" in sys.modules:
        from .views.notebook import register

        register()


_register_notebook_views()
