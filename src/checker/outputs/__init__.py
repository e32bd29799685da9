"""Built-in output formats, registered through the ``fazhi_lint_output_formats`` hook.

Each formatter module is imported only when its format is used (junit-xml, for one, costs
start-up time that a text run should not pay).
"""
import importlib

from ..hookspecs import hookimpl

_BUILTIN = {
    "text": ("text", "render_text"),
    "json": ("json_format", "render_json"),
    "junit": ("junit", "render_junit"),
    "sarif": ("sarif", "render_sarif"),
    "github": ("github", "render_github"),
    "csv": ("csv_format", "render_csv"),
    "html": ("html_report", "render_html"),
    "xlsx": ("workbook", "render_xlsx"),
}


def _lazy(module: str, function: str):
    def render(results, context):
        return getattr(importlib.import_module(f"{__name__}.{module}"), function)(results, context)
    render.__name__ = function
    return render


@hookimpl
def fazhi_lint_output_formats():
    return {name: _lazy(module, function) for name, (module, function) in _BUILTIN.items()}
