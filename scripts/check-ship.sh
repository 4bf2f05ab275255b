#!/usr/bin/env bash
# The shipping checks: Terraform formatting and policy, the Dockerfile and workflow linters, the Terraform wiring
# tests and the container contract tests (which build the release binary as the Dockerfile does).
# Runs every check even after a failure, then exits non-zero if any failed.
# Needs on PATH: terraform, checkov, hadolint, actionlint, and python3 with pytest and python-hcl2; and the debug
# build of contrail (swift build, or CONTRAIL_BINARY), whose `describe` the Terraform is checked against.
# CHECKOV and PYTHON override the commands: checkov depends on bc-python-hcl2, which installs a `hcl2` module of
# its own over python-hcl2's, so the two belong in separate Python environments.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

python=${PYTHON:-python3}
checkov=${CHECKOV:-checkov}
failed=()

check() {
    local name=$1
    shift
    echo "== $name"
    if "$@"; then
        echo "== $name: passed"
    else
        echo "== $name: FAILED" >&2
        failed+=("$name")
    fi
}

check "terraform fmt" terraform fmt -check -recursive -diff infra
# --skip-download: no policy or guideline download; the checks bundled with checkov are the ones that apply.
check "checkov" "$checkov" --directory infra --quiet --compact --skip-download
check "hadolint" hadolint Dockerfile
# actionlint finds the workflows through the git checkout it runs in.
check "actionlint" actionlint
check "infra and container tests" "$python" -m pytest -q -p no:cacheprovider Tests/infra Tests/container

if [ ${#failed[@]} -gt 0 ]; then
    echo "check-ship: failed: ${failed[*]}" >&2
    exit 1
fi
echo "check-ship: all passed"
