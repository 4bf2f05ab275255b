"""What a client cannot make the host spend: descriptors, memory for bodies it has not yet accepted, and memory for
answers, however many such clients come at once. Each test runs the real binary and speaks raw HTTP/1.1 where a
client library would finish or time out the very requests these tests leave hanging.
"""

import base64
import json
import os
import socket
import tempfile
import time

import pytest

from conftest import Contrail
from test_hostile_clients import (HAS_PROC, close_all, connect_all, is_closed_by_peer, needs_proc, others_are_served,
                                  read_response, rss_bytes, status_bytes)

# Correctness, not speed: an answer that comes at all comes in milliseconds; this much means it waited for a body.
HEAD_ANSWER_SECONDS = 3.0
# Memory the server may gain while refusing everything below; the refused bodies are 20 × 32 MiB.
REFUSED_GROWTH_LIMIT = 48 << 20
MAX_BODY = 32 << 20


def peak_rss_bytes(pid: int) -> int:
    return status_bytes(pid, "VmHWM")


def open_head(port: int, head: bytes) -> socket.socket:
    client = socket.create_connection(("127.0.0.1", port), timeout=HEAD_ANSWER_SECONDS)
    client.sendall(head)
    return client


def post_head(path: str, length: int, extra: bytes = b"") -> bytes:
    return (b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n%s"
            b"Content-Length: %d\r\n\r\n" % (path.encode(), extra, length))


def push_body(message_id: str, payload: bytes, attributes=None) -> bytes:
    message = {"data": base64.b64encode(payload).decode(), "messageId": message_id,
               "publishTime": "2026-11-22T10:00:00Z"}
    if attributes is not None:
        message["attributes"] = attributes
    return json.dumps({"message": message, "subscription": "projects/p/subscriptions/s"}).encode()


# Descriptors


def log_message(host: Contrail, prefix: str):
    return host.log_line(lambda entry: str(entry.get("message", "")).startswith(prefix))


def test_the_soft_open_file_limit_is_raised_to_the_hard_one():
    with tempfile.TemporaryDirectory() as directory:
        host = Contrail(directory, open_files=(256, 4096))
        try:
            line = log_message(host, "open file limit")
            assert line is not None, "the host did not log its open file limit"
            assert line["message"] == "open file limit 4096"
            assert line["soft_at_start"] == "256" and line["hard"] == "4096"

            clients = connect_all(host.port, 400, host.process.pid)
            try:
                others_are_served(host, "after-400-connections")
            finally:
                close_all(clients)
        finally:
            host.stop()


def flood(port: int, count: int) -> list:
    """Starts `count` connections without waiting for them: past the server's descriptors, some never complete."""
    sockets = []
    for _ in range(count):
        client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        client.setblocking(False)
        client.connect_ex(("127.0.0.1", port))
        sockets.append(client)
    return sockets


