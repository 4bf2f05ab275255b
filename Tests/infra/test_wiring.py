"""The wiring of infra/ that a deployment depends on, read from the Terraform itself."""

import re

import pytest
from terraform_model import block, blocks, reference

INGEST = "google_cloud_run_v2_service.ingest"
QUERY = "google_cloud_run_v2_service.query"
SERVICE_AGENT = re.compile(
    r"^serviceAccount:service-\$\{data\.google_project\.\w+\.number\}@gcp-sa-pubsub\.iam\.gserviceaccount\.com$")
PUBLIC_MEMBERS = {"allUsers", "allAuthenticatedUsers"}

RUN_IAM_KINDS = (
    "google_cloud_run_v2_service_iam_member", "google_cloud_run_v2_service_iam_binding",
    "google_cloud_run_v2_service_iam_policy", "google_cloud_run_service_iam_member",
    "google_cloud_run_service_iam_binding", "google_cloud_run_service_iam_policy",
)
PROJECT_IAM_KINDS = ("google_project_iam_member", "google_project_iam_binding", "google_project_iam_policy")


def members(tf, body) -> list[str]:
    """The members an IAM resource grants, with `each.value` expanded over its for_each when that is known."""
    granted = [body["member"]] if "member" in body else list(body.get("members", []))
    expanded = []
    for member in granted:
        if member in ("${each.value}", "${each.key}") and "for_each" in body:
            collection = tf.resolve(body["for_each"])
            if isinstance(collection, dict):
                expanded += list(collection.values() if member == "${each.value}" else collection.keys())
                continue
            if isinstance(collection, list):
                expanded += collection
                continue
        expanded.append(member)
    return [tf.resolve(member) for member in expanded]


def service_account_of(member: str) -> str | None:
    """`google_service_account.<name>` for a member written as `.member` or `serviceAccount:${....email}`."""
    match = re.fullmatch(r"\$\{(google_service_account\.\w+)\.member\}", member) or \
        re.fullmatch(r"serviceAccount:\$\{(google_service_account\.\w+)\.email\}", member)
    return match.group(1) if match else None


def target_service(body) -> str | None:
    for key in ("name", "service"):
        match = re.search(r"(google_cloud_run_(?:v2_)?service\.\w+)\.", str(body.get(key, "")))
        if match:
            return match.group(1)
    return None


def instances_when(expression: str, query_public: bool) -> bool:
    """Whether a count/for_each conditioned on var.query_public creates anything for the given value."""
    match = re.fullmatch(r"\$\{\s*(!?)\s*var\.query_public\s*\?\s*(.+?)\s*:\s*(.+?)\s*\}", expression)
    assert match, f"{expression!r} is not a condition on var.query_public"
    negated, when_true, when_false = match.groups()
    chosen = when_true if query_public != bool(negated) else when_false
    return not re.fullmatch(r"(?:toset\(\s*)?(?:0|\[\s*\]|\{\s*\})(?:\s*\))?", chosen)


def test_push_endpoint_is_the_ingest_service_url(tf):
    push = block(tf.resource("google_pubsub_subscription.ingest_push"), "push_config")
    assert re.fullmatch(r"\$\{google_cloud_run_v2_service\.ingest\.uri\}(/[^$]*)?", push["push_endpoint"]), \
        push["push_endpoint"]
    assert reference(tf.resource("google_pubsub_subscription.ingest_push")["topic"]) == "google_pubsub_topic.events.id"


def test_the_push_identity_is_the_only_invoker_of_ingest(tf):
    push = block(tf.resource("google_pubsub_subscription.ingest_push"), "push_config")
    oidc_account = reference(block(push, "oidc_token")["service_account_email"])
    assert oidc_account == "google_service_account.push_invoker.email"

    invokers = []
    for address, body in tf.of_kind(*RUN_IAM_KINDS):
        if target_service(body) != INGEST:
            continue
        assert not address.split(".")[0].endswith("_policy"), f"{address}: a policy on ingest hides who may invoke it"
        if body.get("role") == "roles/run.invoker":
            assert "count" not in body and "for_each" not in body, f"{address}: the push grant must be unconditional"
            invokers += members(tf, body)
    assert [service_account_of(member) for member in invokers] == ["google_service_account.push_invoker"], invokers

    for address, body in tf.of_kind(*PROJECT_IAM_KINDS):
        assert body.get("role") != "roles/run.invoker", f"{address} grants run.invoker on every service of the project"


