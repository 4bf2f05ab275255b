#!/usr/bin/env bash
# Formats the Swift sources with `swift format` and the repository's .swift-format, or, with --check, fails
# listing every place that is not formatted. Generated code is left as its generator writes it.
set -euo pipefail
cd "$(dirname "$0")/.."

sources() {
    find Runtime Functions Tests Examples Benchmarks Fuzz -name '*.swift' -not -path '*/Generated/*' -not -path '*/.build*' -print0
    printf '%s\0' Package.swift Examples/Package.swift
}

if [ "${1:-}" = --check ]; then
    sources | xargs -0 swift format lint --strict
else
    sources | xargs -0 swift format format -i
fi
