"""One `contrail dev` process on free ports, shared by the suites that drive the whole pipeline (contract, console):
functions host, local Pub/Sub service and console, the store and the Pub/Sub state in a folder of the caller's."""

import json
import os
import pathlib
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "contract"))
from contrail_binary import contrail_binary  # noqa: E402
from ports import free_port  # noqa: E402

# A debug build on a loaded two-core machine starts in seconds; a minute means it is stuck.
START_TIMEOUT_SECONDS = 60


class ContrailDev:
    """One `contrail dev` process: functions host, local Pub/Sub service, console and the pipeline between them."""

    def __init__(self, directory: str):
        self.directory = pathlib.Path(directory)
        # `dev` takes fixed ports, so another process can take one between probing and binding; the binary then
        # exits at once, and fresh ports are worth one more try.
        for attempt in range(3):
            self.port = free_port("127.0.0.1")
            self.pubsub_port = free_port("127.0.0.1", "::1")
            self.console_port = free_port("127.0.0.1", "::1")
            if len({self.port, self.pubsub_port, self.console_port}) < 3:
                continue
            if self._start(attempt):
                break
        else:
            raise RuntimeError(f"contrail dev did not start: {self.stderr()}")
        self.base = f"http://127.0.0.1:{self.port}"
        self.pubsub = f"http://127.0.0.1:{self.pubsub_port}"
        self.console_origin = f"http://127.0.0.1:{self.console_port}"

    def _start(self, attempt: int) -> bool:
        environment = dict(os.environ, PORT=str(self.port), LOG_FORMAT="json",
                           DATABASE_URL=f"sqlite:{self.directory}/store-{attempt}.sqlite")
        # Logs go to files, not pipes: the host logs every request, and nobody reads a pipe after start-up, so a
        # full pipe would stall the server mid-test.
        self.stdout_path = self.directory / f"stdout-{attempt}.log"
        self.stderr_path = self.directory / f"stderr-{attempt}.log"
        with open(self.stdout_path, "w") as stdout, open(self.stderr_path, "w") as stderr:
            self.process = subprocess.Popen(
                [contrail_binary(), "dev", "--pubsub-port", str(self.pubsub_port),
                 "--pubsub-state", str(self.directory / f"pubsub-{attempt}.sqlite"),
                 "--console-port", str(self.console_port)],
                env=environment, cwd=self.directory, stdout=stdout, stderr=stderr, text=True)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._logged("pipeline ready"):
                return True
            if self.process.poll() is not None:
                return False
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"contrail dev did not report the pipeline ready: {self.stderr()}")

    def _logged(self, message: str) -> bool:
        for line in self.stdout_path.read_text().splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and entry.get("message") == message:
                return True
        return False

    def output(self) -> str:
        """Everything `dev` wrote so far, both streams."""
        return self.stdout_path.read_text() + self.stderr_path.read_text()

    def stderr(self) -> str:
        path = getattr(self, "stderr_path", None)
        return path.read_text()[-4000:] if path else "(never started)"

    def get_json(self, path: str):
        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            return json.loads(response.read())

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
                raise RuntimeError("contrail dev did not stop within 15 s of SIGTERM; killed it")
