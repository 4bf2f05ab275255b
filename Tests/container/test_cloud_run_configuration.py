"""The binary under the environment infra/run.tf gives each Cloud Run service.

Literal values and variable defaults are taken from the Terraform as written; references to other resources are
replaced by what they resolve to on Cloud Run (the push service account's email), and DATABASE_URL, which comes
from Secret Manager, by a local store.
"""

import base64
import json
import re
import shutil
import sys
import time
import urllib.error
import urllib.request

import pytest

from container_support import ROOT, Container, envelope, owned_directory

sys.path.insert(0, str(ROOT / "Tests/infra"))
from terraform_model import INFRA, Terraform, block, blocks  # noqa: E402

PROJECT = "test-project"


def service_environment(tf: Terraform, service: str) -> dict[str, str]:
    container = block(block(tf.resource(f"google_cloud_run_v2_service.{service}"), "template"), "containers")
    environment = {}
    for variable in blocks(container, "env"):
        if "value_source" in variable:
            continue
        value = str(variable["value"])
        account = re.fullmatch(r"\$\{google_service_account\.(\w+)\.email\}", value)
        default = re.fullmatch(r"\$\{(?:tostring\()?var\.(\w+)\)?\}", value)
        if account:
            account_id = tf.resource(f"google_service_account.{account.group(1)}")["account_id"]
            value = f"{account_id}@{PROJECT}.iam.gserviceaccount.com"
        elif default:
            value = PROJECT if default.group(1) == "project_id" else str(tf.variables[default.group(1)]["default"])
        assert "${" not in value, f"{variable['name']}: cannot stand in for {value}"
        environment[variable["name"]] = value
    return environment


def platform_token(email: str) -> str:
    """A token as Cloud Run forwards it after checking it: claims intact, signature removed."""
    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
    now = int(time.time())
    claims = {"aud": "https://ingest-abc-ew.a.run.app", "azp": "1", "email": email, "email_verified": True,
              "exp": now + 3600, "iat": now, "iss": "https://accounts.google.com", "sub": "1"}
    return f"{part({'alg': 'RS256', 'kid': 'k', 'typ': 'JWT'})}.{part(claims)}.SIGNATURE_REMOVED_BY_GOOGLE"


@pytest.fixture(scope="module")
def tf():
    return Terraform(INFRA)


def push(container, token):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(container.base + "/", data=envelope("7", {"via": "push"}), method="POST",
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_ingest_accepts_pushes_from_the_push_service_account_only(staged, tf):
    environment = service_environment(tf, "ingest")
    # The identity Pub/Sub signs the push tokens as: the subscription's, not whatever the service expects.
    oidc = block(block(tf.resource("google_pubsub_subscription.ingest_push"), "push_config"), "oidc_token")
    account = re.fullmatch(r"\$\{google_service_account\.(\w+)\.email\}", oidc["service_account_email"]).group(1)
    push_account = f"{tf.resource(f'google_service_account.{account}')['account_id']}@{PROJECT}.iam.gserviceaccount.com"
    workdir = owned_directory()
    container = Container(staged, workdir, K_SERVICE="ingest", DATABASE_URL=f"sqlite:{workdir}/x.sqlite",
                          **environment)
    try:
        assert push(container, platform_token(push_account)) == 204
        assert push(container, platform_token(f"someone-else@{PROJECT}.iam.gserviceaccount.com")) == 403
        assert push(container, None) == 401
        code, _ = container.terminate()
        assert code == 0, container.output()
        # K_SERVICE switches the log lines to Cloud Logging's structured JSON.
        first = next(line for line in container.output().splitlines() if line.startswith("{"))
        assert json.loads(first)["severity"]
    finally:
        container.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def test_query_serves_its_api_at_the_service_root(staged, tf):
    environment = service_environment(tf, "query")
    workdir = owned_directory()
    container = Container(staged, workdir, K_SERVICE="query", DATABASE_URL=f"sqlite:{workdir}/x.sqlite",
                          **environment)
    try:
        assert container.request("GET", "/records?attributes.smoke=none")[0] == 200
        assert container.request("GET", "/openapi.json")[0] == 200
        code, _ = container.terminate()
        assert code == 0, container.output()
    finally:
        container.stop()
        shutil.rmtree(workdir, ignore_errors=True)
