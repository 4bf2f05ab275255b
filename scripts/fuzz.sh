#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs each for a bounded time: scripts/fuzz.sh [seconds-per-fuzzer]
# (default 60). Exits non-zero when any fuzzer reports a crash, a broken property, a leak or a timeout; the input
# that did it is kept under .build-fuzz/artifacts/ (ignored by git) and the command to replay it is printed.
#
# Only the code under test is compiled, with swiftc directly: instrumenting the package's whole dependency graph
# through SwiftPM would take longer than CI can give. The sources come straight from the package's own folders,
# so the fuzzers always test the code as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: scripts/fuzz.sh [seconds-per-fuzzer]" >&2
    exit 2
fi

out=.build-fuzz
modules=$out/modules
bin=$out/bin
mkdir -p "$modules" "$bin"

checkouts=.build/checkouts
if [ ! -d "$checkouts/swift-http-types/Sources/HTTPTypes" ] || [ ! -d "$checkouts/swift-log/Sources/Logging" ]; then
    swift package resolve
fi

# The house language settings (Package.swift's swiftSettings), for the project's own sources.
own_flags=(
    -swift-version 6
    -enable-upcoming-feature ExistentialAny
    -enable-upcoming-feature MemberImportVisibility
    -enable-upcoming-feature InternalImportsByDefault
)
# -O keeps bounds and overflow checks and gives several times the executions per second of -Onone.
common_flags=(-parse-as-library -O -g -I "$modules")
link_flags=()
# gold warns at length about AddressSanitizer's local symbols; the toolchain's lld links the same cleanly.
if [ -x "$(dirname "$(command -v swiftc)")/ld.lld" ]; then
    link_flags=(-use-ld=lld)
fi

# Builds one module into a single object file. Dependencies get AddressSanitizer only: coverage of their
# insides would steer the fuzzer towards exploring them rather than the project's code.
build_module() {
    local name=$1 sanitizers=$2
    shift 2
    swiftc "${common_flags[@]}" -sanitize="$sanitizers" -wmo -c -module-name "$name" \
        -emit-module -emit-module-path "$modules/$name.swiftmodule" -o "$modules/$name.o" "$@"
}

build_started=$SECONDS
echo "Building the fuzzers into $out"

# swift-http-types declares its availability macros in its manifest; each only needs to be defined.
http_types_flags=()
while read -r version; do
    http_types_flags+=(-enable-experimental-feature "AvailabilityMacro=HTTPTypes $version: macOS 10.0")
done < <(grep -rhoE '@available\(HTTPTypes [0-9.]+' "$checkouts/swift-http-types/Sources/HTTPTypes" \
    | grep -oE '[0-9.]+$' | sort -u)
build_module HTTPTypes address -swift-version 6 -suppress-warnings -package-name swift_http_types \
    -enable-upcoming-feature InternalImportsByDefault -enable-upcoming-feature MemberImportVisibility \
    "${http_types_flags[@]}" "$checkouts/swift-http-types/Sources/HTTPTypes"/*.swift

# ContrailKit imports Logging for FunctionContext; nothing fuzzed here logs.
mapfile -t logging_sources < <(find "$checkouts/swift-log/Sources/Logging" -name '*.swift' | sort)
build_module Logging address -swift-version 6 -suppress-warnings -package-name swift_log \
    -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility \
    -enable-upcoming-feature InternalImportsByDefault -enable-upcoming-feature NonisolatedNonsendingByDefault \
    "${logging_sources[@]}"

mapfile -t contrail_kit_sources < <(find Runtime/ContrailKit -name '*.swift' | sort)
build_module ContrailKit fuzzer,address "${own_flags[@]}" "${contrail_kit_sources[@]}"

# QueryParameters needs only RecordFilter and StatsBucket of the store's contract; the rest of RecordStore
# imports Metrics and Tracing.
build_module RecordStore fuzzer,address "${own_flags[@]}" Functions/RecordStore/RecordFilter.swift

link_objects=("$modules/HTTPTypes.o" "$modules/Logging.o" "$modules/ContrailKit.o")

# The Delivery folder is compiled into the fuzzer itself, so that its internal helpers can be checked too.
swiftc "${common_flags[@]}" "${own_flags[@]}" -sanitize=fuzzer,address "${link_flags[@]}" \
    -module-name DeliveryDecoderFuzzer \
    -o "$bin/delivery-decoder-fuzzer" Fuzz/Common/*.swift Fuzz/DeliveryDecoderFuzzer/*.swift \
    Runtime/ContrailHost/Delivery/*.swift "${link_objects[@]}"

swiftc "${common_flags[@]}" "${own_flags[@]}" -sanitize=fuzzer,address "${link_flags[@]}" \
    -module-name QueryParametersFuzzer \
    -o "$bin/query-parameters-fuzzer" Fuzz/Common/*.swift Fuzz/QueryParametersFuzzer/*.swift \
    Functions/ReferenceApp/Query/QueryParameters.swift "${link_objects[@]}" "$modules/RecordStore.o"

echo "Built in $((SECONDS - build_started)) s"

# name, binary, dictionary: the seeds are Fuzz/corpus/<name>, read but never written; inputs that reach new code
# go to .build-fuzz/corpus/<name>, so a local corpus keeps growing from one run to the next.
fuzzers=(
    "delivery $bin/delivery-decoder-fuzzer Fuzz/delivery.dict"
    "query $bin/query-parameters-fuzzer Fuzz/query.dict"
)

# Both run at once: each fuzzer uses one core, and CI machines have two.
# Swift's own crash backtracer would race libFuzzer's handler and trip AddressSanitizer while reading memory.
export SWIFT_BACKTRACE=enable=no
run_started=$out/.run-started
touch "$run_started"
pids=()
for entry in "${fuzzers[@]}"; do
    read -r name binary dictionary <<<"$entry"
    mkdir -p "$out/corpus/$name" "$out/artifacts/$name"
    echo "Fuzzing $name for $seconds s"
    "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -dict="$dictionary" -artifact_prefix="$out/artifacts/$name/" \
        "$out/corpus/$name" "Fuzz/corpus/$name" >"$out/$name.log" 2>&1 &
    pids+=($!)
done

failed=0
for index in "${!fuzzers[@]}"; do
    read -r name binary _ <<<"${fuzzers[$index]}"
    if wait "${pids[$index]}"; then
        echo "== $name: no finding"
        grep -E '^#[0-9]+[[:space:]]+DONE|^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
            "$out/$name.log" || true
    else
        failed=1
        echo "== $name: FAILED; log $out/$name.log" >&2
        tail -n 60 "$out/$name.log" >&2
        find "$out/artifacts/$name" -type f -newer "$run_started" | while read -r artifact; do
            echo "reproduce with: $binary $artifact" >&2
        done
    fi
done
exit "$failed"
