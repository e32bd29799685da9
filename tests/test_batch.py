"""Parallel batches give exactly the results of a sequential run, in input order."""
import json

from click.testing import CliRunner

from checker.engine.batch import check_paths, default_jobs
from checker.cli import main

from .conftest import SEED_FILES, seed_path


def test_jobs_flag_output_equals_sequential_output(tmp_path):
    files = []
    for copy in range(4):                       # 20 reports: enough for two workers
        for name in SEED_FILES:
            target = tmp_path / f"{copy}_{name}"
            target.write_bytes(open(seed_path(name), "rb").read())
            files.append(str(target))
    one = CliRunner().invoke(main, ["--format", "json", "--jobs", "1", str(tmp_path)])
    two = CliRunner().invoke(main, ["--format", "json", "--jobs", "2", str(tmp_path)])
    assert one.exit_code == two.exit_code == 1
    assert json.loads(one.stdout) == json.loads(two.stdout)
    assert [f["path"] for f in json.loads(two.stdout)["files"]] == sorted(files)


def test_batch_keeps_order_and_isolates_unreadable_files(tmp_path, ruleset):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    paths = [seed_path(SEED_FILES[0]), str(empty), seed_path(SEED_FILES[1])]
    results = check_paths(paths, ruleset, jobs=2)
    assert [r.path for r in results] == paths
    assert results[1].error and results[0].error is None and results[2].score is not None


def test_small_batches_stay_in_process():
    assert default_jobs(3) == 1
