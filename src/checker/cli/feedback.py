"""``fazhi-lint feedback INBOX --output-dir letters/``: one feedback letter (反馈意见) per report.

The reports are checked exactly as ``check`` would (configuration, rule pack, suppressions): the
run goes through ``check``'s own steps, then each report gets a letter from ``outputs/letters.py``
(.docx laid out as a 公文, or Markdown with ``--format md``), and an index beside the letters
(反馈意见索引.xlsx and .csv: letter file, source file, unit, score, counts) maps each letter back to
the file it answers. A file that is not an annual report (a cover letter, a notice) or that could not
be read gets no letter: the index and standard error name it with the reason, and the exit code is 2;
every other letter is still written.

The output folder must be empty (or not exist): a second run into the same folder would mix two sets
of letters. ``--replace`` replaces the set a previous run wrote there (the files its index names, and
the index); a folder holding anything else is refused even then.
"""
from __future__ import annotations

import os
import sys

import click

from ..errors import EXIT_OK, EXIT_USAGE, FazhiError
from .common import err, ruleset_options, safe_name

INDEX_NAME = "反馈意见索引"
INDEX_COLUMNS = ("反馈意见文件", "报告文件", "单位", "得分", "错误", "警告", "提示", "备注")


@click.command("feedback")
@click.argument("paths", nargs=-1)
@click.option("--output-dir", required=True, type=click.Path(file_okay=False), help="反馈意见写入的目录（须为空目录或不存在）")
@click.option("--replace", is_flag=True, help="替换该目录中上一次写入的整套反馈意见（只删除其索引列出的文件）")
@click.option("--format", "letter_format", type=click.Choice(["docx", "md"]), default="docx", show_default=True,
              help="docx（按公文格式排版的 Word 文档）或 md（Markdown）")
@click.option("--min-severity", type=click.Choice(["info", "warning", "error"]), default="warning", show_default=True,
              help="反馈意见列出达到该级别的问题（其余只计数）")
