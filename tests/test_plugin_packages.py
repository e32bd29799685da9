"""The province packs as a user gets them: a fresh virtual environment, ``pip install`` of the
core and of ``plugins/fazhi-lint-sichuan`` and ``plugins/fazhi-lint-shenzhen``, entry points.

The environment is built once per session and installs with ``--no-build-isolation --no-deps`` so
nothing is downloaded. It sees the *running* environment's site-packages on purpose, through a
``.pth`` file naming them (tests/venvs.py); the child's own site-packages comes first on
``sys.path``, so its non-editable install of the core wins over the running one.
"""
import json
import os
import subprocess

import pytest

from .conftest import ROOT, seed_path
from .venvs import make_venv

SEED_003 = seed_path("003_bf1c1cd002b1e66a.txt")   # 深圳市大鹏新区
SEED_004 = seed_path("004_b0c9e18cd6c6e394.txt")   # 四川眉山


@pytest.fixture(scope="session")
def venv(tmp_path_factory):
    import hatchling  # noqa: F401  (a test dependency: building the packages offline needs it)

    home = tmp_path_factory.mktemp("venv")
    bindir, pip = make_venv(home)
    pip = [*pip, "install", "--quiet", "--no-deps", "--no-build-isolation", "--disable-pip-version-check"]
    for project in (ROOT, os.path.join(ROOT, "plugins", "fazhi-lint-sichuan"),
                    os.path.join(ROOT, "plugins", "fazhi-lint-shenzhen")):
        done = subprocess.run([*pip, project], timeout=300, capture_output=True, text=True, env=_env())
        assert done.returncode == 0, f"pip install {project} failed:\n{done.stdout}\n{done.stderr}"
    return bindir


