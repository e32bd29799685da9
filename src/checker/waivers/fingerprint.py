"""Text fingerprints: where a finding is, said by its words rather than its line number.

Suppressions and baselines must survive edits elsewhere in a report (a paragraph inserted above
moves every line number), so both anchor a finding to the text of the line(s) it sits on. The
text is compared in a normalised form: NFKC (full/half width), no whitespace, no trailing "…".
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from ..errors import UnreadableInput

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The form two quotations are compared in: NFKC, whitespace removed, truncation mark dropped."""
    text = unicodedata.normalize("NFKC", text or "")
    return _SPACE.sub("", text).rstrip("…").rstrip(".")


def fingerprint(rule: str, context: str, excerpt: str) -> str:
    """A short stable hash of a finding's rule, the text of its line(s) and its excerpt."""
    key = "\n".join((rule, normalise_text(context), normalise_text(excerpt)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


class ContextReader:
    """Reads each report once and hands out the original text of a finding's lines."""

    def __init__(self, texts=None):
        self._lines = {}
        self._texts = texts          # inputs.Texts of the run, if it kept them: nothing is read twice

    def lines_of(self, path: str) -> list:
        if path not in self._lines:
            try:
                from ..inputs import load_bytes
                from ..readers import read_bytes

                if self._texts is not None and path in self._texts:
                    text = self._texts.text(path)
                else:
                    text = read_bytes(load_bytes(path), path).text
            except (UnreadableInput, OSError):
                text = ""
            self._lines[path] = [line.rstrip("\r") for line in text.split("\n")]
        return self._lines[path]

    def context(self, path: str, finding) -> str:
        """The original text of the lines a finding covers (its paragraph in a .txt report)."""
        lines = self.lines_of(path)
        first = max(finding.line - 1, 0)
        last = max(finding.end_line, finding.line)
        return "\n".join(lines[first:last])

    def fingerprint(self, path: str, finding) -> str:
        return fingerprint(finding.rule, self.context(path, finding), finding.excerpt)
