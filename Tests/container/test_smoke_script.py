"""infra/smoke-test.sh against the real binary, with a stand-in gcloud that pushes what it publishes."""

import os
import pathlib
import shutil
import subprocess
import tempfile
import time

import pytest

from container_support import ROOT, Container, owned_directory

# Publishes as Pub/Sub would deliver: one wrapped push of the message to FAKE_PUSH_URL (when set; otherwise the
# message is lost, as with a broken subscription). Prints the message id like `--format='value(messageIds)'`.
FAKE_GCLOUD = r'''#!/usr/bin/env python3
import base64, json, os, sys, urllib.request, uuid
args = sys.argv[1:]
if args[:3] != ["pubsub", "topics", "publish"]:
    sys.exit(f"fake gcloud: unsupported command {args}")
data, attributes = b"", {}
for arg in args[4:]:
    if arg.startswith("--message="):
        data = arg.split("=", 1)[1].encode()
    elif arg.startswith("--attribute="):
        key, value = arg.split("=", 1)[1].split("=", 1)
        attributes[key] = value
message_id = str(uuid.uuid4().int % 10**16)
url = os.environ.get("FAKE_PUSH_URL")
if url:
    body = {"message": {"data": base64.b64encode(data).decode(), "messageId": message_id,
                        "publishTime": "2026-01-01T00:00:00Z", "attributes": attributes},
            "subscription": f"projects/p/subscriptions/ingest-push"}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10)
print(message_id)
'''


@pytest.fixture(scope="module")
def deployment(staged):
    workdir = owned_directory()
    container = Container(staged, workdir)
    bin_dir = pathlib.Path(tempfile.mkdtemp(prefix="fake-gcloud-"))
    gcloud = bin_dir / "gcloud"
    gcloud.write_text(FAKE_GCLOUD)
    gcloud.chmod(0o755)
    yield container, bin_dir
    container.terminate()
    container.stop()
    shutil.rmtree(workdir, ignore_errors=True)
    shutil.rmtree(bin_dir, ignore_errors=True)


def smoke_test(container, bin_dir, *, delivered: bool, timeout: int):
    environment = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", QUERY_PUBLIC="true", SMOKE_INTERVAL="1")
    environment.pop("QUERY_ID_TOKEN", None)
    if delivered:
        environment["FAKE_PUSH_URL"] = f"{container.base}/ingest"
    return subprocess.run(["bash", str(ROOT / "infra/smoke-test.sh"), "--project", "p", "--topic", "events",
                           "--query-url", f"{container.base}/query", "--timeout", str(timeout)],
                          env=environment, text=True, capture_output=True, timeout=timeout + 30)


def test_passes_when_the_message_reaches_the_query_api(deployment):
    result = smoke_test(*deployment, delivered=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "reached the store" in result.stdout


def test_fails_within_its_deadline_when_the_message_never_arrives(deployment):
    started = time.monotonic()
    result = smoke_test(*deployment, delivered=False, timeout=4)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "did not appear" in result.stderr
    assert time.monotonic() - started < 20
