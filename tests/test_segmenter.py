"""The jieba segmenter reads only the dictionary entries of the texts it cuts, and gives jieba's own words."""
import json
import os
import re
import subprocess
import sys

import pytest

from checker.checks import segmenter
from checker.helpers import cache

from .conftest import SEEDS, SEED_FILES


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A segmenter with its own cache folder and no state from earlier tests."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FAZHI_LINT_NO_CACHE", raising=False)
    saved = dict(segmenter._state), dict(segmenter._memo)
    segmenter._state.clear()
    segmenter._memo.clear()
    yield tmp_path / "cache"
    for state, old in zip((segmenter._state, segmenter._memo), saved):
        state.clear()
        state.update(old)


def _sentences():
    out = []
    for name in SEED_FILES:
        with open(os.path.join(SEEDS, name), encoding="utf-8") as handle:
            out += [s for s in re.split(r"[。；\n]", handle.read()) if s.strip()]
    return out + ["法治宣传有待加强", "对外普法力度不够", "执法人员素质参差不齐", "abc法治GDP增长12%", "的", "C++与T恤"]


@pytest.fixture(scope="module")
def reference():
    """jieba with its whole default dictionary in memory (no cache file written anywhere)."""
    jieba = segmenter.import_jieba()
    tokenizer = jieba.Tokenizer()
    with open(segmenter.dictionary_file(), "rb") as handle:
        tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(handle)
    tokenizer.initialized = True
    return tokenizer


def test_every_entry_of_jiebas_table_is_found_and_nothing_else(reference):
    """The sorted lines answer exactly what jieba's whole table (gen_pfdict) holds: each word's
    frequency (the last line naming it), 0 for a string that only begins a word, None otherwise."""
    with open(segmenter.dictionary_file(), "rb") as handle:
        dictionary = segmenter.Dictionary(handle.read())
    assert dictionary.total == reference.total
    assert all(dictionary.lookup(word) == freq for word, freq in reference.FREQ.items())
    for absent in ("法治政府建设年度报告", "zz", "法治宣传有待加强", "。", "C++++"):
        assert absent not in reference.FREQ and dictionary.lookup(absent) is None


def test_a_small_dictionary_with_a_repeated_word_and_prefixes(tmp_path, reference):
    text = "法治 5 n\n法治政府 7 n\n政府 9 n\n法治 11 n\n法 2 n\n宣传册子 1 n\nC++ 3 nz\n宣传册子 12 n"
    jieba = segmenter.import_jieba()
    expected = jieba.Tokenizer()
    path = tmp_path / "dict.txt"
    path.write_text(text, encoding="utf-8")
    with open(path, "rb") as handle:
        freq, total = expected.gen_pfdict(handle)
    dictionary = segmenter.Dictionary(text.encode("utf-8"))
    assert dictionary.total == total == 50
    assert {w: dictionary.lookup(w) for w in freq} == freq          # 法治: 11, 宣传册子: 12 (the last line), 宣传: 0
    assert dictionary.lookup("府") is None and dictionary.lookup("C+") == 0
    with pytest.raises(ValueError):                                # not jieba's plain layout
        segmenter.Dictionary("法治  5 n\n".encode("utf-8"))


def test_same_words_as_jieba_with_its_whole_dictionary(fresh, reference):
    sentences = _sentences()
    assert len(sentences) > 250
    mine = [segmenter.search_words(s) for s in sentences]
    assert mine == [list(reference.cut_for_search(s)) for s in sentences]
    assert [segmenter.cut_words(s) for s in sentences] == [reference.lcut(s) for s in sentences]
    # only the entries for the segmented texts were read into the tokenizer, not the whole table
    assert 0 < len(segmenter._state["tokenizer"].FREQ) < len(reference.FREQ) / 20
    segmenter.save()
    assert os.listdir(fresh / "fazhi-lint") == ["jieba"]


def test_same_words_without_a_cache_and_nothing_written(fresh, reference, monkeypatch):
    monkeypatch.setenv("FAZHI_LINT_NO_CACHE", "1")
    text = "一是法治宣传阵地建设有待进一步加强，二是对外普法力度不够"
    assert segmenter.search_words(text) == list(reference.cut_for_search(text))
    assert segmenter.cut_words(text) == reference.lcut(text)
    segmenter.save()
    assert not fresh.exists()


def test_a_report_needing_no_segmentation_imports_neither_jieba_nor_pkg_resources(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("XX县2023年法治政府建设年度报告\n一、主要工作\n全年开展普法活动12场。\n", encoding="utf-8")
    code = ("import sys\nfrom checker.cli import main\n"
            "try:\n    main([sys.argv[1], '--format', 'json'])\nexcept SystemExit:\n    pass\n"
            "print('jieba' in sys.modules, 'pkg_resources' in sys.modules, file=sys.stderr)")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", code, str(report)], capture_output=True, text=True, timeout=120,
                          env=env)
    assert done.stderr.strip().splitlines()[-1] == "False False"


