"""The `contrail dev` the console suite drives, plain HTTP calls to it (no browser, no Origin), and bounded waits.

`dev` itself is started by Tests/support/contrail_dev.py, as the contract suite starts it, so that every suite finds
and starts `contrail` the same way.
"""

import base64
import json
import pathlib
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for folder in (ROOT / "Tests/contract", ROOT / "Tests/support"):
    if str(folder) not in sys.path:
        sys.path.append(str(folder))

from contrail_dev import ContrailDev  # noqa: E402

PROJECT = "local-project"


class WaitTimeout(AssertionError):
    pass


def wait_until(predicate, timeout: float, what: str, interval: float = 0.2):
    """The first truthy value of `predicate()`, polled every `interval` seconds for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = predicate()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise WaitTimeout(f"waited {timeout:g} s for {what}; last seen: {last!r}")
        time.sleep(interval)


def http(method: str, url: str, body=None, headers: dict | None = None, timeout: float = 30):
    """(status, body bytes) of one request; a dict body is sent as JSON."""
    headers = dict(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def form_post(url: str, fields: dict, headers: dict | None = None):
    """A form submission as a browser sends it, without the browser (and so without an Origin)."""
    body = urllib.parse.urlencode(fields).encode()
    return http("POST", url, body, {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})


def google_error(body: bytes, code: int, status: str | None = None) -> dict:
    """The `error` object of a Google-shaped error body, checked against the expected code and status."""
    try:
        parsed = json.loads(body)
    except ValueError:
        raise AssertionError(f"expected a Google-shaped JSON error, got {body[:300]!r}")
    assert isinstance(parsed, dict) and isinstance(parsed.get("error"), dict), f"no error object in {parsed!r}"
    error = parsed["error"]
    assert error.get("code") == code, f"error code {error.get('code')!r}, expected {code}: {parsed!r}"
    assert isinstance(error.get("message"), str) and error["message"], f"error without a message: {parsed!r}"
    assert isinstance(error.get("status"), str) and error["status"], f"error without a status: {parsed!r}"
    if status is not None:
        assert error["status"] == status, f"error status {error['status']!r}, expected {status}: {parsed!r}"
    return error


def b64(data: bytes | str) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


class ConsoleDev(ContrailDev):
    """`contrail dev` (Tests/support/contrail_dev.py) as the console suite drives it: the console's API, the local
    Pub/Sub service and the query function, over plain HTTP."""

    def __init__(self, directory: str):
        super().__init__(directory)
        # "pipeline ready" is about the pipeline; give the console a moment more to answer, as a browser would.
        wait_until(self._console_answers, 10, "the console to answer GET /api/v1/functions", interval=0.1)

    def _console_answers(self) -> bool:
        try:
            return http("GET", self.console("/api/v1/functions"), timeout=2)[0] == 200
        except OSError:
            return False

    # The console, without a browser.

    def console(self, path: str) -> str:
        return self.console_origin + path

    def api(self, method: str, path: str, body=None, headers: dict | None = None):
        """(status, parsed JSON or raw bytes) of a console API call, sent without an Origin as a script would."""
        status, raw = http(method, self.console(path), body, headers)
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw

    def console_json(self, path: str):
        status, body = self.api("GET", path)
        assert status == 200, f"GET {path} answered {status}: {body!r}"
        return body

    def subscription(self, subscription_id: str) -> dict:
        found = [entry for entry in self.console_json("/api/v1/subscriptions")["subscriptions"]
                 if entry["id"] == subscription_id]
        assert len(found) == 1, f"GET /api/v1/subscriptions lists {subscription_id!r} {len(found)} times"
        return found[0]

    def set_faults(self, subscription_id: str, failure_percent: int = 0, latency_ms: int = 0):
        status, body = self.api("PUT", f"/api/v1/subscriptions/{subscription_id}/faults",
                                {"failurePercent": failure_percent, "latencyMs": latency_ms})
        assert status == 200, f"PUT faults answered {status}: {body!r}"

    def pause(self, subscription_id: str):
        status, body = self.api("POST", f"/api/v1/subscriptions/{subscription_id}:pause")
        assert status == 200, f"POST :pause answered {status}: {body!r}"

    def resume(self, subscription_id: str):
        status, body = self.api("POST", f"/api/v1/subscriptions/{subscription_id}:resume")
        assert status == 200, f"POST :resume answered {status}: {body!r}"

    def skip_waits(self, subscription_id: str) -> int:
        status, body = self.api("POST", f"/api/v1/subscriptions/{subscription_id}:skipWaits")
        assert status == 200, f"POST :skipWaits answered {status}: {body!r}"
        return body["madeDue"]

    def dead_letters(self) -> list:
        entries, after = [], None
        while True:
            page = self.console_json("/api/v1/dead-letters?limit=100" + (f"&after={after}" if after is not None else ""))
            entries += page["deadLetters"]
            after = page.get("nextAfter")
            if after is None or not page["deadLetters"]:
                return entries

    def ingest_invocations(self) -> int:
        found = [entry for entry in self.console_json("/api/v1/functions")["functions"] if entry["name"] == "ingest"]
        assert len(found) == 1, f"GET /api/v1/functions lists ingest {len(found)} times"
        return found[0]["invocations"]

    # The local Pub/Sub service and the query function, which the console sits beside.

    def publish(self, payloads: list, attributes: dict | None = None, topic: str = "events") -> list:
        extra = {"attributes": attributes} if attributes else {}
        messages = [{"data": b64(payload), **extra} for payload in payloads]
        status, raw = http("POST", f"{self.pubsub}/v1/projects/{PROJECT}/topics/{topic}:publish",
                           {"messages": messages})
        assert status == 200, f"publish answered {status}: {raw[:300]!r}"
        ids = json.loads(raw)["messageIds"]
        assert len(ids) == len(payloads)
        return ids

    def record(self, message_id: str):
        """The stored record of a message, or None while it is not stored."""
        status, raw = http("GET", f"{self.base}/query/records/{urllib.parse.quote(message_id)}")
        return json.loads(raw) if status == 200 else None

    def record_with_data(self, data):
        """The newest of the latest 50 stored records whose (JSON) data is `data`, or None."""
        status, raw = http("GET", f"{self.base}/query/records?limit=50")
        assert status == 200, f"GET /query/records answered {status}: {raw[:300]!r}"
        return next((record for record in json.loads(raw)["records"] if record.get("data") == data), None)
