#!/usr/bin/env bash
# The one test command: builds everything, then runs every test suite.
# The PostgreSQL store's tests need a server: CONTRAIL_TEST_POSTGRES_URL names one, or, when it is unset, this
# script starts a throwaway server from `initdb` and removes it on exit.
# On a fresh Debian machine it first installs what the suites need beyond Swift (scripts/install-test-tools.sh);
# CONTRAIL_SKIP_INSTALL=1 skips that.
set -euo pipefail
cd "$(dirname "$0")/.."

# Runs a PostgreSQL tool as the `postgres` user when we are root (initdb refuses to run as root).
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
    local initdb bin port
    initdb=$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$initdb" ]; then
        echo "error: the PostgreSQL tests need a server: set CONTRAIL_TEST_POSTGRES_URL, or install PostgreSQL" \
            "so that initdb is on PATH or in /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
        exit 1
    fi
    bin=$(dirname "$initdb")
    postgres_dir=$(mktemp -d)
    postgres_bin=$bin
    trap stop_postgres EXIT
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$postgres_dir"; fi
    as_postgres "$bin/initdb" -D "$postgres_dir/data" -A trust -U postgres >"$postgres_dir/initdb.log" 2>&1 \
        || { cat "$postgres_dir/initdb.log" >&2; exit 1; }
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_postgres "$bin/pg_ctl" -D "$postgres_dir/data" -l "$postgres_dir/log" -w \
        -o "-p $port -k $postgres_dir -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200" start \
        >/dev/null || { cat "$postgres_dir/log" >&2; exit 1; }
    export CONTRAIL_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
    echo "Started a throwaway PostgreSQL at $CONTRAIL_TEST_POSTGRES_URL"
}

stop_postgres() {
    as_postgres "$postgres_bin/pg_ctl" -D "$postgres_dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$postgres_dir"
}

if [ "${CONTRAIL_SKIP_INSTALL:-}" != 1 ]; then
    CHECKOV=$(./scripts/install-test-tools.sh)
    export CHECKOV
fi

if [ -z "${CONTRAIL_TEST_POSTGRES_URL:-}" ]; then
    start_postgres
fi

# Layout first: it takes seconds, and a tree that is not formatted fails before the long builds.
./scripts/format.sh --check

swift build --build-tests
swift test --skip-build

# A short coverage-guided run of the delivery decoder and the query parser (libFuzzer, from the toolchain).
./scripts/fuzz.sh 20

# The built binary from outside: the query API against its OpenAPI document (and Schemathesis), Google's own
# Pub/Sub client against the local service, metrics and traces, hostile clients.
python3 -m pytest -q -p no:cacheprovider Tests/contract

# The console of `contrail dev` in headless Chromium, which also writes the README's screenshots (docs/console/).
python3 -m pytest -q -p no:cacheprovider Tests/console

# Packages built on Contrail as a user's would be: the README's "Start your own" steps, written to a temporary
# folder, and the programs in Examples/ with their own tests. A few minutes each, as each package builds every
# dependency once more.
python3 -m pytest -q -p no:cacheprovider Tests/examples

# Monitoring as code: Prometheus rules and their unit tests, the dashboard against the exported metrics.
./scripts/check-monitoring.sh

# The docs against the code: the module diagram against Package.swift, the tests, alerts and metrics they name.
python3 -m pytest -q -p no:cacheprovider Tests/docs

# Shipping: Terraform format, policy and wiring, the Dockerfile and workflow linters, and the container contract
# on the release binary built as the Dockerfile builds it.
./scripts/check-ship.sh
