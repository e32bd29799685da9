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


def _title(root, container, inside=None) -> str:
    inside = inside if inside is not None else set(container.iter())
    for h in root.iter("h1", "h2"):
        if container not in h.iterancestors() and h not in inside and not any(_is_chrome(a) for a in h.iterancestors()):
            text = _SPACE.sub(" ", h.text_content()).strip()
            if len(text) >= 6:
                return text
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() in ("articletitle", "title") and meta.get("content"):
            return meta.get("content").strip()
    title = root.find(".//title")
    text = _SPACE.sub(" ", title.text_content()).strip() if title is not None else ""
    return re.split(r"\s*[-_|—]\s*(?=[^-_|—]*(?:网|政府|门户)[^-_|—]*$)", text)[0] if text else ""


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
        builder = TextBuilder()
        title = _title(root, container, set(container.iter()))
        title_line = next((h.sourceline for h in root.iter("h1", "h2", "title") if title and title in h.text_content()), None)
        if title and not _SPACE.sub("", container.text_content()).startswith(_SPACE.sub("", title)):
            builder.add(title, {"line": title_line} if title_line else None)
            builder.add("\n")
        if container.text:
            _add(builder, container.text, container)
        _walk(container, builder)
        body = builder.text()
        if not body.strip():
            raise UnreadableInput("HTML 页面中没有找到正文")
        return Reading(text=body, encoding=encoding, format="html", locations=tuple(builder.locations),
                       published=_published(root, container, sizes))
