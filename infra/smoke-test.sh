#!/usr/bin/env bash
# End-to-end check of a deployment: publish one message carrying a unique attribute to the topic, then poll the
# query service until the record shows up. Fails when it has not within the deadline, so a deployment that cannot
# carry a message from Pub/Sub through the ingest service into the store does not pass.
#
# Usage: infra/smoke-test.sh [--project ID] [--topic NAME] [--query-url URL] [--timeout SECONDS]
#                            [--auth-timeout SECONDS]
# --timeout bounds the wait for the record (default 300); --auth-timeout how long the query service may keep
# answering 401/403 (default 420: an invoker grant made by the apply just before takes minutes to take effect).
# Unset options are read from `terraform output` of this directory. Environment:
#   QUERY_ID_TOKEN   identity token for a private query service (audience: its URL); when unset and the service is
#                    not public, one is asked of gcloud.
#   QUERY_PUBLIC     true/false; defaults to the `query_public` output.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
project="${PROJECT_ID:-}"
topic="${TOPIC:-}"
query_url="${QUERY_URL:-}"
timeout="${SMOKE_TIMEOUT:-300}"
interval="${SMOKE_INTERVAL:-5}"
auth_timeout="${SMOKE_AUTH_TIMEOUT:-420}"

while [ $# -gt 0 ]; do
    case "$1" in
        --project) project="$2"; shift 2 ;;
        --topic) topic="$2"; shift 2 ;;
        --query-url) query_url="$2"; shift 2 ;;
        --timeout) timeout="$2"; shift 2 ;;
        --auth-timeout) auth_timeout="$2"; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "smoke test: unknown argument $1" >&2; exit 2 ;;
    esac
done

output() { terraform -chdir="$here" output -raw "$1"; }
[ -n "$topic" ] || topic=$(output topic)
[ -n "$query_url" ] || query_url=$(output query_url)
[ -n "$project" ] || project=$(gcloud config get-value project 2>/dev/null)
query_public="${QUERY_PUBLIC:-}"
[ -n "$query_public" ] || query_public=$(output query_public 2>/dev/null || echo false)
query_url="${query_url%/}"

if [ -z "$project" ] || [ -z "$topic" ] || [ -z "$query_url" ]; then
    echo "smoke test: need --project, --topic and --query-url (or a terraform state to read them from)" >&2
    exit 2
fi

token="${QUERY_ID_TOKEN:-}"
if [ -z "$token" ] && [ "$query_public" != "true" ]; then
    # Service accounts can mint a token for the service's URL; user accounts only for gcloud's own audience,
    # which Cloud Run accepts as well.
    token=$(gcloud auth print-identity-token --audiences="$query_url" 2>/dev/null \
        || gcloud auth print-identity-token)
fi

# Unique per run, so a record left by an earlier run can never satisfy this one.
id="smoke-$(date -u +%Y%m%dT%H%M%SZ)-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"

message_id=$(gcloud pubsub topics publish "$topic" --project="$project" \
    --message="{\"smoke\":\"$id\"}" --attribute="smoke=$id" --format='value(messageIds)')
echo "smoke test: published message $message_id to $topic with attribute smoke=$id"

headers=()
[ -z "$token" ] || headers=(-H "Authorization: Bearer $token")

started=$(date +%s)
deadline=$(( started + timeout ))
auth_deadline=$(( started + auth_timeout ))
refused_before=""
body=$(mktemp)
trap 'rm -f "$body"' EXIT
while :; do
    status=$(curl -sS -o "$body" -w '%{http_code}' --max-time 20 "${headers[@]}" \
        "$query_url/records?attributes.smoke=$id&limit=1" || echo 000)
    case "$status" in
        200)
            if python3 - "$body" "$message_id" "$id" <<'PY'
import json, sys
path, message_id, smoke = sys.argv[1:]
records = json.load(open(path)).get("records", [])
sys.exit(0 if any(r.get("messageId") == message_id and r.get("attributes", {}).get("smoke") == smoke
                  for r in records) else 1)
PY
            then
                echo "smoke test: message $message_id reached the store and the query service"
                exit 0
            fi
            ;;
        401|403)
            # IAM changes take minutes to reach Cloud Run, and the apply just before may have granted run.invoker
            # (query_invokers, query_public): wait for them, but no longer than they are documented to take.
            if [ "$(date +%s)" -ge "$auth_deadline" ]; then
                echo "smoke test: the query service still refuses the request ($status) after ${auth_timeout}s;" \
                    "check that the caller has roles/run.invoker on it: $(head -c 500 "$body")" >&2
                exit 1
            fi
            if [ -z "$refused_before" ]; then
                echo "smoke test: the query service refused the request ($status); retrying for up to" \
                    "${auth_timeout}s while IAM changes propagate"
                refused_before=yes
            fi
            sleep "$interval"
            continue
            ;;
    esac
    if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "smoke test: message $message_id did not appear at $query_url within ${timeout}s" \
            "(last answer $status: $(head -c 500 "$body"))" >&2
        exit 1
    fi
    sleep "$interval"
done
