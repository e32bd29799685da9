"""Run the CLI in-process and copy reports into temporary folders."""
import os
import shutil

from click.testing import CliRunner

from checker.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data")
GOOD_REPORT = os.path.join(DATA, "reports", "good_report.txt")
# The rule families the good report is written to satisfy (structure, wording, timing, plan, text quality,
# problems, evidence, responsibility, study): ``--select`` these where a test needs a report with no
# findings, so that rule families added later do not change what such a test checks. The JUnit test in
# test_ci_outputs.py checks the promise (no failing case for any of these rules).
GOOD_REPORT_RULES = "FZ-S,FZ-W,FZ-T,FZ-N,FZ-C,FZ-P,FZ-Q,FZ-R,FZ-L"
SEEDS = os.path.join(ROOT, "seeds")


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)      # click < 8.2
    except TypeError:
        return CliRunner()                      # click >= 8.2 keeps stderr apart


def run(*args):
    """Invoke ``fazhi-lint ARGS``; the result has exit_code, stdout and stderr."""
    return runner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def rule_ids(list_rules_output: str) -> list:
    """The rule ids in ``--list-rules`` output (one rule a line; lines starting with '#' are headings)."""
    return [line.split()[0] for line in list_rules_output.splitlines() if line.strip() and not line.startswith("#")]


def good_text() -> str:
    with open(GOOD_REPORT, encoding="utf-8") as handle:
        return handle.read()


def bad_text() -> str:
    """The good report with one error on line 3: 法制政府 instead of 法治政府 (FZ-W01)."""
    return good_text().replace("扎实推进法治政府建设。", "扎实推进法制政府建设。", 1)


def write(path, text) -> str:
    os.makedirs(os.path.dirname(str(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return str(path)


def copy_seeds(folder) -> str:
    os.makedirs(folder, exist_ok=True)
    for name in sorted(os.listdir(SEEDS)):
        shutil.copy(os.path.join(SEEDS, name), os.path.join(folder, name))
    return str(folder)
