#!/usr/bin/env bash
# setup.sh: installs what is missing (Debian 12 packages) and builds trailwatch into build/.
# Usage: scripts/setup.sh [--sanitize]   (--sanitize: Debug build with ASan+UBSan into build-asan/)
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(build-essential cmake pkg-config git gzip
          libsimdjson-dev libre2-dev libboost-program-options-dev nlohmann-json3-dev libyaml-cpp-dev
          libdeflate-dev zlib1g-dev libgtest-dev libgmock-dev libbenchmark-dev libicu-dev
          libhyperscan-dev)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

JOBS=$(nproc 2>/dev/null || echo 2)
if [ "${1:-}" = "--sanitize" ]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTRAILWATCH_SANITIZE=ON -DTRAILWATCH_BENCH=OFF >/dev/null
  cmake --build build-asan -j "$JOBS"
else
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j "$JOBS"
fi
