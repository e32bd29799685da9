"""A served desk for the tests: ``fazhi-lint serve`` started as a reviewer starts it (a process of its
own, ``--port 0``: the port it prints), and the HTTP calls a page or a script makes to it."""
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

from .conftest import ROOT

URL = re.compile(r"审查台：(http://[^/\s]+)/")


class Desk:
    """A running ``fazhi-lint serve``; ``stop()`` ends it with Ctrl-C (SIGINT), ``kill()`` with SIGKILL."""

    def __init__(self, *args, cwd=None, env=None, wait=True):
        self.args = [sys.executable, "-m", "checker", "serve", "--port", "0", *map(str, args)]
        self.process = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        cwd=cwd or ROOT, env={**os.environ, **(env or {})})
        self.lines = []
        self.url = None
        deadline = time.monotonic() + 60
        while self.url is None:
            line = self.process.stdout.readline()
            if not line:
                out, err = self.process.communicate(timeout=30)
                raise RuntimeError(f"serve exited {self.process.returncode}: {err[-3000:]}")
            self.lines.append(line)
            found = URL.search(line)
            if found:
                self.url = found.group(1)
            if time.monotonic() > deadline:
                raise RuntimeError("serve did not start")
        self._csrf = None
        if wait:
            self.wait_idle()

    # -- HTTP ---------------------------------------------------------------------------------
    def call(self, method, path, body=None, headers=None, csrf=True, raw=None, timeout=60):
        """(status, headers, bytes) of one request; ``body`` is sent as JSON, ``raw`` as it is."""
        data, sent = None, dict(headers or {})
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            sent.setdefault("Content-Type", "application/json")
        if raw is not None:
            data = raw
        if csrf and method != "GET":
            sent.setdefault("X-CSRF-Token", self.csrf())
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
        except urllib.error.HTTPError as exc:
            return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()

    def json(self, method, path, body=None, **options):
        status, _, data = self.call(method, path, body, **options)
        return status, json.loads(data.decode("utf-8")) if data else None

    def get(self, path):
        status, data = self.json("GET", path)
        assert status == 200, (path, status, data)
        return data

    def csrf(self):
        if self._csrf is None:
            self._csrf = self.get("/api/csrf")["token"]
        return self._csrf

    def upload(self, files, **options):
        """POST /api/upload with ``files`` [(name, bytes)] as multipart ``files``; (status, json)."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, data in files:
            parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
                         "Content-Type: application/octet-stream\r\n\r\n".encode("utf-8") + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        status, _, data = self.call("POST", "/api/upload", raw=body,
                                    headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}, **options)
        return status, json.loads(data.decode("utf-8"))

    def wait_job(self, job_id, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.get(f"/api/jobs/{job_id}")
            if job["state"] in ("done", "failed"):
                return job
            time.sleep(0.1)
        raise AssertionError(f"job {job_id} did not finish")

    def wait_idle(self, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            progress = self.get("/api/progress")
            if progress.get("state") in ("idle", "done", "failed"):
                return progress
            time.sleep(0.1)
        raise AssertionError("the desk's checks did not finish")

    def decide(self, report, fingerprint, decision, reason=None, **extra):
        return self.json("POST", f"/api/findings/{fingerprint}/decision",
                         {"report": report, "decision": decision, "reason": reason, **extra})

    # -- ending -----------------------------------------------------------------------------
    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream:
                stream.close()

    def kill(self):
        self.process.kill()
        self.process.wait()
        self.stop()


def seed_scores():
    """{file name: score} of ``fazhi-lint --format json seeds/`` (the command line's own run)."""
    done = subprocess.run([sys.executable, "-m", "checker", "--format", "json", "--fail-on", "never", "seeds/"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    return {os.path.basename(f["path"]): f["score"] for f in json.loads(done.stdout)["files"]}


def report_named(desk, file_name):
    """The ranking row of the report ``file_name``."""
    return next(r for r in desk.get("/api/reports") if r["file_name"] == file_name)


def finding_named(report, rule):
    """The first finding of ``rule`` in a report as the API gives it."""
    return next(f for f in report["findings"] if f["rule"] == rule)


def letter_text(data: bytes) -> str:
    """The paragraphs of a .docx letter, one a line."""
    import io

    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
