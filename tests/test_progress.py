"""The batch progress bar: on a terminal only, on standard error, silent with --quiet or when piped."""
import os
import pty
import select
import subprocess
import sys

import pytest

from checker.cli.progress import NO_PROGRESS, Bar, progress_for

from .cli_helpers import copy_seeds

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def _run_on_terminal(args, stdout_tty=True):
    """Run fazhi-lint with stderr (and stdout, unless ``stdout_tty`` is False) on a pseudo-terminal."""
    master, slave = pty.openpty()
    stdout = slave if stdout_tty else subprocess.PIPE
    proc = subprocess.Popen([sys.executable, "-m", "checker", *args], stdout=stdout, stderr=slave,
                            env={**os.environ, "COLUMNS": "120"})
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:           # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    piped = proc.stdout.read() if proc.stdout else b""
    proc.wait(timeout=60)
    os.close(master)
    return seen.decode("utf-8", "replace"), piped.decode("utf-8", "replace")


def test_bar_on_a_terminal_shows_done_total_and_file(tmp_path):
    seeds = copy_seeds(tmp_path / "s")
    terminal, _ = _run_on_terminal(["check", seeds, "-j", "1"])
    assert "检查报告" in terminal and "5/5" in terminal and "份/秒" in terminal


def test_quiet_or_piped_output_has_no_bar(tmp_path):
    seeds = copy_seeds(tmp_path / "s")
    terminal, _ = _run_on_terminal(["check", seeds, "-j", "1", "--quiet"])
    assert "检查报告" not in terminal and "FZ-" in terminal
    terminal, piped = _run_on_terminal(["check", seeds, "-j", "1", "--format", "json"], stdout_tty=False)
    assert "检查报告" not in terminal and "检查报告" not in piped and piped.startswith("{")


def test_progress_for_needs_a_person_watching(tmp_path):
    class Tty:
        def isatty(self):
            return True
    assert isinstance(progress_for(False, 5, Tty(), Tty()), Bar)
    assert progress_for(True, 5, Tty(), Tty()) is NO_PROGRESS
    assert progress_for(False, 1, Tty(), Tty()) is NO_PROGRESS                # one file is not a batch
    assert progress_for(False, 5, open(os.devnull, "w"), Tty()) is NO_PROGRESS
