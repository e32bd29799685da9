"""The .doc/.wps (and .rtf/.odt) reader: LibreOffice converts the file to .docx, which the
.docx reader then reads, so old WPS and Word files get the same judgement as new ones.

LibreOffice is optional: without ``soffice`` on PATH the file gets a clear error naming the
conversion (exit 2 for that file only). A conversion is held to what ``check`` holds every reader to:

- **before it starts**, the input passes the container limits: an .odt (or anything that is really a
  zip package) the zip-bomb limits of ``base.open_zip`` and the DTD check of its XML, an .rtf at most
  ``MAX_RTF`` bytes; a 1.5 MB .odt holding 1.5 GB of spaces never reaches LibreOffice;
- **while it runs**, LibreOffice's ``soffice.bin`` is started directly (not through the ``soffice``
  script and ``oosplash``, which would stand between it and us) in a process group of its own, with
  an address-space limit (``FAZHI_LINT_OFFICE_MEMORY_MB``, default 2048) and the kernel's
  parent-death signal: when the time limit passes the whole group is killed, and when the worker
  reading the report is itself killed (its report budget ran out), LibreOffice dies with it. No
  ``soffice.bin`` outlives the run;
- **its time** is at most ``TIMEOUT_S`` and always shorter than the report's reading budget
  (``FAZHI_LINT_BUILD_TIMEOUT`` + 2 s per MB), so the conversion is stopped here, with its own
  message, before the batch has to stop the worker;
- **once per run**: a converted file is kept in the run's conversion folder (private, removed when the
  run ends) under the digest of its bytes, so a report read twice in a run (``--previous`` pairs it,
  ``--copies`` sketches it) is converted once.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import time

from .base import Reading, UnreadableInput, open_zip, read_member, refuse_dtd

TIMEOUT_S = 120
MAX_RTF = 32 * 1024 * 1024          # an RTF report with its pictures; past this it is not a report
_MARGIN_S = 5.0                     # the conversion ends this long before the report's budget
_RESTART = 81                       # soffice.bin's "start me again" after it made a new profile
_RUN_FOLDER = {}                    # "path": the run's conversion folder (made by the parent, inherited by workers)


def soffice() -> str:
    return shutil.which("soffice") or shutil.which("libreoffice") or ""


def _program() -> list:
    """The command that runs LibreOffice: ``soffice.bin`` itself when it can be found next to the
    ``soffice`` script (so that the process we start, time and kill is LibreOffice), else the script."""
    script = soffice()
    if not script:
        return []
    real = os.path.realpath(script)
    binary = os.path.join(os.path.dirname(real), "soffice.bin")
    return [binary] if os.access(binary, os.X_OK) else [script]


def _seconds(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if 0 < value < float("inf") else default


def time_limit(size: int) -> float:
    """Seconds a conversion of ``size`` bytes may take: TIMEOUT_S, and less than the reading budget."""
    budget = _seconds("FAZHI_LINT_BUILD_TIMEOUT", 60.0) + 2.0 * size / 1e6
    return max(5.0, min(float(TIMEOUT_S), budget - _MARGIN_S))


def memory_limit() -> int:
    return int(_seconds("FAZHI_LINT_OFFICE_MEMORY_MB", 2048.0) * 1024 * 1024)


def check_container(data: bytes, suffix: str) -> None:
    """The limits a file must pass before LibreOffice may open it (UnreadableInput says why not)."""
    if data.startswith(b"PK\x03\x04") or suffix == ".odt":
        what = "OpenDocument 文件" if suffix == ".odt" else f"{suffix} 文件（实为 zip 包）"
        archive = open_zip(data, what)
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                refuse_dtd(read_member(archive, info.filename, what), what)
    if suffix == ".rtf" and len(data) > MAX_RTF:
        raise UnreadableInput(f"RTF 文件过大（{len(data) / 1e6:.1f} MB，上限 {MAX_RTF / 1e6:.0f} MB），未读取")


def run_folder(new_run: bool = False) -> str:
    """The run's private folder for conversions (made once in this process, mode 0700, removed when
    the process that made it ends; forked workers use their parent's). ``new_run``: a run starts
    (its inputs are being collected): the conversions of earlier runs of this process are dropped,
    so a long-lived process (the served desk) keeps only the current run's. Stale folders of runs
    that were killed (their process no longer exists) are removed when a new one is made."""
    folder = _RUN_FOLDER.get("path")
    if folder and os.path.isdir(folder):
        if new_run:
            with contextlib.suppress(OSError):
                for entry in os.listdir(folder):
                    if entry.endswith(".docx"):
                        os.unlink(os.path.join(folder, entry))
        return folder
    _remove_stale()
    folder = tempfile.mkdtemp(prefix=f"fazhi-lint-run-{os.getpid()}-")
    _RUN_FOLDER.update(path=folder, owner=os.getpid())
    import atexit

    atexit.register(_remove_own)
    return folder


def _remove_own() -> None:
    if _RUN_FOLDER.get("owner") == os.getpid() and _RUN_FOLDER.get("path"):
        shutil.rmtree(_RUN_FOLDER["path"], ignore_errors=True)


def _remove_stale() -> None:
    base = tempfile.gettempdir()
    with contextlib.suppress(OSError):
        for entry in os.listdir(base):
            parts = entry.split("-")
            if not entry.startswith("fazhi-lint-run-") or len(parts) < 5 or not parts[3].isdigit():
                continue
            full = os.path.join(base, entry)
            try:
                st = os.lstat(full)
                os.kill(int(parts[3]), 0)
                continue                                       # its run still goes on
            except ProcessLookupError:
                pass
            except OSError:
                continue
            if st.st_uid == os.geteuid() and os.path.isdir(full) and not os.path.islink(full):
                shutil.rmtree(full, ignore_errors=True)


def _cached(key: str):
    folder = _RUN_FOLDER.get("path")
    if not folder:
        return None
    path = os.path.join(folder, key + ".docx")
    try:
        st = os.lstat(path)
        if not os.path.isfile(path) or os.path.islink(path) or st.st_uid != os.geteuid():
            return None
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _keep(key: str, data: bytes) -> None:
    folder = _RUN_FOLDER.get("path")
    if not folder or not os.path.isdir(folder):
        return
    with contextlib.suppress(OSError):
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".part-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, os.path.join(folder, key + ".docx"))


def _limits() -> None:
    """In the child, before LibreOffice starts: the memory limit, and death with the worker."""
    import resource

    limit = memory_limit()
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    with contextlib.suppress(OSError, AttributeError, TypeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)     # PR_SET_PDEATHSIG


def _run(command: list, seconds: float) -> int:
    """Run LibreOffice in its own process group; past ``seconds`` the whole group is killed
    (subprocess.TimeoutExpired). The group is killed before its leader is reaped, so its number
    can name no other process."""
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True, preexec_fn=_limits)
    deadline = time.monotonic() + seconds
    try:
        while os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(command, seconds)
            time.sleep(0.05)
    finally:
        with contextlib.suppress(OSError):          # everything it started goes with it
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return process.returncode


def convert_to_docx(data: bytes, suffix: str) -> bytes:
    """The .docx LibreOffice makes of ``data`` (a file with extension ``suffix``)."""
    program = _program()
    if not program:
        raise UnreadableInput(f"读取 {suffix} 文件需要 LibreOffice 把它转换为 .docx（soffice --headless --convert-to docx），"
                              "但本机没有安装 LibreOffice；请安装后重试，或把文件另存为 .docx")
    check_container(data, suffix)
    key = hashlib.sha256(suffix.encode() + b"\0" + data).hexdigest()
    done = _cached(key)
    if done is not None:
        return done
    seconds = time_limit(len(data))
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="fazhi-lint-", dir=_RUN_FOLDER.get("path")) as work:
        source = os.path.join(work, "report" + suffix)
        with open(source, "wb") as handle:
            handle.write(data)
        # one profile per worker for the run (a new profile costs LibreOffice a restart)
        home = _RUN_FOLDER.get("path") or work
        profile = "file://" + os.path.join(home, f"profile-{os.getpid()}")
        command = [*program, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo",
                   "--nodefault", "--nolockcheck", "--convert-to", "docx", "--outdir", work, source]
        target = os.path.join(work, "report.docx")
        try:
            for _ in range(2):                       # a new profile makes soffice.bin ask to be started again
                code = _run(command, max(1.0, seconds - (time.monotonic() - started)))
                if code != _RESTART or os.path.exists(target):
                    break
        except subprocess.TimeoutExpired:
            raise UnreadableInput(f"LibreOffice 转换 {suffix} 超时（{seconds:.0f} 秒），已终止；文件可能已损坏或过于复杂") from None
        except OSError as exc:
            raise UnreadableInput(f"无法运行 LibreOffice：{exc}") from None
        if not os.path.exists(target):
            raise UnreadableInput(f"LibreOffice 无法转换这个 {suffix} 文件（已损坏、已加密、不是这种格式，"
                                  "或转换所需内存超过上限）")
        with open(target, "rb") as handle:
            converted = handle.read()
    _keep(key, converted)
    return converted


class LegacyOfficeReader:
    """Word 97-2003 (.doc), WPS (.wps), RTF and OpenDocument text, through LibreOffice."""

    name = "office"
    suffixes = (".doc", ".wps", ".rtf", ".odt")
    library = "LibreOffice (soffice) + python-docx"

    def read(self, data: bytes, name: str = "") -> Reading:
        from .docx import DocxReader

        suffix = os.path.splitext(name.rsplit("!", 1)[-1])[1].lower() or ".doc"
        if suffix in (".doc", ".wps") and "EncryptionInfo".encode("utf-16-le") in data[:1 << 20]:
            raise UnreadableInput(f"{suffix} 文件已加密（受密码保护），无法读取；请提交未加密的文件")
        reading = DocxReader().read(convert_to_docx(data, suffix), name)
        return Reading(text=reading.text, encoding=reading.encoding, format=suffix.lstrip("."),
                       locations=reading.locations)
