"""A throwaway PostgreSQL cluster for the store's tests: Debian's postgresql (``initdb`` + ``pg_ctl``,
installed by .ci/run where it can), in a temporary folder, listening on a Unix socket in that folder
only (no TCP port), trust authentication, removed at the end. Run as the ``postgres`` user when the
tests run as root (PostgreSQL refuses to run as root). ``FAZHI_LINT_TEST_POSTGRES`` (a database URL)
uses an existing server instead. Tests skip with the reason when neither is there."""
import glob
import os
import shutil
import subprocess
import tempfile
import uuid

import pytest

ENV_URL = "FAZHI_LINT_TEST_POSTGRES"


def _binaries():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: [int(x) for x in p.split("/")[4].split(".") if x.isdigit()])
    initdb = found[-1] if found else shutil.which("initdb")
    if not initdb:
        return None
    folder = os.path.dirname(initdb)
    pg_ctl = os.path.join(folder, "pg_ctl")
    return (initdb, pg_ctl) if os.access(pg_ctl, os.X_OK) else None


class Cluster:
    def __init__(self):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            pytest.skip("psycopg is not installed (pip install 'fazhi-lint[postgres]')")
        self.folder, self.url = None, os.environ.get(ENV_URL)
        if self.url:
            return
        binaries = _binaries()
        if binaries is None:
            pytest.skip("PostgreSQL is not installed (Debian package `postgresql`; .ci/run installs it)")
        initdb, pg_ctl = binaries
        self.folder = tempfile.mkdtemp(prefix="fazhi-lint-pg-")
        data, self.prefix = os.path.join(self.folder, "data"), []
        if os.geteuid() == 0:
            import pwd

            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no `postgres` user to run PostgreSQL as")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.pg_ctl, self.data = pg_ctl, data
        self._run([initdb, "-D", data, "--auth=trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        options = f"-k {self.folder} -c listen_addresses='' -p 5432 -c fsync=off"
        self._run([pg_ctl, "-D", data, "-o", options, "-l", os.path.join(self.folder, "log"), "-w", "-t", "60", "start"])
        self.url = f"postgresql://postgres@/postgres?host={self.folder}&port=5432"

    def _run(self, argv):
        done = subprocess.run(self.prefix + argv, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = os.path.join(self.folder, "log")
            tail = open(log, encoding="utf-8", errors="replace").read()[-2000:] if os.path.exists(log) else ""
            pytest.skip(f"could not start a throwaway PostgreSQL: {done.stderr[-500:]} {tail}")

    def database(self) -> str:
        """The URL of a new, empty database of this cluster."""
        import psycopg

        name = "desk_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url.replace("postgresql://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        base, _, query = self.url.partition("?")
        return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")

    def stop(self):
        if self.folder:
            subprocess.run(self.prefix + [self.pg_ctl, "-D", self.data, "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=60)
            shutil.rmtree(self.folder, ignore_errors=True)
