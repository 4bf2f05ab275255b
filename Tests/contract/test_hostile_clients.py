"""Slow and hostile clients against the real binary: slowloris headers, thousands of idle connections, bodies that
never finish and an oversized declared body. The host must keep answering everyone else, store nothing it did not
receive whole, and keep its memory bounded.

Everything here talks raw HTTP/1.1 over sockets to 127.0.0.1, because an HTTP client library would finish, pad or
time out the very requests these tests leave hanging.
"""

import base64
import json
import os
import resource
import selectors
import socket
import tempfile
import threading
import time

import pytest

from conftest import Contrail

# The variable the host reads its HTTP/1 idle timeout from.
IDLE_TIMEOUT_VARIABLE = "HTTP_IDLE_TIMEOUT_SECONDS"
# The main server gets a timeout longer than any test here holds a connection, so that these checks do not depend
# on the production default.
LONG_IDLE_TIMEOUT_SECONDS = 120
# The server for the timeout checks gets short ones, so that they fit in a few seconds.
SHORT_IDLE_TIMEOUT_SECONDS = 2
# Scheduling slack on a loaded CI runner on top of the timeout.
CLOSE_MARGIN_SECONDS = 4

# Correctness, not a benchmark: a request that is served at all is served in milliseconds; seconds means starved.
LATENCY_LIMIT_SECONDS = 5.0
IDLE_CONNECTIONS = 2000
# Measured at 12-14 KiB per idle connection for a debug build; well over twice that is a leak, not noise.
RSS_PER_CONNECTION = 32 * 1024
RSS_FLOOR = 16 * 1024 * 1024
# Stays below every soft limit we raise to, leaving room for the server's own files and this process's.
FD_RESERVE = 256

HAS_PROC = os.path.exists("/proc/self/status")
needs_proc = pytest.mark.skipif(not HAS_PROC, reason="reads the server's RSS and sockets from /proc")


def raise_file_limit() -> tuple:
    """Raises this process's soft RLIMIT_NOFILE as far as allowed, before the server starts so that it inherits the
    same limit, and returns the original limits for restoring."""
    original = resource.getrlimit(resource.RLIMIT_NOFILE)
    soft, hard = original
    # An unlimited hard limit cannot be the soft one on Linux (nr_open caps it); 64 Ki is plenty here.
    target = hard if hard != resource.RLIM_INFINITY else 65536
    if soft == resource.RLIM_INFINITY or soft >= target:
        return original
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError):
        pass
    return original


def file_limit() -> int:
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return 1 << 20 if soft == resource.RLIM_INFINITY else soft


@pytest.fixture(scope="module")
def file_limits():
    original = raise_file_limit()
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, original)


@pytest.fixture(scope="module")
def server(file_limits):
    with tempfile.TemporaryDirectory() as directory:
        host = Contrail(directory, {IDLE_TIMEOUT_VARIABLE: str(LONG_IDLE_TIMEOUT_SECONDS)})
        try:
            # The first requests allocate caches and pools once; a baseline taken before them would count that
            # one-off growth against the hostile clients.
            for index in range(5):
                others_are_served(host, f"warm-up-{index}")
            yield host
        finally:
            host.stop()


def status_bytes(pid: int, field: str) -> int:
    """A memory figure of the process from /proc: VmRSS now, VmHWM its peak."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field} in /proc status")


def rss_bytes(pid: int) -> int:
    return status_bytes(pid, "VmRSS")


def local_ports(clients) -> set:
    return {client.getsockname()[1] for client in clients}


def accepted_from(pid: int, ports: set) -> int:
    """How many connections from these client ports the server process holds a socket for. Counting all its
    descriptors would also count the polite clients' connections and ones it has yet to notice are closed."""
    inodes = set()
    for descriptor in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{descriptor}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    with open(f"/proc/{pid}/net/tcp") as table:
        next(table)
        for line in table:
            fields = line.split()
            if fields[9] in inodes and int(fields[2].rsplit(":", 1)[1], 16) in ports:
                count += 1
    return count


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout:.0f} s"
        time.sleep(0.1)


