"""``fazhi-lint [check] PATH...``: check reports and exit with a code a CI can rely on.

The options are the list ``OPTIONS``; ``Run`` turns them (and the project's config file) into a
``checker.run.RunRequest``, calls the pipeline and prints and writes what it returns. To add an
option: append it to ``OPTIONS`` and carry it into the request (``make_request``) or read it as
``run.opts.<name>`` in the output step that needs it.
Exit codes: ``checker.errors`` (0 clean, 1 findings, 2 usage/config/rule/unreadable, 3 internal).
"""
from __future__ import annotations

import contextlib
import sys
from types import SimpleNamespace

import click

from .. import __version__
from ..errors import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, FazhiError, UsageError
from ..waivers.gate import FAIL_ON
from .common import err, load_rules, safe_name

OPTIONS = [
    click.argument("paths", nargs=-1),
    click.option("--format", "formats", multiple=True,
                 help="输出格式：text、json、junit、sarif、github、csv（事实表）（插件可增加）；可多次，写成 格式:文件 则写入文件，如 junit:report.xml"),
    click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="把（唯一一个未指定文件的）格式写入文件而不是标准输出"),
    click.option("--rules", "rules_paths", multiple=True, type=click.Path(), help="追加规则文件或目录（可多次）"),
    click.option("--plugin", "plugin_modules", multiple=True, help="加载插件模块（如 mypkg.plugin，可多次）"),
    click.option("--province", default=None, help="规则包（默认 national）"),
    click.option("--select", multiple=True, help="只运行这些规则（编号或前缀，逗号分隔）"),
    click.option("--ignore", multiple=True, help="不运行这些规则（编号或前缀，逗号分隔；最长前缀优先）"),
    click.option("--fail-on", type=click.Choice(FAIL_ON), default=None, help="达到该级别的问题使退出码为 1（默认 error）"),
    click.option("--min-score", type=click.FloatRange(0, 100), default=None, help="得分低于此值时退出码为 1"),
    click.option("--year", type=click.IntRange(2000, 2100), default=None, help="指定报告年度（覆盖自动识别）"),
    click.option("--published", default=None, help="指定发布日期 YYYY-MM-DD（覆盖自动识别）"),
    click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="消息语言"),
    click.option("--color/--no-color", default=None, help="彩色输出（默认：终端上开启）"),
    click.option("--max-size", type=click.FloatRange(0.001), default=64, show_default=True, help="单个文件大小上限（MB）"),
    click.option("--jobs", "-j", type=click.IntRange(0), default=0, show_default=True,
                 help="并行进程数；0 表示按 CPU 数自动决定（报告较少时不并行）"),
    click.option("--list-rules", is_flag=True, help="列出生效的规则并退出（同 fazhi-lint rules）"),
    click.option("--explain", metavar="RULE|KIND", default=None,
                 help="解释一条规则或一个检查类型并退出（同 fazhi-lint rule / kinds）"),
    click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
                 help="使用这个配置文件（.fazhi-lint.yaml 或 pyproject.toml），不向上查找"),
    click.option("--no-config", is_flag=True, help="不读取任何配置文件"),
    click.option("--show-config", is_flag=True, help="显示生效的配置及每项的来源并退出"),
    click.option("--suppressions", "suppressions_path", type=click.Path(dir_okay=False), default=None,
                 help="抑制文件（默认向上查找 fazhi-lint-suppressions.yaml）"),
    click.option("--no-suppressions", is_flag=True, help="忽略所有抑制条目（督察视角）"),
    click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), default=None,
                 help="基线文件：只报告基线中没有的问题"),
    click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False), default=None,
                 help="把本次的问题写入基线文件"),
    click.option("--statistics", is_flag=True, help="输出每条规则的问题条数"),
    click.option("--output-format", "output_style", type=click.Choice(["concise", "full", "grouped"]), default="concise",
                 show_default=True, help="text 格式的样式：concise 一行一个问题；full 加提示和依据；grouped 按报告分组（得分、缺少的要素）"),
    click.option("--fix", is_flag=True, help="自动修复规则声明了 fix 的问题（如 法制政府→法治政府），按原编码和换行写回，再报告剩余问题"),
    click.option("--diff", "show_diff", is_flag=True, help="不写文件，以统一差异格式显示 --fix 会做的修改；有可修复的问题时退出码为 1"),
    click.option("--previous", "previous_dir", type=click.Path(exists=True, file_okay=False), default=None,
                 help="上一年度报告所在目录：按单位和年度配对，检查上年安排是否落实、是否照搬上年报告（FZ-Y01/Y02/Y04）"),
    click.option("--copies", is_flag=True, help="查找同批次报告之间雷同的部分（FZ-Y03）"),
    click.option("--min-severity", type=click.Choice(["info", "warning", "error"]), default=None,
                 help="只显示达到该级别的问题（退出码仍由 --fail-on 决定）；默认全部显示，"
                      "但审查视图（grouped、html、xlsx）把提示折叠为一行，给出 info 时逐条列出"),
    click.option("--include", "include", multiple=True, metavar="GLOB", help="目录中只检查匹配的文件（如 '*.docx'，可多次）"),
    click.option("--exclude", "exclude", multiple=True, metavar="GLOB", help="目录中不检查匹配的文件（如 'drafts/*'，可多次）"),
    click.option("--subject", type=click.Choice(["government", "department", "town", "zone", "other"]), default=None,
                 help="报告主体（覆盖自动识别）：government 县级以上人民政府、department 政府部门、town 乡镇·街道、zone 开发区·园区、other"),
    click.option("--explain-score", is_flag=True, help="逐份报告列出得分的扣分项（缺少的法定内容、各条规则各扣多少分）"),
    click.option("--stdin-filename", default=None, metavar="NAME",
                 help="PATH 为 - 时从标准输入读取报告，并以此文件名显示（扩展名决定读取方式）"),
    click.option("--quiet", "-q", is_flag=True, help="不显示进度条（进度条只在终端上、写入标准错误）"),
]