def test_the_push_identity_holds_no_other_role(tf):
    for kinds in (RUN_IAM_KINDS, PROJECT_IAM_KINDS):
        for address, body in tf.of_kind(*kinds):
            for member in members(tf, body):
                if service_account_of(member) == "google_service_account.push_invoker":
                    assert target_service(body) == INGEST and body.get("role") == "roles/run.invoker", address
    for kind, named in tf.resources.items():
        if not kind.endswith(("_iam_member", "_iam_binding")) or kind.startswith("google_cloud_run"):
            continue
        for name, body in named.items():
            for member in members(tf, body):
                assert service_account_of(member) != "google_service_account.push_invoker", \
                    f"{kind}.{name} grants the push identity {body.get('role')}"


def test_the_pubsub_service_agent_can_mint_push_tokens(tf):
    grants = [body for _, body in tf.of_kind("google_service_account_iam_member", "google_service_account_iam_binding")
              if reference(body.get("service_account_id")) in ("google_service_account.push_invoker.name",
                                                              "google_service_account.push_invoker.id")
              and body.get("role") == "roles/iam.serviceAccountTokenCreator"]
    assert grants, "no serviceAccountTokenCreator on the push service account"
    assert all(SERVICE_AGENT.match(member) for body in grants for member in members(tf, body)), grants


def test_dead_letters_go_to_the_dead_letter_topic_with_its_iam(tf):
    tf.resource("google_pubsub_topic.dead_letter")
    subscription = tf.resource("google_pubsub_subscription.ingest_push")
    policy = block(subscription, "dead_letter_policy")
    assert reference(policy["dead_letter_topic"]) == "google_pubsub_topic.dead_letter.id"
    assert "max_delivery_attempts" in policy
    retry = block(subscription, "retry_policy")
    assert retry.get("minimum_backoff") and retry.get("maximum_backoff")

    publishers = [member for _, body in tf.of_kind("google_pubsub_topic_iam_member", "google_pubsub_topic_iam_binding")
                  if reference(body.get("topic")) in ("google_pubsub_topic.dead_letter.id",
                                                      "google_pubsub_topic.dead_letter.name")
                  and body.get("role") == "roles/pubsub.publisher"
                  for member in members(tf, body)]
    assert any(SERVICE_AGENT.match(member) for member in publishers), publishers

    subscribers = [member for _, body in tf.of_kind("google_pubsub_subscription_iam_member",
                                                    "google_pubsub_subscription_iam_binding")
                   if reference(body.get("subscription")) in ("google_pubsub_subscription.ingest_push.id",
                                                              "google_pubsub_subscription.ingest_push.name")
                   and body.get("role") == "roles/pubsub.subscriber"
                   for member in members(tf, body)]
    assert any(SERVICE_AGENT.match(member) for member in subscribers), subscribers

    # Without a subscription, messages published to the dead-letter topic are dropped.
    retained = tf.resource("google_pubsub_subscription.dead_letter_pull")
    assert reference(retained["topic"]) == "google_pubsub_topic.dead_letter.id"
    assert "push_config" not in retained


def test_query_exposure_follows_query_public(tf):
    variable = tf.variables["query_public"]
    assert variable.get("type") == "bool" and variable.get("description")

    public_grants = 0
    for kind, named in tf.resources.items():
        if not kind.endswith(("_iam_member", "_iam_binding", "_iam_policy")):
            continue
        for name, body in named.items():
            if not PUBLIC_MEMBERS & set(members(tf, body)):
                continue
            address = f"{kind}.{name}"
            assert target_service(body) == QUERY, f"{address} makes something other than the query service public"
            condition = body.get("count", body.get("for_each"))
            assert condition is not None, f"{address} is public whatever var.query_public says"
            assert instances_when(condition, True), f"{address} stays private with query_public = true"
            assert not instances_when(condition, False), f"{address} is public with query_public = false"
            public_grants += 1
    assert public_grants == 1, "query_public = true must grant allUsers run.invoker on the query service"


def test_ingest_authenticates_pushes_behind_cloud_run_iam(tf):
    ingest = tf.resource(INGEST)
    ingress = tf.resolve(ingest.get("ingress", "INGRESS_TRAFFIC_ALL"))
    if ingress == "${var.ingest_ingress}":
        ingress = tf.variables["ingest_ingress"]["default"]
    assert ingress in ("INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_ALL")
    environment = {env["name"]: env for env in blocks(block(block(ingest, "template"), "containers"), "env")}
    assert environment["FUNCTION_TARGET"]["value"] == "ingest"
    assert environment["PUSH_AUTH"]["value"] == "platform"
    assert reference(environment["PUSH_SERVICE_ACCOUNTS"]["value"]) == "google_service_account.push_invoker.email"


