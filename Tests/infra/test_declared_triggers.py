"""infra/ deploys what the reference app declares. The declaration is read from the built binary (`contrail
describe`): for each message function, its topic, the push subscription's settings, the dead-letter topic and the
pull subscription that keeps it, and the Cloud Run service that serves the function; for each HTTP function, its
service. The Terraform is hand-written; a value changed on one side only fails here. Variables count at their
defaults, which is what a deployment that sets none of them gets."""

import json
import os
import re
import subprocess
import sys
import tempfile

import pytest
from terraform_model import ROOT, block, blocks, reference

sys.path.insert(0, str(ROOT / "Tests/contract"))
from contrail_binary import contrail_binary  # noqa: E402

EXPRESSION = re.compile(r"\$\{(var|local)\.(\w+)\}")


def describe(directory: str, **environment) -> subprocess.CompletedProcess:
    return subprocess.run([contrail_binary(), "describe"], cwd=directory, env=dict(os.environ, **environment),
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def functions() -> list[dict]:
    with tempfile.TemporaryDirectory() as directory:
        result = describe(directory)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["functions"]


@pytest.fixture(scope="module")
def triggers(functions) -> list[tuple[str, dict]]:
    return [(function["name"], function["trigger"]) for function in functions if function.get("trigger")]


def evaluate(tf, expression):
    """The value of `expression` with variables at their defaults and locals at their values: a literal, a whole
    `${var.x}` or `${local.x}`, or a string that interpolates them."""
    if not isinstance(expression, str):
        return expression

    def lookup(kind: str, name: str):
        if kind == "var":
            assert "default" in tf.variables.get(name, {}), f"var.{name} has no default"
            return evaluate(tf, tf.variables[name]["default"])
        assert name in tf.locals, f"local.{name} is not defined"
        return evaluate(tf, tf.locals[name])

    whole = EXPRESSION.fullmatch(expression)
    if whole:
        return lookup(*whole.groups())
    return EXPRESSION.sub(lambda match: str(lookup(*match.groups())), expression)


def seconds(duration: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)s", str(duration))
    assert match, f"{duration!r} is not a duration in seconds"
    return float(match.group(1))


def named(tf, kind: str, name: str) -> tuple[str, dict]:
    """The one resource of `kind` whose name evaluates to `name`."""
    found = [(address, body) for address, body in tf.of_kind(kind) if evaluate(tf, body.get("name")) == name]
    assert len(found) == 1, f"expected one {kind} named {name!r} in infra/, found {[a for a, _ in found]}"
    return found[0]


def referenced(tf, expression, kind: str) -> tuple[str, dict]:
    """The resource of `kind` that `expression` (`${kind.name.id}` or `.name`) refers to."""
    address = reference(expression)
    assert address and address.startswith(kind + "."), f"{expression!r} does not refer to a {kind}"
    address = address.rsplit(".", 1)[0]
    return address, tf.resource(address)


def services_serving(tf, function: str) -> list[str]:
    """The Cloud Run services whose container's FUNCTION_TARGET is `function`."""
    serving = []
    for address, body in tf.of_kind("google_cloud_run_v2_service"):
        container = block(block(body, "template"), "containers")
        targets = [evaluate(tf, env.get("value")) for env in blocks(container, "env")
                   if env.get("name") == "FUNCTION_TARGET"]
        if targets == [function]:
            serving.append(address)
    return serving


def subscription(tf, trigger: dict) -> dict:
    return named(tf, "google_pubsub_subscription", trigger["subscription"])[1]


def test_describe_opens_no_store_and_needs_none():
    # The default store would be a file in the working directory; an unreachable PostgreSQL would fail a start.
    for store in ("sqlite:store.sqlite", "postgres://nobody:secret@127.0.0.1:1/nothing"):
        with tempfile.TemporaryDirectory() as directory:
            result = describe(directory, DATABASE_URL=store)
            assert result.returncode == 0, result.stderr
            assert json.loads(result.stdout)["functions"]
            assert not os.listdir(directory), f"describe with {store} left {os.listdir(directory)}"


def test_the_reference_app_declares_a_message_trigger_and_an_http_function(functions, triggers):
    # Otherwise every test below would pass with nothing to check.
    assert [name for name, _ in triggers] == ["ingest"], functions
    assert [function["name"] for function in functions if function["kind"] == "http"] == ["query"]


def test_each_declared_topic_exists(tf, triggers):
    for _, trigger in triggers:
        named(tf, "google_pubsub_topic", trigger["topic"])


def test_each_push_subscription_has_the_declared_settings(tf, triggers):
    for function, trigger in triggers:
        body = subscription(tf, trigger)
        where = f"{function}: subscription {trigger['subscription']}"
        _, topic = referenced(tf, body.get("topic"), "google_pubsub_topic")
        assert evaluate(tf, topic["name"]) == trigger["topic"], where
        # Absent settings are Pub/Sub's defaults, as in the declaration.
        assert evaluate(tf, body.get("ack_deadline_seconds", 10)) == trigger["ackDeadlineSeconds"], where
        assert evaluate(tf, body.get("enable_message_ordering", False)) == trigger["messageOrdering"], where
        assert evaluate(tf, body.get("filter", "")) == trigger.get("filter", ""), where
        retry = trigger.get("retryPolicy")
        if retry is None:
            assert "retry_policy" not in body, f"{where} has a retry policy the declaration does not"
        else:
            policy = block(body, "retry_policy")
            assert seconds(evaluate(tf, policy["minimum_backoff"])) == retry["minimumBackoffSeconds"], where
            assert seconds(evaluate(tf, policy["maximum_backoff"])) == retry["maximumBackoffSeconds"], where


def test_each_push_subscription_dead_letters_as_declared(tf, triggers):
    for function, trigger in triggers:
        body = subscription(tf, trigger)
        where = f"{function}: subscription {trigger['subscription']}"
        declared = trigger.get("deadLetterPolicy")
        if declared is None:
            assert "dead_letter_policy" not in body, f"{where} dead-letters; the declaration does not"
            continue
        policy = block(body, "dead_letter_policy")
        assert evaluate(tf, policy["max_delivery_attempts"]) == declared["maxDeliveryAttempts"], where
        address, topic = referenced(tf, policy["dead_letter_topic"], "google_pubsub_topic")
        assert evaluate(tf, topic["name"]) == declared["topic"], where
        _, keeper = named(tf, "google_pubsub_subscription", declared["subscription"])
        assert referenced(tf, keeper["topic"], "google_pubsub_topic")[0] == address, declared["subscription"]
        assert "push_config" not in keeper, f"{declared['subscription']} must keep the dead letters, not push them"


def test_each_push_reaches_the_service_of_its_function_with_an_oidc_token(tf, triggers):
    for function, trigger in triggers:
        push = block(subscription(tf, trigger), "push_config")
        where = f"{function}: subscription {trigger['subscription']}"
        endpoint = push["push_endpoint"]
        match = re.fullmatch(r"\$\{(google_cloud_run_v2_service\.\w+)\.uri\}(/[^$]*)?", endpoint)
        assert match, f"{where}: push endpoint {endpoint!r} is not a Cloud Run service's URL"
        assert match.group(1) in services_serving(tf, function), \
            f"{where} pushes to {match.group(1)}, whose FUNCTION_TARGET is not {function}"
        token = block(push, "oidc_token")
        assert token.get("service_account_email"), f"{where}: the OIDC token names no service account"
        # The audience defaults to the push endpoint, which is what the host is told to expect.
        assert token.get("audience", endpoint) == endpoint, where
        declared = trigger.get("noWrapper")
        if declared is None:
            assert "no_wrapper" not in push, f"{where} unwraps pushes; the declaration does not"
        else:
            assert block(push, "no_wrapper").get("write_metadata", False) == declared["writeMetadata"], where


def test_each_http_function_has_a_cloud_run_service(tf, functions):
    for function in functions:
        if function["kind"] == "http":
            assert services_serving(tf, function["name"]), f"no Cloud Run service serves {function['name']}"


def test_every_push_subscription_in_infra_is_declared(tf, triggers):
    declared = {trigger["subscription"] for _, trigger in triggers}
    for address, body in tf.of_kind("google_pubsub_subscription"):
        if "push_config" in body:
            assert evaluate(tf, body["name"]) in declared, f"{address} pushes, but no function declares it"