def _env(extra=None):
    """The caller's environment without anything that would bypass the installed packages."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "FAZHI_LINT_NO_ENTRYPOINTS", "FAZHI_LINT_PLUGINS", "FAZHI_LINT_DISABLE_PLUGINS")}
    env.update(extra or {})
    return env


def _run(bindir, *args, env_extra=None):
    return subprocess.run([os.path.join(bindir, "fazhi-lint"), *args], capture_output=True, text=True,
                          env=_env(env_extra), cwd=os.path.dirname(bindir), timeout=120)


def _findings(run):
    [report] = json.loads(run.stdout)["files"]
    return report["findings"]


def test_installed_core_is_the_one_under_test(venv):
    probe = subprocess.run([os.path.join(venv, "python"), "-c", "import checker, os; print(checker.__file__)"],
                           capture_output=True, text=True, check=True, cwd=os.path.dirname(venv), env=_env())
    assert probe.stdout.strip().startswith(os.path.dirname(venv)), probe.stdout


def test_sichuan_quota_rule_differs_from_the_national_one_on_seed_004(venv):
    national = _run(venv, "--format", "json", "--fail-on", "never", SEED_004)
    # the quota binds 县级以上人民政府: seed 004 (an industrial park) read as a government report here
    sichuan = _run(venv, "--province", "sichuan", "--subject", "government", "--format", "json", "--fail-on", "never",
                   SEED_004)
    assert national.returncode == 0 and sichuan.returncode == 0, sichuan.stderr
    as_zone = _run(venv, "--province", "sichuan", "--format", "json", "--fail-on", "never", SEED_004)
    assert [f["severity"] for f in _findings(as_zone) if f["rule"] == "FZ-L01"] == ["info"]
    national_by_rule = {f["rule"]: f for f in _findings(national)}
    sichuan_findings = _findings(sichuan)
    assert not any(r.startswith("SC-") for r in national_by_rule)
    # 会前学法 is mentioned but never counted: advisory nationally, a warning under Sichuan's 24-a-year quota
    assert national_by_rule["FZ-L01"]["severity"] == "info"
    [quota] = [f for f in sichuan_findings if f["rule"] == "FZ-L01"]
    assert quota["severity"] == "warning" and "24" in quota["message"] and "没有写次数" in quota["message"]
    assert quota["excerpt"].startswith("会前学法")
    # the national findings are all still there
    assert set(national_by_rule) <= {f["rule"] for f in sichuan_findings}
    # 学法考法平台 is reported with numbers in this seed, so FZ-L05 stays quiet in both
    assert "FZ-L05" not in {f["rule"] for f in sichuan_findings} | set(national_by_rule)


def test_sichuan_threshold_on_a_stated_count(venv, tmp_path):
    text = open(SEED_004, encoding="utf-8").read().replace(
        "通过会前学法、法律知识讲座", "全年开展会前学法12次，通过会前学法、法律知识讲座")
    assert "会前学法12次" in text
    report = tmp_path / "meishan.txt"
    report.write_text(text, encoding="utf-8")
    national = _run(venv, "--format", "json", "--fail-on", "never", str(report))
    sichuan = _run(venv, "--province", "sichuan", "--subject", "government", "--format", "json", "--fail-on", "never",
                   str(report))
    assert "FZ-L01" not in {f["rule"] for f in _findings(national)}     # 12 ≥ the national 4
    [quota] = [f for f in _findings(sichuan) if f["rule"] == "FZ-L01"]
    assert quota["severity"] == "warning" and "会前学法12次" in quota["message"] and "少于 24" in quota["message"]
    assert quota["excerpt"] == "12次"          # the stated count, in the original text


def test_shenzhen_coverage_rule_on_the_shenzhen_seed(venv):
    national = _run(venv, "--format", "json", "--fail-on", "never", SEED_003)
    shenzhen = _run(venv, "--province", "shenzhen", "--format", "json", "--fail-on", "never", SEED_003)
    assert shenzhen.returncode == 0, shenzhen.stderr
    assert not any(f["rule"].startswith("SZ-") for f in _findings(national))
    [coverage] = [f for f in _findings(shenzhen) if f["rule"] == "SZ-A01"]
    assert "严格规范公正文明执法、数字法治政府建设" in coverage["message"] and "6/8" in coverage["message"]


def test_plugins_command_and_allow_and_disable_lists(venv):
    listing = _run(venv, "plugins")
    assert listing.returncode == 0, listing.stderr
    assert "sichuan 0.1.0（entry point，fazhi-lint-sichuan）" in listing.stdout
    assert "规则前缀：SC" in listing.stdout and "规则前缀：SZ" in listing.stdout
    assert "规则包：shenzhen（扩展 national）" in listing.stdout
    only = _run(venv, "plugins", env_extra={"FAZHI_LINT_PLUGINS": "fazhi-lint-shenzhen"})
    assert "shenzhen" in only.stdout and "sichuan" not in only.stdout
    off = _run(venv, "--province", "sichuan", SEED_004, env_extra={"FAZHI_LINT_DISABLE_PLUGINS": "sichuan"})
    assert off.returncode == 2 and "未知的规则包 'sichuan'" in off.stderr


def test_list_rules_for_sichuan(venv):
    run = _run(venv, "--list-rules", "--province", "sichuan")
    assert run.returncode == 0, run.stderr
    assert "national → sichuan" in run.stdout
    rows = {line.split("\t")[0]: line.split("\t") for line in run.stdout.splitlines() if "\t" in line}
    assert rows["SC-L03"][3] == "sichuan" and rows["SC-L03"][5] == "新增" and "study.yaml:" in rows["SC-L03"][4]
    assert "SC-L01" not in rows and "SC-L02" not in rows
    assert rows["FZ-L01"][3] == "national" and "被 sichuan 覆盖" in rows["FZ-L01"][5]
    assert "pack.yaml:" in rows["FZ-L01"][5] and rows["FZ-L01"][6] == "会前学法每年不少于24次"
    assert rows["FZ-S01"][5] == "继承"


def test_test_rules_on_core_and_both_plugins(venv):
    run = _run(venv, "test-rules", os.path.join(ROOT, "rules"),
               os.path.join(ROOT, "plugins", "fazhi-lint-sichuan"), os.path.join(ROOT, "plugins", "fazhi-lint-shenzhen"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "✓ FZ-L01 会前学法每年不少于24次" in run.stdout and "✓ SC-L03" in run.stdout and "✓ SZ-A01" in run.stdout and "全部通过" in run.stdout