def mib(size: int) -> str:
    return f"{size / (1 << 20):.1f} MiB"


def envelope(message_id: str) -> bytes:
    return json.dumps({
        "message": {"data": base64.b64encode(b'{"hostile":true}').decode(), "messageId": message_id,
                    "publishTime": "2026-01-01T00:00:00Z"},
        "subscription": "projects/p/subscriptions/s",
    }).encode()


def record_ids(host: Contrail) -> set:
    status, body = host.request("GET", "/query/records?limit=1000")
    assert status == 200
    return {record["messageId"] for record in json.loads(body)["records"]}


def others_are_served(host: Contrail, tag: str) -> float:
    """A health check, a query and an ingest from a well-behaved client; returns the slowest latency."""
    slowest = 0.0
    for method, path, body, expected in [
        ("GET", "/_/health", None, 200),
        ("GET", "/query/records?limit=10", None, 200),
        ("POST", "/ingest", envelope(f"polite-{tag}"), 204),
    ]:
        started = time.monotonic()
        status, _ = host.request(method, path, body)
        elapsed = time.monotonic() - started
        assert status == expected, f"{method} {path} answered {status} while hostile clients were connected"
        assert elapsed < LATENCY_LIMIT_SECONDS, f"{method} {path} took {elapsed:.2f} s"
        slowest = max(slowest, elapsed)
    return slowest


def connect_all(port: int, count: int, pid: int | None = None, timeout: float = 30) -> list:
    """Opens `count` connections in batches the server has accepted before the next one starts, when `pid` lets us
    see its sockets. All at once, they overflow the 256-deep accept backlog: Linux then drops handshakes the
    client already believes complete, and those connections never reach the server at all."""
    sockets = []
    deadline = time.monotonic() + timeout
    try:
        while len(sockets) < count:
            batch = min(128, count - len(sockets))
            sockets += connect_batch(port, batch, deadline)
            if pid:
                ports = local_ports(sockets)
                wait_until(lambda: accepted_from(pid, ports) == len(sockets), deadline - time.monotonic(),
                           f"accepting {len(sockets)} connections")
        return sockets
    except BaseException:
        close_all(sockets)
        raise


def connect_batch(port: int, count: int, deadline: float) -> list:
    sockets, selector = [], selectors.DefaultSelector()
    try:
        for _ in range(count):
            client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(client)
            client.setblocking(False)
            if client.connect_ex(("127.0.0.1", port)) not in (0, 115, 36):  # EINPROGRESS on Linux and macOS
                raise OSError("connect failed at once")
            selector.register(client, selectors.EVENT_WRITE)
        pending = count
        while pending:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{pending} of {count} connections still not established"
            for key, _ in selector.select(remaining):
                error = key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                assert error == 0, f"connect failed: {os.strerror(error)}"
                selector.unregister(key.fileobj)
                pending -= 1
        for client in sockets:
            client.setblocking(True)
        return sockets
    except BaseException:
        close_all(sockets)
        raise
    finally:
        selector.close()


def close_all(sockets):
    for client in sockets:
        try:
            client.close()
        except OSError:
            pass


def read_response(client: socket.socket, timeout: float = LATENCY_LIMIT_SECONDS) -> tuple:
    """Status code, headers (lower-cased names) and body of one response with a Content-Length."""
    client.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        assert chunk, f"connection closed before a full response head: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = client.recv(65536)
        assert chunk, "connection closed mid-body"
        body += chunk
    return int(lines[0].split()[1]), headers, body


def is_closed_by_peer(client: socket.socket, timeout: float) -> bool:
    """Whether the server ends the connection within `timeout`, reading and dropping anything it sends first."""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        client.settimeout(remaining)
        try:
            if not client.recv(65536):
                return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False


