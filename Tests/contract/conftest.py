"""Starts the real contrail binary for contract tests against its HTTP API."""

import base64
import json
import os
import pathlib
import resource
import threading
import collections
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import pytest
from contrail_binary import ROOT, contrail_binary

sys.path.insert(0, str(ROOT / "Tests/support"))
from ports import free_port  # noqa: E402  (the suites import it from here)
from contrail_dev import ContrailDev  # noqa: E402


class Contrail:
    """One `contrail serve` process on a free port with its own SQLite store."""

    def __init__(self, directory: str, environment: dict | None = None, open_files: tuple | None = None):
        """`open_files` is the (soft, hard) RLIMIT_NOFILE the server starts with, when given."""
        environment = dict(os.environ, PORT="0", LOG_FORMAT="json",
                           DATABASE_URL=f"sqlite:{directory}/store.sqlite", **(environment or {}))
        limit = (lambda: resource.setrlimit(resource.RLIMIT_NOFILE, open_files)) if open_files else None
        self.process = subprocess.Popen([contrail_binary(), "serve"], env=environment, cwd=directory,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        preexec_fn=limit)
        self.lines: list = []
        self.port = self._wait_for_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # Keep reading: the host logs every request, and a pipe nobody reads would stall it once full.
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self):
        for line in self.process.stdout:
            try:
                self.lines.append(json.loads(line))
            except ValueError:
                continue
        # Every request is logged: an undrained pipe fills after a few hundred requests and the server stalls
        # on its next log write. The tail is kept for diagnosing failures.
        self.output = collections.deque(maxlen=200)
        for stream in (self.process.stdout, self.process.stderr):
            threading.Thread(target=self._drain, args=(stream,), daemon=True).start()

    def _drain(self, stream):
        for line in stream:
            self.output.append(line)

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"contrail exited: {self.process.stderr.read()}")
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            self.lines.append(entry)
            if str(entry.get("message", "")).startswith("listening on"):
                return int(entry["port"])
        raise RuntimeError("contrail did not start listening")

    def request(self, method: str, path: str, body: bytes | None = None):
        request = urllib.request.Request(self.base + path, data=body, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def log_line(self, predicate, timeout: float = 10):
        """The first JSON log line that satisfies `predicate`, waiting up to `timeout` seconds for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for entry in list(self.lines):
                if predicate(entry):
                    return entry
            time.sleep(0.05)
        return None

    def push(self, message_id: str, data: bytes, attributes=None, ordering_key=None):
        message = {"data": base64.b64encode(data).decode(), "messageId": message_id, "message_id": message_id,
                   "publishTime": "2026-11-22T10:00:00.123456Z", "publish_time": "2026-11-22T10:00:00.123456Z"}
        if attributes:
            message["attributes"] = attributes
        if ordering_key:
            message["orderingKey"] = ordering_key
        body = {"message": message, "subscription": "projects/p/subscriptions/ingest", "deliveryAttempt": 1}
        status, _ = self.request("POST", "/ingest", json.dumps(body).encode())
        assert status == 204

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)


@pytest.fixture(scope="module")
def contrail():
    with tempfile.TemporaryDirectory() as directory:
        server = Contrail(directory)
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="module")
def contrail_dev():
    with tempfile.TemporaryDirectory() as directory:
        server = ContrailDev(directory)
        try:
            yield server
        finally:
            server.stop()
