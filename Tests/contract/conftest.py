"""Starts the real contrail binary for contract tests against its HTTP API."""

import base64
import json
import os
import pathlib
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def contrail_binary() -> str:
    explicit = os.environ.get("CONTRAIL_BINARY")
    if explicit:
        return explicit
    for candidate in sorted(ROOT.glob(".build/*/debug/contrail")) + [ROOT / ".build/debug/contrail"]:
        if candidate.is_file():
            return str(candidate)
    raise RuntimeError("build contrail first (swift build) or set CONTRAIL_BINARY")


class Contrail:
    """One `contrail serve` process on a free port with its own SQLite store."""

    def __init__(self, directory: str):
        environment = dict(os.environ, PORT="0", LOG_FORMAT="json",
                           DATABASE_URL=f"sqlite:{directory}/store.sqlite")
        self.process = subprocess.Popen([contrail_binary(), "serve"], env=environment, cwd=directory,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.port = self._wait_for_port()
        self.base = f"http://127.0.0.1:{self.port}"

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
