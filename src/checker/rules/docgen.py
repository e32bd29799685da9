"""Generate docs/rules/: one Markdown page per rule from its YAML, plus an index.

    python -m checker.rules.docgen [OUT_DIR] [--province NAME] [--check]

``--check`` writes nothing and exits 1 when the folder is out of date (used by the tests).
"""
from __future__ import annotations

import argparse
import os
import sys

from .explain import rule_markdown


def index_page(rules) -> str:
    out = ["# 规则一览", "", "由 `python -m checker.rules.docgen` 从 rules/ 的 YAML 生成，请勿手改。", "",
           "| 编号 | 名称 | 级别 | 检查类型 | 权重 |", "|---|---|---|---|---|"]
    for r in rules:
        out.append(f"| [{r.id}]({r.id}.md) | {r.title} | {r.severity} | `{r.check}` | {r.weight:g} |")
    return "\n".join(out) + "\n"


def render_all(ruleset) -> dict:
    pages = {f"{r.id}.md": rule_markdown(r) for r in ruleset.rules}
    pages["README.md"] = index_page(sorted(ruleset.rules, key=lambda r: r.id))
    return pages


def main(argv=None) -> int:
    from ..plugins import build_plugins
    from .packs import load_ruleset

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", default="docs/rules")
    ap.add_argument("--province", default="national")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    ruleset = load_ruleset(build_plugins(), args.province)
    if ruleset.errors:
        print("\n".join(ruleset.errors), file=sys.stderr)
        return 2
    pages = render_all(ruleset)
    stale = []
    for name, text in pages.items():
        path = os.path.join(args.out, name)
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current != text:
            stale.append(name)
            if not args.check:
                os.makedirs(args.out, exist_ok=True)
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(text)
    extra = [n for n in os.listdir(args.out) if n.endswith(".md") and n not in pages] if os.path.isdir(args.out) else []
    if args.check:
        if stale or extra:
            print(f"docs/rules 需要重新生成：{', '.join(stale + extra)}（python -m checker.rules.docgen）", file=sys.stderr)
            return 1
        return 0
    for name in extra:
        os.remove(os.path.join(args.out, name))
    print(f"{len(pages)} 页已生成于 {args.out}（{len(stale)} 页有变化）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