def test_segmenting_imports_jieba_but_not_pkg_resources(fresh):
    code = ("import sys\nfrom checker.checks import segmenter\nsegmenter.search_words('法治宣传有待加强')\n"
            "print('jieba' in sys.modules, 'pkg_resources' in sys.modules)")
    env = dict(os.environ, XDG_CACHE_HOME=str(fresh))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.stdout.strip() == "True False", done.stderr


_CODE = ("import sys, json\nfrom checker.checks import segmenter\n"
         "print(json.dumps([segmenter.search_words(sys.argv[1]), segmenter.cut_words(sys.argv[1]),"
         " 'jieba' in sys.modules], ensure_ascii=False))")


def _segment_in_a_process(text, cache_home, **env):
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home), **env)
    done = subprocess.run([sys.executable, "-c", _CODE, text], capture_output=True, text=True, timeout=120,
                          env=env, check=True)
    return json.loads(done.stdout)


def test_a_text_segmented_before_is_remembered_and_jieba_not_imported(fresh, reference):
    text = "二是对外普法力度不够，面向社区、企业的普法教育活动不足"
    runs = [_segment_in_a_process(t, fresh) for t in (text, text, text + "。")]
    expected = [list(reference.cut_for_search(text)), reference.lcut(text)]
    assert runs[0] == expected + [True]            # first time: jieba segments it
    assert runs[1] == expected + [False]           # again: remembered, jieba not imported
    assert runs[2][2] is True                      # another text: jieba again
    assert _segment_in_a_process(text, fresh, FAZHI_LINT_NO_CACHE="1") == expected + [True]
    assert os.listdir(fresh / "fazhi-lint") == ["jieba"]
    [entry] = os.listdir(fresh / "fazhi-lint" / "jieba")
    assert oct(os.stat(fresh / "fazhi-lint" / "jieba" / entry).st_mode & 0o777) == "0o600"


def test_the_remembered_words_are_keyed_on_jieba_and_its_dictionary(fresh, monkeypatch):
    key = segmenter._cache_key()
    assert key[2:4] == (__import__("checker").__version__, segmenter.import_jieba().__version__)
    assert segmenter._cache_key(b"another dictionary") != key
    with open(segmenter.dictionary_file(), "rb") as handle:
        raw = handle.read()
    assert segmenter._cache_key(raw) == key


def test_a_planted_or_shared_entry_is_not_read(fresh, reference):
    """An entry of the same name that is group-writable, or a symbolic link, is ignored: the words
    come from jieba again (a planted entry could hide a shortcoming from FZ-N02)."""
    text = "执法人员素质参差不齐"
    segmenter.search_words(text)
    segmenter.save()
    folder = fresh / "fazhi-lint" / "jieba"
    [name] = os.listdir(folder)
    entry = cache.read("jieba", *segmenter._cache_key())
    entry["search"][text] = "假\x1f词"
    assert cache.write("jieba", entry, *segmenter._cache_key())
    segmenter._memo.clear()
    assert segmenter.search_words(text) == ["假", "词"]             # ours: read back
    os.chmod(folder / name, 0o664)
    segmenter._memo.clear()
    assert segmenter.search_words(text) == list(reference.cut_for_search(text))
    os.chmod(folder / name, 0o600)
    os.rename(folder / name, fresh / "elsewhere")
    os.symlink(fresh / "elsewhere", folder / name)
    segmenter._memo.clear()
    assert segmenter.search_words(text) == list(reference.cut_for_search(text))


def test_the_remembered_texts_are_bounded_and_merged(fresh, monkeypatch):
    monkeypatch.setattr(segmenter, "MAX_REMEMBERED", 3)
    for text in ("对外普法力度不够", "法治宣传有待加强"):
        segmenter.search_words(text)
    segmenter.save()
    segmenter._memo.clear()                        # another process
    for text in ("执法人员素质参差不齐", "学法用法", "普法宣传"):
        segmenter.search_words(text)
    segmenter.save()
    entry = cache.read("jieba", *segmenter._cache_key())
    assert list(entry["search"]) == ["执法人员素质参差不齐", "学法用法", "普法宣传"]   # the newest three
    assert entry["total"] == segmenter._state["tokenizer"].total


@pytest.mark.skipif(not hasattr(os, "fork"), reason="a batch forks its workers only where fork exists")
def test_a_forked_worker_writes_back_what_it_segmented(fresh, monkeypatch):
    """A batch worker ends with os._exit (no atexit): it writes back as it goes."""
    monkeypatch.setattr(segmenter, "FLUSH_SECONDS", 0.0)
    segmenter.warm_up()                            # as a batch does before it forks
    text = "行政执法人员法治意识有待增强"
    pid = os.fork()
    if pid == 0:                                   # the worker
        try:
            segmenter.search_words(text)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    entry = cache.read("jieba", *segmenter._cache_key())
    assert text in entry["search"]
