"""Notebook display: Jupyter shows a Target, Progress, Assessment or Report as HTML.

The models know nothing of their views (a lower layer never imports a higher one). Instead, IPython's HTML
formatter is told, by class name, which view renders which model; `perfnlp`'s package import does this when
it finds IPython running, and `register()` does it on request.
"""
from __future__ import annotations

from typing import Any

from . import html, text

# (module, class name) → the view that renders it
VIEWS: dict[tuple[str, str], Any] = {
    ("perfnlp.statements.targets", "Target"): text.target_html,
    ("perfnlp.statements.progress", "Progress"): text.progress_html,
    ("perfnlp.judging.model", "Assessment"): html.assessment_html,
    ("perfnlp.reports.report", "Report"): html.report_table_html,
}


def register(shell: Any = None) -> bool:
    """Register the HTML views with IPython's display formatter; False when no IPython shell is running."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
        if shell is None:
            return False
    formatter = shell.display_formatter.formatters["text/html"]
    for (module, name), view in VIEWS.items():
        formatter.for_type_by_name(module, name, view)
    return True
