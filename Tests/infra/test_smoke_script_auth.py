"""infra/smoke-test.sh against a query service that refuses callers until an IAM grant reaches it.

A stand-in query service on 127.0.0.1 answers 403 for its first seconds, then the record the stand-in gcloud
published; no binary is needed.
"""

import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from terraform_model import ROOT

MESSAGE_ID = "4242"
FAKE_GCLOUD = f"""#!/bin/sh
[ "$1 $2 $3" = "pubsub topics publish" ] || {{ echo "fake gcloud: unsupported $*" >&2; exit 1; }}
echo {MESSAGE_ID}
"""


class QueryService(ThreadingHTTPServer):
    def __init__(self, refuse_for: float):
        super().__init__(("127.0.0.1", 0), Handler)
        self.refuse_until = time.monotonic() + refuse_for


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if time.monotonic() < self.server.refuse_until:
            self.answer(403, {"error": {"code": 403, "message": "Forbidden"}})
            return
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        smoke = query.get("attributes.smoke", [""])[0]
        self.answer(200, {"records": [{"messageId": MESSAGE_ID, "attributes": {"smoke": smoke}}]})

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def gcloud_dir():
    directory = pathlib.Path(tempfile.mkdtemp(prefix="fake-gcloud-"))
    gcloud = directory / "gcloud"
    gcloud.write_text(FAKE_GCLOUD)
    gcloud.chmod(0o755)
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def smoke_test(gcloud_dir, *, refuse_for: float, auth_timeout: int, timeout: int = 30):
    server = QueryService(refuse_for)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        environment = dict(os.environ, PATH=f"{gcloud_dir}:{os.environ['PATH']}", QUERY_PUBLIC="false",
                           QUERY_ID_TOKEN="token", SMOKE_INTERVAL="1")
        url = f"http://127.0.0.1:{server.server_address[1]}"
        started = time.monotonic()
        result = subprocess.run(
            ["bash", str(ROOT / "infra/smoke-test.sh"), "--project", "p", "--topic", "events", "--query-url", url,
             "--timeout", str(timeout), "--auth-timeout", str(auth_timeout)],
            env=environment, text=True, capture_output=True, timeout=timeout + auth_timeout + 30)
        return result, time.monotonic() - started
    finally:
        server.shutdown()
        server.server_close()


def test_waits_for_an_invoker_grant_to_propagate(gcloud_dir):
    result, _ = smoke_test(gcloud_dir, refuse_for=3, auth_timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "retrying" in result.stdout and "reached the store" in result.stdout


def test_fails_once_refusals_outlast_the_auth_timeout(gcloud_dir):
    result, elapsed = smoke_test(gcloud_dir, refuse_for=3600, auth_timeout=3, timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "still refuses" in result.stderr and "run.invoker" in result.stderr
    # Bounded by the auth timeout, not by the (longer) wait for the record.
    assert elapsed < 20
