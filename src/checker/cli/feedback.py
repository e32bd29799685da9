"""``fazhi-lint feedback INBOX --output-dir letters/``: one feedback letter (反馈意见) per report.

The reports are checked exactly as ``check`` would (configuration, rule pack, suppressions): the
run goes through ``check``'s own steps, then each readable report gets a letter from
``outputs/letters.py`` (.docx, or Markdown with ``--format md``). An unreadable report gets no
letter, is named on standard error and makes the exit code 2; every other letter is still written.
"""
from __future__ import annotations

import os
import sys

import click

from ..errors import EXIT_OK, EXIT_USAGE, FazhiError
from .common import err, ruleset_options, safe_name


@click.command("feedback")
@click.argument("paths", nargs=-1)
@click.option("--output-dir", required=True, type=click.Path(file_okay=False), help="反馈意见写入的目录（每份报告一个文件）")
@click.option("--format", "letter_format", type=click.Choice(["docx", "md"]), default="docx", show_default=True,
              help="docx（Word 文档）或 md（Markdown）")
@click.option("--min-severity", type=click.Choice(["info", "warning", "error"]), default="warning", show_default=True,
              help="反馈意见列出达到该级别的问题")
@click.option("--office", default="", help="落款单位（如 某某县司法局）")
@click.option("--date", "letter_date", default="", help="落款日期（如 2024年4月15日）")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None, help="使用这个配置文件")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条")
@click.option("--previous", "previous_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="上一年度报告所在目录：意见中加上跨年度问题（FZ-Y01/Y02/Y04）")
@click.option("--copies", is_flag=True, help="意见中加上与同批次其他报告雷同的部分（FZ-Y03）")
@click.option("--db", "db", default=None, metavar="PATH|URL",
              help="从审查台数据库写（fazhi-lint serve）：状态为“已审”的报告，按审阅人的决定（不采纳的问题不写入）")
@ruleset_options
def feedback(paths, output_dir, letter_format, min_severity, office, letter_date, config_path, quiet,
             previous_dir, copies, db, plugin_modules, province, rules_paths):
    """为每份报告写一份反馈意见（整改意见）：按法定要素列出问题、原文位置和修改建议，注明得分和缺少的要素。"""
    from ..outputs.escape import visible_in
    from ..outputs.letters import letter, letter_file_name, to_docx, to_markdown
    from ..outputs.targets import OutputProblem, encode_output, refuse_output_folder, refuse_overwriting_reports, \
        write_file
    from ..records import SEVERITY_RANK
    from .check import Run, check

    for option, value in (("--office", office), ("--date", letter_date)):
        if value != visible_in(value):                 # a letter is a document: no control characters
            err(f"{option} 含有控制字符（{safe_name(value)}），请去掉后重试")
            sys.exit(EXIT_USAGE)

    if db or not paths:                     # the desk's letters (issue 23): serve/letters.py
        from ..serve.letters import write_from_store

        sys.exit(write_from_store(db, output_dir, letter_format, office, letter_date, province, plugin_modules,
                                  rules_paths, err) if db else (err("请给出报告文件或目录，或用 --db 指定审查台数据库") or 2))

    args = [*paths, *(["--config", config_path] if config_path else []), *(["--province", province] if province else [])]
    args += [x for p in plugin_modules for x in ("--plugin", p)] + [x for r in rules_paths for x in ("--rules", r)]
    args += (["--previous", previous_dir] if previous_dir else []) + (["--copies"] if copies else [])
    run = Run(check.make_context("check", [*args, *(["--quiet"] if quiet else [])]).params)
    try:
        refuse_output_folder(output_dir, [p for p in (*paths, previous_dir) if p and os.path.isdir(p)],
                             [p for p in paths if os.path.isfile(p)])
        for step in (run.read_settings, run.load, run.check_reports):
            step()
    except FazhiError as exc:
        err(str(exc))
        sys.exit(exc.exit_code)
    written, floor, failed = 0, SEVERITY_RANK[min_severity], 0
    inputs = [i.path for i in run.outcome.inputs if i.path]
    reports = run.outcome.reports
    for index, result in enumerate(reports, 1):
        if result.error:
            err(f"{safe_name(result.path)}: 无法检查，未写反馈意见：{result.error}")
            continue
        content = visible_in(letter(result, run.ruleset, floor, office, letter_date))   # no control characters
        name = os.path.join(output_dir, letter_file_name(result, index, "." + letter_format))
        try:                          # atomic, never through a link, never over a report (output layer)
            refuse_overwriting_reports([name], inputs)
            write_file(name, encode_output(to_markdown(content), "md") if letter_format == "md" else to_docx(content))
        except (OutputProblem, FazhiError) as exc:
            err(str(exc))
            failed += 1
            continue
        written += 1
    err(f"已写入 {written} 份反馈意见到 {safe_name(output_dir)}" + (f"，{failed} 份未能写入" if failed else ""))
    code = max(run.outcome.exit_code("never"), EXIT_USAGE if failed else EXIT_OK)
    sys.exit(code)


COMMANDS = [feedback]
