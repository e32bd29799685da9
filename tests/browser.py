"""Headless Chromium for the tests that look at the HTML report as a reader would.

Debian's ``chromium`` (installed by .ci/run); tests skip with a reason when it is absent. Each run
gets a fresh profile folder and no network features, so nothing outside the page is loaded.
"""
import contextlib
import os
import shutil
import subprocess

import pytest

CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


def chromium_path():
    for name in CANDIDATES:
        found = name if os.path.isabs(name) and os.access(name, os.X_OK) else shutil.which(name)
        if found:
            return found
    return None


def need_chromium():
    path = chromium_path()
    if path is None:
        pytest.skip("headless Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    return path


def chromium(page, profile, *extra, timeout=120):
    """Run headless Chromium on ``page`` (a file path); return the CompletedProcess (text mode)."""
    args = [need_chromium(), "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")          # Chromium refuses to start its sandbox as root
    args += [*extra, "file://" + os.path.abspath(page)]
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout)


def console_messages(stderr: str) -> list:
    """Console messages of the page (``--enable-logging=stderr`` logs each one as ``…:CONSOLE…``)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def dump_dom(page, profile):
    """The DOM after the page's scripts ran, and the page's console messages."""
    done = chromium(page, profile, "--enable-logging=stderr", "--v=0", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, console_messages(done.stderr)


def screenshot(page, profile, png, width=1200, height=1600):
    done = chromium(page, profile, f"--window-size={width},{height}", f"--screenshot={png}")
    assert done.returncode == 0 and os.path.exists(png), done.stderr[-2000:]
    return png


@contextlib.contextmanager
def playwright_chromium():
    """Debian's Chromium driven by Playwright (its own binary, offline; never ``playwright install``)."""
    path = need_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    args = ["--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync"] + (["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=args)
        try:
            yield browser
        finally:
            browser.close()
