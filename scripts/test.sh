#!/usr/bin/env bash
# test.sh: sets everything up (scripts/setup.sh) and runs the whole test suite.
# Usage: scripts/test.sh [--sanitize]   (--sanitize: the same tests in a Debug build under ASan+UBSan)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh "$@"
# What only the tests use: validators of the reports CI systems read (JUnit XML: xmllint; SARIF:
# python3-jsonschema), pre-commit for the hooks, the references the AWS CLI twins are compared with (Python's
# jmespath; the AWS CLI itself, whose Python renders --output yaml and table), and what the installed tool
# is tried with: groff and man for the man pages, bash and zsh for the completions, dpkg-dev and file for
# CPack's .deb (dpkg-shlibdeps computes its Depends).
TEST_PACKAGES=(libxml2-utils python3 python3-jsonschema python3-jmespath pre-commit git awscli groff-base man-db
               zsh bash bsdextrautils dpkg-dev file)
missing=()
for p in "${TEST_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
dir=build
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
ctest --test-dir "$dir" --output-on-failure -j "$(nproc 2>/dev/null || echo 2)"
