#!/usr/bin/env bash
# demo.sh: the main job on the bundled samples. Sets everything up (scripts/setup.sh), then replays the
# sample sign-ins (S3 exports of a multi-Region trail, samples/console-login/events/AWSLogs) through the
# story's setup (samples/console-login/setup.yaml): what each metric counts, when each alarm fires, and
# what the setup misses or double-counts. Also writes the HTML report to build/console-login-report.html,
# then runs the story's test file (samples/console-login/tests) as CI would.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
build/trailwatch replay samples/console-login/setup.yaml samples/console-login/events/AWSLogs \
  --report build/console-login-report.html
echo
build/trailwatch test samples/console-login/tests
