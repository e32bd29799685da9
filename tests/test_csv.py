"""``--format csv``: one row per fact, UTF-8 with BOM."""
import csv
import io
import os
import subprocess
import sys

from checker.engine import check_path
from checker.outputs.csv_format import BOM, COLUMNS, render_csv

from .conftest import ROOT, SEEDS, seed_path


def test_csv_rows_one_per_fact(ruleset):
    results = [check_path(seed_path("002_3ec005597ce203f5.txt"), ruleset),
               check_path(seed_path("000_aa44ca5054db8c02.txt"), ruleset)]
    text = render_csv(results, {})
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text[len(BOM):])))
    assert tuple(rows[0].keys()) == COLUMNS
    facts_002 = [r for r in rows if r["path"].endswith("002_3ec005597ce203f5.txt")]
    assert len(facts_002) == len(results[0].facts)
    first = facts_002[0]
    assert (first["unit"], first["year"], first["kind"], first["label"], first["count"], first["measure"]) == \
        ("河东区政府办公室", "2024", "study", "集体学习", "12", "次")
    # a report without facts still has its row
    empty = [r for r in rows if r["path"].endswith("000_aa44ca5054db8c02.txt")]
    assert len(empty) == 1 and empty[0]["count"] == "" and empty[0]["text"]


def test_cli_csv_file_is_utf8_with_bom(tmp_path):
    out = tmp_path / "facts.csv"
    env = {**os.environ, "PYTHONPATH": os.path.join(ROOT, "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run([sys.executable, "-m", "checker", SEEDS, "--format", "csv", "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True, env=env)
    assert proc.returncode in (0, 1), proc.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) > 50 and {r["kind"] for r in rows} >= {"study", "responsibility", "litigation", "publicity"}