@click.option("--office", default="", help="发文机关署名（如 某某县司法局）")
@click.option("--date", "letter_date", default="", help="成文日期（如 2025年3月10日；默认今天）")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None, help="使用这个配置文件")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条")
@click.option("--previous", "previous_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="上一年度报告所在目录：意见中加上跨年度问题（FZ-Y01/Y02/Y04）")
@click.option("--copies", is_flag=True, help="意见中加上与同批次其他报告雷同的部分（FZ-Y03）")
@click.option("--db", "db", default=None, metavar="PATH|URL",
              help="从审查台数据库写（fazhi-lint serve）：状态为“已审”的报告，按审阅人的决定（不采纳的问题不写入）")
@ruleset_options
def feedback(paths, output_dir, replace, letter_format, min_severity, office, letter_date, config_path, quiet,
             previous_dir, copies, db, plugin_modules, province, rules_paths):
    """为每份报告写一份反馈意见（整改意见）：按法定要素列出问题、原文位置、修改建议和依据，注明得分和缺少的要素。"""
    from ..outputs.escape import visible_in
    from ..outputs.targets import OutputProblem, refuse_output_folder
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
        run.read_settings()
        run.load()
        stale = previous_set(output_dir, replace)
        run.check_reports()
    except FazhiError as exc:
        err(str(exc))
        sys.exit(exc.exit_code)
    written, rows, not_written, failed = write_letters(run, output_dir, letter_format, SEVERITY_RANK[min_severity],
                                                       office, letter_date)
    for path in stale:                             # the set a previous run wrote, not rewritten by this one
        if os.path.basename(path) not in written:
            os.unlink(path)
    try:
        index_files = write_index(output_dir, rows)
    except OutputProblem as exc:
        err(str(exc))
        index_files, failed = [], failed + 1
    if not office:
        err("未给出 --office：落款处留有“（发文机关署名）”，请填写后再发出")
    for path, reason in [*not_written, *run.outcome.skipped]:
        err(f"{safe_name(path)}: 未写反馈意见：{reason}")
    err(f"已写入 {len(written)} 份反馈意见" + (f"和索引（{'、'.join(index_files)}）" if index_files else "")
        + f"到 {safe_name(output_dir)}；{len(not_written) + len(run.outcome.skipped)} 个文件没有反馈意见"
        + (f"，{failed} 个文件未能写入" if failed else ""))
    sys.exit(max(run.outcome.exit_code("never"), EXIT_USAGE if failed else EXIT_OK))


def previous_set(output_dir: str, replace: bool) -> list:
    """The files of a previous run's set in ``output_dir`` (to be replaced); UsageError (exit 2)
    when the folder holds files and ``replace`` is off, or holds files that set does not name."""
    from ..errors import UsageError

    if not os.path.exists(output_dir):
        return []
    if not os.path.isdir(output_dir):
        raise UsageError(f"--output-dir {output_dir}：不是目录")
    present = sorted(name for name in os.listdir(output_dir) if not name.startswith("."))
    if not present:
        return []
    if not replace:
        raise UsageError(f"--output-dir {output_dir}：目录不是空的（已有 {len(present)} 个文件）；"
                         "为免两次的反馈意见混在一起，请换一个空目录，或加 --replace 替换上一次写入的整套反馈意见")
    ours = {f"{INDEX_NAME}.csv", f"{INDEX_NAME}.xlsx"} | _indexed_letters(output_dir)
    foreign = [name for name in present if name not in ours]
    if foreign or f"{INDEX_NAME}.csv" not in present:
        raise UsageError(f"--output-dir {output_dir}：目录中有不是上一次反馈意见的文件（如 {foreign[0] if foreign else present[0]}），"
                         "--replace 只替换 fazhi-lint 写入的整套反馈意见；请换一个空目录")
    return [os.path.join(output_dir, name) for name in present]


def _indexed_letters(output_dir: str) -> set:
    """The letter files a previous run's index (its .csv) names."""
    import csv

    path = os.path.join(output_dir, f"{INDEX_NAME}.csv")
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return {row[0] for row in list(csv.reader(handle))[1:] if row and row[0] and os.sep not in row[0]}
    except (OSError, UnicodeDecodeError, csv.Error):
        return set()


def write_letters(run, output_dir, letter_format, floor, office, letter_date):
    """(letter file names written, index rows, [(path, reason)] of the reports given no letter,
    number of letters that could not be written). Each letter is written atomically, never through
    a link nor over a report of the run (the output layer); a failed write is named and the other
    letters are still written."""
    from ..outputs import desk
    from ..outputs.escape import visible_in
    from ..outputs.letters import letter, letter_file_name, to_docx, to_markdown
    from ..outputs.targets import OutputProblem, encode_output, refuse_overwriting_reports, shown_name, write_file

    written, rows, not_written, failed = [], [], [], 0
    inputs = [i.path for i in run.outcome.inputs if i.path]
    results = [r for r in run.outcome.results if r.is_report or desk.is_not_a_report(r)]
    for index, result in enumerate(results, 1):
        if result.error:
            rows.append(["", shown_name(result.path), desk.unit_name(result) if result.is_report else "", None, None, None, None,
                         result.error])
            not_written.append((result.path, result.error))
            continue
        content = visible_in(letter(result, run.ruleset, floor, office, letter_date))   # no control characters
        name = letter_file_name(result, index, "." + letter_format)
        data = encode_output(to_markdown(content), "md") if letter_format == "md" else to_docx(content)
        try:
            refuse_overwriting_reports([os.path.join(output_dir, name)], inputs)
            write_file(os.path.join(output_dir, name), data)
        except (OutputProblem, FazhiError) as exc:     # disk full, no permission, a report in the way
            err(str(exc))
            failed += 1
            continue
        written.append(name)
        c = desk.counts(result)
        rows.append([name, shown_name(result.path), desk.unit_name(result), result.score, c["error"], c["warning"], c["info"],
                     "" if desk.has_unit(result) else "报告中未识别出单位名称，主送机关待填写"])
    return written, rows, not_written, failed


def write_index(output_dir: str, rows) -> list:
    """反馈意见索引.csv (UTF-8 with a byte-order mark, for Excel) and .xlsx beside the letters."""
    import csv
    import io

    from ..outputs.targets import encode_output, write_file

    rows = [[v.encode("utf-8", "backslashreplace").decode("utf-8") if isinstance(v, str) else v for v in row]
            for row in rows]                  # a name that was not UTF-8: its escape, as in every output
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(INDEX_COLUMNS)
    for row in rows:
        writer.writerow(["" if v is None else (f"'{v}" if isinstance(v, str) and v and v[0] in "=+-@" else v) for v in row])
    write_file(os.path.join(output_dir, f"{INDEX_NAME}.csv"), encode_output("\ufeff" + text.getvalue(), "csv"))
    write_file(os.path.join(output_dir, f"{INDEX_NAME}.xlsx"), _index_xlsx(rows))
    return [f"{INDEX_NAME}.xlsx", f"{INDEX_NAME}.csv"]


def _index_xlsx(rows) -> bytes:
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    header = book.add_format({"bold": True, "bg_color": "#F3F1EC", "border": 1})
    quoted = book.add_format({"quote_prefix": True})
    sheet = book.add_worksheet("索引")
    for col, (title, width) in enumerate(zip(INDEX_COLUMNS, (28, 36, 30, 7, 6, 6, 6, 40))):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, title, header)
    for r, row in enumerate(rows, 1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if type(value) in (int, float):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, str(value), quoted if str(value)[0] in "=+-@" else None)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(INDEX_COLUMNS) - 1)
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    book.close()
    return buffer.getvalue()


COMMANDS = [feedback]
