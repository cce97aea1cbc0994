#!/usr/bin/env bash
# validate_junit.sh: the JUnit XML of `trailwatch test` validates against tests/data/schemas/junit.xsd
# (xmllint, Debian's libxml2-utils) — for a passing run, a failing run, and a file whose setup fails.
# Usage: validate_junit.sh TRAILWATCH SOURCE_DIR
set -euo pipefail
tw=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xsd="$src/tests/data/schemas/junit.xsd"

"$tw" test "$src/samples/console-login/tests" --junit "$tmp/pass.xml" >/dev/null
xmllint --noout --schema "$xsd" "$tmp/pass.xml"

cat > "$tmp/fail.tw.yaml" <<YAML
setup: $src/samples/console-login/setup.yaml
tests:
  - name: 'a <failing> "test" & its explanation'
    filter: ConsoleLoginSuccess
    messages:
      - message: '{"eventName":"ConsoleLogin","bytes":"\u0001 control"}'
        match: true
  - name: a replay with the wrong sum
    input: [$src/samples/console-login/events/AWSLogs]
    expect:
      metrics: [{metric: CloudTrailMetrics/ConsoleLoginSuccess, sum: 1}]
YAML
status=0
"$tw" test "$tmp/fail.tw.yaml" --junit "$tmp/fail.xml" >/dev/null || status=$?
[ "$status" -eq 1 ] || { echo "expected exit 1, got $status" >&2; exit 1; }
xmllint --noout --schema "$xsd" "$tmp/fail.xml"
grep -q '<failure message="message 1: expected a match, got no match" type="filter">' "$tmp/fail.xml"
grep -q 'name="a &lt;failing&gt; &quot;test&quot; &amp; its explanation"' "$tmp/fail.xml"

# A setup that does not compile: one testsuite holding an <error>.
cat > "$tmp/setup.yaml" <<'YAML'
Resources:
  G: {Type: AWS::Logs::LogGroup, Properties: {LogGroupName: g}}
  F:
    Type: AWS::Logs::MetricFilter
    Properties:
      LogGroupName: g
      FilterPattern: '{ $.a == 1 }'
      MetricTransformations: [{MetricName: m, MetricNamespace: n, MetricValue: '1'}]
YAML
printf 'setup: setup.yaml\ntests:\n  - {name: x, filter_pattern: a, invalid: InvalidParameterException}\n' > "$tmp/err.tw.yaml"
status=0
"$tw" test "$tmp/err.tw.yaml" --junit "$tmp/err.xml" >/dev/null 2>&1 || status=$?
[ "$status" -eq 2 ] || { echo "expected exit 2, got $status" >&2; exit 1; }
xmllint --noout --schema "$xsd" "$tmp/err.xml"
grep -q '<error message="the setup cannot be loaded" type="setup">' "$tmp/err.xml"
echo "junit reports validate"
