"""Google's official Pub/Sub client (google-cloud-pubsub), over gRPC, against the local service of `contrail dev`.

The client is used exactly as a team's own publishers and subscribers use it: the only thing that points it at the
local service is `PUBSUB_EMULATOR_HOST`, the same address the REST client reaches.
"""

import concurrent.futures
import os
import threading
import time
import uuid

import pytest
from google.api_core import exceptions
from google.cloud import pubsub_v1

PROJECT = "local-project"
WAIT = 30


@pytest.fixture(scope="module")
def clients(contrail_dev):
    previous = os.environ.get("PUBSUB_EMULATOR_HOST")
    os.environ["PUBSUB_EMULATOR_HOST"] = f"127.0.0.1:{contrail_dev.pubsub_port}"
    try:
        publisher = pubsub_v1.PublisherClient()
        subscriber = pubsub_v1.SubscriberClient()
        yield publisher, subscriber
        subscriber.close()
    finally:
        if previous is None:
            del os.environ["PUBSUB_EMULATOR_HOST"]
        else:
            os.environ["PUBSUB_EMULATOR_HOST"] = previous


def topic_with_subscription(clients, **subscription_settings):
    """A new topic and a pull subscription on it, named after the test."""
    publisher, subscriber = clients
    name = f"grpc-{uuid.uuid4().hex[:12]}"
    topic = publisher.topic_path(PROJECT, name)
    subscription = subscriber.subscription_path(PROJECT, name)
    publisher.create_topic(name=topic)
    subscriber.create_subscription(request={"name": subscription, "topic": topic, **subscription_settings})
    return topic, subscription


