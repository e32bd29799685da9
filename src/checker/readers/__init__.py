"""Readers: one per file format, each turning bytes into a :class:`~checker.readers.base.Reading`.

The built-in readers are registered through the ``fazhi_lint_readers`` hook like the output
formats, so a province plugin can add one (or replace one by suffix). Each reader module is
imported only when a file of its format is read: a batch of .txt files never loads lxml or pdfium.
"""
from __future__ import annotations

import importlib
import os

from ..hookspecs import hookimpl
from .base import Reading, UnreadableInput

__all__ = ["Reading", "UnreadableInput", "builtin_readers", "reader_table", "read_bytes", "suffix_of"]

# name: (module, class, suffixes, library) -- suffixes here so that choosing a reader imports nothing.
_BUILTIN = {
    "txt": ("text", "TextReader", (".txt", ".md", ".text"), "charset-normalizer"),
    "docx": ("docx", "DocxReader", (".docx", ".docm"), "python-docx + lxml"),
    "pdf": ("pdf", "PdfReader", (".pdf",), "pypdfium2"),
    "html": ("html", "HtmlReader", (".html", ".htm", ".shtml", ".xhtml", ".mhtml", ".mht"), "lxml"),
    "office": ("office", "LegacyOfficeReader", (".doc", ".wps", ".rtf", ".odt"), "LibreOffice (soffice) + python-docx"),
    "ofd": ("ofd", "OfdReader", (".ofd",), "zipfile + lxml"),
}


class LazyReader:
    """A built-in reader whose module is imported on first use."""

    def __init__(self, name, module, cls, suffixes, library):
        self.name, self.suffixes, self.library = name, suffixes, library
        self._module, self._cls, self._impl = module, cls, None

    def read(self, data: bytes, name: str = "") -> Reading:
        if self._impl is None:
            self._impl = getattr(importlib.import_module(f"{__name__}.{self._module}"), self._cls)()
        return self._impl.read(data, name)


def builtin_readers() -> list:
    return [LazyReader(name, *spec) for name, spec in _BUILTIN.items()]


@hookimpl
def fazhi_lint_readers():
    return builtin_readers()


def reader_table(readers=None) -> dict:
    """``{".docx": reader, …}``; earlier readers win a suffix (built-ins are registered first)."""
    table = {}
    for reader in readers if readers is not None else builtin_readers():
        for suffix in getattr(reader, "suffixes", ()):
            table.setdefault(suffix.lower(), reader)
    return table


def suffix_of(name: str) -> str:
    """The lower-case extension of a file name or of a ``archive.zip!member`` path."""
    return os.path.splitext(name.rsplit("!", 1)[-1])[1].lower()


def read_bytes(data: bytes, name: str, table=None) -> Reading:
    """Read ``data`` (the bytes of the file ``name``) with the reader of its extension.

    A name without a known extension is read as text. Raises UnreadableInput with the reason."""
    table = table or reader_table()
    reader = table.get(suffix_of(name)) or table.get(".txt")
    try:
        return reader.read(data, name)
    except UnreadableInput:
        raise
    except (MemoryError, RecursionError) as exc:
        raise UnreadableInput(f"文件过于复杂，无法读取（{type(exc).__name__}）") from None
    except ImportError as exc:
        raise UnreadableInput(f"读取 {suffix_of(name)} 文件需要的库未安装：{exc.name or exc}") from None
    except Exception as exc:   # a damaged file can make any parsing library raise: one line, no traceback
        raise UnreadableInput(f"无法读取这个 {suffix_of(name) or '文本'} 文件（{type(exc).__name__}: {exc}）") from None
