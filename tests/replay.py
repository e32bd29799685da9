"""What the replay of issue 22 needs to run a command as an examiner would: a subprocess in a
process group of its own, with a time limit, its peak memory (from ``wait4``: the command and every
process it waited for, its workers and LibreOffice included), the check that nothing of it outlives
it, and, when the tests run as root, the same command as an ordinary user (permissions mean nothing
to root: an unreadable folder or a read-only one is only unreadable for someone else).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass

from .cli_helpers import ROOT
from .test_faults import _assert_nothing_left, _env

NOBODY = 65534
MEMORY_BASE_KB = 100 * 1024          # README "Memory": 100 MB + 80 x the file, per process


# The command is started by a small launcher, which waits for it with wait4: the peak it reports is the
# command's (with its workers and LibreOffice, which it waits for), not the pytest process it was forked
# from (Linux keeps the largest resident size a process had, the forked parent's pages included).
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def memory_bound_kb(file_bytes: int) -> int:
    return MEMORY_BASE_KB + 80 * file_bytes // 1024


@dataclass
class Ran:
    returncode: int
    stdout: bytes
    stderr: bytes
    seconds: float
    peak_kb: int

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.stdout.decode("utf-8"))        # strict UTF-8: an invalid byte fails here


def fazhi(*args, timeout: float = 60, user=None, cwd=ROOT, stdin=None, before=None, **extra_env) -> Ran:
    """``python -m checker ARGS`` in its own process group; fails the test past ``timeout`` seconds
    (the group killed), when a traceback reaches standard error, or when a process of the run (a worker,
    LibreOffice) is still alive after it. ``user``: run as this uid (with setpriv) when the tests run as root."""
    report = tempfile.NamedTemporaryFile(prefix="fazhi-lint-replay-rss-", delete=False)
    report.close()
    os.chmod(report.name, 0o666)
    command = [sys.executable, "-m", "checker", *(os.fsdecode(a) if isinstance(a, bytes) else str(a) for a in args)]
    env = _env(**extra_env)
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
        env["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="fazhi-lint-replay-cache-")
        os.chmod(env["XDG_CACHE_HOME"], 0o777)
    command = [sys.executable, "-c", _LAUNCHER, report.name, *command]
    started = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd,
                            stdin=stdin if stdin is not None else subprocess.DEVNULL, start_new_session=True,
                            preexec_fn=before)
    # pipes, not files: a file-size limit (ulimit -f) given to the command must not apply to them
    streams = {}
    readers = [threading.Thread(target=lambda name, pipe: streams.__setitem__(name, pipe.read()), args=(name, pipe))
               for name, pipe in (("out", proc.stdout), ("err", proc.stderr))]
    for reader in readers:
        reader.start()
    while True:
        pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > timeout:
            os.killpg(proc.pid, signal.SIGKILL)
            os.wait4(proc.pid, 0)
            raise AssertionError(f"still running after {timeout:g} s: {' '.join(command)}")
        time.sleep(0.02)
    seconds = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    _assert_nothing_left(proc.pid)
    for reader in readers:
        reader.join()
    with open(report.name, encoding="ascii") as handle:
        peak = int(handle.read() or 0)
    os.unlink(report.name)
    ran = Ran(proc.returncode, streams["out"], streams["err"], seconds, peak)
    if user is not None:
        shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
    assert "Traceback" not in ran.err and "BrokenPipeError" not in ran.err, ran.err
    return ran


def as_other_user() -> int | None:
    """The uid to run a permission case as: nobody when root (setpriv present), else None (this user)."""
    if os.geteuid() != 0:
        return None
    if not shutil.which("setpriv"):
        import pytest

        pytest.skip("running as root without setpriv: permissions cannot be tested")
    probe = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", sys.executable,
                            "-c", "import pluggy, checker"], capture_output=True, timeout=60)
    if probe.returncode != 0:                 # e.g. a virtualenv in a private (0700) temporary folder
        import pytest

        pytest.skip("another user cannot run this Python and its packages here: permissions cannot be tested")
    return NOBODY


def open_to_all(*paths) -> None:
    """Let another user read (and write into) the test's folders: the tmp_path chain is private."""
    for path in paths:
        path = os.path.abspath(path)
        while path not in ("/", tempfile.gettempdir()):
            try:
                os.chmod(path, os.stat(path).st_mode | 0o755)
            except OSError:
                pass
            path = os.path.dirname(path)


def office_processes(marker: str) -> list:
    """Live LibreOffice processes whose command line names ``marker`` (a test's own folder)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    cmd = handle.read()
            except OSError:
                continue
            if b"soffice" in cmd and marker.encode() in cmd:
                found.append(int(entry))
    return found
