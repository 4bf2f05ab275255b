"""What a deployment does once it runs: how it is billed, who hears its alerts, what the image is built for, how
many connections it opens, and what the pipeline pins. Read from infra/, the Dockerfile, the workflow and the
README, as written."""

import pathlib
import re
import subprocess

import pytest
import yaml
from terraform_model import ROOT, block, blocks

SERVICES = ("google_cloud_run_v2_service.ingest", "google_cloud_run_v2_service.query")
WORKFLOW = ROOT / ".github/workflows/deploy.yml"


def workflow() -> dict:
    parsed = yaml.safe_load(WORKFLOW.read_text())
    # YAML 1.1 reads the key `on` as the boolean true.
    parsed["on"] = parsed.pop(True, parsed.get("on"))
    return parsed


def container(tf, service: str) -> dict:
    return block(block(tf.resource(service), "template"), "containers")


def default(tf, expression) -> object:
    """The default of the variable that `expression` (`${var.x}` or `${tostring(var.x)}`) names."""
    match = re.fullmatch(r"\$\{(?:tostring\()?var\.(\w+)\)?\}", str(expression))
    assert match, f"{expression!r} is not a variable"
    assert "default" in tf.variables[match.group(1)], f"var.{match.group(1)} has no default"
    return tf.variables[match.group(1)]["default"]


# Billing


@pytest.mark.parametrize("service", SERVICES)
def test_services_are_billed_per_request(tf, service):
    # Without cpu_idle = true the provider keeps CPU allocated, billing every second each instance lives. Both
    # services finish their work (ingest's commit included) before they answer, so they need no CPU in between.
    resources = block(container(tf, service), "resources")
    assert resources.get("cpu_idle") is True, f"{service}: cpu_idle must be true (request-based billing)"


# Alerts


def test_every_alert_policy_notifies_a_required_email_channel(tf):
    variable = tf.variables["alert_email"]
    assert "default" not in variable, "alert_email must be required: with a default, alerts can go nowhere"
    channel = tf.resource("google_monitoring_notification_channel.alert_email")
    assert channel["type"] == "email"
    assert channel["labels"]["email_address"] == "${var.alert_email}"
    channels = str(tf.locals["alert_notification_channels"])
    assert "google_monitoring_notification_channel.alert_email.id" in channels, channels

    policies = dict(tf.of_kind("google_monitoring_alert_policy"))
    assert policies, "no alert policies"
    for address, body in policies.items():
        assert body.get("notification_channels") == "${local.alert_notification_channels}", \
            f"{address} does not notify the alert_email channel"


def test_the_pipeline_and_the_readme_set_the_alert_email():
    deploy = workflow()["jobs"]["deploy"]
    assert deploy["env"].get("TF_VAR_alert_email") == "${{ vars.ALERT_EMAIL }}"
    deploy_section = (ROOT / "README.md").read_text().split("## Deploy", 1)[1].split("\n## ", 1)[0]
    assert "TF_VAR_alert_email" in deploy_section and "ALERT_EMAIL" in deploy_section


# Image architecture


def test_the_pipeline_builds_the_image_for_linux_amd64():
    steps = workflow()["jobs"]["image"]["steps"]
    builds = [step for step in steps if str(step.get("uses", "")).startswith("docker/build-push-action")]
    assert builds, "no docker/build-push-action step"
    for step in builds:
        assert step["with"].get("platforms") == "linux/amd64", step
    # A tag that exists is reused as it is: it must be checked to be one Cloud Run can run.
    reference = next(step for step in steps if step.get("id") == "ref")
    assert "linux/amd64" in reference["run"]


def test_the_readme_builds_the_image_for_linux_amd64():
    text = (ROOT / "README.md").read_text()
    # Commands, i.e. lines of the code blocks, not the prose around them.
    builds = re.findall(r"^[ \t]*docker (?:buildx )?build\b.*$", text, re.M)
    assert builds, "the README shows no docker build"
    for command in builds:
        assert "--platform linux/amd64" in command or "--platform=linux/amd64" in command, command


# Database connections


def tier_limit(tf, tier: str) -> int:
    """Cloud SQL's default max_connections for `tier`, as sql.tf's tables give it."""
    shared = tf.locals["sql_shared_core_max_connections"]
    if tier in shared:
        return shared[tier]
    match = re.fullmatch(r"db-custom-\d+-(\d+)", tier)
    assert match, f"no default connection limit is known for {tier}"
    memory = int(match.group(1))
    return next((row["connections"] for row in tf.locals["sql_default_max_connections"]
                 if memory >= row["memory_mib"]), 0)


