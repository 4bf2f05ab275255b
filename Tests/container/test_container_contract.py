"""The container's contract, checked without a container engine.

The release binary is built with the Dockerfile's own build command and staged as its build stage stages it.
The libraries it loads must all come from the runtime stage's packages (or from what debian:bookworm-slim
already has), and, run as an unprivileged user in an empty directory with only the image's environment, it must
serve both functions, either one alone, and stop cleanly on SIGTERM within Cloud Run's 10 s grace period.
"""

import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import time
import uuid

import pytest

from container_support import (BUILD, RUNTIME, SERVICE_USER, STAGES, Container, backtracer_name, envelope,
                               owned_directory)


# The Dockerfile itself

def test_the_stages_are_the_swift_toolchain_and_the_matching_slim_debian():
    assert BUILD.image == "swift:6.3.1-bookworm"
    assert RUNTIME.image == "debian:bookworm-slim"
    assert len(STAGES) == 2


def test_dependencies_are_resolved_in_their_own_layer():
    order = [(name, arguments) for name, arguments in BUILD.instructions if name in ("COPY", "RUN")]
    manifest = next(i for i, (name, arguments) in enumerate(order) if name == "COPY" and "Package." in arguments)
    resolve = next(i for i, (name, arguments) in enumerate(order)
                   if name == "RUN" and "swift package resolve" in arguments)
    sources = next(i for i, (name, arguments) in enumerate(order) if name == "COPY" and arguments.split()[0] == ".")
    assert manifest < resolve < sources


def test_the_runtime_stage_is_unprivileged_and_crash_reporting():
    user = RUNTIME.arguments("USER")[-1].split(":")[0]
    assert user not in ("root", "0")
    assert "8080" in " ".join(RUNTIME.arguments("EXPOSE")).split()
    assert RUNTIME.entrypoint()[1:] == ["serve"]
    assert RUNTIME.environment()["SWIFT_BACKTRACE"] == "enable=yes,sanitize=yes,threads=all,cache=no"
    staging = " ".join(BUILD.arguments("RUN"))
    assert "*.resources" in staging
    # A statically linked Swift runtime only looks for `swift-backtrace` beside the executable.
    assert backtracer_name() == "swift-backtrace"


# The binary

def installed_packages() -> dict[str, dict]:
    fields = "${db:Status-Abbrev}\t${Package}\t${Priority}\t${Depends}\t${Pre-Depends}\t${Provides}\n"
    output = subprocess.run(["dpkg-query", "-W", "-f", fields], check=True, text=True, capture_output=True).stdout
    packages = {}
    for line in output.splitlines():
        status, name, priority, depends, pre_depends, provides = (line.split("\t") + [""] * 6)[:6]
        if not status.startswith("ii"):
            continue
        names = lambda text: [re.split(r"[\s(:]", alternative.strip())[0]
                              for group in text.split(",") if group.strip() for alternative in group.split("|")]
        packages[name] = {"priority": priority, "depends": names(depends) + names(pre_depends),
                          "provides": names(provides)}
    return packages


def closure(roots, packages) -> set[str]:
    providers = {}
    for name, package in packages.items():
        for virtual in package["provides"]:
            providers.setdefault(virtual, []).append(name)
    seen, queue = set(), list(roots)
    while queue:
        name = queue.pop()
        for candidate in [name] + providers.get(name, []):
            if candidate in packages and candidate not in seen:
                seen.add(candidate)
                queue += packages[candidate]["depends"]
    return seen


def package_of(library: str) -> str | None:
    real = os.path.realpath(library)
    candidates = {library, real}
    for path in list(candidates):
        candidates.add(path[4:] if path.startswith("/usr/") else "/usr" + path)
    for path in candidates:
        result = subprocess.run(["dpkg", "-S", path], text=True, capture_output=True)
        for line in result.stdout.splitlines():
            match = re.match(r"^([^:\s]+)(?::[\w-]+)?: (.+)$", line)
            if match and match.group(2) == path:
                return match.group(1)
    return None


