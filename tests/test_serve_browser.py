"""The desk in a browser, as a reviewer uses it: Playwright drives Debian's Chromium (its own binary,
offline; never ``playwright install``) through the review of the seeds. Open the ranking, open a
report, strike a finding with a reason, restart the server on the same store, find the decision
kept, download the letter and reopen it with python-docx: the struck finding is not in it. Every
page is looked at with no console error; with JavaScript off the pages still read and the forms
still work. ``FAZHI_LINT_README_SCREENSHOT=1`` refreshes the README's pictures (docs/img/desk-*.png)."""
import io
import os
import shutil
from urllib.parse import urlsplit

import pytest

from .browser import chromium_path
from .conftest import ROOT, SEEDS
from .serve_helpers import Desk

UNITS = ("市中区人民政府办公室", "黔江区马喇镇人民政府", "河东区政府办公室", "大鹏新区综合办公室", "甘眉工业园区南区管理委员会")


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip("headless Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        args = ["--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync"] + (["--no-sandbox"] if os.geteuid() == 0 else [])
        launched = playwright.chromium.launch(executable_path=path, args=args)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("desk")
    shutil.copytree(SEEDS, folder / "inbox")
    return folder


class Watched:
    """A page whose console errors and uncaught exceptions are collected."""

    def __init__(self, context):
        self.page, self.errors = context.new_page(), []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))


def _shot(page, folder, name):
    png = str(folder / name)
    page.screenshot(path=png, full_page=False)
    if os.environ.get("FAZHI_LINT_README_SCREENSHOT"):
        shutil.copy(png, os.path.join(ROOT, "docs", "img", name))
    return png


def _letter_text(data: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_a_review_of_the_seeds_in_the_browser(browser, store, tmp_path):
    served = Desk(store / "inbox", "--db", store / "desk.db")
    context = browser.new_context(viewport={"width": 1320, "height": 1000}, accept_downloads=True)
    watched = Watched(context)
    page = watched.page
    try:
        page.goto(served.url + "/")
        ranking = page.locator("#ranking tbody tr")
        assert ranking.count() == 5
        assert sorted(page.locator("#ranking tbody td:nth-child(2)").all_inner_texts()) == sorted(UNITS)
        assert page.locator("#matrix tbody tr").count() == 5
        _shot(page, tmp_path, "desk-ranking.png")
        page.fill("#filter", "黔江")                                   # the filter hides the other units
        assert page.locator("#ranking tbody tr:not(.filtered)").count() == 1
        page.fill("#filter", "")
        page.fill("#reviewer", "张三")
        page.click("#reviewer-form button")
        page.click("text=甘眉工业园区南区管理委员会 >> nth=0")
        assert page.locator("h1").inner_text() == "甘眉工业园区南区管理委员会"
        assert "法制办" in page.locator("#text mark").all_inner_texts().__str__()
        tool_score = page.locator("#reviewed-score").inner_text()
        finding = page.locator(".finding", has=page.locator(".head", has_text="FZ-W02"))
        struck_message = finding.locator(".msg").inner_text()
        finding.locator("input[name=reason]").fill("回顾2018年机构改革，属历史表述")
        finding.locator("button.strike").click()
        page.wait_for_selector(".finding.dismissed")
        assert finding.locator(".state").inner_text() == "不采纳"
        assert float(page.locator("#reviewed-score").inner_text()) > float(tool_score)
        page.locator("h1").scroll_into_view_if_needed()
        _shot(page, tmp_path, "desk-report.png")
        report_path = urlsplit(page.url).path
    finally:
        served.stop()
    served = Desk("--db", store / "desk.db")                  # the server restarted on the same store
    try:
        page.goto(served.url + report_path)
        finding = page.locator(".finding", has=page.locator(".head", has_text="FZ-W02"))
        assert "dismissed" in finding.get_attribute("class")
        assert finding.locator(".state").inner_text() == "不采纳" and "张三" in finding.inner_text()
        with page.expect_download() as download:
            page.click("#letter")
        letter = _letter_text(open(download.value.path(), "rb").read())
        assert "甘眉工业园区南区管理委员会" in letter and struck_message not in letter
        page.goto(served.url + "/")
        assert page.locator("#ranking tbody tr").first.inner_text() != ""
        assert watched.errors == []
    finally:
        context.close()
        served.stop()


def test_with_javascript_off_the_desk_reads_and_its_forms_work(browser, store, tmp_path):
    served = Desk("--db", store / "desk.db") if (store / "desk.db").exists() else Desk(store / "inbox", "--db", store / "desk.db")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 900})
    watched = Watched(context)
    page = watched.page
    try:
        page.goto(served.url + "/")
        assert sorted(page.locator("#ranking tbody td:nth-child(2)").all_inner_texts()) == sorted(UNITS)
        page.click("text=市中区人民政府办公室 >> nth=0")
        assert "市中区人民政府办公室" in page.locator("#text").inner_text()
        assert page.locator(".finding").count() > 0
        finding = page.locator(".finding").first
        finding.locator("button[value=confirmed]").click()               # a plain form post, then the page again
        assert page.locator(".finding").first.locator(".state").inner_text() == "确认"
        assert watched.errors == []
        page.locator(".finding").nth(1).locator("button.strike").click()  # no reason: refused (400), in words
        assert "必须写明理由" in page.locator("#flash").inner_text()
        assert len(watched.errors) == 1 and "400" in watched.errors[0]
        watched.errors.clear()
        page.select_option("select[name=status]", "reviewed")
        page.click("text=保存状态")
        assert page.locator("select[name=status]").input_value() == "reviewed"
        assert watched.errors == []
    finally:
        context.close()
        served.stop()