def health_on(client: socket.socket) -> int:
    client.sendall(b"GET /_/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    status, _, _ = read_response(client)
    return status


def test_running_out_of_descriptors_turns_new_connections_away_and_the_process_lives():
    with tempfile.TemporaryDirectory() as directory:
        host = Contrail(directory, open_files=(256, 256))
        existing = socket.create_connection(("127.0.0.1", host.port), timeout=10)
        crowd = []
        try:
            assert health_on(existing) == 200
            crowd = flood(host.port, 400)
            # Long enough for the server to accept everything it can and to meet EMFILE many times over.
            time.sleep(3)
            assert host.process.poll() is None, "the host died when it ran out of file descriptors"
            if HAS_PROC:
                # It stops accepting while it still has descriptors for its own needs (libdispatch, store files).
                held = len(os.listdir(f"/proc/{host.process.pid}/fd"))
                assert held <= 256 - 64, f"the host holds {held} of its 256 descriptors"
            assert health_on(existing) == 200, "a connection opened before the flood stopped being served"
            close_all(crowd)
            crowd = []
            deadline = time.monotonic() + 15
            while True:
                try:
                    others_are_served(host, "after-descriptors-ran-out")
                    break
                except (AssertionError, OSError):
                    assert time.monotonic() < deadline, "the host did not serve new connections again"
                    time.sleep(0.5)
            assert host.process.poll() is None
        finally:
            close_all(crowd)
            existing.close()
            host.stop()


# Bodies are read only once their request is accepted


@pytest.fixture(scope="module")
def oidc_host():
    with tempfile.TemporaryDirectory() as directory:
        # No key set is reachable: a push without a token is refused before any key would be needed.
        host = Contrail(directory, {"PUSH_AUTH": "oidc", "PUSH_AUDIENCE": "https://ingest.example",
                                    "PUSH_JWKS_URL": "http://127.0.0.1:9/certs"})
        try:
            yield host
        finally:
            host.stop()


@needs_proc
def test_pushes_without_a_token_are_refused_on_their_head_and_their_bodies_never_held(oidc_host):
    pid = oidc_host.process.pid
    before = rss_bytes(pid)
    clients = []
    try:
        for _ in range(20):
            client = open_head(oidc_host.port, post_head("/ingest", MAX_BODY))
            client.sendall(b"x" * (1 << 20))
            clients.append(client)
        for client in clients:
            status, headers, body = read_response(client, timeout=HEAD_ANSWER_SECONDS)
            assert status == 401
            assert json.loads(body)["error"]["status"] == "UNAUTHENTICATED"
            assert headers.get("connection", "").lower() == "close"
        growth = rss_bytes(pid) - before
        print(f"\n20 unauthenticated pushes declaring 32 MiB each: server RSS +{growth / (1 << 20):.1f} MiB")
        assert growth < REFUSED_GROWTH_LIMIT
        for client in clients:
            assert is_closed_by_peer(client, 5)
    finally:
        close_all(clients)


@pytest.mark.parametrize("head, status", [
    (post_head("/query/records", MAX_BODY), 405),
    (b"GET /query/records HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1048576\r\n\r\n", 413),
    (post_head("/no-such-function", MAX_BODY), 404),
    (b"PUT /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 33554432\r\n\r\n", 405),
], ids=["wrong method on an HTTP function", "a body to a function that reads none", "unknown route",
        "wrong method on a message function"])
def test_a_request_refused_on_its_head_is_answered_without_its_body(oidc_host, head, status):
    client = open_head(oidc_host.port, head)
    try:
        answered, headers, _ = read_response(client, timeout=HEAD_ANSWER_SECONDS)
        assert answered == status
        assert headers.get("connection", "").lower() == "close"
    finally:
        client.close()


def test_bodies_arriving_at_once_share_one_memory_budget():
    with tempfile.TemporaryDirectory() as directory:
        host = Contrail(directory, {"MAX_BUFFERED_REQUEST_BYTES": str(MAX_BODY)})
        first = second = None
        try:
            first = open_head(host.port, post_head("/ingest", 20 << 20))
            first.sendall(b"x" * (1 << 20))
            time.sleep(0.5)
            second = open_head(host.port, post_head("/ingest", 20 << 20))
            status, _, body = read_response(second, timeout=HEAD_ANSWER_SECONDS)
            assert status == 503
            assert "request bodies" in json.loads(body)["error"]["message"]

            # Once the first body has been read and answered, its share is free again.
            first.sendall(b"x" * ((20 << 20) - (1 << 20)))
            status, _, _ = read_response(first, timeout=30)
            assert status == 400
            envelope = push_body("after-the-budget-freed", b"{}")
            assert host.request("POST", "/ingest", envelope)[0] == 204
        finally:
            close_all([client for client in (first, second) if client])
            host.stop()


# Answers are bounded in bytes as well as in records


@pytest.fixture(scope="module")
def large_records():
    with tempfile.TemporaryDirectory() as directory:
        host = Contrail(directory)
        try:
            payload = json.dumps({"blob": "y" * ((1 << 20) - 20)}).encode()
            for index in range(100):
                assert host.request("POST", "/ingest", push_body(f"large-{index:03}", payload))[0] == 204
            huge = b"z" * (10 * 1000 * 1000)
            assert host.request("POST", "/ingest", push_body("huge", huge))[0] == 204
            yield host
        finally:
            host.stop()


def walk(host: Contrail) -> list:
    """The pages of a full listing with the default limit, as (record ids, answer size) pairs."""
    pages, cursor = [], None
    while True:
        path = "/query/records" + (f"?cursor={cursor}" if cursor else "")
        status, body = host.request("GET", path)
        assert status == 200
        page = json.loads(body)
        pages.append(([record["messageId"] for record in page["records"]], len(body)))
        cursor = page.get("nextCursor")
        if not cursor:
            return pages


def test_a_page_of_large_records_ends_early_and_the_listing_still_reaches_every_record(large_records):
    pages = walk(large_records)
    ids = [id for page, _ in pages for id in page]
    assert sorted(ids) == sorted([f"large-{index:03}" for index in range(100)] + ["huge"])
    assert len(ids) == len(set(ids))
    for page, size in pages:
        if "huge" in page:
            # Heavier than a whole page's budget: it comes alone, so that the listing goes on past it.
            assert page == ["huge"]
        else:
            # 4 MiB of weight per page, a payload counting twice: two 1 MiB records, about 2.4 MiB of JSON each.
            assert len(page) == 2 and size < 6 << 20, f"a page of {len(page)} records and {size} bytes"


@needs_proc
def test_concurrent_listings_of_large_records_keep_peak_memory_bounded(large_records):
    import concurrent.futures
    pid = large_records.process.pid
    before = peak_rss_bytes(pid)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        for pages in pool.map(lambda _: walk(large_records), range(4)):
            assert sum(len(page) for page, _ in pages) == 101
    peak = peak_rss_bytes(pid)
    print(f"\nfour concurrent listings of 100 × 1 MiB records: peak RSS {before / (1 << 20):.0f} MiB before, "
          f"{peak / (1 << 20):.0f} MiB after")
    assert peak - before < 160 << 20


def test_one_record_larger_than_a_page_is_served_whole(large_records):
    status, body = large_records.request("GET", "/query/records/huge")
    assert status == 200
    assert base64.b64decode(json.loads(body)["dataBase64"]) == b"z" * (10 * 1000 * 1000)
