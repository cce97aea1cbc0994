#!/usr/bin/env bash
# test.sh: sets everything up (scripts/setup.sh) and runs the whole test suite.
# Usage: scripts/test.sh [--sanitize]   (--sanitize: the same tests in a Debug build under ASan+UBSan)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh "$@"
dir=build
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
ctest --test-dir "$dir" --output-on-failure -j "$(nproc 2>/dev/null || echo 2)"
