"""Runs the staged release binary the way the image's ENTRYPOINT runs it."""

import base64
import json
import os
import pathlib
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest

from dockerfile_stages import parse

ROOT = pathlib.Path(__file__).resolve().parents[2]
STAGES = parse(ROOT / "Dockerfile")
BUILD, RUNTIME = STAGES[0], STAGES[-1]
SERVICE_USER = "nobody"


def build_command() -> list[str]:
    commands = [arguments for arguments in BUILD.arguments("RUN")
                if arguments.startswith("swift build") and "--show-bin-path" not in arguments]
    assert len(commands) == 1, commands
    words = shlex.split(commands[0])
    assert "--static-swift-stdlib" in words and "-c" in words and words[words.index("-c") + 1] == "release"
    return words


def stage_release_binary() -> pathlib.Path:
    """The image's /app: the binary, its resource bundles and the static backtracer, readable by anyone."""
    command = build_command()
    subprocess.run(command, cwd=ROOT, check=True, timeout=3600)
    bin_path = pathlib.Path(subprocess.run(command + ["--show-bin-path"], cwd=ROOT, check=True, text=True,
                                           capture_output=True).stdout.strip())
    app = pathlib.Path(tempfile.mkdtemp(prefix="contrail-app-"))
    app.chmod(0o755)
    shutil.copy2(bin_path / "contrail", app / "contrail")
    for bundle in bin_path.glob("*.resources"):
        shutil.copytree(bundle, app / bundle.name, symlinks=False)
    toolchain = pathlib.Path(shutil.which("swift")).resolve().parents[1]
    shutil.copy2(toolchain / "libexec/swift/linux/swift-backtrace-static", app / backtracer_name())
    return app


def backtracer_name() -> str:
    """The name the build stage gives the static backtracer in the staging directory."""
    for command in BUILD.arguments("RUN"):
        match = re.search(r"\bcp\s+\S*/swift-backtrace-static\s+(\S+)", command)
        if match:
            destination = match.group(1)
            return "swift-backtrace-static" if destination in (".", "./") or destination.endswith("/") \
                else pathlib.PurePosixPath(destination).name
    raise AssertionError("the build stage does not stage swift-backtrace-static")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unprivileged() -> list[str]:
    if os.geteuid() != 0:
        return []
    return ["setpriv", f"--reuid={SERVICE_USER}", f"--regid={pwd.getpwnam(SERVICE_USER).pw_gid}",
            "--clear-groups", "--"]


def owned_directory() -> pathlib.Path:
    directory = pathlib.Path(tempfile.mkdtemp(prefix="contrail-cwd-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam(SERVICE_USER)
        os.chown(directory, user.pw_uid, user.pw_gid)
    return directory


class Container:
    """The staged binary run as the ENTRYPOINT does, with the image's ENV and only that."""

    def __init__(self, app: pathlib.Path, workdir: pathlib.Path, **variables: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
        environment.update(RUNTIME.environment())
        environment.update(variables, PORT=str(self.port))
        entrypoint = RUNTIME.entrypoint()
        binary = str(app / pathlib.PurePosixPath(entrypoint[0]).name)
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(unprivileged() + [binary] + entrypoint[1:], cwd=workdir, env=environment,
                                        stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_until_healthy()

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def wait_until_healthy(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"contrail exited with {self.process.returncode}:\n{self.output()}")
            try:
                if self.request("GET", "/_/health")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        pytest.fail(f"contrail did not become healthy:\n{self.output()}")

    def request(self, method: str, path: str, body: bytes | None = None):
        request = urllib.request.Request(self.base + path, data=body, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def uid(self) -> int:
        status = pathlib.Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"^Uid:\s+(\d+)", status, re.MULTILINE).group(1))

    def terminate(self) -> tuple[int, float]:
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"contrail did not exit within 10 s of SIGTERM:\n{self.output()}")
        return code, time.monotonic() - started

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def envelope(message_id: str, attributes: dict) -> bytes:
    return json.dumps({
        "message": {"data": base64.b64encode(b'{"temp":21}').decode(), "messageId": message_id,
                    "publishTime": "2026-01-01T00:00:00Z", "attributes": attributes},
        "subscription": "projects/p/subscriptions/s",
    }).encode()