def test_files_added_in_the_page_are_checked_and_a_units_years_are_paired(browser, store, tmp_path):
    served = Desk("--db", store / "desk.db") if (store / "desk.db").exists() else Desk(store / "inbox", "--db", store / "desk.db")
    context = browser.new_context(viewport={"width": 1300, "height": 1100})
    watched = Watched(context)
    page = watched.page
    try:
        text = (store / "inbox" / "000_aa44ca5054db8c02.txt").read_text(encoding="utf-8")
        upload = tmp_path / "市中区2024年报告.txt"                 # the same unit's report of the next year
        upload.write_text(text.replace("2024", "2025").replace("2023", "2024"), encoding="utf-8")
        page.goto(served.url + "/")
        other = (store / "inbox" / "002_3ec005597ce203f5.txt").read_text(encoding="utf-8").replace("河东区政府办公室", "河西镇人民政府")
        dropped = page.evaluate_handle("([name, text]) => { const d = new DataTransfer(); "
                                       "d.items.add(new File([text], name, {type: 'text/plain'})); return d; }",
                                       ["河西镇.txt", other])
        page.dispatch_event("#drop", "drop", {"dataTransfer": dropped})          # a file dropped on the box
        page.wait_for_url("**/?job=*")
        page.wait_for_selector("text=河西镇人民政府", timeout=60000)
        assert page.locator("#ranking tbody tr").count() == 6
        page.set_input_files("#files", [str(upload)])                               # a file chosen in the form
        page.click("text=上传并检查")
        page.wait_for_selector("text=市中区2024年报告.txt", timeout=60000)
        assert page.locator("#ranking tbody tr").count() == 7
        page.locator("#ranking tbody tr", has_text="市中区2024年报告.txt").locator("a").first.click()
        page.click("text=本单位历年报告")
        assert page.locator("h1").inner_text() == "市中区人民政府办公室"
        assert page.locator("#years tbody tr").count() == 2
        assert page.locator("h2", has_text="2024 年度对照 2023 年度").count() == 1
        assert page.locator("table.plan tbody tr").count() > 0 and page.locator("text=FZ-Y02").count() > 0
        _shot(page, tmp_path, "desk-unit.png")
        assert watched.errors == []
    finally:
        context.close()
        served.stop()
