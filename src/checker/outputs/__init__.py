"""Built-in output formats, registered through the ``fazhi_lint_output_formats`` hook."""
from ..hookspecs import hookimpl
from .github import render_github
from .json_format import render_json
from .junit import render_junit
from .sarif import render_sarif
from .text import render_text


@hookimpl
def fazhi_lint_output_formats():
    return {"text": render_text, "json": render_json, "junit": render_junit,
            "sarif": render_sarif, "github": render_github}
