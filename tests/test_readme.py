"""The README's sample outputs are the tool's output today.

Each ```console block of README.md is a terminal transcript: its first line is the command
(``$ fazhi-lint …``), the rest is what that command prints. The tests here parse both out of the
README, run the command as written (``python -m checker`` for ``fazhi-lint``, in the folder the
README's paths are relative to) and compare its output with the block, character for character, so
the README cannot go stale: when the tool's output changes, the block must change with it.
"""
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from .cli_helpers import ROOT, SEEDS

README = os.path.join(ROOT, "README.md")


def _section(heading: str) -> str:
    """The text of the README from ``heading`` (a whole line) to the next heading of the same level or higher."""
    with open(README, encoding="utf-8") as handle:
        text = handle.read()
    level = len(heading) - len(heading.lstrip("#"))
    start = text.index("\n" + heading + "\n")
    rest = text[start + len(heading) + 2:]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return rest[:end.start()] if end else rest


def _transcript(heading: str):
    """(argv, expected output) of the first ```console block in the README's section ``heading``."""
    block = re.search(r"^```console\n(.*?)^```$", _section(heading), re.S | re.M)
    assert block, f"README.md: no ```console block under {heading!r}"
    command, _, output = block.group(1).partition("\n")
    assert command.startswith("$ fazhi-lint "), f"README.md, {heading!r}: the block must start with `$ fazhi-lint …`"
    return shlex.split(command[2:]), output


def _run_as_in_readme(argv, cwd):
    assert argv[0] == "fazhi-lint"
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    return subprocess.run([sys.executable, "-m", "checker", *argv[1:]], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300, stdin=subprocess.DEVNULL)


def _assert_same(heading, argv, expected, proc):
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stderr == "", f"`{shlex.join(argv)}` also wrote to standard error:\n{proc.stderr}"
    diff = "".join(difflib.unified_diff(expected.splitlines(True), proc.stdout.splitlines(True),
                                        "README.md", "the tool's output"))
    assert proc.stdout == expected, (f"README.md, section {heading!r}: the block is not what "
                                     f"`{shlex.join(argv)}` prints today; put the tool's output in the block:\n{diff}")


def test_every_console_block_of_the_readme_is_checked_here():
    """A transcript added to the README needs a test here that builds what it runs on."""
    with open(README, encoding="utf-8") as handle:
        blocks = re.findall(r"^```console\n\$ (.*)$", handle.read(), re.M)
    assert blocks == ["fazhi-lint --select FZ-W,FZ-S03,FZ-N02 seeds/004_b0c9e18cd6c6e394.txt seeds/000_aa44ca5054db8c02.txt",
                      "fazhi-lint --select FZ-W01,FZ-S03 inbox/"]


def test_sample_output_is_the_tools_output():
    heading = "## Sample output"
    argv, expected = _transcript(heading)
    _assert_same(heading, argv, expected, _run_as_in_readme(argv, ROOT))


def test_word_and_pdf_inbox_sample_is_the_tools_output(tmp_path):
    """The inbox the README describes: seed 004 as a .docx with a running header (the one
    tests/test_formats.py uses), the PDF LibreOffice exports from it, and a photo. The PDF's page and
    line come from LibreOffice's layout (7.4 with the Noto CJK fonts when the block was written)."""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) is not installed: it exports the inbox's PDF")
    pytest.importorskip("docx")
    from .format_fixtures import soffice_convert, write_docx

    heading = "### Reports in Word, PDF, web pages, OFD"
    argv, expected = _transcript(heading)
    inbox, work = tmp_path / "inbox", tmp_path / "work"
    inbox.mkdir()
    work.mkdir()
    with open(os.path.join(SEEDS, "004_b0c9e18cd6c6e394.txt"), encoding="utf-8") as handle:
        docx = str(work / "甘眉工业园区南区.docx")
        write_docx(handle.read(), docx, header="区人民政府文件 · 年度报告")
    soffice_convert([docx], "pdf", str(work))
    assert (work / "甘眉工业园区南区.pdf").exists(), "LibreOffice did not export the PDF"
    for name in ("甘眉工业园区南区.docx", "甘眉工业园区南区.pdf"):
        shutil.copy(work / name, inbox / name)
    (inbox / "现场照片.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64) + b"\xff\xd9")
    _assert_same(heading, argv, expected, _run_as_in_readme(argv, tmp_path))
