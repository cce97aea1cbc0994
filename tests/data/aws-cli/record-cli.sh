#!/usr/bin/env bash
# record-cli.sh: records what Debian's AWS CLI prints (stdout, stderr, exit code) for whole command lines of
# the twin commands that aws answers offline: skeletons (--generate-cli-skeleton input|yaml-input|output
# through --query and every --output), --cli-input-json and --cli-input-yaml documents and botocore's
# validation of them. Written to cli-cases.txt, one block per case:
#   == ["ARG", ...]          (the arguments after `aws`, as a JSON list)
#   -- exit N
#   -- stdout "..."          (as a JSON string)
#   -- stderr "..."
# tests/cli/filter_cli_test.cc (AwsCliCases) runs trailwatch with the same arguments and compares all three.
# Usage: tests/data/aws-cli/record-cli.sh   (needs /usr/bin/aws: Debian's awscli package, and python3)
set -uo pipefail
cd "$(dirname "$0")"
export AWS_DEFAULT_REGION=us-east-1
logs_out=(logs test-metric-filter --filter-pattern '' --log-event-messages a --generate-cli-skeleton output)
events_out=(events test-event-pattern --event-pattern '{}' --event '{}' --generate-cli-skeleton output)
cases=()
add() { cases+=("$(/usr/bin/python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "$@")"); }
add logs test-metric-filter --generate-cli-skeleton yaml-input
add events test-event-pattern --generate-cli-skeleton yaml-input
add logs test-metric-filter --generate-cli-skeleton yaml-input --output json --query matches
add logs test-metric-filter --generate-cli-skeleton input
add logs test-metric-filter --generate-cli-skeleton
for out in yaml yaml-stream table text json; do
  add "${logs_out[@]}" --output "$out"
  add "${events_out[@]}" --output "$out"
  for q in 'matches' 'matches[0]' 'length(matches)' 'nothing' '`{}`' '`[]`' '`""`' '`"a: b"`' \
           '{b: `1`, a: [`1`, `"2"`], c: {x: `null`, y: `"yes"`}}' '[`[1, 2]`, `[3]`]' \
           '`{"multi": "line one\nline two", "long": "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp"}`'; do
    add "${logs_out[@]}" --output "$out" --query "$q"
  done
done
add "${logs_out[@]}" --output table --color on
add "${logs_out[@]}" --output table --color on --query '[`[1, 2]`, `[3]`]'
add "${logs_out[@]}" --output table --color off
add "${events_out[@]}" --output table --color on
# request documents
add logs test-metric-filter --cli-input-yaml 'a: 1'
add logs test-metric-filter --cli-input-yaml 'filterPattern: ['
add logs test-metric-filter --cli-input-yaml ''
add logs test-metric-filter --cli-input-yaml '- a'
add logs test-metric-filter --cli-input-yaml 'just a string'
add logs test-metric-filter --cli-input-yaml $'filterPattern: yes\nlogEventMessages: [1, true, null, 1.5, "2"]'
add logs test-metric-filter --cli-input-yaml $'filterPattern: 0x1F\nlogEventMessages: x'
add logs test-metric-filter --cli-input-yaml $'filterPattern: ""\nlogEventMessages: []'
add logs test-metric-filter --cli-input-yaml $'filterPattern: ""\nlogEventMessages: [""]'
add logs test-metric-filter --cli-input-yaml $'filterPattern: {a: 1}\nlogEventMessages: [[1]]\nextra: ~'
add logs test-metric-filter --cli-input-json '{"a":1,"filterPattern":1}'
add logs test-metric-filter --cli-input-json '[1]'
add logs test-metric-filter --cli-input-json '"x"'
add logs test-metric-filter --cli-input-json '{x'
add logs test-metric-filter --cli-input-json '{}' --cli-input-yaml 'a: 1'
add logs test-metric-filter --cli-input-yaml 'filterPattern: 1' --filter-pattern '' --log-event-messages ''
add events test-event-pattern --cli-input-yaml 'b: 2'
add events test-event-pattern --cli-input-yaml $'EventPattern: {x: 1}\nEvent: [1]'
add events test-event-pattern --cli-input-yaml 'EventPattern: "{}"'
add events test-event-pattern --cli-input-json '{"b":2, "a":1,"EventPattern":{"x":1}}'
add events test-event-pattern --cli-input-json '{"EventPattern":"{}"}'
add events test-event-pattern --cli-input-yaml '[1]'
add logs test-metric-filter --cli-input-json '{"logEventMessages":[1],"filterPattern":1}'
add events test-event-pattern --cli-input-json '{"Event":1,"EventPattern":2}'
add events test-event-pattern --cli-input-yaml $'Event: [1]\nEventPattern: 2\nz: 1'
# Each case runs through Python so that arguments and outputs are exact bytes (outputs that do not end in a
# newline, such as colour codes, included).
printf '%s\n' "${cases[@]}" | /usr/bin/python3 -c '
import json, subprocess, sys
for line in sys.stdin:
    args = json.loads(line)
    p = subprocess.run(["/usr/bin/aws"] + args, capture_output=True)
    print("== " + json.dumps(args))
    print("-- exit %d" % p.returncode)
    print("-- stdout " + json.dumps(p.stdout.decode("utf-8", "surrogateescape")))
    print("-- stderr " + json.dumps(p.stderr.decode("utf-8", "surrogateescape")))
' > cli-cases.txt
