#!/usr/bin/env bash
# Checks infra/monitoring and infra/monitoring.tf: the Prometheus rules are valid and their unit tests pass, the
# Terraform is formatted, and every dashboard and rule query names a metric the service exports.
# Needs promtool (apt-get install prometheus), terraform, and python3 with pytest, PyYAML and promql-parser.
# Runs every check and fails at the end if any failed, so one run reports all problems.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
run() {
    local name=$1
    shift
    echo "== $name"
    if "$@"; then echo "ok: $name"; else failed+=("$name"); echo "FAILED: $name" >&2; fi
}

rules=(infra/monitoring/prometheus/recording-rules.yml infra/monitoring/prometheus/alerting-rules.yml)
run "promtool check rules" promtool check rules "${rules[@]}"
run "promtool check config" promtool check config infra/monitoring/prometheus/prometheus.yml
# The 3-day burn-rate scenarios take a minute or so per file; run the files side by side.
promtool_tests() {
    local pids=() file status=0
    for file in infra/monitoring/prometheus/tests/*.yml; do
        promtool test rules "$file" &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || status=1; done
    return $status
}
run "promtool test rules" promtool_tests
run "terraform fmt" terraform fmt -check -diff infra/monitoring.tf
run "pytest Tests/monitoring" python3 -m pytest -q Tests/monitoring

if [ ${#failed[@]} -gt 0 ]; then
    echo "check-monitoring: failed: ${failed[*]}" >&2
    exit 1
fi
echo "check-monitoring: all checks passed"
