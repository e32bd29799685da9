"""Which rules a run uses: the one reading of ``--select``, ``--ignore``, the config file's ``select``/
``ignore`` and ``per-file-ignores``.

An entry is a rule id (``FZ-S03``) or a prefix of ids (``FZ-S``, ``FZ-S0``, ``FZ``). As in flake8 and
ruff, the longest matching entry decides: ``--select FZ-S --ignore FZ-S0`` runs FZ-S10 but not
FZ-S03, and ``--ignore FZ-S --select FZ-S03`` runs FZ-S03 alone of the FZ-S family. ``select``
defaults to everything. ``per-file-ignores`` entries are ``ignore`` lists with the same meaning.

An entry that names no rule of the loaded set is a mistake (a typo would otherwise select nothing,
or silently ignore nothing): :func:`check_known` raises ``SelectionError`` (exit 2) naming the
closest ids.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import SelectionError

ID_OR_PREFIX = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]*)?$")


def parse_ids(value, what: str) -> tuple:
    """Rule ids or prefixes from a comma list, or a list of strings (several comma lists are
    joined); ``SelectionError`` naming ``what`` for anything that is not an id or a prefix."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise SelectionError(f"{what} 应是规则编号或前缀的列表")
    items = tuple(item.strip() for v in value for item in v.split(",") if item.strip())
    for item in items:
        if not ID_OR_PREFIX.match(item):
            raise SelectionError(f"{what} 中的 {item!r} 不是规则编号或前缀（如 FZ-S03、FZ-S、FZ）")
    return items


@dataclass(frozen=True)
class Selection:
    """A predicate on rule ids: ``selection("FZ-S03")`` is True when the rule runs."""

    select: tuple = ()
    ignore: tuple = ()

    @property
    def active(self) -> bool:
        return bool(self.select or self.ignore)

    def __call__(self, rule_id: str) -> bool:
        best_select = max((len(p) for p in self.select if rule_id.startswith(p)),
                          default=-1 if self.select else 0)
        best_ignore = max((len(p) for p in self.ignore if rule_id.startswith(p)), default=-1)
        return best_select >= 0 and best_select >= best_ignore

    def ignores(self, rule_id: str) -> bool:
        return not self(rule_id)


def ignoring(ids) -> Selection:
    """The selection of a ``per-file-ignores`` entry: everything but ``ids``."""
    return Selection(ignore=tuple(ids))


def _prefixes(known) -> set:
    out = set()
    for rule_id in known:
        head, _, tail = rule_id.partition("-")
        out.add(head)
        letters = re.match(r"[A-Z]*", tail).group(0)
        if letters:
            out.add(f"{head}-{letters}")
    return out


def closest(entry: str, known, n: int = 3) -> list:
    """The known ids and family prefixes nearest to a mistyped entry (difflib ratio)."""
    import difflib      # only for a mistyped id (start-up time)

    return difflib.get_close_matches(entry, sorted(set(known) | _prefixes(known)), n=n, cutoff=0.5)


def check_known(ids, known, what: str) -> None:
    """Raise SelectionError when an entry of ``ids`` matches no id in ``known``."""
    known = set(known)
    for entry in ids:
        if any(rule_id.startswith(entry) for rule_id in known):
            continue
        near = closest(entry, known)
        hint = f"；最接近的是：{', '.join(near)}" if near else "；用 fazhi-lint rules 查看全部编号"
        raise SelectionError(f"{what}：没有编号为或以 {entry} 开头的规则{hint}")
