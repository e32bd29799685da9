"""A fresh virtual environment for the tests that install fazhi-lint as a user does (test_install.py,
test_plugin_packages.py).

The environment is made without pip (``venv --without-pip``: ensurepip costs about 3 s of CPU per
environment) and the running environment's pip installs into it with ``pip --python`` (pip ≥ 22.3);
with an older pip the environment gets its own pip, as before. Either way the packages land in the
child's own site-packages. The child also sees the running environment's site-packages, through a
``.pth`` file naming them, after its own: its dependencies come from there, so nothing is downloaded,
and its own install of fazhi-lint wins. (``--system-site-packages`` would expose the base interpreter's
packages instead, which in a virtualenv lack hatchling and the dependencies.)
"""
import os
import subprocess
import sys
import sysconfig

import pip


def _pip_has_python_option() -> bool:
    major, minor = (int(x) for x in pip.__version__.split(".")[:2])
    return (major, minor) >= (22, 3)


def make_venv(home):
    """Create a virtual environment at ``home``; return (bindir, pip argv that installs into it)."""
    with_pip = not _pip_has_python_option()
    subprocess.run([sys.executable, "-m", "venv", *([] if with_pip else ["--without-pip"]), str(home)],
                   check=True, timeout=120)
    bindir = os.path.join(home, "Scripts" if os.name == "nt" else "bin")
    python = os.path.join(bindir, "python")
    child_site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                check=True, capture_output=True, text=True).stdout.strip()
    parent_dirs = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    with open(os.path.join(child_site, "zz_running_environment.pth"), "w", encoding="utf-8") as pth:
        pth.write("".join(d + "\n" for d in parent_dirs))
    pip_argv = [python, "-m", "pip"] if with_pip else [sys.executable, "-m", "pip", "--python", python]
    return bindir, pip_argv