def test_the_connection_table_is_ordered_for_its_lookup(tf):
    # sql.tf takes the first row the tier's memory reaches: the rows must go from the largest memory down.
    memories = [row["memory_mib"] for row in tf.locals["sql_default_max_connections"]]
    assert memories == sorted(memories, reverse=True)
    assert tier_limit(tf, "db-custom-1-3840") == 100
    assert tier_limit(tf, "db-custom-2-7680") == 400
    assert tier_limit(tf, "db-f1-micro") == 25


@pytest.mark.parametrize("service,pool", [(SERVICES[0], "ingest_database_pool_size"),
                                          (SERVICES[1], "query_database_pool_size")])
def test_each_service_sizes_its_pool_from_its_variable(tf, service, pool):
    environment = {env["name"]: env for env in blocks(container(tf, service), "env")}
    assert environment["DATABASE_POOL_SIZE"]["value"] == f"${{tostring(var.{pool})}}"
    assert f"var.{pool}" in str(tf.locals["sql_pool_connections"])
    maximum = block(block(tf.resource(service), "template"), "scaling")["max_instance_count"]
    assert maximum.removeprefix("${").removesuffix("}") in str(tf.locals["sql_pool_connections"]), maximum


def test_the_default_pools_fit_the_default_tier(tf):
    ingest = block(block(tf.resource(SERVICES[0]), "template"), "scaling")["max_instance_count"]
    query = block(block(tf.resource(SERVICES[1]), "template"), "scaling")["max_instance_count"]
    pools = (default(tf, ingest) * tf.variables["ingest_database_pool_size"]["default"]
             + default(tf, query) * tf.variables["query_database_pool_size"]["default"])
    reserved = tf.locals["sql_reserved_connections"]
    assert tf.variables["sql_max_connections"]["default"] is None
    limit = tier_limit(tf, tf.variables["sql_tier"]["default"])
    assert pools + reserved < limit, \
        f"{pools} pooled + {reserved} reserved connections against a limit of {limit}"


def test_terraform_refuses_pools_that_do_not_fit(tf):
    # The same inequality at plan time, for values other than the defaults.
    preconditions = [condition["condition"] for lifecycle in blocks(
        tf.resource("google_sql_database_instance.analytics"), "lifecycle")
        for condition in blocks(lifecycle, "precondition")]
    assert any(re.search(r"local\.sql_pool_connections\s*\+\s*local\.sql_reserved_connections\s*<\s*"
                         r"local\.sql_max_connections", condition) for condition in preconditions), preconditions


# pgAudit


def test_pgaudit_is_off_or_complete(tf):
    settings = block(tf.resource("google_sql_database_instance.analytics"), "settings")
    flags = {flag["name"]: flag["value"] for flag in blocks(settings, "database_flags")}
    if flags.get("cloudsql.enable_pgaudit") != "on":
        return
    # On, it records nothing until pgaudit.log names classes and the extension exists in the database.
    assert flags.get("pgaudit.log", "none") != "none", "pgAudit is on but pgaudit.log is not set"
    migrations = (ROOT / "Functions/RecordStorePostgres/PostgresMigrations.swift").read_text()
    assert re.search(r"CREATE EXTENSION (IF NOT EXISTS )?pgaudit", migrations, re.I), \
        "pgAudit is on but no migration creates the extension"


# Reproducibility


def test_providers_are_pinned_to_exact_versions(tf):
    for path in tf.files:
        for name, version in re.findall(r'(\w+)\s*=\s*\{[^}]*?version\s*=\s*"([^"]+)"', path.read_text(), re.S):
            assert re.fullmatch(r"=?\s*\d+\.\d+\.\d+", version), f"{path.name}: provider {name} is {version!r}"


def test_every_image_records_the_dependency_versions_it_was_built_from():
    dockerfile = (ROOT / "Dockerfile").read_text()
    # A Package.resolved in the build context, when a repository commits one, is what resolution starts from.
    assert re.search(r"^COPY Package\.\* \./$", dockerfile, re.M), "the build must copy Package.resolved when present"
    assert re.search(r"cp /build/Package\.resolved \./Package\.resolved", dockerfile), \
        "the image must carry the Package.resolved it was built from"
    # This repository is also a library: its pins stay out of git (SwiftPM ignores a dependency's resolved file).
    assert "Package.resolved" in (ROOT / ".gitignore").read_text().split()
