#!/usr/bin/env bash
# demo.sh: the main job on the bundled samples — sets up, builds, then runs the story's two ConsoleLogin
# metric filters over the sample sign-in events, in both shapes a log group receives them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
tw=build/trailwatch
success=$(sed -n 1p samples/console-login/filters.txt)
failure=$(sed -n 2p samples/console-login/filters.txt)
events=samples/console-login/events
echo "== ConsoleLogin success filter =="
echo "$success"
for f in "$events"/raw-cloudtrail.ndjson "$events"/eventbridge-wrapped.ndjson; do
  printf '  %-45s %s matches\n' "$(basename "$f")" "$($tw grep -c --filter-pattern "$success" "$f" || true)"
done
echo "== ConsoleLogin failure filter =="
echo "$failure"
for f in "$events"/raw-cloudtrail.ndjson "$events"/eventbridge-wrapped.ndjson; do
  printf '  %-45s %s matches\n' "$(basename "$f")" "$($tw grep -c --filter-pattern "$failure" "$f" || true)"
done
echo "== the failures, as test-metric-filter reports them (first 3 raw records) =="
mapfile -t msgs < <(head -n 13 "$events"/raw-cloudtrail.ndjson | tail -n 7 | head -n 3)
$tw logs test-metric-filter --filter-pattern "$failure" --log-event-messages "${msgs[@]}" | head -n 20