def stalled_content_length(message_id: str) -> bytes:
    """A whole, valid envelope under a Content-Length that promises more: if the host ever acted on what it had
    rather than on what was declared, the record would show up."""
    body = envelope(message_id)
    return (b"POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % (len(body) + 1000)) + body


def stalled_chunked(message_id: str) -> bytes:
    """A whole, valid envelope as one chunk of a chunked body whose last chunk never comes."""
    body = envelope(message_id)
    return (b"POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n%x\r\n" % len(body)) + body + b"\r\n"


class Dribbler(threading.Thread):
    """Sends `payload` a byte every `interval` seconds to each socket until stopped; the default is a request head
    that never reaches its blank line."""

    HEAD = b"GET /_/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"z" * 4096

    def __init__(self, sockets, interval: float, payload: bytes = HEAD):
        super().__init__(daemon=True)
        self.sockets, self.interval, self.payload = sockets, interval, payload
        self.sent = 0
        self.failures: dict = {}
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set() and self.sent < len(self.payload):
            for index, client in enumerate(self.sockets):
                if index in self.failures:
                    continue
                try:
                    client.sendall(self.payload[self.sent:self.sent + 1])
                except OSError as error:
                    self.failures[index] = error
            self.sent += 1
            self.stopping.wait(self.interval)

    def stop(self):
        self.stopping.set()
        self.join(timeout=5)


def test_slowloris_headers_do_not_starve_other_clients(server):
    slow = connect_all(server.port, 8, server.process.pid if HAS_PROC else None)
    dribbler = Dribbler(slow, interval=0.2)
    try:
        dribbler.start()
        started, rounds, slowest = time.monotonic(), 0, 0.0
        while time.monotonic() - started < 4:
            slowest = max(slowest, others_are_served(server, f"slowloris-{rounds}"))
            rounds += 1
            time.sleep(0.2)
        dribbler.stop()
        assert not dribbler.failures, f"the host dropped slow clients mid-head: {dribbler.failures}"
        print(f"\nslowloris: {len(slow)} clients sent {dribbler.sent} header bytes each; "
              f"{rounds} rounds of other requests, slowest {slowest * 1000:.0f} ms")
        assert rounds >= 5

        # Slow is not wrong: a client that does finish its head, however late, gets its answer.
        for client in slow:
            client.sendall(Dribbler.HEAD[dribbler.sent:] + b"\r\n\r\n")
        for client in slow:
            status, _, body = read_response(client)
            assert status == 200 and json.loads(body)["status"] == "ok"
        assert f"polite-slowloris-{rounds - 1}" in record_ids(server)
    finally:
        dribbler.stop()
        close_all(slow)


@needs_proc
def test_bodies_that_never_finish_store_nothing_and_pin_no_memory(server):
    pid = server.process.pid
    per_kind = 100
    before_rss = rss_bytes(pid)
    stalled = connect_all(server.port, 2 * per_kind, pid)
    ports = local_ports(stalled)
    stalled_ids = set()
    try:
        for index, client in enumerate(stalled):
            kind = "length" if index % 2 == 0 else "chunked"
            message_id = f"stalled-{kind}-{index}"
            stalled_ids.add(message_id)
            client.sendall((stalled_content_length if kind == "length" else stalled_chunked)(message_id))
        # Long enough for the host to have parsed every head and be waiting inside the body.
        time.sleep(1.5)
        slowest = others_are_served(server, "stalled")
        during_rss = rss_bytes(pid)
        stored = record_ids(server)
        assert not stalled_ids & stored, f"incomplete bodies were stored: {sorted(stalled_ids & stored)[:5]}"
        assert "polite-stalled" in stored
        growth = during_rss - before_rss
        bound = max(RSS_FLOOR, len(stalled) * RSS_PER_CONNECTION)
        print(f"\n{len(stalled)} stalled uploads ({per_kind} short Content-Length, {per_kind} unterminated "
              f"chunked): server RSS {mib(before_rss)} -> {mib(during_rss)} (+{mib(growth)}, bound {mib(bound)}); "
              f"slowest other request {slowest * 1000:.0f} ms")
        assert growth < bound
        # No answer before the body is complete: an early 2xx would mean the host acted on a partial body.
        for client in stalled:
            client.settimeout(0)
            try:
                early = client.recv(1, socket.MSG_PEEK)
            except BlockingIOError:
                early = None
            assert early is None, "a stalled upload was answered or closed before its body arrived"
    finally:
        close_all(stalled)
    # The client giving up mid-body is the end of that request: nothing stored and nothing held.
    wait_until(lambda: accepted_from(pid, ports) == 0, 15, "releasing the abandoned uploads")
    stored = record_ids(server)
    assert not stalled_ids & stored, f"abandoned bodies were stored: {sorted(stalled_ids & stored)[:5]}"
    others_are_served(server, "after-stalled")


def send_oversized_head(port: int, declared: int) -> socket.socket:
    client = socket.create_connection(("127.0.0.1", port), timeout=LATENCY_LIMIT_SECONDS)
    client.sendall(b"POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                   b"Content-Length: %d\r\n\r\n" % declared)
    return client


@needs_proc
def test_declared_oversized_body_is_refused_before_it_is_sent(server):
    pid = server.process.pid
    declared = 40 << 20
    before_rss = rss_bytes(pid)
    client = send_oversized_head(server.port, declared)
    try:
        # Not one body byte has been sent, so the refusal cannot have waited for the body.
        status, headers, body = read_response(client)
        assert status == 413
        assert json.loads(body)["error"]["status"] == "OUT_OF_RANGE"
        assert headers.get("connection", "").lower() == "close"

        # Whether the host drains the rest or drops the connection, it must not keep the body it refused.
        chunk, sent = b"x" * (1 << 20), 0
        client.settimeout(LATENCY_LIMIT_SECONDS)
        try:
            while sent < declared:
                client.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass
        growth = rss_bytes(pid) - before_rss
        print(f"\n413 for a declared {mib(declared)}; then {mib(sent)} pushed anyway: server RSS +{mib(growth)}")
        assert growth < RSS_FLOOR
    finally:
        client.close()
    others_are_served(server, "after-oversized")


def test_connection_is_closed_after_refusing_an_oversized_body(server):
    client = send_oversized_head(server.port, 40 << 20)
    try:
        status, _, _ = read_response(client)
        assert status == 413
        assert is_closed_by_peer(client, CLOSE_MARGIN_SECONDS), \
            f"the connection was still open {CLOSE_MARGIN_SECONDS} s after a 413 with Connection: close"
    finally:
        client.close()


@needs_proc
def test_thousands_of_idle_connections_keep_others_served_and_memory_bounded(server):
    pid = server.process.pid
    count = min(IDLE_CONNECTIONS, file_limit() - FD_RESERVE)
    if count < IDLE_CONNECTIONS:
        print(f"\nRLIMIT_NOFILE allows {file_limit()} descriptors: scaled down to {count} idle connections")
    assert count >= 200, f"RLIMIT_NOFILE of {file_limit()} leaves too few descriptors to mean anything"

    before_rss = rss_bytes(pid)
    idle = connect_all(server.port, count, pid)
    ports = local_ports(idle)
    try:
        # Half say nothing at all; half start a request line and stop, so the parser holds partial state too.
        for client in idle[::2]:
            client.sendall(b"GET /query/rec")
        opened = time.monotonic()
        slowest = others_are_served(server, "idle")
        time.sleep(1)
        during_rss = rss_bytes(pid)
        slowest = max(slowest, others_are_served(server, "idle-again"))
        growth = during_rss - before_rss
        bound = max(RSS_FLOOR, count * RSS_PER_CONNECTION)
        print(f"\n{count} idle connections: server RSS {mib(before_rss)} -> {mib(during_rss)} "
              f"(+{mib(growth)}, {growth / count / 1024:.1f} KiB each, bound {mib(bound)}); "
              f"slowest other request {slowest * 1000:.0f} ms; held {time.monotonic() - opened:.1f} s")
        assert growth < bound
    finally:
        close_all(idle)
    # A connection the client has closed must not stay pinned on the server.
    closing = time.monotonic()
    wait_until(lambda: accepted_from(pid, ports) == 0, 15, "releasing the closed connections")
    print(f"server released all {count} in {time.monotonic() - closing:.1f} s; RSS now {mib(rss_bytes(pid))}")


# Each kind goes quiet in its own way; "dribbled-head" keeps sending but never completes its head.
STALL_KINDS = ["silent", "partial-head", "dribbled-head", "short-content-length", "unterminated-chunked",
               "idle-keep-alive"]
SHORT_REQUEST_TIMEOUT_SECONDS = 2


@pytest.fixture(scope="module")
def stalled_on_short_timeout(file_limits):
    """Every kind of stalled connection, opened together against a host with short timeouts, so the checks below
    share one wait instead of taking one each."""
    with tempfile.TemporaryDirectory() as directory:
        host = Contrail(directory, {IDLE_TIMEOUT_VARIABLE: str(SHORT_IDLE_TIMEOUT_SECONDS),
                                    "CLOUD_RUN_TIMEOUT_SECONDS": str(SHORT_REQUEST_TIMEOUT_SECONDS)})
        pid = host.process.pid if HAS_PROC else None
        kinds = STALL_KINDS + ["dribbled-body"]
        sockets = dict(zip(kinds, connect_all(host.port, len(kinds), pid)))
        head_dribbler = Dribbler([sockets["dribbled-head"]], interval=0.5)
        body_dribbler = Dribbler([sockets["dribbled-body"]], interval=0.5, payload=b"z" * 4096)
        try:
            sockets["partial-head"].sendall(b"GET /_/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            sockets["short-content-length"].sendall(stalled_content_length("timeout-length"))
            sockets["unterminated-chunked"].sendall(stalled_chunked("timeout-chunked"))
            sockets["idle-keep-alive"].sendall(b"GET /_/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert read_response(sockets["idle-keep-alive"])[0] == 200
            sockets["dribbled-body"].sendall(b"POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                             b"Content-Type: application/json\r\nContent-Length: 4096\r\n\r\n")
            head_dribbler.start()
            body_dribbler.start()
            yield host, sockets, time.monotonic()
        finally:
            head_dribbler.stop()
            body_dribbler.stop()
            close_all(sockets.values())
            host.stop()


@pytest.mark.parametrize("kind", STALL_KINDS)
def test_stalled_connection_is_closed_after_the_idle_timeout(stalled_on_short_timeout, kind):
    host, sockets, opened = stalled_on_short_timeout
    deadline = opened + SHORT_IDLE_TIMEOUT_SECONDS + CLOSE_MARGIN_SECONDS
    closed = is_closed_by_peer(sockets[kind], max(0.0, deadline - time.monotonic()) + 0.05)
    assert closed, (f"a {kind} connection was still open {SHORT_IDLE_TIMEOUT_SECONDS + CLOSE_MARGIN_SECONDS} s "
                    f"after it went quiet, with {IDLE_TIMEOUT_VARIABLE}={SHORT_IDLE_TIMEOUT_SECONDS}")
    if kind in ("short-content-length", "unterminated-chunked"):
        assert f"timeout-{kind.split('-')[-1]}" not in record_ids(host)


def test_body_trickled_past_the_request_timeout_is_cut_off(stalled_on_short_timeout):
    host, sockets, opened = stalled_on_short_timeout
    client = sockets["dribbled-body"]
    deadline = opened + SHORT_REQUEST_TIMEOUT_SECONDS + CLOSE_MARGIN_SECONDS
    client.settimeout(max(0.0, deadline - time.monotonic()) + 0.05)
    # An error response or a closed connection both end it; the connection closing after a response is the
    # subject of the 413 check above.
    try:
        answer = client.recv(65536)
    except ConnectionResetError:
        answer = b""
    except socket.timeout:
        pytest.fail(f"a body trickled a byte every 0.5 s was still being read "
                    f"{SHORT_REQUEST_TIMEOUT_SECONDS + CLOSE_MARGIN_SECONDS} s after the request began, with "
                    f"CLOUD_RUN_TIMEOUT_SECONDS={SHORT_REQUEST_TIMEOUT_SECONDS}")
    assert not answer.startswith(b"HTTP/1.1 2"), f"a trickled, unfinished body was accepted: {answer[:60]!r}"
