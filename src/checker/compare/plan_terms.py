"""The words a plan item and a report sentence offer for matching (compare/plans.py reads them):
jieba words grouped with the shorter words inside them, generic words, stock formulas, unit names,
bare counts and purpose clauses removed; document titles and quoted work names as terms of their own;
the words a report uses instead (synonyms.yaml); and how telling a word is in general (jieba's
inverse document frequencies)."""
from __future__ import annotations

import functools
import os
import re

from ..checks.segmenter import background_idf as _background_idf  # noqa: F401 (tests clear its cache)
from ..checks.segmenter import general_idf as _general_idf

PRIOR_FROM, PRIOR_TO, PRIOR_FLOOR = 4.0, 10.0, 0.15   # general-rarity prior of a term (see prior())
PRIOR_UNKNOWN_IDF = 8.0
_FUNCTION_CHARS = set("与和及对在的了是将把等中为以")


def words_in(text: str, segmenter: str) -> set:
    """Every word a sentence offers for matching (jieba's search mode gives 专家学者 and 专家, 学者)."""
    if segmenter == "bigram":
        return {text[i:i + 2] for i in range(len(text) - 1)
                if not set(text[i:i + 2]) & _FUNCTION_CHARS and not re.search(r"[\W\d_]", text[i:i + 2])}
    from ..checks.segmenter import search_words   # jieba without loading its whole dictionary

    return {w for w in search_words(text) if len(w) >= 2 and not re.search(r"[\W\d_]", w)}


def _groups(piece: str, segmenter: str) -> list:
    """Term groups of a piece of an item: a word with the shorter words inside it (专家学者: 专家,
    学者), so that a sentence using either form matches and the group still counts once."""
    if segmenter == "bigram":
        return [frozenset({g}) for g in words_in(piece, "bigram")]
    from ..checks.segmenter import cut_words, search_words

    out = []
    for word in cut_words(piece):
        if len(word) < 2 or re.search(r"[\W\d_]", word):
            continue
        inner = {w for w in search_words(word) if len(w) >= 2}
        out.append(frozenset(inner | {word}))
    return out


@functools.lru_cache(maxsize=1)
def _lexicon() -> dict:
    import yaml

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "synonyms.yaml")
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@functools.lru_cache(maxsize=1)
def synonyms() -> dict:
    """{word: the other words of its lists} from synonyms.yaml."""
    out = {}
    for group in _lexicon()["groups"]:
        for word in group:
            out.setdefault(word, set()).update(w for w in group if w != word)
    return {w: frozenset(o) for w, o in out.items()}


def general_idf(term: str) -> float:
    """jieba's inverse document frequency of ``term`` (a word of 2 to 6 characters);
    PRIOR_UNKNOWN_IDF for a word it lacks (the table: ``checks.segmenter.background_idf``)."""
    return _general_idf(term, PRIOR_UNKNOWN_IDF)


def prior(term: str) -> float:
    """How much a word can tell, from its general rarity: 0.15 for the commonest words, 1.0 from an
    inverse document frequency of 10 up. A word jieba's corpus lacks is a domain compound
    (质效) or a splinter (前均经): taken as middling."""
    value = general_idf(term)
    return min(1.0, max(PRIOR_FLOOR, (value - PRIOR_FROM) / (PRIOR_TO - PRIOR_FROM)))


def actors() -> frozenset:
    """Who and where words (synonyms.yaml ``actors``): not enough, alone, to tie a sentence to an item."""
    return frozenset(_lexicon().get("actors") or ())


# an enumeration or a bare count (一是, 第二批, 三项) says nothing of the work; 三项制度, 八五普法 and
# 一网通办 do
_COUNTER = re.compile(r"[一二三四五六七八九十百千万两第其]+[是个项次条件批年月日号期名人家类]?")
# the stock phrases that are political formulas or the report's own headings, not names of work
_FORMULA = re.compile(r"习近平|党的|精神|两个|四个|报告|举措和成效|不足和原因|主要安排|全面依法治国|法治思维|"
                      r"科学立法|模范|^法治政府建设$")


@functools.lru_cache(maxsize=1)
def _formulas() -> tuple:
    """The stock phrases of boilerplate.yaml that are formulas, not names of work: 行政执法三项制度,
    法治化营商环境, 宪法宣传周 and 法治政府建设实施纲要 stay, since a plan item may be about them."""
    from .shingles import boilerplate_phrases

    return tuple(p for p in boilerplate_phrases() if _FORMULA.search(p))


def without_formulas(text: str, names=()) -> str:
    """The text with the stock formulas every report uses (boilerplate.yaml: 习近平新时代中国特色社会
    主义思想…) cut out: 社会 of 社会主义 is no report of "化解社会矛盾"."""
    for phrase in (*names, *_formulas()):
        if phrase in text:
            text = text.replace(phrase, "|")
    return text


def terms_of(text: str, stopwords, segmenter: str = "jieba", names=()) -> list:
    """The term groups of a plan item that could show up when it is carried out (stock formulas
    and generic words removed)."""
    text = without_formulas(text, names)
    stop_re = re.compile("|".join(sorted(map(re.escape, stopwords), key=len, reverse=True))) if stopwords else None
    cleaned = stop_re.sub("|", text) if stop_re else text
    groups = set()
    for piece in re.split(r"[|，,、;；:：。“”《》（）()]", cleaned):
        if len(piece) >= 2:
            groups.update(_groups(piece, segmenter))
    groups = {frozenset(w for w in g if w not in stopwords and not _COUNTER.fullmatch(w))
              for g in groups}
    return [g for g in groups if g]


_PURPOSE = re.compile(r"^(?:让|使|确保|以|力争|努力|不断|持续提升|持续提高|进一步增强|进一步提高|提高|提升|增强|"
                      r"切实维护|形成|打造|助力|营造)")


def what_is_done(item_text: str) -> str:
    """The item without its purpose clauses (“让法治宣传更加通俗易懂”“不断提升群众法律意识”): they
    say why, a report says what was done. The first clause, which names the item, always stays."""
    clauses = re.split(r"(?<=[，,；;。])", item_text)
    return "".join(c for k, c in enumerate(clauses) if k == 0 or not _PURPOSE.match(c.strip()))


def titles(item_text: str) -> list:
    """The documents an item names, without their years: 《法治政府建设实施纲要(2021-2025年)》 ->
    法治政府建设实施纲要."""
    out = []
    for title in re.findall(r"《([^》]{2,40})》", item_text):
        title = re.sub(r"[（(][^）)]*[）)]", "", title).strip()
        if len(title) >= 4:
            out.append(title)
    return out


def quoted_names(item_text: str) -> list:
    """The names in quotation marks an item gives its work (“枫桥经验”, “一件事”): terms of their own,
    as a report carrying the work out uses the same name."""
    return [q for q in re.findall(r"[“\"]([^”\"]{2,12})[”\"]", item_text) if not re.search(r"[，,。；;]", q)]


def with_synonyms(group: frozenset) -> frozenset:
    """A term group with the words a report may use for it instead (synonyms.yaml)."""
    table = synonyms()
    return group.union(*(table.get(w, ()) for w in group))