def _joined(values):
    return ",".join(values) if values else None


# Settings a config file may also give: key -> (option attribute, option as typed, value of the option).
CONFIG_OPTIONS = {
    "select": ("select", "--select", _joined),
    "ignore": ("ignore", "--ignore", _joined),
    "province": ("province", "--province", None),
    "fail-on": ("fail_on", "--fail-on", None),
    "min-score": ("min_score", "--min-score", None),
    "format": ("formats", "--format", lambda v: tuple(v) if v else None),
    "suppressions": ("suppressions_path", "--suppressions", None),
    "baseline": ("baseline_path", "--baseline", None),
    "subject": ("subject", "--subject", None),
}


class Stop(Exception):
    """A step finished the run early (``--show-config``, ``--list-rules``…) with this exit code."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


class Run:
    """One ``check`` invocation: the options and config file become a ``RunRequest``, the pipeline
    (``checker.run``) checks the reports, and this class prints and writes what came back."""

    def __init__(self, options: dict):
        self.opts = SimpleNamespace(**options)
        self.output_exit = EXIT_OK     # 2 when an output could not be written, 3 when a formatter failed

    def execute(self) -> int:
        try:
            self.read_settings()
            self.answer_questions()
            self.load()
            self.plan_outputs()
            self.check_reports()
            self.write_outputs()
        except Stop as stop:
            return stop.code
        except FazhiError as exc:
            err(str(exc))
            return exc.exit_code
        code = self.outcome.exit_code(self.settings["fail-on"], self.settings["min-score"])
        return max(code, self.output_exit) if self.output_exit else code

    # ------------------------------------------------------------------ steps
    def read_settings(self) -> None:
        import datetime

        from .config import describe, load_settings

        if self.opts.published:
            try:
                datetime.date.fromisoformat(self.opts.published)
            except ValueError:
                raise UsageError(f"--published 必须是 YYYY-MM-DD 格式，而不是 {self.opts.published!r}") from None
        cli_values = {}
        for key, (name, option, convert) in CONFIG_OPTIONS.items():
            value = getattr(self.opts, name)
            cli_values[key] = (convert(value) if convert else value, option)
        self.settings = load_settings(self.opts.paths, cli_values, self.opts.config_path,
                                      use_config=not self.opts.no_config)
        if self.opts.show_config:
            click.echo(describe(self.settings), nl=False)
            raise Stop(EXIT_OK)
        self.request = self.make_request()

    def make_request(self):
        from ..run import RunRequest

        o, s = self.opts, self.settings
        return RunRequest(
            paths=tuple(o.paths), province=s["province"] or "national", plugins=tuple(o.plugin_modules),
            rule_paths=tuple(o.rules_paths), thresholds=s["thresholds"] or {}, select=tuple(s["select"] or ()),
            ignore=tuple(s["ignore"] or ()), per_file_ignores=dict(s["per-file-ignores"]), root=s.root,
            suppressions=s["suppressions"], no_suppressions=o.no_suppressions, baseline=s["baseline"],
            write_baseline=o.write_baseline_path, year=o.year, published=o.published, subject=s["subject"],
            lang=o.lang, max_bytes=int(o.max_size * 1024 * 1024), jobs=o.jobs, include=tuple(o.include),
            exclude=tuple(o.exclude), stdin_name=o.stdin_filename, previous=o.previous_dir, copies=o.copies,
            fix="diff" if o.show_diff else ("write" if o.fix else "none"))

    def answer_questions(self) -> None:
        """``--list-rules`` and ``--explain``: the aliases of ``fazhi-lint rules`` / ``rule`` / ``kinds``."""
        if not (self.opts.list_rules or self.opts.explain):
            return
        from ..rules.selection import Selection
        from .explain import explain_name, print_rules

        selection = Selection(self.settings["select"], self.settings["ignore"])
        with contextlib.redirect_stdout(sys.stderr):        # a plugin's print must not corrupt the output
            plugins, ruleset = load_rules(self.opts.plugin_modules, self.settings["province"],
                                          self.opts.rules_paths, selection)
        for problem in plugins.errors + list(ruleset.errors):
            err(problem)
        failed = plugins.failures or ruleset.plugin_failures
        status = EXIT_INTERNAL if failed else (EXIT_USAGE if plugins.errors or ruleset.errors else EXIT_OK)
        if self.opts.list_rules:
            print_rules(ruleset)
            raise Stop(status)
        raise Stop(explain_name(ruleset, self.opts.explain) or status)

    def load(self) -> None:
        from ..run import load

        with contextlib.redirect_stdout(sys.stderr):        # a plugin's print must not corrupt the output
            self.loaded = load(self.request)
        self.formats = self.loaded.plugins.output_formats()

    def plan_outputs(self) -> None:
        from ..outputs.targets import parse_targets

        self.targets = parse_targets(self.settings["format"], self.opts.output, self.formats)
        if not self.opts.paths:
            raise UsageError("请给出要检查的报告文件或目录，例如：fazhi-lint seeds/")
        self.request = self.request.replace(outputs=tuple(t.path for t in self.targets if t.path))

    def check_reports(self) -> None:
        from ..run import run
        from .progress import progress_for

        real_stdout = sys.stdout                            # the progress bar asks whether it is a terminal
        with contextlib.redirect_stdout(sys.stderr):        # a plugin's print must not corrupt the output
            self.outcome = run(self.request, progress_for(self.opts.quiet, None, stdout=real_stdout), self.loaded)
        for problem in self.outcome.problems:
            err(str(problem))
        for path, reason in self.outcome.missing:
            err(f"{safe_name(path)}: {reason}")
        fixes = self.outcome.fixes
        if fixes is not None:
            for note in fixes.notes:
                err(note)
            if self.request.fix == "diff":
                click.echo("".join(fixes.diffs), nl=False)
                err(f"共 {fixes.total} 处可自动修复（{len(fixes.fixed)} 个文件）；用 --fix 写回")
                raise Stop(EXIT_USAGE if fixes.failed else (EXIT_FINDINGS if fixes.total else EXIT_OK))
            err(f"共修复 {fixes.total} 处（{len(fixes.fixed)} 个文件）；以下是剩余的问题")
        for note in self.outcome.notes:
            err(note)
        self.ruleset = self.outcome.ruleset

    def write_outputs(self) -> None:
        import dataclasses

        from ..outputs.targets import OutputProblem, encode_output, render_targets, shown_name, write_file, write_stdout

        to_stdout = [t for t in self.targets if t.path is None]
        colour = self.opts.color if self.opts.color is not None else (bool(to_stdout) and sys.stdout.isatty())
        skipped = self.outcome.skipped
        context = {"version": __version__, "ruleset": self.ruleset, "fail_on": self.settings["fail-on"],
                   "lang": self.opts.lang, "colour": colour, "pack": self.ruleset.pack, "settings": self.settings,
                   "output_format": self.opts.output_style, "source_text": self.read_source,
                   "texts": self.shown_texts(),
                   "skipped": [(shown_name(path), reason) for path, reason in skipped],
                   "min_severity": self.opts.min_severity}
        if skipped and to_stdout and not any(t.name == "text" for t in self.targets):
            for path, reason in skipped:
                err(f"{safe_name(path)}: 已跳过：{reason}")
        results = []
        for result in self.outcome.results:           # a file name that is not UTF-8: escaped, outputs stay UTF-8
            name = shown_name(result.path)
            if name != result.path:
                result = dataclasses.replace(result, path=name)
            results.append(result)
        self.results = results
        shown = at_least(results, self.opts.min_severity or "info")
        with contextlib.redirect_stdout(sys.stderr):
            rendered, problems = render_targets(self.targets, self.formats, shown, context,
                                                self.loaded.plugins.format_owner)
        written = []
        for target, text in rendered:
            try:
                if target.path is None:
                    write_stdout(encode_output(text, target.name))
                else:
                    write_file(target.path, encode_output(text, target.name))
                    written.append(target.path)
            except OutputProblem as exc:
                problems.append(exc)
        for problem in problems:
            err(str(problem))
            self.output_exit = max(self.output_exit, EXIT_INTERNAL if problem.internal else EXIT_USAGE)
        if self.opts.statistics:
            from ..outputs.statistics import render_statistics

            on_stderr = any(t.name != "text" for t in to_stdout)
            click.echo(render_statistics(shown, self.ruleset, self.opts.lang), nl=False, err=on_stderr)
        if self.opts.explain_score:
            from ..outputs.text import render_breakdown

            click.echo(render_breakdown(results), nl=False, err=any(t.name != "text" for t in to_stdout))
        if not to_stdout:                 # everything went to files: say what was written and what was not checked
            from ..outputs.summary import run_report

            for line in run_report(written, results, context["skipped"], self.opts.lang):
                err(line)

    def shown_texts(self):
        """The run's texts (``inputs.Texts``) under the names the outputs show."""
        from ..inputs import Texts
        from ..outputs.targets import shown_name

        if getattr(self, "_shown_texts", None) is None:
            packed = self.outcome.texts.packed if self.outcome.texts is not None else {}
            self._shown_texts = Texts({shown_name(path): text for path, text in packed.items()})
        return self._shown_texts

    def read_source(self, path: str) -> str:
        """The text of a checked report as the run read it (a .docx's paragraphs, a .pdf's text
        layer), for outputs that show it (the HTML report): kept by the run, never read again."""
        return self.shown_texts().text(path)


def at_least(results, min_severity: str) -> list:
    """The results as shown: findings below ``min_severity`` left out (scores and the exit code keep them)."""
    import dataclasses

    from ..records import SEVERITY_RANK

    floor = SEVERITY_RANK[min_severity]
    if floor == 0:
        return results
    return [dataclasses.replace(r, findings=[f for f in r.findings if SEVERITY_RANK.get(f.severity, 0) >= floor])
            for r in results]


def _with_options(func):
    for decorator in reversed(OPTIONS):
        func = decorator(func)
    return func


@click.command("check")
@_with_options
def check(**options):
    """检查报告文件或目录（.txt .md .docx .doc .wps .pdf .html .ofd .zip；- 为标准输入）。"""
    sys.exit(Run(options).execute())


COMMANDS = [check]
