"""Real responses of the query API, checked against its OpenAPI 3.1 document."""

import json
import pathlib

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec

DOCUMENT_PATH = pathlib.Path(__file__).resolve().parents[2] / "Functions/ReferenceApp/openapi.json"
DOCUMENT = json.loads(DOCUMENT_PATH.read_text())


def response_schema(path: str, status: int) -> dict:
    operation = DOCUMENT["paths"][path]["get"]
    assert str(status) in operation["responses"], f"{status} is not documented for GET {path}"
    response = operation["responses"][str(status)]
    if "$ref" in response:
        response = DOCUMENT["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    schema = response["content"]["application/json"]["schema"]
    # The whole document is the root, so that #/components/... references resolve.
    return {**DOCUMENT, **schema}


def check(contrail, url: str, template: str, expected_status: int) -> dict:
    status, body = contrail.request("GET", "/query" + url)
    assert status == expected_status, body
    document = json.loads(body)
    OAS31Validator(response_schema(template, status)).validate(document)
    return document


@pytest.fixture(scope="module")
def stored(contrail):
    contrail.push("json-1", b'{"temperature": 21.5, "tags": ["a"]}', {"site": "lab"}, "sensor-7")
    contrail.push("text-2", b"plain text", {"site": "roof", "kind": "note"})
    contrail.push("bin-3", bytes([0, 255, 1]))
    return contrail


def test_the_document_is_valid_openapi_3_1():
    validate_spec(DOCUMENT)


def test_the_served_document_is_the_one_in_the_repository(contrail):
    status, body = contrail.request("GET", "/query/openapi.json")
    assert status == 200
    assert json.loads(body) == DOCUMENT


def test_a_page_of_records_matches_the_schema(stored):
    page = check(stored, "/records?limit=2", "/records", 200)
    assert len(page["records"]) == 2
    assert "nextCursor" in page
    last = check(stored, "/records?limit=2&cursor=" + page["nextCursor"], "/records", 200)
    assert len(last["records"]) == 1
    assert "nextCursor" not in last


def test_records_with_json_text_and_binary_payloads_match_the_schema(stored):
    assert check(stored, "/records/json-1", "/records/{messageId}", 200)["data"]["temperature"] == 21.5
    assert "data" not in check(stored, "/records/text-2", "/records/{messageId}", 200)
    assert check(stored, "/records/bin-3", "/records/{messageId}", 200)["dataBase64"] == "AP8B"


def test_stats_with_and_without_groups_match_the_schema(stored):
    assert check(stored, "/stats", "/stats", 200)["total"] == 3
    grouped = check(stored, "/stats?bucket=minute&groupBy=attributes.site", "/stats", 200)
    assert grouped["buckets"][0]["groups"] == {"lab": 1, "roof": 1}


@pytest.mark.parametrize("url,template,status", [
    ("/records?limit=0", "/records", 400),
    ("/records?unknown=1", "/records", 400),
    ("/records/missing", "/records/{messageId}", 404),
    ("/stats?bucket=year", "/stats", 400),
])
def test_errors_match_the_schema(stored, url, template, status):
    error = check(stored, url, template, status)["error"]
    assert error["code"] == status
