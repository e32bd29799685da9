"""The .html/.htm/.mhtml reader for report pages saved from a government website.

The page's own charset is trusted (many are gb2312/GBK, read as GB18030, their superset); then
the article container is found: the TRS content-management containers (TRS_Editor,
Custom_UnionStyle, TRS_UEDITOR), the usual article/content/zoom divs, and failing those the
element holding most paragraph text. Navigation, breadcrumbs, share bars, scripts and footers stay
out of the body. The page title (its <h1>, the ArticleTitle meta or <title>) heads the text; the
info bar stays out of it (it is the page's, not the report's: no “web chrome” finding), but its
publish date (发布时间/发布日期) reaches ``meta.published`` and, like a pasted page's, outranks the
signature date. Each line is located by its line in
the HTML source.

lxml's HTML parser (libxml2) is used: it is tolerant of the broken markup these pages carry and
fast; trafilatura was not needed for pages whose container is named by the CMS.
"""
from __future__ import annotations

import datetime
import re

from .base import Reading, TextBuilder, UnreadableInput

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CONTAINERS = re.compile(r"TRS_Editor|TRS_UEDITOR|Custom_UnionStyle|ucap-?content|zoom|article[-_]?(?:content|con|body|text)"
                         r"|^content$|(?:main|news|detail|art|con|pages?|info|xxgk|wz|view)[-_]?(?:content|text|txt|body|con)"
                         r"|^article$|^(?:bt_)?content", re.IGNORECASE)
_CHROME_HINT = re.compile(r"nav|menu|header|footer|breadcrumb|crumb|position|location|share|bdshare|print|related|xgwz"
                          r"|copyright|banner|toolbar|sidebar|search|login|qrcode|fenxiang", re.IGNORECASE)
_DATE_LINE = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|日期|时间)\s*[:：]?\s*\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}")
_YMD = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
          "blockquote", "pre", "ul", "ol", "dd", "dt", "center", "hr", "tbody", "thead"}
_DROP = {"script", "style", "noscript", "iframe", "form", "button", "select", "input", "textarea", "svg",
         "nav", "object", "embed", "template"}
_SPACE = re.compile(r"[ \t\r\n\f]+")


