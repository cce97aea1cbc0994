#!/usr/bin/env bash
# pre_commit_hooks.sh: the hooks of .pre-commit-hooks.yaml work with Debian's pre-commit, as a user's
# repository takes them: `pre-commit try-repo` of this source tree in a scratch repository for the test
# hooks (a passing and a failing test file), and a .pre-commit-config.yaml pinning this tree's HEAD for the
# check hook (which needs `args:`; try-repo cannot give any). Exit 77 (skipped) when pre-commit or git is
# missing or the source tree is not a git checkout.
# Usage: pre_commit_hooks.sh TRAILWATCH SOURCE_DIR
set -euo pipefail
tw=$(realpath "$1")
src=$(realpath "$2")
command -v pre-commit >/dev/null && command -v git >/dev/null || { echo "pre-commit or git missing: skipped"; exit 77; }
git -C "$src" rev-parse --git-dir >/dev/null 2>&1 || { echo "$src is not a git checkout: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PRE_COMMIT_HOME="$tmp/cache" PATH="$(dirname "$tw"):$PATH"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
export GIT_CONFIG_GLOBAL=/dev/null
repo="$tmp/repo"
mkdir -p "$repo/tests"
cd "$repo"
git init -q .
cp "$src/samples/console-login/setup.yaml" setup.yaml
cat > tests/sign-in.tw.yaml <<'YAML'
setup: ../setup.yaml
tests:
  - name: a failed sign-in counts
    filter: ConsoleLoginFailure
    messages:
      - message: '{"eventName":"ConsoleLogin","errorMessage":"Failed authentication"}'
        match: true
YAML
git add -A

out=$(pre-commit try-repo "$src" trailwatch-test --all-files 2>&1) || { echo "$out"; echo "trailwatch-test failed on a passing test"; exit 1; }
echo "$out" | grep -q "trailwatch test.*Passed" || { echo "$out"; exit 1; }
out=$(pre-commit try-repo "$src" trailwatch-test-all --all-files 2>&1) || { echo "$out"; echo "trailwatch-test-all failed"; exit 1; }

# A test that fails: the hook fails and shows why.
sed -i 's/match: true/match: false/' tests/sign-in.tw.yaml
git add -A
if out=$(pre-commit try-repo "$src" trailwatch-test --all-files 2>&1); then
  echo "$out"; echo "trailwatch-test passed a failing test"; exit 1
fi
echo "$out" | grep -q "FAIL  a failed sign-in counts" || { echo "$out"; exit 1; }
echo "$out" | grep -q "0 passed, 1 failed" || { echo "$out"; exit 1; }

# The check hook, pinned to this tree's HEAD with its args (needs .pre-commit-hooks.yaml committed).
if git -C "$src" cat-file -e HEAD:.pre-commit-hooks.yaml 2>/dev/null; then
  git checkout -q -- . 2>/dev/null || true
  sed -i 's/match: false/match: true/' tests/sign-in.tw.yaml
  cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $src
    rev: $(git -C "$src" rev-parse HEAD)
    hooks:
      - id: trailwatch-check
        args: [setup.yaml, --fail-on, never]
      - id: trailwatch-test
YAML
  git add -A
  out=$(pre-commit run --all-files 2>&1) || { echo "$out"; echo "the configured hooks failed"; exit 1; }
  echo "$out" | grep -q "trailwatch check.*Passed" || { echo "$out"; exit 1; }
fi
echo "pre-commit hooks work"
