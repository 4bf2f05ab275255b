"""The README's "Start your own" section, followed to the letter: its Package.swift lines and main.swift go into a
package written to a temporary folder beside a `contrail` folder (this repository), `swift build` builds it,
`dev` runs it with the local Pub/Sub service, `publish` sends a message, and the function's log line must show
that the message reached it. The steps come from the README itself, so the README cannot drift from what works.
"""

import json
import os
import pathlib
import re
import socket
import subprocess
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
# Building a new package compiles every dependency once: minutes, not seconds.
BUILD_SECONDS = 1800


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.S | re.M)
    assert match, f"the README has no section '{title}'"
    return match.group(1)


def code_blocks(text: str, language: str) -> list:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def package_swift(lines: str) -> str:
    """The README gives the lines that matter; the rest is what `swift package init` would write around them."""
    body = "\n".join(line for line in lines.splitlines() if not line.startswith("//"))
    return ("// swift-tools-version:6.2\nimport PackageDescription\n\n"
            f'let package = Package(\n    name: "MyApp",\n    platforms: [.macOS(.v15)],\n{body}\n)\n')


@pytest.fixture(scope="module")
def built_app():
    start = section("Start your own")
    swift = code_blocks(start, "swift")
    assert len(swift) == 2, "expected the Package.swift lines and main.swift"
    with tempfile.TemporaryDirectory() as directory:
        folder = pathlib.Path(directory)
        (folder / "contrail").symlink_to(ROOT)
        app = folder / "myapp"
        (app / "Sources/MyApp").mkdir(parents=True)
        (app / "Package.swift").write_text(package_swift(swift[0]))
        (app / "Sources/MyApp/main.swift").write_text(swift[1])
        build = subprocess.run(["swift", "build"], cwd=app, capture_output=True, text=True, timeout=BUILD_SECONDS)
        assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
        binary = subprocess.run(["swift", "build", "--show-bin-path"], cwd=app, capture_output=True, text=True,
                                check=True).stdout.strip()
        yield app, pathlib.Path(binary) / "MyApp"


def test_a_message_published_as_the_readme_says_reaches_the_function(built_app):
    app, binary = built_app
    commands = code_blocks(section("Start your own"), "sh")[0]
    publish = next(line for line in commands.splitlines() if " publish " in line)
    words = publish.split("#")[0].split()
    # `swift run MyApp <args>` is the binary just built with those arguments; the ports are made free ones.
    environment = dict(os.environ, PORT=str(free_port()), LOG_FORMAT="json")
    pubsub_port = free_port()
    dev = subprocess.Popen([str(binary), "dev", "--pubsub-port", str(pubsub_port)], cwd=app, env=environment,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        deadline = time.monotonic() + 60
        while not any(entry.get("message") == "pipeline ready" for entry in lines):
            assert time.monotonic() < deadline, "dev did not report the pipeline ready"
            line = dev.stdout.readline()
            assert line, "dev exited before the pipeline was ready"
            try:
                lines.append(json.loads(line))
            except ValueError:
                pass
        arguments = words[words.index("MyApp") + 1:]
        published = subprocess.run([str(binary)] + arguments, cwd=app, capture_output=True, text=True, timeout=60,
                                   env=dict(os.environ, PUBSUB_EMULATOR_HOST=f"127.0.0.1:{pubsub_port}"))
        assert published.returncode == 0, published.stderr
        message_id = published.stdout.split()[0]

        greeted = None
        deadline = time.monotonic() + 30
        while greeted is None:
            assert time.monotonic() < deadline, "the published message did not reach the function"
            line = dev.stdout.readline()
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("function") == "greet" and entry.get("status") == 204:
                greeted = entry
        assert greeted["message_id"] == message_id
    finally:
        dev.terminate()
        dev.wait(timeout=15)
