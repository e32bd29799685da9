"""Command line: ``fazhi-lint [check] PATH...`` and its helper commands.

Exit codes (documented in the README):
  0  nothing at or above --fail-on, every report read, score not below --min-score
  1  findings at or above --fail-on, or a score below --min-score
  2  usage, configuration or rule error, or a report that could not be read
  3  internal error: a checker or plugin raised (finding FZ-X01/FZ-X02); other results are complete
"""
from __future__ import annotations

import os
import sys

import click

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
REPORT_SUFFIXES = (".txt",)
FAIL_ON = ("error", "warning", "info", "never")


class DefaultGroup(click.Group):
    """A group whose first argument, when it is not a command, is a path for ``check``."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _err(message: str) -> None:
    click.echo(f"fazhi-lint: {message}", err=True)


def find_reports(paths):
    """Expand folders into report files; return (files, missing paths, problems)."""
    files, missing, problems = [], [], []
    for path in paths:
        if os.path.isdir(path):
            found = []
            for root, dirs, names in os.walk(path):
                dirs.sort()
                found.extend(os.path.join(root, n) for n in sorted(names) if n.lower().endswith(REPORT_SUFFIXES))
            if not found:
                problems.append(f"{path}: 目录中没有报告文件（{', '.join(REPORT_SUFFIXES)}）")
            files.extend(found)
        elif os.path.exists(path):
            files.append(path)
        else:
            missing.append(path)
    return files, missing, problems


def _selector(select, ignore):
    """flake8/ruff style: the longest matching prefix decides; ``select`` defaults to everything."""
    sel = [s for s in ",".join(select).split(",") if s]
    ign = [s for s in ",".join(ignore).split(",") if s]
    if not sel and not ign:
        return None

    def chosen(rule_id: str) -> bool:
        best_sel = max((len(p) for p in sel if rule_id.startswith(p)), default=-1 if sel else 0)
        best_ign = max((len(p) for p in ign if rule_id.startswith(p)), default=-1)
        return best_sel >= 0 and best_sel >= best_ign
    return chosen


def _load(rules_paths, plugin_modules, province, select=(), ignore=(), verify=True):
    from .plugins import build_plugins
    from .rules import load_ruleset
    from .rules.selftest import verify_ruleset

    plugins = build_plugins(plugin_modules)
    ruleset = load_ruleset(plugins, province or "national", rules_paths, _selector(select, ignore))
    if verify:
        verify_ruleset(ruleset)
    return plugins, ruleset


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fazhi-lint")
def main():
    """fazhi-lint：法治政府建设年度报告合规检查（Compliance linter for annual reports on law-based government）."""


@main.command("check")
@click.argument("paths", nargs=-1)
@click.option("--format", "formats", multiple=True,
              help="输出格式：text、json、junit、sarif、github、csv（事实表）（插件可增加）；可多次，写成 格式:文件 则写入文件，如 junit:report.xml")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="把（唯一一个未指定文件的）格式写入文件而不是标准输出")
@click.option("--rules", "rules_paths", multiple=True, type=click.Path(), help="追加规则文件或目录（可多次）")
@click.option("--plugin", "plugin_modules", multiple=True, help="加载插件模块（如 mypkg.plugin，可多次）")
@click.option("--province", default=None, help="规则包（默认 national）")
@click.option("--select", multiple=True, help="只运行这些规则（编号或前缀，逗号分隔）")
@click.option("--ignore", multiple=True, help="不运行这些规则（编号或前缀，逗号分隔；最长前缀优先）")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None, help="达到该级别的问题使退出码为 1（默认 error）")
@click.option("--min-score", type=click.FloatRange(0, 100), default=None, help="得分低于此值时退出码为 1")
@click.option("--year", type=click.IntRange(2000, 2100), default=None, help="指定报告年度（覆盖自动识别）")
@click.option("--published", default=None, help="指定发布日期 YYYY-MM-DD（覆盖自动识别）")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="消息语言")
@click.option("--color/--no-color", default=None, help="彩色输出（默认：终端上开启）")
@click.option("--max-size", type=click.FloatRange(0.001), default=64, show_default=True, help="单个文件大小上限（MB）")
@click.option("--jobs", "-j", type=click.IntRange(0), default=0, show_default=True,
              help="并行进程数；0 表示按 CPU 数自动决定（报告较少时不并行）")
@click.option("--list-rules", is_flag=True, help="列出生效的规则并退出")
@click.option("--explain", metavar="RULE", default=None, help="解释一条规则（说明、依据、样例）并退出")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="使用这个配置文件（.fazhi-lint.yaml 或 pyproject.toml），不向上查找")
@click.option("--no-config", is_flag=True, help="不读取任何配置文件")
@click.option("--show-config", is_flag=True, help="显示生效的配置及每项的来源并退出")
@click.option("--suppressions", "suppressions_path", type=click.Path(dir_okay=False), default=None,
              help="抑制文件（默认向上查找 fazhi-lint-suppressions.yaml）")
@click.option("--no-suppressions", is_flag=True, help="忽略所有抑制条目（督察视角）")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), default=None,
              help="基线文件：只报告基线中没有的问题")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False), default=None,
              help="把本次的问题写入基线文件")
@click.option("--statistics", is_flag=True, help="输出每条规则的问题条数")
@click.option("--output-format", "output_style", type=click.Choice(["concise", "full", "grouped"]), default="concise",
              show_default=True, help="text 格式的样式：concise 一行一个问题；full 加提示和依据；grouped 按报告分组（得分、缺少的要素）")
@click.option("--fix", is_flag=True, help="自动修复规则声明了 fix 的问题（如 法制政府→法治政府），按原编码和换行写回，再报告剩余问题")
@click.option("--diff", "show_diff", is_flag=True, help="不写文件，以统一差异格式显示 --fix 会做的修改；有可修复的问题时退出码为 1")
@click.option("--min-severity", type=click.Choice(["info", "warning", "error"]), default="info", show_default=True,
              help="只显示达到该级别的问题（退出码仍由 --fail-on 决定）")
def check(paths, formats, output, rules_paths, plugin_modules, province, select, ignore, fail_on, min_score,
          year, published, lang, color, max_size, list_rules, explain, config_path, no_config, show_config,
          suppressions_path, no_suppressions, baseline_path, write_baseline_path, statistics, jobs,
          output_style, min_severity, fix, show_diff):
    """检查报告文件或目录（目录下的 *.txt）。"""
    import datetime

    from .config import ConfigError, describe, load_settings
    from .outputs.targets import TargetError, parse_targets, write_targets

    if published:
        try:
            datetime.date.fromisoformat(published)
        except ValueError:
            _err(f"--published 必须是 YYYY-MM-DD 格式，而不是 {published!r}")
            sys.exit(EXIT_USAGE)
    cli_values = {
        "select": (",".join(select) if select else None, "--select"),
        "ignore": (",".join(ignore) if ignore else None, "--ignore"),
        "province": (province, "--province"),
        "fail-on": (fail_on, "--fail-on"),
        "min-score": (min_score, "--min-score"),
        "format": (tuple(formats) if formats else None, "--format"),
        "suppressions": (suppressions_path, "--suppressions"),
        "baseline": (baseline_path, "--baseline"),
    }
    try:
        settings = load_settings(paths, cli_values, config_path, use_config=not no_config)
    except ConfigError as exc:
        _err(str(exc))
        sys.exit(EXIT_USAGE)
    if show_config:
        click.echo(describe(settings), nl=False)
        sys.exit(EXIT_OK)
    plugins, ruleset = _load(rules_paths, plugin_modules, settings["province"], settings["select"], settings["ignore"])
    from .thresholds import apply_thresholds

    config_problems = plugins.errors + ruleset.errors + apply_thresholds(
        ruleset, settings["thresholds"], bool(settings["select"] or settings["ignore"]))
    for problem in config_problems:
        _err(problem)
    if list_rules:
        _print_rules(ruleset)
        sys.exit(EXIT_USAGE if config_problems else EXIT_OK)
    if explain:
        sys.exit(_explain(ruleset, explain) or (EXIT_USAGE if config_problems else EXIT_OK))
    available = plugins.output_formats()
    try:
        targets = parse_targets(settings["format"], output, available)
    except TargetError as exc:
        _err(str(exc))
        sys.exit(EXIT_USAGE)
    if not paths:
        _err("请给出要检查的报告文件或目录，例如：fazhi-lint seeds/")
        sys.exit(EXIT_USAGE)
    files, missing, problems = find_reports(paths)
    for problem in problems:
        _err(problem)
    try:
        waivers = _waivers(settings, paths, no_suppressions, write_baseline_path)
    except ValueError as exc:
        _err(str(exc))
        sys.exit(EXIT_USAGE)

    from .gate import apply_waivers

    from .records import Result

    for path in missing:
        _err(f"{path}: 文件或目录不存在")
    from .batch import check_paths

    results = check_paths(files, ruleset, jobs, year=year, published=published, lang=lang,
                          max_bytes=int(max_size * 1024 * 1024))
    results += [Result(path=p, error="文件或目录不存在") for p in missing]
    if fix or show_diff:
        results, fix_failed = _fix(results, ruleset, waivers, not show_diff, lambda: check_paths(
            files, ruleset, jobs, year=year, published=published, lang=lang, max_bytes=int(max_size * 1024 * 1024))
            + [Result(path=p, error="文件或目录不存在") for p in missing])
        problems = problems + fix_failed
    extra, written = apply_waivers(results, ruleset, waivers)
    results += extra
    if written is not None:
        _err(f"已写入基线 {write_baseline_path}：{written} 条问题")
    to_stdout = [t for t in targets if t.path is None]
    colour = color if color is not None else (bool(to_stdout) and sys.stdout.isatty())
    context = {"version": __version__, "ruleset": ruleset, "fail_on": settings["fail-on"], "lang": lang,
               "colour": colour, "pack": ruleset.pack, "settings": settings, "output_format": output_style,
               "source_text": _source_reader(max_size)}
    shown = at_least(results, min_severity)
    write_targets(targets, available, shown, context, lambda text: click.echo(text, nl=False, color=colour))
    if statistics:
        from .outputs.statistics import render_statistics

        on_stderr = any(t.name != "text" for t in to_stdout)
        click.echo(render_statistics(shown, ruleset, lang), nl=False, err=on_stderr)
    sys.exit(exit_code(results, settings["fail-on"], settings["min-score"], bool(problems or config_problems)))


def _fix(results, ruleset, waivers, write, recheck):
    """--fix (``write``) or --diff: returns the results to report and the files not fixed.
    --diff prints the diffs and exits (1 when there is something to fix)."""
    import copy
    import dataclasses

    from .fixing.run import fix_results
    from .gate import apply_waivers

    marked = copy.deepcopy(results)        # suppressed findings are not fixed; the real pass comes later
    apply_waivers(marked, ruleset, dataclasses.replace(waivers, write_baseline=None))
    outcome = fix_results(marked, write, _err)
    failed = [f"{path}: {why}" for path, why in outcome.failed.items()]
    total = sum(outcome.fixed.values())
    if not write:
        click.echo("".join(outcome.diffs), nl=False)
        _err(f"共 {total} 处可自动修复（{len(outcome.fixed)} 个文件）；用 --fix 写回")
        sys.exit(EXIT_USAGE if failed else (EXIT_FINDINGS if total else EXIT_OK))
    _err(f"共修复 {total} 处（{len(outcome.fixed)} 个文件）；以下是剩余的问题")
    return (recheck() if outcome.fixed else results), failed


def _waivers(settings, paths, no_suppressions, write_baseline_path):
    """Per-file ignores, suppressions and baseline for this run; ValueError names what is wrong."""
    from . import baseline as baseline_mod
    from . import suppressions as suppressions_mod
    from .config import start_folder
    from .gate import Waivers, ignore_chooser

    waivers = Waivers(root=settings.root, write_baseline=write_baseline_path,
                      per_file_ignores=[(glob, ignore_chooser(ids)) for glob, ids in settings["per-file-ignores"].items()])
    if not no_suppressions:
        path = settings["suppressions"] or suppressions_mod.find_suppressions(start_folder(paths))
        if path:
            try:
                waivers.suppressions = suppressions_mod.load_suppressions(path)
            except suppressions_mod.SuppressionError as exc:
                raise ValueError(str(exc)) from None
    if settings["baseline"]:
        try:
            waivers.baseline = baseline_mod.load_baseline(settings["baseline"])
        except baseline_mod.BaselineError as exc:
            if not write_baseline_path:
                raise ValueError(str(exc)) from None
    return waivers


def _source_reader(max_size):
    """The text of a checked report, for outputs that show it (the HTML report)."""
    def read(path):
        from .document import read_path

        return read_path(path, int(max_size * 1024 * 1024))[0]
    return read


def at_least(results, min_severity: str) -> list:
    """The results as shown: findings below ``min_severity`` left out (scores and the exit code keep them)."""
    import dataclasses

    from .records import SEVERITY_RANK

    floor = SEVERITY_RANK[min_severity]
    if floor == 0:
        return results
    return [dataclasses.replace(r, findings=[f for f in r.findings if SEVERITY_RANK.get(f.severity, 0) >= floor])
            for r in results]


def exit_code(results, fail_on, min_score, usage_problem) -> int:
    from .records import SEVERITY_RANK

    if any(r.internal_errors for r in results):
        return EXIT_INTERNAL
    if usage_problem or any(r.error for r in results):
        return EXIT_USAGE
    if fail_on != "never":
        floor = SEVERITY_RANK[fail_on]
        if any(SEVERITY_RANK[f.severity] >= floor for r in results for f in r.findings if f.suppressed is None):
            return EXIT_FINDINGS
    if min_score is not None and any(r.score is not None and r.score < min_score for r in results):
        return EXIT_FINDINGS
    return EXIT_OK


def _shown_path(where: str) -> str:
    """A ``file:line`` shortened to a path relative to the working folder when that is shorter."""
    path, sep, line = where.rpartition(":")
    if not sep or not path:
        return where
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return where
    return f"{rel if len(rel) < len(path) else path}:{line}"


def _print_rules(ruleset) -> None:
    """The effective rule set, one rule a line: id, severity, kind, pack, file:line, origin, title."""
    click.echo(f"# 规则包 {ruleset.pack}（{' → '.join(ruleset.chain) or '无'}），共 {len(ruleset.rules)} 条规则")
    for rule in ruleset.rules:
        prov = ruleset.provenance.get(rule.id)
        pack, source, label = (prov.pack, prov.source, prov.label(_shown_path)) if prov else (rule.pack, rule.source, "")
        click.echo("\t".join([rule.id, rule.severity, rule.check, pack, _shown_path(source), label or "-", rule.title]))
    for rule_id, pack, where in ruleset.disabled:
        click.echo(f"# 已停用 {rule_id}（规则包 {pack}，{_shown_path(where)}）")
    for failure in ruleset.plugin_failures:
        click.echo(f"# FZ-X01 {failure}")


def _explain(ruleset, rule_id):
    rule = ruleset.by_id(rule_id)
    if rule is None:
        _err(f"没有规则 {rule_id}")
        return EXIT_USAGE
    lines = [f"{rule.id}  {rule.title}", f"级别：{rule.severity}    权重：{rule.weight:g}    检查类型：{rule.check}    范围：{rule.scope}",
             f"消息：{rule.message}", f"提示：{rule.hint}", f"依据：{rule.basis}"]
    if rule.rationale:
        lines.append(f"说明：{rule.rationale.strip()}")
    lines.append(f"定义于：{rule.source}（规则包 {rule.pack}）")
    for label, examples in (("应触发的样例", rule.examples_fire), ("不应触发的样例", rule.examples_pass)):
        lines.append(f"{label}：")
        lines.extend("  · " + ex.text.strip().replace("\n", "\n    ") for ex in examples)
    click.echo("\n".join(lines))
    return None


@main.command("diff")
@click.argument("old_path", metavar="OLD")
@click.argument("new_path", metavar="NEW")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="输出格式")
@click.option("--fail-on-new", is_flag=True, help="新稿出现旧稿没有的问题时退出码为 1")
@click.option("--rules", "rules_paths", multiple=True, type=click.Path(), help="追加规则文件或目录（可多次）")
@click.option("--plugin", "plugin_modules", multiple=True, help="加载插件模块（可多次）")
@click.option("--province", default=None, help="规则包（默认 national）")
@click.option("--select", multiple=True, help="只运行这些规则（编号或前缀，逗号分隔）")
@click.option("--ignore", multiple=True, help="不运行这些规则（编号或前缀，逗号分隔）")
def diff_command(old_path, new_path, fmt, fail_on_new, rules_paths, plugin_modules, province, select, ignore):
    """比较同一报告的两稿：哪些问题已改正、哪些是新出现的、哪些仍未改正（按文字指纹匹配，不看行号）。"""
    from .compare.drafts import diff_results, render_diff_json, render_diff_text
    from .engine import check_path
    from .fingerprint import ContextReader

    plugins, ruleset = _load(rules_paths, plugin_modules, province, select, ignore)
    for problem in plugins.errors + ruleset.errors:
        _err(problem)
    for path in (old_path, new_path):
        if not os.path.isfile(path):
            _err(f"{path}: 文件不存在")
            sys.exit(EXIT_USAGE)
    result = diff_results(check_path(old_path, ruleset), check_path(new_path, ruleset), ContextReader())
    click.echo(render_diff_json(result, __version__) if fmt == "json" else render_diff_text(result), nl=False)
    if result.errors:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if fail_on_new and result.new else EXIT_OK)


@main.command("plugins")
@click.option("--plugin", "plugin_modules", multiple=True, help="同时加载插件模块（如 mypkg.plugin）")
def plugins_command(plugin_modules):
    """列出已加载的插件：版本、实现的钩子、提供的规则包和规则编号前缀。"""
    from .plugins import build_plugins
    from .rules.packs import pack_rule_ids

    plugins = build_plugins(plugin_modules)
    packs = plugins.rule_packs()
    kinds = plugins.kinds()
    for name, info in plugins.infos.items():
        own_packs = [p for p in packs if p.plugin == name]
        prefixes = sorted({rid.split("-", 1)[0] for p in own_packs for rid in pack_rule_ids(p)})
        own_kinds = sorted(k.name for k in kinds.values() if k.plugin_name == name)
        click.echo(f"{name} {info.version or '?'}（{info.origin}{'，' + info.distribution if info.distribution else ''}）")
        click.echo(f"  钩子：{', '.join(plugins.hooks_of(name)) or '无'}")
        if own_packs:
            click.echo("  规则包：" + "; ".join(
                p.name + (f"（扩展 {p.extends}）" if p.extends else "") for p in own_packs))
            click.echo(f"  规则前缀：{', '.join(prefixes) or '无'}")
        if own_kinds:
            click.echo(f"  检查类型：{', '.join(own_kinds)}")
    for problem in plugins.errors:
        _err(problem)
    for failure in plugins.failures:
        _err(f"FZ-X01 {failure}")
    sys.exit(EXIT_INTERNAL if plugins.failures else (EXIT_USAGE if plugins.errors else EXIT_OK))


@main.command("test-rules")
@click.argument("paths", nargs=-1, required=True)
@click.option("--plugin", "plugin_modules", multiple=True, help="同时加载插件模块（如 mypkg.plugin）")
def test_rules_command(paths, plugin_modules):
    """运行规则自带的样例（fire 必须触发，pass 不得触发）并检查插件契约；失败时退出码为 1。

    PATH 可以是规则目录（如 rules/），也可以是插件项目目录（含 pyproject.toml，如 plugins/fazhi-lint-sichuan/）。
    """
    from .ruletest import run

    report = run(paths, plugin_modules)
    click.echo("\n".join(report.lines))
    sys.exit(EXIT_OK if report.ok() else EXIT_FINDINGS)


if __name__ == "__main__":  # pragma: no cover
    main()
