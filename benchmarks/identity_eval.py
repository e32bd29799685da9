"""Identity from every format: do unit and title read from a report's .docx/.doc/.pdf/.html agree
with those read from its .txt (and with the blind sets' labels)?

    python benchmarks/identity_eval.py [--sets set01 set02 …] [--out DIR] [--show]

Builds the fixtures of ``tests/identity_fixtures.py`` for every report of the chosen blind sets
(LibreOffice makes the .doc and .pdf files; they are kept in ``--out`` so a second run reuses
them), reads each file as ``check`` does, and prints, per format, how many of the unit and title
fields agree with the .txt's and with the labels. ``--show`` lists every disagreement.
"""
from __future__ import annotations

import argparse
import glob
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import yaml  # noqa: E402

from checker.document import load_document  # noqa: E402
from tests.format_fixtures import soffice_convert  # noqa: E402
from tests.identity_fixtures import build_identity_set  # noqa: E402


def reports_of(sets):
    found = []
    for labels in sorted(glob.glob(os.path.join(ROOT, "tests", "data", "blind", "set*", "labels.yaml"))):
        folder = os.path.dirname(labels)
        if sets and os.path.basename(folder) not in sets:
            continue
        with open(labels, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        for entry in data["reports"]:
            found.append((f"{os.path.basename(folder)}-{entry['file'][:-4]}", os.path.join(folder, entry["file"]),
                          entry.get("title"), entry.get("unit")))
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=None)
    parser.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "fazhi-identity-fixtures"))
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--findings", action="store_true",
                        help="also compare the elements, report year and findings (rule ids) with the .txt's")
    args = parser.parse_args(argv)
    reports = reports_of(args.sets)
    os.makedirs(args.out, exist_ok=True)
    stamp = os.path.join(args.out, ".built")
    fresh = not os.path.exists(stamp)
    made = build_identity_set([(n, p, t) for n, p, t, _ in reports], args.out, soffice_convert if fresh else None)
    if fresh:                               # a second run reuses the converted files
        open(stamp, "w").close()
    labels = {n: (t, u) for n, _, t, u in reports}
    judged = {}
    if args.findings:
        from checker.engine.evaluate import check_path
        from checker.plugins import build_plugins
        from checker.rules import load_ruleset

        ruleset = load_ruleset(build_plugins())

        def judgement(path):
            result = check_path(path, ruleset)
            if result.error:
                return ("unreadable", result.error)
            return (result.elements, result.meta.get("report_year"),
                    sorted((f.rule, f.severity) for f in result.findings))
    agree, label_agree, total = {}, {}, {}
    txt_vs_label = [0, 0]
    for name, files in made.items():
        base = load_document(files["original"]).meta         # the blind set's own .txt
        want_title, want_unit = labels[name]
        txt_vs_label[0] += (base.title == want_title) + (base.unit == want_unit)
        txt_vs_label[1] += 2
        for fmt, path in sorted(files.items()):
            if fmt == "original":
                continue
            try:
                meta = load_document(path).meta
            except Exception as exc:            # a fixture that cannot be read counts as two misses
                meta = None
                if args.show:
                    print(f"{name} {fmt}: unreadable: {exc}")
            title, unit = (meta.title, meta.unit) if meta else (object(), object())
            total[fmt] = total.get(fmt, 0) + 2
            agree[fmt] = agree.get(fmt, 0) + (title == base.title) + (unit == base.unit)
            label_agree[fmt] = label_agree.get(fmt, 0) + (title == want_title) + (unit == want_unit)
            if args.show and (title != base.title or unit != base.unit):
                print(f"{name} {fmt}: title {title!r} / txt {base.title!r}; unit {unit!r} / txt {base.unit!r}")
            if args.findings:
                if "txt" not in judged.setdefault(name, {}):      # the same lines as plain text
                    judged[name]["txt"] = judgement(files["txt"])
                same = judgement(path) == judged[name]["txt"]
                judged.setdefault("_same", {}).setdefault(fmt, [0, 0])
                judged["_same"][fmt][0] += same
                judged["_same"][fmt][1] += 1
                if args.show and not same:
                    print(f"{name} {fmt}: judgement differs: {judgement(path)} / txt {judged[name]['txt']}")
    print(f"{len(made)} reports; .txt vs labels: {txt_vs_label[0]}/{txt_vs_label[1]} fields")
    print(f"{'format':<12}{'vs .txt':>12}{'vs labels':>12}")
    for fmt in sorted(total):
        print(f"{fmt:<12}{agree[fmt]:>6}/{total[fmt]:<5}{label_agree[fmt]:>6}/{total[fmt]:<5}")
    for fmt, (same, count) in sorted(judged.get("_same", {}).items()):
        print(f"{fmt:<12} elements, year and findings as the .txt's: {same}/{count}")
    fields = sum(total.values())
    print(f"{'all':<12}{sum(agree.values()):>6}/{fields:<5}{sum(label_agree.values()):>6}/{fields:<5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
