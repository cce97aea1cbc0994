#!/usr/bin/env bash
# record.sh: records what Debian's AWS CLI prints for the output skeleton of `logs test-metric-filter`
# rendered through --query and --output (the AWS CLI applies both to generated skeletons as to responses),
# into skeleton-renderings.txt: for each case a line "== FORMAT QUERY" (QUERY may be empty), then the
# output. tests/cli/filter_cli_test.cc (AwsCliRenderings) runs trailwatch on every case and compares.
# Usage: tests/data/aws-cli/record.sh   (needs /usr/bin/aws: Debian's awscli package)
set -euo pipefail
cd "$(dirname "$0")"
export AWS_DEFAULT_REGION=us-east-1
queries=(
  ''
  'matches'
  'matches[0]'
  'length(matches)'
  'nothing'
  'matches[0].extractedValues'
  'matches[].eventMessage'
  'matches[0].extractedValues.KeyName'
  '{n: matches[0].eventNumber, e: matches[0].extractedValues}'
  '`{}`'
  '`[]`'
  '[`1`, `"a"`, `true`, `null`, `2.5`]'
  '{b: `1`, a: [`1`, `2`], c: {x: `null`}}'
  '[`[1, 2]`, `3`]'
  '[{a: `1`}, {b: `2`, c: [`1`]}]'
  '[{a: `{"x": 1}`}, {a: `2`}]'
  '`{"z": [{"k": 1, "j": "s"}, {"k": 2}], "a": "\u00e9"}`'
)
{
  for format in json text; do
    for q in "${queries[@]}"; do
      echo "== $format $q"
      args=(logs test-metric-filter --filter-pattern '' --log-event-messages a --generate-cli-skeleton output --output "$format")
      if [ -n "$q" ]; then args+=(--query "$q"); fi
      /usr/bin/aws "${args[@]}"
    done
  done
} > skeleton-renderings.txt