def _decode(data: bytes) -> tuple:
    """(text, encoding): the BOM, then the page's declared charset, then UTF-8, then GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    declared = _CHARSET.search(data[:4096])
    names = []
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        names.append("gb18030" if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030") else name)
    names += ["utf-8", "gb18030"]
    for name in names:
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace"), "gb18030"


def _from_mhtml(data: bytes) -> bytes:
    """The HTML part of a saved web archive (.mhtml/.mht), transfer encoding undone."""
    import email
    from email import policy

    message = email.message_from_bytes(data, policy=policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset and not _CHARSET.search(payload[:4096]):
                payload = f'<meta charset="{charset}">'.encode("ascii") + payload
            return payload
    raise UnreadableInput("MHTML 文件中没有 HTML 页面")


_CJK = re.compile(r"[\u4e00-\u9fff]")
_SHORT = 300                     # an info bar is shorter than this (characters of its text)


class _Sizes:
    """What the reader asks of every element, computed once bottom-up (one pass over the tree, never
    a text_content() per element, which made a page of 250 nested content divs quadratic):
    the Chinese characters of its text (``cjk``), and, for an element whose text is short, the
    pieces ``itertext()`` gives (``short``: an info bar is looked for among those)."""

    def __init__(self, root):
        self.cjk, self.short = {}, {}
        for el in reversed(list(root.iter())):
            count = len(_CJK.findall(el.text)) if isinstance(el.tag, str) and el.text else 0
            pieces = [el.text.strip()] if el.text and isinstance(el.tag, str) else []
            for child in el:
                count += self.cjk.get(child, 0) + (len(_CJK.findall(child.tail)) if child.tail else 0)
                if pieces is not None:
                    inner = self.short.get(child) if isinstance(child.tag, str) else []
                    pieces = None if inner is None else pieces + inner + ([child.tail.strip()] if child.tail else [])
                    # " ".join(pieces) is as long as this; it only grows towards the root
                    if pieces is not None and sum(map(len, pieces)) + len(pieces) - 1 >= _SHORT:
                        pieces = None
            self.cjk[el] = count
            self.short[el] = pieces


def _text_len(element, sizes=None) -> int:
    if sizes is not None:
        return sizes.cjk.get(element, 0)
    return sum(1 for ch in element.text_content() if "\u4e00" <= ch <= "\u9fff")


def _is_chrome(element) -> bool:
    marks = f"{element.get('class', '')} {element.get('id', '')}"
    return element.tag in ("header", "footer", "nav", "aside") or bool(marks.strip() and _CHROME_HINT.search(marks))


def _container(root, sizes=None):
    """The article element: a CMS-named container with the most text, else the densest paragraph parent."""
    sizes = sizes or _Sizes(root)
    size = sizes.cjk.get
    named = [el for el in root.iter() if isinstance(el.tag, str)
             and any(_CONTAINERS.search(v) for v in (el.get("class", ""), el.get("id", "")) if v)]
    named = [el for el in named if size(el, 0) >= 50]
    if named:
        best = max(named, key=size)
        below = set(best.iter())
        inner = [el for el in named if el is not best and el in below and size(el, 0) >= 0.8 * size(best, 0)]
        return inner[-1] if inner else best
    scores = {}
    for p in root.iter("p", "br"):
        parent = p.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + size(p, 0) + 1
    if scores:
        return max(scores, key=scores.get)
    body = root.find("body")
    return body if body is not None else root


_TITLE_MARK = re.compile(r"title|^tit|[-_]tit|^bt$|[-_]bt$|biaoti|wzbt|headline", re.IGNORECASE)
_NOT_TITLE_PLACE = re.compile(r"nav|menu|footer|breadcrumb|crumb|position|location|share|related|xgwz|copyright"
                              r"|sidebar|search|login|qrcode|fenxiang|list", re.IGNORECASE)
_TITLE_WORDS = re.compile(r"报告|总结|汇报")
_SPECIFIC = re.compile(r"20\d\d|[一二][〇○零][一二三四五六七八九〇○零]{2}年|人民政府|政府|局|委|办|委员会|管委会|街道|镇|乡|中心|厅|院")
_SEPARATORS = re.compile(r"\s*(?<!\d)[-_|—–]+(?!\d)\s*")
_SITE_PART = re.compile(r"网站?$|门户|首页|政务公开|信息公开|政务服务|频道|专栏|栏目|^[^报告总结]{0,12}(?:人民政府|政府)$")


def _place_is_chrome(element) -> bool:
    """Is the element inside navigation, a footer, a related-articles list or the like (a page's
    banner heading block, class ``header``, may hold the article's title, so it does not count)?"""
    for node in (element, *element.iterancestors()):
        if node.tag in ("nav", "footer", "aside") or node.tag in _DROP:
            return True
        marks = f"{node.get('class', '')} {node.get('id', '')}"
        if marks.strip() and _NOT_TITLE_PLACE.search(marks):
            return True
    return False


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


def _page_title_parts(root) -> list:
    """The parts of the page's <title> that are not the site's or the section's name."""
    title = root.find(".//title")
    text = _clean(title.text_content()) if title is not None else ""
    return [part for part in _SEPARATORS.split(text) if len(part) >= 4 and not _SITE_PART.search(part)]


def _title(root, container, first_line: str = "", inside=None) -> str:
    """The report's title: of the article's own heading (an h1–h3 or an element marked as a title,
    outside navigation and related lists), the article's first line, the ArticleTitle meta and the
    page's <title> without the site's name, the one that names a report (报告/总结) and says whose or
    which year's it is; a site-wide <title> such as “法治政府建设年度报告_政务公开” is the last resort.
    Without any that names a report: the first heading, else the meta, else the <title>'s first part."""
    inside = inside if inside is not None else set(container.iter())      # the article: its own elements
    candidates, headings = [], []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in _DROP:
            continue
        marked = element.tag in ("h1", "h2", "h3") or bool(_TITLE_MARK.search(f"{element.get('class', '')} {element.get('id', '')}"))
        if not marked or element in inside or _place_is_chrome(element):
            continue
        text = _clean(element.text_content())
        if 6 <= len(text) <= 100 and "。" not in text:
            candidates.append((3, text))
            headings.append(text)
    if 6 <= len(first_line) <= 80 and "。" not in first_line:
        candidates.append((2, first_line))
    metas = [_clean(m.get("content")) for m in root.iter("meta")
             if (m.get("name") or "").lower() in ("articletitle", "title") and m.get("content")]
    candidates += [(1, text) for text in metas if text]
    parts = _page_title_parts(root)
    candidates += [(0, text) for text in parts]
    named = [(2 * bool(_SPECIFIC.search(text)) + (rank > 0), rank, -n, text)
             for n, (rank, text) in enumerate(candidates) if _TITLE_WORDS.search(text)]
    if named:
        return max(named)[3]
    if headings:
        return headings[0]
    return metas[0] if metas else (parts[0] if parts else "")


def _published(root, container, sizes=None):
    """ISO publish date from the page's info bar (the smallest element outside the article that
    labels a date 发布时间/发布日期/…), else from a PubDate-like meta tag; None without either."""
    sizes = sizes or _Sizes(root)
    best = None
    around = set(container.iterancestors()) | set(container.iter())
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in _DROP or el in around:
            continue
        pieces = sizes.short.get(el)
        if pieces is None:
            continue
        text = " ".join(pieces)
        if len(text) < _SHORT:
            m = _DATE_LINE.search(text)
            if m and (best is None or len(text) <= best[0]):
                best = (len(text), m.group(0))
    found = best[1] if best else None
    if found is None:
        for meta in root.iter("meta"):
            if (meta.get("name") or "").lower() in ("pubdate", "firstpublishedtime", "publishdate") and meta.get("content"):
                found = meta.get("content")
                break
    m = _YMD.search(found or "")
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    try:                                 # 2024-02-30 or 2023-02-29 is no date: the page gives none
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def _walk(element, builder: TextBuilder) -> None:
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _DROP or (tag and _is_chrome(child)):
            _tail(child, builder, element)
            continue
        block = tag in _BLOCK
        if block:
            builder.newline()
        if child.text and tag:
            _add(builder, child.text, child)
        _walk(child, builder)
        if block:
            builder.newline()
        _tail(child, builder, element)


def _tail(child, builder, parent) -> None:
    if child.tail:
        _add(builder, child.tail, parent)


def _add(builder: TextBuilder, text: str, element) -> None:
    text = _SPACE.sub(" ", text)
    if builder.pieces and builder.pieces[-1].endswith("\n"):
        text = text.lstrip(" ")
    if text:
        builder.add(text, {"line": element.sourceline} if element.sourceline else None)


class HtmlReader:
    """Web pages saved from a government site (.html, .htm, .shtml, .mhtml)."""

    name = "html"
    suffixes = (".html", ".htm", ".shtml", ".xhtml", ".mhtml", ".mht")
    library = "lxml"

    def read(self, data: bytes, name: str = "") -> Reading:
        import lxml.html
        from lxml import etree

        if name.lower().endswith((".mhtml", ".mht")) or data[:2000].lower().find(b"multipart/related") >= 0:
            data = _from_mhtml(data)
        text, encoding = _decode(data)
        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
        parser = lxml.html.HTMLParser(remove_comments=True, no_network=True, remove_pis=True)
        try:
            root = lxml.html.document_fromstring(text, parser=parser)
        except (etree.ParserError, ValueError) as exc:
            raise UnreadableInput(f"HTML 页面无法解析：{exc}") from None
        sizes = _Sizes(root)
        container = _container(root, sizes)
        article = TextBuilder()
        if container.text:
            _add(article, container.text, container)
        _walk(container, article)
        text = article.text()
        if not text.strip():
            raise UnreadableInput("HTML 页面中没有找到正文")
        first_line = next((line.strip() for line in text.split("\n") if line.strip()), "")
        title = _title(root, container, first_line, set(container.iter()))
        if not title or _SPACE.sub("", text).startswith(_SPACE.sub("", title)):
            return Reading(text=text, encoding=encoding, format="html", locations=tuple(article.locations),
                           published=_published(root, container, sizes))
        title_line = next((el.sourceline for el in root.iter() if isinstance(el.tag, str) and el.tag != "meta"
                           and not len(el) and title in _clean(el.text_content())), None)    # leaves: linear
        builder = TextBuilder()             # the heading first, then the article
        builder.add(title, {"line": title_line} if title_line else None)
        builder.add("\n")
        shift = builder.length
        builder.pieces.append(text)
        builder.locations.extend((start + shift, place) for start, place in article.locations)
        builder.length += len(text)
        return Reading(text=builder.text(), encoding=encoding, format="html", locations=tuple(builder.locations),
                       published=_published(root, container, sizes))
