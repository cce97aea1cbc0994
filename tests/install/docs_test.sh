#!/usr/bin/env bash
# docs_test.sh: the man pages and shell completions the build generated (cmake/generate_docs.cmake), used as
# users use them: every page through groff with all warnings on (none allowed) and through man, each
# command's page listing every option its --help lists; the bash script loaded in a clean bash and asked
# for completions as readline asks (COMP_WORDS/COMP_CWORD); the zsh script loaded by compinit in an
# interactive zsh on a pseudo-terminal (zpty) and completions typed with TAB (the line is read back through
# echo, which drops a trailing space and zsh's removable `=` suffix).
# Usage: docs_test.sh TRAILWATCH DOCS_DIR SOURCE_DIR
set -euo pipefail
tw=$1 docs=$2 src=$3
fail=0
check() {  # check NAME GOT WANT
  if [ "$2" != "$3" ]; then
    echo "FAIL $1: got [$2], want [$3]" >&2
    fail=1
  else
    echo "ok   $1"
  fi
}

# --- man pages ---
pages=("$docs"/man/*.1.gz)
[ ${#pages[@]} -ge 13 ] || { echo "FAIL: only ${#pages[@]} man pages in $docs/man" >&2; exit 1; }
for page in "${pages[@]}"; do
  warnings=$(zcat "$page" | groff -man -Tutf8 -ww -z 2>&1 || true)
  check "groff -ww $(basename "$page")" "$warnings" ""
done
if command -v man >/dev/null; then
  rendered=$(MANWIDTH=100 man -l "$docs/man/trailwatch-grep.1.gz" 2>/dev/null | col -b)
  check "man -l: NAME" "$(grep -cE 'trailwatch-grep[[:space:]]+-[[:space:]]+print' <<<"$rendered")" 1
  check "man -l: option" "$(grep -c -- '-f, --filter-pattern PATTERN' <<<"$rendered")" 1
fi
# every option --help shows is on the command's page
for cmd in "grep" "replay" "check" "tail" "test" "explain" "generate-corpus" "logs test-metric-filter" \
           "events test-event-pattern" "man" "completion"; do
  # shellcheck disable=SC2086
  opts=$("$tw" $cmd --help | sed -n '/^options:/,$p' | grep -oE -- '^ +(-[a-zA-Z] \[ )?--[a-z][a-z0-9-]+' |
         grep -oE -- '--[a-z][a-z0-9-]+' | sort -u)
  page="$docs/man/trailwatch-${cmd// /-}.1.gz"
  missing=""
  for o in $opts; do
    zcat "$page" | sed 's/\\-/-/g' | grep -q -- "fB$o\\\\fR" || missing+=" $o"
  done
  check "page of '$cmd' lists every option" "$missing" ""
done
main=$(zcat "$docs/man/trailwatch.1.gz")
check "trailwatch(1) names every command page" "$(grep -o 'fBtrailwatch\\-[a-z\\-]*\\fR(1)' <<<"$main" | sort -u | wc -l)" \
      "$(( ${#pages[@]} - 1 ))"

# --- bash ---
bash_case() {  # bash_case WANT WORD... (the last word is the one being completed)
  local want=$1
  shift
  local got
  got=$(cd "$src/samples" && bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
    _trailwatch
    printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$docs/completion/trailwatch" "$@")
  check "bash: $*" "${got% }" "$want"
}
check "bash: loads and registers" \
      "$(bash --norc --noprofile -c "source '$docs/completion/trailwatch' && complete -p trailwatch")" \
      "complete -F _trailwatch trailwatch"
bash_case "replay" trailwatch rep
check "bash: every command at the first word" \
      "$(cd "$src" && bash --norc -c 'source "$1"; COMP_WORDS=(trailwatch ""); COMP_CWORD=1; _trailwatch; echo ${#COMPREPLY[@]}' _ "$docs/completion/trailwatch")" \
      "14"
bash_case "help test-metric-filter" trailwatch logs ""
bash_case "--output" trailwatch logs test-metric-filter --out
bash_case "json table text yaml yaml-stream" trailwatch logs test-metric-filter --output ""
bash_case "always auto" trailwatch replay --progress a
bash_case "json" trailwatch replay --output = j
bash_case "console-login" trailwatch replay --template cons
bash_case "console-login" trailwatch grep -f ERROR cons
bash_case "" trailwatch grep --filter-pattern ""
bash_case "dump-ast dump-event-pattern dump-event-set dump-prefilter dump-program dump-trie" trailwatch debug dump
bash_case "" trailwatch debug dump-ast ""
bash_case "bash zsh" trailwatch completion ""
bash_case "high low medium never" trailwatch check --fail-on ""
bash_case "console-login" trailwatch generate-corpus --out-dir cons

# --- zsh ---
if command -v zsh >/dev/null; then
  zsh_out=$(zsh -f "$src/tests/install/zsh_complete.zsh" "$docs/completion/_trailwatch" \
    "trailwatch rep" "trailwatch logs test-m" "trailwatch replay --prog" "trailwatch replay --progress=alw" \
    "trailwatch logs test-metric-filter --outp" "trailwatch check --fail-on me")
  mapfile -t zsh_lines <<<"$zsh_out"
  check "zsh: command" "${zsh_lines[0]:-}" "LINE:trailwatch replay"
  check "zsh: group command" "${zsh_lines[1]:-}" "LINE:trailwatch logs test-metric-filter"
  check "zsh: option" "${zsh_lines[2]:-}" "LINE:trailwatch replay --progress"
  check "zsh: option choice" "${zsh_lines[3]:-}" "LINE:trailwatch replay --progress=always"
  check "zsh: AWS twin option" "${zsh_lines[4]:-}" "LINE:trailwatch logs test-metric-filter --output"
  check "zsh: choice after a space" "${zsh_lines[5]:-}" "LINE:trailwatch check --fail-on medium"
else
  echo "FAIL: zsh is not installed (scripts/test.sh installs it)" >&2
  fail=1
fi
exit $fail