def test_every_linked_library_comes_from_the_runtime_stage(staged):
    binary = staged / "contrail"
    output = subprocess.run(["ldd", str(binary)], check=True, text=True, capture_output=True).stdout
    libraries = {}
    for line in output.splitlines():
        match = re.match(r"\s*(\S+)\s+=>\s+(\S+)\s+\(", line) or re.match(r"\s*(/\S+)\s+\(", line)
        if match:
            libraries[match.group(1)] = match.group(match.lastindex)
        elif "not found" in line:
            pytest.fail(f"the binary needs a library this machine lacks: {line.strip()}")
    assert libraries, output
    assert not [name for name in libraries if "swift" in name.lower()], \
        f"the Swift runtime is linked dynamically (build with --static-swift-stdlib): {sorted(libraries)}"

    packages = installed_packages()
    # debian:bookworm-slim is a minbase bootstrap: every Priority: required package and what those depend on
    # (which is how libstdc++6 and zlib1g get there, through apt and dpkg). Derived here from this machine's
    # Debian bookworm package metadata rather than listed by hand.
    base = closure([name for name, package in packages.items() if package["priority"] == "required"], packages)
    assert {"libc6", "libgcc-s1", "libstdc++6", "zlib1g"} <= base, sorted(base)
    runtime = RUNTIME.apt_packages()
    assert runtime, "the runtime stage installs nothing"
    provided = base | closure(runtime, packages)

    origins = {}
    for name, path in libraries.items():
        package = package_of(path)
        assert package, f"{name} ({path}) belongs to no Debian package, so no apt-get line can provide it"
        origins[name] = package
    missing = {name: package for name, package in origins.items() if package not in provided}
    assert not missing, f"linked but not installed by the runtime stage: {missing} (runtime stage: {runtime})"

    # Libraries the runtime stage installs must be ones the binary loads: anything else is dead weight. libcurl4 is
    # the one deliberate exception: Foundation's URLSession loads it when a user's function imports
    # FoundationNetworking, and such a function must run in the same image.
    data_only = {"ca-certificates", "tzdata"}
    for_user_functions = {"libcurl4"}
    assert for_user_functions <= set(runtime), "the runtime stage must install libcurl4 for FoundationNetworking"
    unused = [package for package in runtime
              if package not in data_only | for_user_functions and package not in origins.values()]
    assert not unused, f"the runtime stage installs libraries the binary does not link: {unused}"


def test_serves_both_functions_as_an_unprivileged_user_and_stops_on_sigterm(staged):
    workdir = owned_directory()
    container = Container(staged, workdir)
    try:
        if os.geteuid() == 0:
            assert container.uid() == pwd.getpwnam(SERVICE_USER).pw_uid
        assert container.uid() != 0

        marker = uuid.uuid4().hex
        status, body = container.request("POST", "/ingest", envelope("1", {"k": "v", "run": marker}))
        assert status == 204, body

        status, body = container.request("GET", f"/query/records?attributes.run={marker}")
        assert status == 200, body
        records = json.loads(body)["records"]
        assert [record["messageId"] for record in records] == ["1"]
        assert records[0]["attributes"] == {"k": "v", "run": marker}

        # Loaded from the resource bundle staged beside the binary.
        status, body = container.request("GET", "/query/openapi.json")
        assert status == 200 and json.loads(body)["openapi"].startswith("3.")

        status, body = container.request("GET", "/_/health")
        assert (status, json.loads(body)) == (200, {"status": "ok"})

        # The default store is relative to the working directory, which is the only place the user may write.
        assert list(workdir.glob("*.sqlite")), list(workdir.iterdir())

        code, elapsed = container.terminate()
        assert code == 0, container.output()
        assert elapsed < 10
    finally:
        container.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def test_function_target_serves_one_function_at_every_path(staged):
    workdir = owned_directory()
    store = f"sqlite:{workdir}/shared.sqlite"
    ingest = Container(staged, workdir, FUNCTION_TARGET="ingest", DATABASE_URL=store)
    query = Container(staged, workdir, FUNCTION_TARGET="query", DATABASE_URL=store)
    try:
        assert ingest.request("POST", "/", envelope("42", {"smoke": "target"}))[0] == 204
        assert ingest.request("GET", "/")[0] == 405

        status, body = query.request("GET", "/records/42")
        assert status == 200, body
        assert json.loads(body)["attributes"] == {"smoke": "target"}
        assert query.request("GET", "/openapi.json")[0] == 200

        for container in (ingest, query):
            code, _ = container.terminate()
            assert code == 0, container.output()
    finally:
        ingest.stop()
        query.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def test_a_crash_prints_a_backtrace(staged):
    workdir = owned_directory()
    container = Container(staged, workdir, DATABASE_URL="sqlite::memory:")
    try:
        # A fault signal from outside runs the crash handler as a real fault would; the process then goes on.
        os.kill(container.process.pid, signal.SIGSEGV)
        deadline = time.monotonic() + 60
        while "Backtrace took" not in container.output() and time.monotonic() < deadline:
            assert "unable to locate swift-backtrace" not in container.output(), container.output()
            time.sleep(0.2)
        output = container.output()
        assert "Program crashed" in output and "Thread 0" in output, output
    finally:
        container.stop()
        shutil.rmtree(workdir, ignore_errors=True)
