"""The programs in Examples/, as a user would meet them: the package builds beside Contrail, its own tests pass,
HelloHTTP answers over a real socket, and a greeting published with Greetings' own `publish` to its `dev` is
stored and listed by its HTTP function."""

import json
import pathlib
import tempfile
import urllib.request

import pytest

from examples_support import Dev, Program, free_port, swift

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "Examples"


@pytest.fixture(scope="module")
def binaries() -> pathlib.Path:
    swift("build", "--package-path", str(EXAMPLES), cwd=ROOT)
    return pathlib.Path(swift("build", "--package-path", str(EXAMPLES), "--show-bin-path", cwd=ROOT).strip())


@pytest.fixture
def directory():
    with tempfile.TemporaryDirectory() as name:
        yield pathlib.Path(name)


def get(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def test_the_examples_own_tests_pass(binaries):
    swift("test", "--package-path", str(EXAMPLES), cwd=ROOT)


def test_hello_http_greets_by_name_over_a_socket(binaries, directory):
    port = free_port()
    hello = Program(binaries / "HelloHTTP", ["serve"], directory, {"PORT": str(port)})
    try:
        hello.wait_for_log(lambda entry: str(entry.get("message", "")).startswith("listening on"), 60, "listening")
        assert get(f"http://127.0.0.1:{port}/hello?name=Ada") == (200, "Hello, Ada!")
        assert get(f"http://127.0.0.1:{port}/hello") == (200, "Hello, world!")
    finally:
        hello.stop()


def test_hello_http_dev_runs_with_no_topic_to_create(binaries, directory):
    hello = Dev(binaries / "HelloHTTP", directory)
    try:
        assert get(f"{hello.base_url}/hello?name=Ada") == (200, "Hello, Ada!")
    finally:
        hello.stop()


def test_a_published_greeting_is_stored_and_listed(binaries, directory):
    greetings = Dev(binaries / "Greetings", directory, {"GREETINGS_DATABASE": str(directory / "greetings.sqlite")})
    try:
        message_id = greetings.publish(["publish", "--topic", "greetings",
                                        "--data", json.dumps({"name": "Ada", "language": "en"})])
        greetings.wait_for_delivery("greet", message_id)
        status, body = get(f"{greetings.base_url}/greetings")
        assert status == 200
        assert json.loads(body) == {"greetings": [{"messageId": message_id, "name": "Ada", "language": "en"}]}
    finally:
        greetings.stop()
