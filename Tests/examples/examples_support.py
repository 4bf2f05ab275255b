"""What the tests of packages built on Contrail share: free ports, `swift` commands with a bound on their time, and
a program's `dev` run until its pipeline is ready, with its log in a file that the tests read."""

import json
import os
import pathlib
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from ports import free_port  # noqa: E402  (re-exported for the tests)

# Building a package of its own compiles every dependency once more: minutes, not seconds.
BUILD_SECONDS = 1800
# The packages these tests build share one build folder, so that the dependencies they have in common (SwiftNIO,
# grpc-swift, Hummingbird, GRDB...) are compiled once for all of them rather than once each; their own code and
# Contrail's are compiled for each as usual. The commands are otherwise the ones a user types.
SHARED_SCRATCH = pathlib.Path(__file__).resolve().parents[2] / ".build-packages"


def swift(*arguments: str, cwd: pathlib.Path) -> str:
    """Runs `swift <arguments>` and returns its standard output; a failure shows the end of both outputs."""
    if arguments[0] in ("build", "test"):
        arguments = (*arguments, "--scratch-path", str(SHARED_SCRATCH))
    run = subprocess.run(["swift", *arguments], cwd=cwd, capture_output=True, text=True, timeout=BUILD_SECONDS)
    assert run.returncode == 0, f"swift {' '.join(arguments)} failed:\n{run.stdout[-4000:]}{run.stderr[-4000:]}"
    return run.stdout


def wait_until(condition, seconds: float, failure: str):
    """Polls `condition` until it returns something truthy, which it returns; fails with `failure` at the bound."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(failure)


class Program:
    """One run of a program built on Contrail, its JSON log lines in a file rather than a pipe: the host logs every
    request, and a pipe nobody reads would fill and stall it."""

    def __init__(self, binary: pathlib.Path, arguments: list, directory: pathlib.Path, environment: dict):
        self.binary = binary
        self.log_path = directory / f"{binary.name}-{arguments[0]}-{time.monotonic_ns()}.log"
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen([str(binary), *arguments], cwd=directory, stdout=log,
                                            stderr=subprocess.STDOUT, text=True,
                                            env=dict(os.environ, LOG_FORMAT="json", **environment))

    def log_entries(self) -> list:
        entries = []
        for line in self.log_path.read_text().splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                entries.append(entry)
        return entries

    def wait_for_log(self, matches, seconds: float, what: str) -> dict:
        """The first log entry `matches` accepts; fails when the program exits or `seconds` pass without one."""
        def found():
            entry = next((entry for entry in self.log_entries() if matches(entry)), None)
            assert entry or self.process.poll() is None, f"{self.binary.name} exited before {what}:\n{self.log()}"
            return entry
        return wait_until(found, seconds, f"{self.binary.name} did not log {what} within {seconds} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text()[-4000:]

    def stop(self):
        """SIGTERM to this process alone, then a bounded wait for the graceful exit the host promises."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


class Dev(Program):
    """`<program> dev` on free ports with its Pub/Sub state in `directory`, so that it collides with no other run."""

    def __init__(self, binary: pathlib.Path, directory: pathlib.Path, environment: dict = None):
        # Ports are probed, not held: another process may take one before dev binds it. Dev then exits at once,
        # and fresh ports are worth another try.
        for _ in range(3):
            self.port = free_port()
            self.pubsub_port = free_port("127.0.0.1", "::1")
            self.console_port = free_port("127.0.0.1", "::1")
            if len({self.port, self.pubsub_port, self.console_port}) < 3:
                continue
            super().__init__(binary, ["dev", "--pubsub-port", str(self.pubsub_port),
                                      "--pubsub-state", str(directory / f"pubsub-{self.pubsub_port}.sqlite"),
                                      "--console-port", str(self.console_port)],
                             directory, dict(environment or {}, PORT=str(self.port)))
            try:
                self.wait_for_log(lambda entry: entry.get("message") == "pipeline ready", 60, "the pipeline ready")
                return
            except AssertionError:
                if self.process.poll() is None:
                    self.stop()
                    raise
        raise AssertionError(f"{binary.name} dev did not start:\n{self.log()}")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def publish(self, arguments: list) -> str:
        """Runs the program's own `publish` against this dev's Pub/Sub service; returns the message id."""
        published = subprocess.run([str(self.binary), *arguments], capture_output=True, text=True, timeout=60,
                                   env=dict(os.environ, PUBSUB_EMULATOR_HOST=f"127.0.0.1:{self.pubsub_port}"))
        assert published.returncode == 0, published.stderr
        return published.stdout.split()[0]

    def wait_for_delivery(self, function: str, message_id: str, seconds: float = 60) -> dict:
        """The host's log line for the push of `message_id` to `function` that was acknowledged with 204."""
        return self.wait_for_log(
            lambda entry: entry.get("function") == function and entry.get("status") == 204
            and entry.get("message_id") == message_id,
            seconds, f"a 204 from {function} for message {message_id}")
