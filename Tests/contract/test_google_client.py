"""Google's own REST client (google-api-python-client) driving the local Pub/Sub service of `contrail dev`.

The client builds every URL, body and error from Google's bundled discovery document, so anything
here that the service gets wrong shows up as a request it rejects or an answer the client cannot read.
"""

import base64
import json
import socket
import time

import pytest
from google.auth.credentials import AnonymousCredentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

PROJECT = "projects/local-project"


def client(endpoint: str):
    return build("pubsub", "v1", static_discovery=True, client_options={"api_endpoint": endpoint},
                 credentials=AnonymousCredentials())


@pytest.fixture(scope="module")
def pubsub(contrail_dev):
    return client(f"http://127.0.0.1:{contrail_dev.pubsub_port}")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def error_body(error: HttpError) -> dict:
    return json.loads(error.content)["error"]


def pull_exactly(pubsub, subscription: str, count: int, acknowledge: bool = False) -> list:
    # Pub/Sub may hand out fewer messages than asked for per pull (and with message ordering may hold
    # back a key's later messages until the earlier ones are acknowledged), so collect until all have come.
    received = []
    deadline = time.monotonic() + 10
    while len(received) < count and time.monotonic() < deadline:
        response = pubsub.projects().subscriptions().pull(subscription=subscription, body={
            "maxMessages": count - len(received), "returnImmediately": True}).execute()
        batch = response.get("receivedMessages", [])
        received += batch
        if batch and acknowledge:
            acknowledged = pubsub.projects().subscriptions().acknowledge(
                subscription=subscription, body={"ackIds": [entry["ackId"] for entry in batch]}).execute()
            assert acknowledged == {}
        if not batch:
            time.sleep(0.1)
    assert len(received) == count, received
    return received


def created_topic(name: str, labels: dict) -> dict:
    return {"name": name, "labels": labels}


def test_topics_and_subscriptions_are_created_read_patched_listed_and_deleted(pubsub):
    topic = f"{PROJECT}/topics/client-crud"
    subscription = f"{PROJECT}/subscriptions/client-crud-pull"

    created = pubsub.projects().topics().create(name=topic, body={"labels": {"team": "data"}}).execute()
    assert created == {"name": topic, "labels": {"team": "data"}}
    created = pubsub.projects().subscriptions().create(name=subscription, body={
        "topic": topic, "ackDeadlineSeconds": 30, "labels": {"stage": "test"}}).execute()
    assert created["name"] == subscription
    assert created["topic"] == topic
    assert created["ackDeadlineSeconds"] == 30
    assert created["labels"] == {"stage": "test"}
    # A pull subscription has no push endpoint; an empty pushConfig is also how Google writes that.
    assert not created.get("pushConfig", {}).get("pushEndpoint")

    assert pubsub.projects().topics().get(topic=topic).execute() == created_topic(topic, {"team": "data"})
    fetched = pubsub.projects().subscriptions().get(subscription=subscription).execute()
    assert (fetched["ackDeadlineSeconds"], fetched["labels"], fetched["topic"]) == (30, {"stage": "test"}, topic)

    patched = pubsub.projects().subscriptions().patch(name=subscription, body={
        "subscription": {"ackDeadlineSeconds": 45, "labels": {"ignored": "not-in-mask"}},
        "updateMask": "ackDeadlineSeconds"}).execute()
    assert patched["ackDeadlineSeconds"] == 45
    # Only fields named in updateMask change.
    assert patched["labels"] == {"stage": "test"}
    fetched = pubsub.projects().subscriptions().get(subscription=subscription).execute()
    assert (fetched["ackDeadlineSeconds"], fetched["labels"]) == (45, {"stage": "test"})

    patched = pubsub.projects().topics().patch(name=topic, body={
        "topic": {"labels": {"team": "platform", "env": "ci"}}, "updateMask": "labels"}).execute()
    assert patched == created_topic(topic, {"team": "platform", "env": "ci"})
    assert pubsub.projects().topics().get(topic=topic).execute() == patched

    listed = pubsub.projects().topics().list(project=PROJECT).execute()["topics"]
    by_name = {entry["name"]: entry for entry in listed}
    assert by_name[topic] == patched
    # The pipeline's own topic, created by `contrail dev` before it reported ready.
    assert f"{PROJECT}/topics/events" in by_name
    attached = pubsub.projects().topics().subscriptions().list(topic=topic).execute()
    assert attached["subscriptions"] == [subscription]
    listed = pubsub.projects().subscriptions().list(project=PROJECT).execute()["subscriptions"]
    assert subscription in [entry["name"] for entry in listed]
    assert f"{PROJECT}/subscriptions/ingest-push" in [entry["name"] for entry in listed]

    assert pubsub.projects().subscriptions().delete(subscription=subscription).execute() == {}
    assert pubsub.projects().topics().delete(topic=topic).execute() == {}
    with pytest.raises(HttpError) as missing:
        pubsub.projects().topics().get(topic=topic).execute()
    assert missing.value.resp.status == 404
    assert error_body(missing.value)["status"] == "NOT_FOUND"


