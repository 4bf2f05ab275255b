#!/usr/bin/env bash
# The one test command: builds everything, then runs every test suite.
# Later stages (PostgreSQL, linters) start what they need themselves and stop it on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests
swift test --skip-build
