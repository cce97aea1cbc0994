#!/usr/bin/env bash
# record-table.sh: records what Debian's AWS CLI prints with --output table, for tests/aws_output/
# aws_table_test.cc (GoldenRenderings), which renders the same values with tools/aws_output/table.h and
# compares byte for byte.
#
# Provenance: recorded on 2026-12-04 with Debian 12's awscli 2.9.19-1 (/usr/bin/aws, Python 3.11.2, colorama
# 0.4.6), offline: the output skeleton of a command (--generate-cli-skeleton output, which aws renders through
# --query and --output as it does a response), stdout a file (so no pager, terminal width 80).
# The title aws gives the table is the operation's name ("TestMetricFilter", "TestEventPattern") for a
# skeleton as for a real response: both go through CLIOperationCaller._display_response(operation_name).
#
# Files written:
#   table-skeleton-logs.txt, table-skeleton-events.txt   the skeletons as --output json prints them (the
#                                                        values the test applies the queries to)
#   table-cases.txt    one line per case: NAME<TAB>SERVICE<TAB>COLOR<TAB>EXIT CODE<TAB>QUERY (may be empty)
#   table-NAME.txt     the case's stdout; table-NAME.stderr.txt its stderr, when there is any
# Usage: tests/data/aws-cli/record-table.sh   (needs /usr/bin/aws: Debian's awscli package)
set -uo pipefail
cd "$(dirname "$0")"
export AWS_DEFAULT_REGION=us-east-1
logs=(logs test-metric-filter --filter-pattern '' --log-event-messages a --generate-cli-skeleton output)
events=(events test-event-pattern --event-pattern '{}' --event '{}' --generate-cli-skeleton output)
long60=$(printf 'x%.0s' {1..60})
# NAME SERVICE COLOR QUERY
cases=(
  "skeleton|logs|off|"
  "skeleton-color|logs|on|"
  "matches|logs|off|matches"
  "matches-0|logs|off|matches[0]"
  "extracted|logs|off|matches[0].extractedValues"
  "scalar|logs|off|length(matches)"
  "falsy-zero|logs|off|\`0\`"
  "null|logs|off|nothing"
  "scalar-list|logs|off|matches[].eventMessage"
  "row-lengths|logs|off|[\`[1, 2]\`, \`[3]\`]"
  "row-lengths-color|logs|on|[\`[1, 2]\`, \`[3]\`]"
  "not-iterable|logs|off|[\`{\"a\": 1}\`, \`1\`]"
  "list-get|logs|off|[\`{}\`, \`[0]\`]"
  "string-index|logs|off|[\`{\"a\": 1}\`, \`\"xy\"\`]"
  "wide|logs|off|\`{\"名前\": \"日本語テキスト\", \"b\": \"±é\", \"c\": [1, 2.5, true, null]}\`"
  "vertical|logs|off|{a: \`\"$long60\"\`, b: matches[0].eventMessage, c: matches[0].eventNumber}"
  "list-of-dicts|logs|off|\`[{\"k\": 1, \"j\": \"s\", \"n\": {\"x\": 1}}, {\"k\": 2, \"m\": [1, {\"y\": 2}]}]\`"
  "list-of-dicts-color|logs|on|\`[{\"k\": 1, \"j\": \"s\", \"n\": {\"x\": 1}}, {\"k\": 2, \"m\": [1, {\"y\": 2}]}]\`"
  "dict-keys-row|logs|off|[\`[1, 2]\`, \`{\"a\": 1, \"b\": 2}\`]"
  "nested-lists|logs|off|\`[[[1], [2]], 3, [[{\"a\": 1, \"b\": [1]}, {\"a\": 2}]]]\`"
  "cell-repr|logs|off|\`[{\"a\": 1}, {\"a\": [\"q'\", {\"z\": null}], \"b\": 1.0}]\`"
  "events-skeleton|events|off|"
  "events-skeleton-color|events|on|"
)
/usr/bin/aws "${logs[@]}" --output json > table-skeleton-logs.txt
/usr/bin/aws "${events[@]}" --output json > table-skeleton-events.txt
: > table-cases.txt
for c in "${cases[@]}"; do
  IFS='|' read -r name service color query <<< "$c"
  if [ "$service" = logs ]; then args=("${logs[@]}"); else args=("${events[@]}"); fi
  args+=(--output table --color "$color")
  if [ -n "$query" ]; then args+=(--query "$query"); fi
  /usr/bin/aws "${args[@]}" > "table-$name.txt" 2> "table-$name.stderr.txt"
  rc=$?
  [ -s "table-$name.stderr.txt" ] || rm -f "table-$name.stderr.txt"
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$service" "$color" "$rc" "$query" >> table-cases.txt
done