class Received:
    """What a streaming-pull callback saw, in order, safe to read from the test's thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []

    def add(self, message):
        with self.lock:
            self.messages.append(message)

    def data(self) -> list:
        with self.lock:
            return [message.data.decode() for message in self.messages]

    def wait_for(self, condition, what: str):
        deadline = time.monotonic() + WAIT
        while not condition(self.data()):
            assert time.monotonic() < deadline, f"{what} did not happen within {WAIT} s; saw {self.data()}"
            time.sleep(0.05)


def stream(subscriber, subscription: str, callback, **flow_control):
    return subscriber.subscribe(subscription, callback, flow_control=pubsub_v1.types.FlowControl(**flow_control))


def test_a_thousand_messages_through_the_batching_publisher_resolve_to_distinct_ids(clients):
    publisher, subscriber = clients
    topic, subscription = topic_with_subscription(clients)
    futures = [publisher.publish(topic, f"message {index}".encode(), index=str(index)) for index in range(1000)]
    ids = [future.result(timeout=WAIT) for future in futures]
    assert len(set(ids)) == 1000

    pulled = {}
    deadline = time.monotonic() + WAIT
    while len(pulled) < 1000 and time.monotonic() < deadline:
        response = subscriber.pull(subscription=subscription, max_messages=500, timeout=WAIT)
        for received in response.received_messages:
            pulled[received.message.message_id] = received.message
        if response.received_messages:
            subscriber.acknowledge(subscription=subscription,
                                   ack_ids=[received.ack_id for received in response.received_messages])
    assert set(pulled) == set(ids)
    assert pulled[ids[7]].data == b"message 7" and pulled[ids[7]].attributes["index"] == "7"


def test_synchronous_pull_and_acknowledge_deliver_each_message_once(clients):
    publisher, subscriber = clients
    topic, subscription = topic_with_subscription(clients)
    ids = [publisher.publish(topic, f"sync {index}".encode()).result(timeout=WAIT) for index in range(5)]

    response = subscriber.pull(subscription=subscription, max_messages=10, timeout=WAIT)
    assert sorted(received.message.message_id for received in response.received_messages) == sorted(ids)
    subscriber.acknowledge(subscription=subscription, ack_ids=[received.ack_id for received in response.received_messages])

    # Acknowledged messages are gone: a pull that returns at once finds nothing.
    again = subscriber.pull(request={"subscription": subscription, "max_messages": 10, "return_immediately": True},
                            timeout=WAIT)
    assert list(again.received_messages) == []


def test_streaming_pull_with_flow_control_delivers_each_message_once_and_never_again_after_its_ack(clients):
    publisher, subscriber = clients
    topic, subscription = topic_with_subscription(clients)
    expected = [f"stream {index}" for index in range(200)]
    for future in [publisher.publish(topic, data.encode()) for data in expected]:
        future.result(timeout=WAIT)

    received = Received()
    outstanding = {"now": 0, "most": 0}
    lock = threading.Lock()

    def callback(message):
        with lock:
            outstanding["now"] += 1
            outstanding["most"] = max(outstanding["most"], outstanding["now"])
        received.add(message)
        time.sleep(0.01)
        with lock:
            outstanding["now"] -= 1
        message.ack()

    pulling = stream(subscriber, subscription, callback, max_messages=10)
    try:
        received.wait_for(lambda seen: len(seen) >= len(expected), "receiving every message")
        # Nothing acknowledged comes back, however long the stream stays open.
        time.sleep(3)
    finally:
        pulling.cancel()
        pulling.result(timeout=WAIT)
    assert sorted(received.data()) == sorted(expected)
    assert outstanding["most"] <= 10


def test_a_nacked_message_is_delivered_again_on_the_stream(clients):
    publisher, subscriber = clients
    topic, subscription = topic_with_subscription(clients)
    publisher.publish(topic, b"nack me").result(timeout=WAIT)
    received = Received()

    def callback(message):
        received.add(message)
        if len(received.data()) == 1:
            message.nack()
        else:
            message.ack()

    pulling = stream(subscriber, subscription, callback)
    try:
        received.wait_for(lambda seen: len(seen) >= 2, "the nacked message coming back")
    finally:
        pulling.cancel()
        pulling.result(timeout=WAIT)
    assert received.data()[:2] == ["nack me", "nack me"]
    assert received.messages[0].message_id == received.messages[1].message_id


def test_a_message_whose_ack_deadline_runs_out_is_delivered_again(clients):
    publisher, subscriber = clients
    topic, subscription = topic_with_subscription(clients, ack_deadline_seconds=10)
    publisher.publish(topic, b"let it expire").result(timeout=WAIT)
    received = Received()

    def callback(message):
        received.add(message)
        # The first delivery is neither acknowledged nor nacked; the client stops extending its lease after
        # max_lease_duration, so the stream's deadline runs out and the service hands it out again.
        if len(received.data()) > 1:
            message.ack()

    pulling = stream(subscriber, subscription, callback, max_lease_duration=1)
    try:
        received.wait_for(lambda seen: len(seen) >= 2, "redelivery after the ack deadline")
    finally:
        pulling.cancel()
        pulling.result(timeout=WAIT)
    first, second = received.messages[:2]
    assert first.message_id == second.message_id


def test_ordering_keys_interleaved_arrive_in_order_per_key(clients):
    publisher_ordered = pubsub_v1.PublisherClient(
        publisher_options=pubsub_v1.types.PublisherOptions(enable_message_ordering=True))
    _, subscriber = clients
    topic, subscription = topic_with_subscription(clients, enable_message_ordering=True)
    keys = ["alpha", "beta", "gamma"]
    futures = [publisher_ordered.publish(topic, f"{key} {index}".encode(), ordering_key=key)
               for index in range(10) for key in keys]
    for future in futures:
        future.result(timeout=WAIT)

    received = Received()

    def callback(message):
        received.add(message)
        message.ack()

    pulling = stream(subscriber, subscription, callback)
    try:
        received.wait_for(lambda seen: len(seen) >= 30, "every ordered message")
    finally:
        pulling.cancel()
        pulling.result(timeout=WAIT)
    for key in keys:
        of_key = [data for data in received.data() if data.startswith(key + " ")]
        assert of_key == [f"{key} {index}" for index in range(10)], of_key


def test_a_publish_through_the_official_client_reaches_ingest_and_the_query_api(clients, contrail_dev):
    publisher, _ = clients
    data = b'{"temperature": 21.5, "unit": "C"}'
    message_id = publisher.publish(publisher.topic_path(PROJECT, "events"), data, via="grpc").result(timeout=WAIT)

    deadline = time.monotonic() + WAIT
    record = None
    while record is None and time.monotonic() < deadline:
        try:
            record = contrail_dev.get_json(f"/query/records/{message_id}")
        except Exception:
            time.sleep(0.2)
    assert record is not None, f"message {message_id} never reached the query API"
    assert record["messageId"] == message_id
    assert record["attributes"] == {"via": "grpc"}


def test_refusals_are_the_clients_own_exceptions(clients):
    publisher, subscriber = clients
    topic, subscription = topic_with_subscription(clients)
    with pytest.raises(exceptions.AlreadyExists):
        publisher.create_topic(name=topic)
    with pytest.raises(exceptions.NotFound):
        subscriber.get_subscription(subscription=subscriber.subscription_path(PROJECT, "no-such-subscription"))
    with pytest.raises(exceptions.NotFound):
        publisher.publish(publisher.topic_path(PROJECT, "no-such-topic"), b"x").result(timeout=WAIT)
    with pytest.raises(exceptions.InvalidArgument, match="ackDeadlineSeconds"):
        subscriber.create_subscription(request={"name": subscriber.subscription_path(PROJECT, "too-short-deadline"),
                                                "topic": topic, "ack_deadline_seconds": 5})
    with pytest.raises(exceptions.InvalidArgument, match="resource name"):
        subscriber.get_subscription(subscription="not/a/subscription")


def test_rpcs_not_built_yet_answer_unimplemented_at_once_naming_themselves(clients):
    _, subscriber = clients
    _, subscription = topic_with_subscription(clients)
    started = time.monotonic()
    with pytest.raises(exceptions.MethodNotImplemented, match="CreateSnapshot"):
        subscriber.create_snapshot(name=subscriber.snapshot_path(PROJECT, "snap"), subscription=subscription,
                                   timeout=WAIT)
    assert time.monotonic() - started < 5


def test_exactly_once_streams_are_refused_with_failed_precondition_saying_why(clients):
    _, subscriber = clients
    _, subscription = topic_with_subscription(clients, enable_exactly_once_delivery=True)
    # The client's own subscribe() reopens a stream refused this way, so the stream is opened directly.
    opening = pubsub_v1.types.StreamingPullRequest(subscription=subscription, stream_ack_deadline_seconds=60)
    with pytest.raises(exceptions.FailedPrecondition, match="[Ee]xactly-once"):
        for _ in subscriber.streaming_pull(requests=iter([opening]), timeout=WAIT):
            pass


def test_what_one_api_creates_the_other_reads_alike(clients, contrail_dev):
    from test_google_client import client as rest_client

    publisher, subscriber = clients
    topic, subscription = topic_with_subscription(clients, ack_deadline_seconds=42, labels={"made": "grpc"})
    rest = rest_client(f"http://127.0.0.1:{contrail_dev.pubsub_port}")
    read = rest.projects().subscriptions().get(subscription=subscription).execute()
    assert (read["topic"], read["ackDeadlineSeconds"], read["labels"]) == (topic, 42, {"made": "grpc"})

    made_by_rest = f"projects/{PROJECT}/topics/rest-made-{uuid.uuid4().hex[:8]}"
    rest.projects().topics().create(name=made_by_rest, body={"labels": {"made": "rest"}}).execute()
    read_topic = publisher.get_topic(topic=made_by_rest)
    assert read_topic.name == made_by_rest and dict(read_topic.labels) == {"made": "rest"}


def test_schema_rpcs_answer_unimplemented_at_once_naming_themselves(contrail_dev):
    import grpc
    from google.pubsub_v1.services.schema_service import SchemaServiceClient
    from google.pubsub_v1.services.schema_service.transports import SchemaServiceGrpcTransport

    channel = grpc.insecure_channel(f"127.0.0.1:{contrail_dev.pubsub_port}")
    schemas = SchemaServiceClient(transport=SchemaServiceGrpcTransport(channel=channel))
    started = time.monotonic()
    with pytest.raises(exceptions.MethodNotImplemented, match="ListSchemas"):
        list(schemas.list_schemas(parent=f"projects/{PROJECT}", timeout=WAIT))
    assert time.monotonic() - started < 5
    channel.close()


def ipv6_loopback() -> bool:
    import socket

    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_the_client_reaches_the_service_over_ipv6(contrail_dev):
    previous = os.environ["PUBSUB_EMULATOR_HOST"] if "PUBSUB_EMULATOR_HOST" in os.environ else None
    os.environ["PUBSUB_EMULATOR_HOST"] = f"[::1]:{contrail_dev.pubsub_port}"
    try:
        publisher = pubsub_v1.PublisherClient()
        topics = [topic.name for topic in publisher.list_topics(project=f"projects/{PROJECT}", timeout=WAIT)]
        assert f"projects/{PROJECT}/topics/events" in topics
    finally:
        if previous is None:
            del os.environ["PUBSUB_EMULATOR_HOST"]
        else:
            os.environ["PUBSUB_EMULATOR_HOST"] = previous


class RawStream:
    """A StreamingPull stream driven request by request, as the Go and Java clients drive it: acks and deadline
    changes on the stream itself, and the flow control the server must keep."""

    def __init__(self, subscriber, subscription: str, **opening):
        import queue

        self.requests = queue.Queue()
        self.requests.put(pubsub_v1.types.StreamingPullRequest(
            subscription=subscription, stream_ack_deadline_seconds=opening.pop("stream_ack_deadline_seconds", 10),
            **opening))
        self.received = queue.Queue()
        self.closed = threading.Event()

        def requests():
            while not self.closed.is_set():
                try:
                    yield self.requests.get(timeout=0.1)
                except queue.Empty:
                    continue

        self.responses = subscriber.streaming_pull(requests=requests(), timeout=WAIT * 4)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for response in self.responses:
                for message in response.received_messages:
                    self.received.put(message)
        except Exception:
            pass

    def take(self, count: int, within: float = WAIT) -> list:
        import queue

        taken, deadline = [], time.monotonic() + within
        while len(taken) < count and time.monotonic() < deadline:
            try:
                taken.append(self.received.get(timeout=0.1))
            except queue.Empty:
                continue
        return taken

    def send(self, **fields):
        self.requests.put(pubsub_v1.types.StreamingPullRequest(**fields))

    def close(self):
        self.closed.set()
        self.responses.cancel()


def test_acks_on_the_stream_free_its_flow_control_and_the_server_holds_the_rest_back(clients):
    publisher, subscriber = clients
    topic, subscription = topic_with_subscription(clients)
    for index in range(5):
        publisher.publish(topic, f"held {index}".encode()).result(timeout=WAIT)

    stream = RawStream(subscriber, subscription, max_outstanding_messages=2)
    try:
        first = stream.take(2)
        assert len(first) == 2
        # Two are outstanding: the server sends nothing more until some are settled.
        assert stream.take(1, within=1.5) == []
        stream.send(ack_ids=[message.ack_id for message in first])
        second = stream.take(2)
        assert len(second) == 2
        # A deadline change of 0 on the stream is a nack: that message comes back on the stream.
        stream.send(modify_deadline_ack_ids=[second[0].ack_id], modify_deadline_seconds=[0])
        stream.send(ack_ids=[second[1].ack_id])
        rest = stream.take(2)
        assert second[0].message.message_id in [message.message.message_id for message in rest]
        stream.send(ack_ids=[message.ack_id for message in rest])
        seen = {message.message.data.decode() for message in first + second + rest}
        last = stream.take(1)
        stream.send(ack_ids=[message.ack_id for message in last])
        seen |= {message.message.data.decode() for message in last}
        assert seen == {f"held {index}" for index in range(5)}
    finally:
        stream.close()


def test_streams_on_one_subscription_share_its_messages(clients):
    publisher, subscriber = clients
    topic, subscription = topic_with_subscription(clients)
    for future in [publisher.publish(topic, f"shared {index}".encode()) for index in range(100)]:
        future.result(timeout=WAIT)
    first, second = Received(), Received()

    def acking(received):
        def callback(message):
            received.add(message)
            time.sleep(0.02)
            message.ack()
        return callback

    streams = [stream(subscriber, subscription, acking(first), max_messages=5),
               stream(pubsub_v1.SubscriberClient(), subscription, acking(second), max_messages=5)]
    try:
        deadline = time.monotonic() + WAIT
        while len(first.data()) + len(second.data()) < 100 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1)
    finally:
        for pulling in streams:
            pulling.cancel()
            pulling.result(timeout=WAIT)
    everything = first.data() + second.data()
    assert sorted(everything) == sorted(f"shared {index}" for index in range(100)), "a message was lost or repeated"
    assert first.data() and second.data(), "one stream got every message"


def test_a_closed_streams_leases_come_back_after_their_deadline(clients):
    publisher, subscriber = clients
    topic, subscription = topic_with_subscription(clients)
    message_id = publisher.publish(topic, b"orphaned").result(timeout=WAIT)

    abandoned = RawStream(subscriber, subscription, stream_ack_deadline_seconds=10)
    leased = abandoned.take(1)
    assert [message.message.message_id for message in leased] == [message_id]
    abandoned.close()
    opened = time.monotonic()

    successor = RawStream(subscriber, subscription, stream_ack_deadline_seconds=10)
    try:
        again = successor.take(1, within=WAIT)
        assert [message.message.message_id for message in again] == [message_id]
        # Not before the lease of the closed stream ran out.
        assert time.monotonic() - opened >= 8
        successor.send(ack_ids=[again[0].ack_id])
    finally:
        successor.close()