def test_a_published_batch_is_pulled_intact_in_order_and_gone_once_acknowledged(pubsub):
    topic = f"{PROJECT}/topics/client-batch"
    subscription = f"{PROJECT}/subscriptions/client-batch-pull"
    pubsub.projects().topics().create(name=topic, body={}).execute()
    pubsub.projects().subscriptions().create(name=subscription, body={
        "topic": topic, "ackDeadlineSeconds": 60, "enableMessageOrdering": True}).execute()
    # Bytes that are not UTF-8 or that need base64 padding catch a service that treats data as text.
    payloads = [b'{"reading": 1}', bytes([0, 255, 254, 10]), b"x"]
    messages = [{"data": b64(payload), "attributes": {"index": str(index), "source": "google-client"},
                 "orderingKey": "sensor-7"} for index, payload in enumerate(payloads)]

    published = pubsub.projects().topics().publish(topic=topic, body={"messages": messages}).execute()
    message_ids = published["messageIds"]
    assert len(message_ids) == len(payloads)
    assert len(set(message_ids)) == len(payloads)
    # Google's message IDs are decimal strings; this service numbers them in publish order.
    assert [int(message_id) for message_id in message_ids] == sorted(int(message_id) for message_id in message_ids)

    received = pull_exactly(pubsub, subscription, len(payloads), acknowledge=True)
    # One ordering key on a subscription with message ordering: delivered in publish order.
    assert [entry["message"]["messageId"] for entry in received] == message_ids
    for index, entry in enumerate(received):
        message = entry["message"]
        assert base64.b64decode(message["data"]) == payloads[index]
        assert message["attributes"] == {"index": str(index), "source": "google-client"}
        assert message["orderingKey"] == "sensor-7"
        assert message["publishTime"].endswith("Z")
        assert entry["ackId"]

    again = pubsub.projects().subscriptions().pull(
        subscription=subscription, body={"maxMessages": 10, "returnImmediately": True}).execute()
    assert again.get("receivedMessages", []) == []


def test_a_zero_ack_deadline_hands_the_message_out_again(pubsub):
    topic = f"{PROJECT}/topics/client-nack"
    subscription = f"{PROJECT}/subscriptions/client-nack-pull"
    pubsub.projects().topics().create(name=topic, body={}).execute()
    pubsub.projects().subscriptions().create(name=subscription, body={"topic": topic}).execute()
    [message_id] = pubsub.projects().topics().publish(
        topic=topic, body={"messages": [{"data": b64(b"retry me")}]}).execute()["messageIds"]

    [first] = pull_exactly(pubsub, subscription, 1)
    assert first["message"]["messageId"] == message_id
    assert pubsub.projects().subscriptions().modifyAckDeadline(subscription=subscription, body={
        "ackIds": [first["ackId"]], "ackDeadlineSeconds": 0}).execute() == {}
    [second] = pull_exactly(pubsub, subscription, 1)
    assert second["message"]["messageId"] == message_id
    assert base64.b64decode(second["message"]["data"]) == b"retry me"


@pytest.mark.parametrize("name, status, google_status, reason", [
    # Topic IDs starting with "goog" are reserved by Google.
    ("goog-x", 400, "INVALID_ARGUMENT", "badRequest"),
    ("events", 409, "ALREADY_EXISTS", "alreadyExists"),
])
def test_rejected_requests_raise_http_error_with_googles_error_shape(pubsub, name, status, google_status, reason):
    topic = f"{PROJECT}/topics/{name}"
    with pytest.raises(HttpError) as raised:
        pubsub.projects().topics().create(name=topic, body={}).execute()
    error = raised.value
    assert error.resp.status == status
    body = error_body(error)
    assert body["code"] == status
    assert body["status"] == google_status
    assert body["message"]
    # The client reads the message and details out of the body; a shape it did not recognise
    # would leave the raw body there instead.
    assert error.reason == body["message"]
    assert error.error_details[0]["reason"] == reason


def test_a_message_published_with_the_client_reaches_the_query_api(pubsub, contrail_dev):
    data = b'{"temperature": 19.25, "unit": "C"}'
    [message_id] = pubsub.projects().topics().publish(topic=f"{PROJECT}/topics/events", body={"messages": [
        {"data": b64(data), "attributes": {"site": "roof", "via": "google-client"}}]}).execute()["messageIds"]

    # Push delivery is asynchronous; wait for the ingest function to have stored it, but not forever.
    deadline = time.monotonic() + 20
    record = None
    while record is None and time.monotonic() < deadline:
        records = contrail_dev.get_json("/query/records")["records"]
        record = next((entry for entry in records if entry["messageId"] == message_id), None)
        if record is None:
            time.sleep(0.2)
    assert record is not None, f"message {message_id} never reached /query/records"
    assert record["attributes"] == {"site": "roof", "via": "google-client"}
    assert record["topic"] == f"{PROJECT}/topics/events"
    assert base64.b64decode(record["dataBase64"]) == data


def test_the_client_reaches_the_service_by_host_name(contrail_dev):
    by_name = client(f"http://localhost:{contrail_dev.pubsub_port}")
    topic = by_name.projects().topics().get(topic=f"{PROJECT}/topics/events").execute()
    assert topic["name"] == f"{PROJECT}/topics/events"


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_the_client_reaches_the_service_over_ipv6(contrail_dev):
    # localhost often resolves to 127.0.0.1 only, so the ::1 listener needs its own address.
    over_ipv6 = client(f"http://[::1]:{contrail_dev.pubsub_port}")
    listed = over_ipv6.projects().topics().list(project=PROJECT).execute()["topics"]
    assert f"{PROJECT}/topics/events" in [entry["name"] for entry in listed]
