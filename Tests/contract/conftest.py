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


class ContrailDev:
    """One `contrail dev` process: functions host, local Pub/Sub service and the pipeline between them."""

    def __init__(self, directory: str):
        self.directory = pathlib.Path(directory)
        # `dev` takes fixed ports, so another process can take one between probing and binding; the
        # binary then exits at once, and a fresh pair of ports is worth one more try.
        for attempt in range(3):
            self.port = free_port("127.0.0.1")
            self.pubsub_port = free_port("127.0.0.1", "::1")
            if self.pubsub_port == self.port:
                continue
            if self._start(attempt):
                break
        else:
            raise RuntimeError(f"contrail dev did not start: {self._stderr()}")
        self.base = f"http://127.0.0.1:{self.port}"

    def _start(self, attempt: int) -> bool:
        environment = dict(os.environ, PORT=str(self.port), LOG_FORMAT="json",
                           DATABASE_URL=f"sqlite:{self.directory}/store-{attempt}.sqlite")
        # Logs go to files, not pipes: the host logs every request, and nobody reads a pipe after
        # start-up, so a full pipe would stall the server mid-test.
        self.stdout_path = self.directory / f"stdout-{attempt}.log"
        self.stderr_path = self.directory / f"stderr-{attempt}.log"
        with open(self.stdout_path, "w") as stdout, open(self.stderr_path, "w") as stderr:
            self.process = subprocess.Popen(
                [contrail_binary(), "dev", "--pubsub-port", str(self.pubsub_port),
                 "--pubsub-state", str(self.directory / f"pubsub-{attempt}.sqlite")],
                env=environment, cwd=self.directory, stdout=stdout, stderr=stderr, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._logged("pipeline ready"):
                return True
            if self.process.poll() is not None:
                return False
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"contrail dev did not report the pipeline ready: {self._stderr()}")

    def _logged(self, message: str) -> bool:
        for line in self.stdout_path.read_text().splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and entry.get("message") == message:
                return True
        return False

    def _stderr(self) -> str:
        path = getattr(self, "stderr_path", None)
        return path.read_text() if path else "(never started)"

    def get_json(self, path: str):
        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            return json.loads(response.read())

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)


@pytest.fixture(scope="module")
def contrail_dev():
    with tempfile.TemporaryDirectory() as directory:
        server = ContrailDev(directory)
        try:
            yield server
        finally:
            server.stop()
