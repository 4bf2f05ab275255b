"""Metrics and traces of the real binary: /_/metrics after real traffic, and a trace followed end to end."""

import base64
import http.server
import json
import pathlib
import re
import tempfile
import threading
import time
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import Contrail, free_port

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXPORTED = set((ROOT / "infra/monitoring/exported-metrics.txt").read_text().split())


def scrape(base: str):
    """The exposition parsed by Prometheus's own client parser, as {sample name: {labels: value}}, and the
    metric names its TYPE lines declare."""
    with urllib.request.urlopen(base + "/_/metrics", timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = response.read().decode()
    samples: dict = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    declared = set(re.findall(r"^# TYPE (\S+) ", text, flags=re.MULTILINE))
    return samples, declared


def value(samples, name: str, **labels) -> float:
    return samples.get(name, {}).get(tuple(sorted(labels.items())), 0.0)


def envelope(message_id: str, attempt: int) -> bytes:
    return json.dumps({
        "message": {"data": base64.b64encode(b'{"t":1}').decode(), "messageId": message_id,
                    "publishTime": "2026-11-22T10:00:00Z"},
        "subscription": "projects/p/subscriptions/ingest", "deliveryAttempt": attempt,
    }).encode()


def test_metrics_count_real_traffic_by_function_and_outcome():
    with tempfile.TemporaryDirectory() as directory:
        server = Contrail(directory)
        try:
            for message_id, attempt in [("a", 1), ("b", 2), ("c", 5), ("a", 3)]:
                status, _ = server.request("POST", "/ingest", envelope(message_id, attempt))
                assert status == 204
            assert server.request("POST", "/ingest", b'{"message":{}}')[0] == 400
            assert server.request("GET", "/query/records?limit=5")[0] == 200
            assert server.request("GET", "/query/records/a")[0] == 200
            assert server.request("GET", "/query/records?limit=0")[0] == 400
            assert server.request("GET", "/query/records/missing")[0] == 404

            samples, declared = scrape(server.base)
        finally:
            server.stop()

    requests = "contrail_function_requests_total"
    assert value(samples, requests, function="ingest", status_class="2xx") == 4
    assert value(samples, requests, function="ingest", status_class="4xx") == 1
    assert value(samples, requests, function="ingest", status_class="5xx") == 0
    assert value(samples, requests, function="query", status_class="2xx") == 2
    assert value(samples, requests, function="query", status_class="4xx") == 2
    assert value(samples, "contrail_function_request_duration_seconds_count", function="ingest") == 5
    assert value(samples, "contrail_function_request_duration_seconds_bucket", function="query", le="+Inf") == 4
    assert value(samples, "contrail_function_requests_in_flight", function="ingest") == 0

    assert value(samples, "contrail_ingest_messages_stored_total") == 3
    assert value(samples, "contrail_ingest_duplicates_total") == 1
    assert value(samples, "contrail_ingest_delivery_attempt_count") == 4
    assert value(samples, "contrail_ingest_delivery_attempt_sum") == 1 + 2 + 5 + 3
    assert value(samples, "contrail_ingest_delivery_attempt_bucket", le="2.0") == 2
    # Measured once per stored message, at the commit that made it queryable; published a day before the test
    # ran, so every lag lands beyond the last finite bucket.
    assert value(samples, "contrail_ingest_lag_seconds_count") == 3
    assert value(samples, "contrail_ingest_lag_seconds_bucket", le="3600.0") == 0

    # Group commit may put concurrent deliveries in one batch; these came one by one.
    assert value(samples, "contrail_store_commit_batch_size_sum") == 4
    assert value(samples, "contrail_store_commit_duration_seconds_count") == \
        value(samples, "contrail_store_commit_batch_size_count")
    assert value(samples, "contrail_store_errors_total", operation="insert") == 0
    assert value(samples, "contrail_store_pool_connections_in_use") == 0
    assert value(samples, "contrail_store_pool_connections_max") >= 2

    host_metrics = {name for name in EXPORTED if not name.startswith("contrail_pubsub_")}
    assert {name for name in declared if name.startswith("contrail_")} == host_metrics


def test_dev_exports_exactly_the_metrics_the_dashboards_and_alerts_use(contrail_dev):
    request = urllib.request.Request(
        f"http://127.0.0.1:{contrail_dev.pubsub_port}/v1/projects/local-project/topics/events:publish",
        data=json.dumps({"messages": [{"data": base64.b64encode(f"m{i}".encode()).decode()} for i in range(4)]}).encode(),
        headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert len(json.loads(response.read())["messageIds"]) == 4

    subscription = "projects/local-project/subscriptions/ingest-push"
    deadline = time.monotonic() + 20
    while True:
        samples, declared = scrape(contrail_dev.base)
        backlog = samples.get("contrail_pubsub_backlog_messages", {}).get((("subscription", subscription),))
        settled = value(samples, "contrail_pubsub_acknowledged_messages_total", subscription=subscription) >= 4 \
            and backlog == 0
        if settled or time.monotonic() > deadline:
            break
        time.sleep(0.2)

    assert {name for name in declared if name.startswith("contrail_")} == EXPORTED
    assert value(samples, "contrail_pubsub_push_requests_total", subscription=subscription, outcome="ack") >= 4
    assert value(samples, "contrail_pubsub_acknowledged_messages_total", subscription=subscription) >= 4
    assert value(samples, "contrail_pubsub_dead_lettered_messages_total", subscription=subscription) == 0
    assert value(samples, "contrail_pubsub_backlog_messages", subscription=subscription) == 0
    assert value(samples, "contrail_pubsub_oldest_unacked_message_age_seconds", subscription=subscription) == 0
    assert value(samples, "contrail_ingest_messages_stored_total") >= 4


class Collector(http.server.BaseHTTPRequestHandler):
    """An OTLP/HTTP JSON receiver: keeps every span it is sent."""
    spans: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path == "/v1/traces":
            for resource in body.get("resourceSpans", []):
                for scope in resource.get("scopeSpans", []):
                    Collector.spans.extend(scope.get("spans", []))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_):
        pass


def hex_id(value: str) -> str:
    """OTLP JSON carries ids as hex; some encoders send base64, which is read here too."""
    if re.fullmatch(r"[0-9a-f]+", value):
        return value
    return base64.b64decode(value).hex()


def test_an_incoming_traceparent_continues_in_the_log_line_and_the_exported_spans():
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", free_port("127.0.0.1")), Collector)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    trace_id, parent = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    try:
        with tempfile.TemporaryDirectory() as directory:
            server = Contrail(directory, environment={
                "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{receiver.server_address[1]}",
                "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json", "OTEL_BSP_SCHEDULE_DELAY": "100",
                "GOOGLE_CLOUD_PROJECT": "my-project"})
            try:
                request = urllib.request.Request(server.base + "/query/records?limit=3",
                                                 headers={"traceparent": f"00-{trace_id}-{parent}-01"})
                with urllib.request.urlopen(request, timeout=10) as response:
                    assert response.status == 200
                line = server.log_line(lambda entry: "GET /query/records" in str(entry.get("message", "")))
                assert line is not None
                assert line["logging.googleapis.com/trace"] == f"projects/my-project/traces/{trace_id}"

                deadline = time.monotonic() + 15
                while time.monotonic() < deadline:
                    ours = [span for span in Collector.spans if hex_id(span["traceId"]) == trace_id]
                    if {"query", "store.records"} <= {span["name"] for span in ours}:
                        break
                    time.sleep(0.1)
            finally:
                server.stop()
    finally:
        receiver.shutdown()

    by_name = {span["name"]: span for span in ours}
    assert set(by_name) >= {"query", "store.records"}, [span["name"] for span in Collector.spans]
    invocation = by_name["query"]
    assert hex_id(invocation["parentSpanId"]) == parent
    assert hex_id(by_name["store.records"]["parentSpanId"]) == hex_id(invocation["spanId"])
    # The line names the invocation's own span, so Cloud Logging links it to the span, not to its caller.
    assert line["logging.googleapis.com/spanId"] == hex_id(invocation["spanId"])
