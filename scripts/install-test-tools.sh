#!/usr/bin/env bash
# Installs what the test command needs beyond Swift on a Debian machine, skipping what is already there:
# the libraries the build links, PostgreSQL for the store tests, promtool for the alerting rules, Chromium and its
# driver for the console's browser tests, the Python packages in Tests/requirements.txt, and checkov in an
# environment of its own (it ships an `hcl2` module that would shadow python-hcl2's). Prints the checkov command for
# the caller to use as CHECKOV.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for package in libsqlite3-dev libcurl4-openssl-dev; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing+=(postgresql)
fi
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: the tests need these Debian packages: ${missing[*]} (install them as root)" >&2
        exit 1
    fi
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

# terraform is packaged by neither Debian nor PyPI; the machines this runs on have it, and the GitHub workflow
# installs it with hashicorp/setup-terraform.
command -v terraform >/dev/null 2>&1 \
    || { echo "error: the infrastructure checks need terraform on PATH" >&2; exit 1; }

python3 -m pip install -q -r Tests/requirements.txt >&2
checkov_env=${CONTRAIL_CHECKOV_ENV:-${XDG_CACHE_HOME:-$HOME/.cache}/contrail-checkov}
if [ ! -x "$checkov_env/bin/checkov" ]; then
    python3 -m venv "$checkov_env" >&2
    "$checkov_env/bin/pip" install -q checkov >&2
fi
echo "$checkov_env/bin/checkov"