@pytest.mark.parametrize("service,runtime", [(INGEST, "ingest_runtime"), (QUERY, "query_runtime")])
def test_services_run_the_one_image_as_their_own_identity(tf, service, runtime):
    template = block(tf.resource(service), "template")
    assert reference(template["service_account"]) == f"google_service_account.{runtime}.email"
    container = block(template, "containers")
    assert container["image"] == "${var.image}"
    environment = {env["name"]: env for env in blocks(container, "env")}
    assert environment["FUNCTION_TARGET"]["value"] == service.split(".")[1]


@pytest.mark.parametrize("service", [INGEST, QUERY])
def test_the_store_is_cloud_sql_over_the_socket_with_the_url_from_secret_manager(tf, service):
    template = block(tf.resource(service), "template")
    volumes = {volume["name"]: volume for volume in blocks(template, "volumes")}
    sockets = [name for name, volume in volumes.items() if "cloud_sql_instance" in volume
               and "${google_sql_database_instance.analytics.connection_name}"
               in block(volume, "cloud_sql_instance")["instances"]]
    assert sockets, "no cloud_sql_instance volume for the analytics instance"
    container = block(template, "containers")
    mounts = {mount["name"]: tf.resolve(mount["mount_path"]) for mount in blocks(container, "volume_mounts")}
    assert mounts.get(sockets[0]) == "/cloudsql"

    database_url = {env["name"]: env for env in blocks(container, "env")}["DATABASE_URL"]
    assert "value" not in database_url, "DATABASE_URL holds the password: it must come from Secret Manager"
    secret = block(block(database_url, "value_source"), "secret_key_ref")
    assert reference(secret["secret"]) in ("google_secret_manager_secret.database_url.secret_id",
                                           "google_secret_manager_secret.database_url.id")

    data = tf.resource("google_secret_manager_secret_version.database_url")["secret_data"]
    assert data.startswith("postgres://")
    assert data.endswith("?host=/cloudsql/${google_sql_database_instance.analytics.connection_name}"), data
    assert "${random_password." in data


def test_only_the_runtime_identities_read_the_database_secret(tf):
    readers = []
    kinds = ("google_secret_manager_secret_iam_member", "google_secret_manager_secret_iam_binding",
             "google_secret_manager_secret_iam_policy")
    for address, body in tf.of_kind(*kinds):
        assert not address.split(".")[0].endswith("_policy"), address
        assert body.get("role") == "roles/secretmanager.secretAccessor", address
        readers += [service_account_of(member) for member in members(tf, body)]
    assert sorted(readers) == ["google_service_account.ingest_runtime", "google_service_account.query_runtime"]


@pytest.mark.parametrize("service", [INGEST, QUERY])
def test_probes_check_health_and_scaling_is_configurable(tf, service):
    template = block(tf.resource(service), "template")
    container = block(template, "containers")
    for probe in ("startup_probe", "liveness_probe"):
        assert tf.resolve(block(block(container, probe), "http_get")["path"]) == "/_/health", probe
    scaling = block(template, "scaling")
    for value in (scaling["min_instance_count"], scaling["max_instance_count"],
                  template["max_instance_request_concurrency"]):
        assert re.fullmatch(r"\$\{var\.\w+\}", str(value)), value


def test_ingest_times_out_with_the_ack_deadline(tf):
    subscription = tf.resource("google_pubsub_subscription.ingest_push")
    deadline = subscription["ack_deadline_seconds"]
    assert re.fullmatch(r"\$\{var\.\w+\}", str(deadline))
    assert block(tf.resource(INGEST), "template")["timeout"] == deadline[:-1] + "}s"


def test_required_variables_exist_and_everything_is_described(tf):
    for name in ("project_id", "region", "image", "query_public"):
        assert name in tf.variables, name
    for name, variable in tf.variables.items():
        assert variable.get("description"), f"variable {name} has no description"
    assert tf.outputs, "no outputs"
    for name, output in tf.outputs.items():
        assert output.get("description"), f"output {name} has no description"


def test_every_checkov_skip_gives_its_reason(tf):
    for path in tf.files:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "checkov:skip" in line:
                assert re.fullmatch(r"\s*#\s?checkov:skip=CKV2?_[A-Z]+_\d+:\s*\S.{10,}", line), \
                    f"{path.name}:{number}: a skip needs the check id and its reason"
