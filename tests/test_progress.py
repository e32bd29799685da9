"""The batch progress bar: on a terminal only, on standard error, silent with --quiet or when piped."""
import os
import pty
import select
import subprocess
import sys
import time

import pytest

from checker.cli.progress import NO_PROGRESS, Bar, progress_for

from .cli_helpers import copy_seeds

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def _run_on_terminal(args, stdout_tty=True):
    """Run fazhi-lint with stderr (and stdout, unless ``stdout_tty`` is False) on a pseudo-terminal.

    Both the terminal and the stdout pipe are read as the child writes them, until each is closed: a
    child blocked on a full pipe (its JSON is far over the 64 KB a pipe holds) would otherwise never
    close the terminal."""
    master, slave = pty.openpty()
    stdout = slave if stdout_tty else subprocess.PIPE
    proc = subprocess.Popen([sys.executable, "-m", "checker", *args], stdout=stdout, stderr=slave,
                            env={**os.environ, "COLUMNS": "120"})
    os.close(slave)
    pipe = proc.stdout.fileno() if proc.stdout else None
    seen = {master: b"", pipe: b""} if proc.stdout else {master: b""}
    open_fds = set(seen)
    deadline = time.monotonic() + 60
    while open_fds:
        ready, _, _ = select.select(list(open_fds), [], [], max(0.0, deadline - time.monotonic()))
        if not ready:                     # the child hangs: fail below instead of hanging the suite
            break
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:               # the child closed the terminal (EIO on Linux)
                chunk = b""
            if chunk:
                seen[fd] += chunk
            else:
                open_fds.discard(fd)
    if open_fds:
        proc.kill()
    proc.wait(timeout=60)
    os.close(master)
    if proc.stdout:
        proc.stdout.close()
    assert not open_fds, f"fazhi-lint {args} did not finish within 60 s"
    return seen[master].decode("utf-8", "replace"), seen.get(pipe, b"").decode("utf-8", "replace")


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


@pytest.mark.parametrize("target", ["-o", "--format"])
def test_the_bar_is_ended_by_a_newline_before_the_summary_when_output_goes_to_a_file(tmp_path, target):
    seeds = copy_seeds(tmp_path / "s")
    out = tmp_path / "out.html"
    args = ["-o", str(tmp_path / "out.txt")] if target == "-o" else ["--format", f"html:{out}"]
    terminal, _ = _run_on_terminal(["check", seeds, "-j", "1", *args])
    bar_end = terminal.rindex("5/5")
    after = terminal[bar_end:]
    first_message = after.index("fazhi-lint:")
    assert "\n" in after[:first_message], repr(after)                 # the bar's line is ended
    lines = [line.strip("\r") for line in terminal[bar_end:].split("\n")]
    assert lines[1].startswith("fazhi-lint: 已写入") and lines[-2].startswith("fazhi-lint: 共检查 5 个报告"), lines
