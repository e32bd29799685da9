"""The jieba segmenter with a per-user dictionary database gives jieba's own words."""
import json
import os
import re
import subprocess
import sys

import pytest

from checker.checks import segmenter

from .conftest import SEEDS, SEED_FILES


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A segmenter with its own cache folder and no state from earlier tests."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FAZHI_LINT_NO_CACHE", raising=False)
    saved = dict(segmenter._state), dict(segmenter._memo_state)
    segmenter._state.clear()
    segmenter._memo_state.clear()
    yield tmp_path / "cache"
    for state, old in zip((segmenter._state, segmenter._memo_state), saved):
        state.clear()
        state.update(old)


def _sentences():
    out = []
    for name in SEED_FILES:
        with open(os.path.join(SEEDS, name), encoding="utf-8") as handle:
            out += [s for s in re.split(r"[。；\n]", handle.read()) if s.strip()]
    return out + ["法治宣传有待加强", "对外普法力度不够", "执法人员素质参差不齐", "abc法治GDP增长12%", "的"]


@pytest.fixture(scope="module")
def reference():
    """jieba with its whole default dictionary in memory (no cache file written anywhere)."""
    jieba = segmenter.import_jieba()
    tokenizer = jieba.Tokenizer()
    with open(segmenter._dictionary_file(jieba), "rb") as handle:
        tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(handle)
    tokenizer.initialized = True
    return tokenizer


def test_same_words_as_jieba_with_its_whole_dictionary(fresh, reference):
    sentences = _sentences()
    assert len(sentences) > 250
    mine = [segmenter.search_words(s) for s in sentences]
    assert mine == [list(reference.cut_for_search(s)) for s in sentences]
    assert [segmenter.cut_words(s) for s in sentences] == [reference.lcut(s) for s in sentences]
    built = [n for n in os.listdir(fresh / "fazhi-lint" / "segmenter") if n.startswith("jieba-")]
    assert len(built) == 1 and built[0].endswith(".sqlite3")
    # only the entries for the segmented texts were read, not the whole table
    assert 0 < len(segmenter._state["tokenizer"].FREQ) < len(reference.FREQ) / 20


def test_without_a_cache_the_whole_dictionary_is_read_and_nothing_written(fresh, reference, monkeypatch):
    monkeypatch.setenv("FAZHI_LINT_NO_CACHE", "1")
    text = "一是法治宣传阵地建设有待进一步加强，二是对外普法力度不够"
    assert segmenter.search_words(text) == list(reference.cut_for_search(text))
    assert segmenter._state["db"] is None
    assert not fresh.exists()


def test_a_report_needing_no_segmentation_imports_neither_jieba_nor_pkg_resources(tmp_path, ruleset):
    # ``ruleset`` (conftest) has verified every rule's examples with the user cache on, so the run below
    # finds their verdicts remembered and segments nothing at load time (the cache is keyed on content).
    report = tmp_path / "r.txt"
    report.write_text("XX县2023年法治政府建设年度报告\n一、主要工作\n全年开展普法活动12场。\n", encoding="utf-8")
    code = ("import sys\nfrom checker.cli import main\n"
            "try:\n    main([sys.argv[1], '--format', 'json'])\nexcept SystemExit:\n    pass\n"
            "print('jieba' in sys.modules, 'pkg_resources' in sys.modules, file=sys.stderr)")
    for _ in range(2):    # the first run may verify the rules' examples (FZ-N02's need jieba) and cache that
        done = subprocess.run([sys.executable, "-c", code, str(report)], capture_output=True, text=True, timeout=120)
    assert done.stderr.strip().splitlines()[-1] == "False False"


def test_segmenting_imports_jieba_but_not_pkg_resources(fresh):
    code = ("import sys\nfrom checker.checks import segmenter\nsegmenter.search_words('法治宣传有待加强')\n"
            "print('jieba' in sys.modules, 'pkg_resources' in sys.modules)")
    env = dict(os.environ, XDG_CACHE_HOME=str(fresh))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.stdout.strip() == "True False", done.stderr


def test_a_text_segmented_before_is_remembered_and_jieba_not_imported(fresh, reference):
    text = "二是对外普法力度不够，面向社区、企业的普法教育活动不足"
    code = ("import sys, json\nfrom checker.checks import segmenter\n"
            "print(json.dumps([segmenter.search_words(sys.argv[1]), segmenter.cut_words(sys.argv[1]),"
            " 'jieba' in sys.modules], ensure_ascii=False))")
    env = dict(os.environ, XDG_CACHE_HOME=str(fresh))
    runs = [json.loads(subprocess.run([sys.executable, "-c", code, t], capture_output=True, text=True, timeout=120,
                                      env=env, check=True).stdout) for t in (text, text, text + "。")]
    expected = [list(reference.cut_for_search(text)), reference.lcut(text)]
    assert runs[0] == expected + [True]            # first time: jieba segments it
    assert runs[1] == expected + [False]           # again: remembered, jieba not imported
    assert runs[2][2] is True                      # another text: jieba again
