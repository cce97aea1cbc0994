#!/usr/bin/env bash
# macro.sh: the side-by-side macro benchmark of the throughput issue, on one generated corpus.
#
# Builds Release (trailwatch and the helpers of bench/CMakeLists.txt), generates a corpus with
# `trailwatch generate-corpus` (cached in BUILD/corpus/seed<S>-<SIZE>/, reused when present), checks every
# tool's answer against the generator's expected counts (a benchmark that gives a wrong answer fails), then
# times, RUNS runs each, median (hyperfine when installed, else a plain timer):
#   (a) trailwatch replay, 16 filters (14 CIS + the story's 2) on one log group, NDJSON, --threads 1
#   (b) the parser's floor: a plain simdjson On-Demand walk reading eventName of every record
#   (c) the byte-scan floor: LC_ALL=C grep -c ConsoleLogin
#   (d) jq with the story's success filter (on a slice, scaled linearly to the corpus)
#   (e) the same replay on the S3 layout (.json.gz) vs libdeflate decompression of the same files alone
#   (f) the S3 layout with --threads 2 vs --threads 1 (and vs --threads 1 without its prefetch thread)
#   (g) peak memory of (a) and (e) (and of (a) on the jq slice: memory must not grow with the input)
#   (h) EventBridge: 16 CloudTrail-style rules (bench/rules16.json) over the wrapped events, one thread
# and prints a Markdown table (times, MB/s, events/s, ratios, targets, met/not met) with the machine, also
# written to bench/README.md (for corpora of 1 GB or more; smaller runs write BUILD/macro-README.md).
#
# Usage: bench/macro.sh [--size 1GB] [--seed 1] [--runs 3] [--jq-slice 50MB] [--build-dir build]
#                       [--corpus-dir DIR] [--readme FILE] [--regenerate] [--skip-build] [--wait-idle MIN]
# Exit: 0 when every answer was right (targets met or not: the table says), 1 on a wrong answer, 2 on error.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SIZE=1GB SEED=1 RUNS=3 JQ_SLICE=50MB BUILD=build CORPUS="" README="" REGENERATE=0 SKIP_BUILD=0 WAIT_IDLE=15
while [ $# -gt 0 ]; do
  case "$1" in
    --size) SIZE=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --jq-slice) JQ_SLICE=$2; shift 2 ;;
    --build-dir) BUILD=$2; shift 2 ;;
    --corpus-dir) CORPUS=$2; shift 2 ;;
    --readme) README=$2; shift 2 ;;
    --regenerate) REGENERATE=1; shift ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    --wait-idle) WAIT_IDLE=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "macro.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

log() { echo "macro: $*" >&2; }
die() { echo "macro: $*" >&2; exit 2; }
wrong() { echo "macro: WRONG ANSWER: $*" >&2; exit 1; }

# --- tools (Debian packages, installed when missing, as scripts/setup.sh does) -----------------------------
need=()
command -v jq >/dev/null || need+=(jq)
[ -x /usr/bin/time ] || need+=(time)
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v cmake >/dev/null || need+=(cmake build-essential pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
           --no-install-recommends "${need[@]}" >/dev/null; }; then
    log "apt-get failed; continuing with what is installed"
  fi
fi
command -v jq >/dev/null || die "jq is required"
HYPERFINE=$(command -v hyperfine || true)

# --- build --------------------------------------------------------------------------------------------------
if [ "$SKIP_BUILD" = 0 ]; then
  log "building Release in $BUILD/"
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD" -j "$(nproc)" --target macro_bench >/dev/null
fi
TW="$BUILD/trailwatch" WALK="$BUILD/bench/simdjson_walk" GZ="$BUILD/bench/gz_decompress"
EB="$BUILD/bench/eventbridge_rules"
for b in "$TW" "$WALK" "$GZ" "$EB"; do [ -x "$b" ] || die "$b is not built"; done

# --- corpus -------------------------------------------------------------------------------------------------
[ -n "$CORPUS" ] || CORPUS="$BUILD/corpus/seed$SEED-$SIZE"
if [ "$REGENERATE" = 1 ] || [ ! -f "$CORPUS/expected.json" ] || [ ! -f "$CORPUS/records.ndjson" ] ||
   [ ! -f "$CORPUS/eventbridge.ndjson" ] || [ ! -d "$CORPUS/AWSLogs" ]; then
  log "generating a $SIZE corpus (seed $SEED) in $CORPUS/"
  rm -rf "$CORPUS"
  start=$(date +%s.%N)
  "$TW" generate-corpus --out-dir "$CORPUS" --size "$SIZE" --seed "$SEED" -q
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", e - s }' > "$CORPUS/generate-seconds"
fi
GEN_SECONDS=$(cat "$CORPUS/generate-seconds" 2>/dev/null || echo "?")
EXP="$CORPUS/expected.json"
NDJSON="$CORPUS/records.ndjson" S3="$CORPUS/AWSLogs" EVENTS="$CORPUS/eventbridge.ndjson"
RECORDS=$(jq .records "$EXP") ND_BYTES=$(jq .ndjson_bytes "$EXP") EB_BYTES=$(jq .eventbridge_bytes "$EXP")
S3_FILES=$(jq .s3_files "$EXP") S3_BYTES=$(jq .s3_bytes "$EXP")
SETUP="$ROOT/bench/setup16.json" RULES="$ROOT/bench/rules16.json"
cmp -s "$RULES" "$CORPUS/rules16.json" || die "bench/rules16.json differs from the generator's rules"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
log "warming the page cache (the timings below are of warm, in-memory input)"
cat "$NDJSON" "$EVENTS" > /dev/null
find "$S3" -type f -exec cat {} + > /dev/null

# --- correctness: every tool's answer first --------------------------------------------------------------
REPLAY=("$TW" replay "$SETUP" --log-group /bench/trail --no-findings -o json)
check_replay() {  # check_replay NAME INPUT THREADS
  "${REPLAY[@]}" "$2" --threads "$3" > "$TMP/$1.json" || die "$1: replay failed"
  local got want
  got=$(jq -c '[.metric_filters[] | {(.name): .matches}] | add' "$TMP/$1.json")
  want=$(jq -c '[.filters | to_entries[] | {(.key): .value.records}] | add' "$EXP")
  [ "$(jq -S . <<<"$got")" = "$(jq -S . <<<"$want")" ] || wrong "$1: metric sums $got, expected $want"
  [ "$(jq .input.records "$TMP/$1.json")" = "$RECORDS" ] || wrong "$1: record count"
}
log "checking answers"
check_replay replay-ndjson "$NDJSON" 1
check_replay replay-s3-1 "$S3" 1
check_replay replay-s3-2 "$S3" 2
SIGNINS=$(jq '.sign_ins.success + .sign_ins.failure' "$EXP")
for mode in many lines; do
  args=("$NDJSON"); [ "$mode" = lines ] && args+=(--lines)
  out=$("$WALK" "${args[@]}")
  [ "$(sed 's/.*records=\([0-9]*\).*/\1/' <<<"$out")" = "$RECORDS" ] || wrong "simdjson walk ($mode): $out"
  [ "$(sed 's/.*console_login=\([0-9]*\).*/\1/' <<<"$out")" = "$SIGNINS" ] || wrong "simdjson walk ($mode): $out"
done
out=$("$GZ" "$S3")
[ "$(sed 's/files=\([0-9]*\).*/\1/' <<<"$out")" = "$S3_FILES" ] || wrong "gz_decompress: $out"
GZ_OUT_BYTES=$(sed 's/.* bytes=\([0-9]*\).*/\1/' <<<"$out")
GREP_COUNT=$(LC_ALL=C grep -c ConsoleLogin "$NDJSON" || true)
[ "$GREP_COUNT" = "$SIGNINS" ] || log "note: grep -c ConsoleLogin counts $GREP_COUNT lines, $SIGNINS sign-ins"
"$EB" "$RULES" "$EVENTS" "$EXP" > "$TMP/eb.txt" || { cat "$TMP/eb.txt" >&2; wrong "eventbridge_rules counts"; }

# The jq slice: whole lines, about JQ_SLICE bytes.
s=${JQ_SLICE%[bB]}; s=${s%i}
SLICE_BYTES=$(numfmt --from=iec "$s" 2>/dev/null) || die "--jq-slice: expected a size such as 50MB"
SLICE="$TMP/slice.ndjson"
head -c "$SLICE_BYTES" "$NDJSON" | sed '$d' > "$SLICE"
SLICE_BYTES=$(stat -c %s "$SLICE")
JQ_FILTER='select((.eventName == "ConsoleLogin" and .responseElements.ConsoleLogin? == "Success") or (.detail.eventName? == "ConsoleLogin" and .detail.responseElements.ConsoleLogin? == "Success"))'
SUCCESS_PATTERN=$(jq -r '.Resources.ConsoleLoginSuccessFilter.Properties.FilterPattern' "$SETUP")
jq_count=$(jq -c "$JQ_FILTER" "$SLICE" | wc -l)
tw_count=$("$TW" grep -c --filter-pattern "$SUCCESS_PATTERN" "$SLICE" || true)
[ "$jq_count" = "$tw_count" ] || wrong "jq finds $jq_count successes in the slice, trailwatch grep $tw_count"
log "all answers right"

# --- timing ---------------------------------------------------------------------------------------------------
# Other work on the machine skews every number (and makes --threads 2 look useless): wait up to WAIT_IDLE
# minutes for the 1-minute load average to fall below 0.3, then go on either way and report the load.
load1() { cut -d' ' -f1 /proc/loadavg; }
waited=0
while [ "$(awk -v l="$(load1)" 'BEGIN { print (l >= 0.3) }')" = 1 ] && [ "$waited" -lt $((WAIT_IDLE * 60)) ]; do
  [ "$waited" = 0 ] && log "waiting up to $WAIT_IDLE min for an idle machine (load $(load1))"
  sleep 10; waited=$((waited + 10))
done
LOAD_BEFORE=$(load1)
[ "$(awk -v l="$LOAD_BEFORE" 'BEGIN { print (l >= 0.3) }')" = 1 ] && log "warning: the machine is busy (load $LOAD_BEFORE)"
# time_cmd NAME COMMAND: median wall seconds of RUNS runs (output read through a pipe and discarded).
time_cmd() {
  local name=$1 cmd=$2
  log "timing $name"
  if [ -n "$HYPERFINE" ]; then
    "$HYPERFINE" --runs "$RUNS" --warmup 1 --style none --shell bash --output=pipe --export-json "$TMP/$name.hf.json" "$cmd" >/dev/null 2>&1 ||
      die "$name failed: $cmd"
    jq '.results[0].median' "$TMP/$name.hf.json"
  else
    local times=()
    for _ in $(seq "$RUNS"); do
      # Output to a pipe, not /dev/null: GNU grep stops at the first match when it writes to /dev/null.
      local s e; s=$(date +%s.%N); { bash -c "$cmd" 2>/dev/null || die "$name failed: $cmd"; } | cat >/dev/null
      e=$(date +%s.%N)
      times+=("$(awk -v s="$s" -v e="$e" 'BEGIN { print e - s }')")
    done
    printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
  fi
}
q() { printf '%q' "$1"; }
R="$(q "$TW") replay $(q "$SETUP") --log-group /bench/trail --no-findings -o json"
T_REPLAY=$(time_cmd replay-ndjson "$R $(q "$NDJSON") --threads 1")
T_REPLAY_NOPF=$(time_cmd replay-ndjson-no-prefilter "TRAILWATCH_NO_FAST_PATHS=prefilter $R $(q "$NDJSON") --threads 1")
T_WALK_MANY=$(time_cmd walk-many "$(q "$WALK") $(q "$NDJSON")")
T_WALK_LINES=$(time_cmd walk-lines "$(q "$WALK") $(q "$NDJSON") --lines")
T_GREP=$(time_cmd grep "LC_ALL=C grep -c ConsoleLogin $(q "$NDJSON")")
T_JQ_SLICE=$(time_cmd jq "jq -c $(q "$JQ_FILTER") $(q "$SLICE") | wc -l")
T_S3_1=$(time_cmd replay-s3-1 "$R $(q "$S3") --threads 1")
T_S3_2=$(time_cmd replay-s3-2 "$R $(q "$S3") --threads 2")
T_S3_1_NOPRE=$(time_cmd replay-s3-1-no-prefetch "TRAILWATCH_NO_FAST_PATHS=prefetch $R $(q "$S3") --threads 1")
T_GZ=$(time_cmd gunzip "$(q "$GZ") $(q "$S3")")
T_EB=$(time_cmd eventbridge "$(q "$EB") $(q "$RULES") $(q "$EVENTS")")
EB_RATES=()
for _ in $(seq "$RUNS"); do EB_RATES+=("$("$EB" "$RULES" "$EVENTS" | sed -n 's/.*events_per_s=\([0-9]*\).*/\1/p')"); done
EB_RATE=$(printf '%s\n' "${EB_RATES[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

# --- peak memory: maximum resident set (ru_maxrss), and the sampled maximum of its anonymous part ---------------
# peak_mem NAME ARGS...: writes "<maxrss MB> <max RssAnon MB>" to $TMP/NAME.mem.
peak_mem() {
  local name=$1; shift
  log "measuring the memory of $name"
  /usr/bin/time -f %M -o "$TMP/$name.rss" "$@" >/dev/null 2>&1 &
  local tpid=$! child="" anon=0 a
  while kill -0 "$tpid" 2>/dev/null; do
    [ -n "$child" ] || child=$(pgrep -P "$tpid" | head -1 || true)
    if [ -n "$child" ] && [ -r "/proc/$child/status" ]; then
      a=$(awk '/^RssAnon:/ {print $2}' "/proc/$child/status" 2>/dev/null || echo 0)
      [ -n "$a" ] && [ "$a" -gt "$anon" ] && anon=$a
    fi
    sleep 0.02
  done
  wait "$tpid" || die "$name failed"
  echo "$(( $(tail -1 "$TMP/$name.rss") / 1024 )) $(( anon / 1024 ))" > "$TMP/$name.mem"
}
peak_mem replay-ndjson "${REPLAY[@]}" "$NDJSON" --threads 1
peak_mem replay-s3 "${REPLAY[@]}" "$S3" --threads 1
peak_mem replay-slice "${REPLAY[@]}" "$SLICE" --threads 1
peak_mem replay-s3-2 "${REPLAY[@]}" "$S3" --threads 2
read -r RSS_ND ANON_ND < "$TMP/replay-ndjson.mem"
read -r RSS_S3 ANON_S3 < "$TMP/replay-s3.mem"
read -r RSS_SL ANON_SL < "$TMP/replay-slice.mem"
read -r RSS_S3_2 ANON_S3_2 < "$TMP/replay-s3-2.mem"

LOAD_AFTER=$(load1)

# --- table ----------------------------------------------------------------------------------------------------
calc() { awk "BEGIN { print ($*) }"; }
fmt() { printf "%.${2:-2}f" "$1"; }
mbps() { fmt "$(calc "$1 / 1000000 / $2")" 0; }
verdict() { if [ "$(calc "$1")" = 1 ]; then echo "**met**"; else echo "not met"; fi; }
T_WALK=$T_WALK_MANY; WALK_MODE="iterate_many"
if [ "$(calc "$T_WALK_LINES < $T_WALK_MANY")" = 1 ]; then T_WALK=$T_WALK_LINES; WALK_MODE="iterate per line"; fi
T_JQ=$(calc "$T_JQ_SLICE * $ND_BYTES / $SLICE_BYTES")
R_WALK=$(calc "$T_REPLAY / $T_WALK")
R_JQ=$(calc "$T_JQ / $T_REPLAY")
R_GZ=$(calc "$T_S3_1 / $T_GZ")
R_THREADS=$(calc "$T_S3_1 / $T_S3_2")
R_THREADS_NOPRE=$(calc "$T_S3_1_NOPRE / $T_S3_2")
R_NOPF=$(calc "$T_REPLAY_NOPF / $T_REPLAY")
R_GREP=$(calc "$T_REPLAY / $T_GREP")
GB_ND=$(fmt "$(calc "$ND_BYTES / 1000000000")" 2)

CPU=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
CORES=$(nproc)
THREADS_PER_CORE=$(lscpu | sed -n 's/^Thread(s) per core:[[:space:]]*//p' | head -1)
MEM=$(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)
DEV=$(df --output=source "$CORPUS" | tail -1)
FS=$(df --output=fstype "$CORPUS" | tail -1 | tr -d ' ')
ROTA=$(lsblk -dno ROTA "$DEV" 2>/dev/null | head -1 | tr -d ' ' || true)
MODEL=$(lsblk -dno MODEL "$DEV" 2>/dev/null | head -1 | sed 's/ *$//' || true)
DISK_SIZE=$(lsblk -dno SIZE "$DEV" 2>/dev/null | head -1 | tr -d ' ' || true)
DISK="$DEV, $FS${DISK_SIZE:+, $DISK_SIZE}${MODEL:+, $MODEL}"
if [ "$ROTA" = 0 ]; then DISK="$DISK, non-rotational"; elif [ "$ROTA" = 1 ]; then DISK="$DISK, reported rotational"; fi
case "$DEV" in /dev/vd*) DISK="$DISK (virtio block device of a VM)" ;; esac
SIMD=$(grep -o -w -E 'avx512f|avx2|sse4_2' /proc/cpuinfo | sort -u | tr '\n' ' ')
CXX_VERSION=$(c++ --version 2>/dev/null | head -1)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo "?")$(git diff --quiet HEAD -- engine patterns tools 2>/dev/null || echo "+changes")
TIMER=$([ -n "$HYPERFINE" ] && echo "hyperfine $(hyperfine --version | awk '{print $2}'), 1 warm-up run," || echo "plain timer,")

TABLE=$(cat <<EOF
| # | benchmark | median time | throughput | compared with | ratio | target | |
|---|---|---:|---:|---|---:|---|---|
| a | \`trailwatch replay\`, 16 filters, one log group, NDJSON, \`--threads 1\` | $(fmt "$T_REPLAY") s | $(mbps "$ND_BYTES" "$T_REPLAY") MB/s | (b) simdjson walk | $(fmt "$R_WALK") × its time | ≤ 1.0 | $(verdict "$R_WALK <= 1.0") |
| a′ | — the same with the literal prefilter off (\`TRAILWATCH_NO_FAST_PATHS=prefilter\`) | $(fmt "$T_REPLAY_NOPF") s | $(mbps "$ND_BYTES" "$T_REPLAY_NOPF") MB/s | (a) | $(fmt "$R_NOPF") × its time | | |
| b | simdjson On-Demand walk reading \`eventName\` (the parser's floor; $WALK_MODE) | $(fmt "$T_WALK") s | $(mbps "$ND_BYTES" "$T_WALK") MB/s | | | | |
| b′ | — the other walk (iterate_many / iterate per line) | $(fmt "$T_WALK_MANY") / $(fmt "$T_WALK_LINES") s | | | | | |
| c | \`LC_ALL=C grep -c ConsoleLogin\` (the byte-scan floor) | $(fmt "$T_GREP") s | $(mbps "$ND_BYTES" "$T_GREP") MB/s | (a) is | $(fmt "$R_GREP" 1) × slower | (none) | |
| d | \`jq\` with the story's success filter (timed on a $(fmt "$(calc "$SLICE_BYTES / 1000000")" 0) MB slice: $(fmt "$T_JQ_SLICE") s, scaled linearly) | $(fmt "$T_JQ" 0) s | $(mbps "$ND_BYTES" "$T_JQ") MB/s | (a) is | $(fmt "$R_JQ" 0) × faster | ≥ 100 × faster | $(verdict "$R_JQ >= 100") |
| e | \`trailwatch replay\` on the S3 layout (.json.gz), \`--threads 1\` | $(fmt "$T_S3_1") s | $(mbps "$GZ_OUT_BYTES" "$T_S3_1") MB/s | (e′) decompression alone | $(fmt "$R_GZ") × its time | ≤ 1.2 | $(verdict "$R_GZ <= 1.2") |
| e′ | libdeflate decompression of the same files alone (one thread) | $(fmt "$T_GZ") s | $(mbps "$GZ_OUT_BYTES" "$T_GZ") MB/s | | | | |
| f | \`trailwatch replay\` on the S3 layout, \`--threads 2\` ($S3_FILES files) | $(fmt "$T_S3_2") s | $(mbps "$GZ_OUT_BYTES" "$T_S3_2") MB/s | (e) one thread | $(fmt "$R_THREADS") × faster | ≥ 1.8 × faster | $(verdict "$R_THREADS >= 1.8") |
| f′ | — \`--threads 1\` with its prefetch thread off (one core only), against (f) | $(fmt "$T_S3_1_NOPRE") s | $(mbps "$GZ_OUT_BYTES" "$T_S3_1_NOPRE") MB/s | (f) is | $(fmt "$R_THREADS_NOPRE") × faster | | |
| g | peak memory of (a), NDJSON $GB_ND GB | max RSS $RSS_ND MB | anonymous $ANON_ND MB | (a) on the $(fmt "$(calc "$SLICE_BYTES / 1000000")" 0) MB slice | max RSS $RSS_SL MB, anonymous $ANON_SL MB | ≤ 100 MB, independent of input size | $(verdict "$RSS_ND <= 100") |
| g′ | peak memory of (e), S3 layout, 1 / 2 threads | max RSS $RSS_S3 / $RSS_S3_2 MB | anonymous $ANON_S3 / $ANON_S3_2 MB | | | ≤ 100 MB | $(verdict "$RSS_S3 <= 100 && $RSS_S3_2 <= 100") |
| h | EventBridge: 16 CloudTrail-style rules over the wrapped events, one thread | $(fmt "$T_EB") s (process) | $(fmt "$(calc "$EB_RATE / 1000000")" 2) M events/s (matching loop) | | | ≥ 1 M events/s | $(verdict "$EB_RATE >= 1000000") |
EOF
)

DATE=$(date -u +%Y-%m-%dT%H:%MZ)
REPORT=$(cat <<EOF
# Benchmarks

## Macro benchmark (\`bench/macro.sh\`)

Measured $DATE on this machine: **$CPU**, $CORES logical CPUs ($THREADS_PER_CORE thread(s) per core; $SIMD),
$MEM RAM, corpus on $DISK; $CXX_VERSION, Release build, trailwatch \`$COMMIT\`.

Corpus: \`trailwatch generate-corpus --size $SIZE --seed $SEED\` (generated in $GEN_SECONDS s): $RECORDS CloudTrail
records, $(fmt "$(calc "$ND_BYTES / 1000000")" 0) MB of NDJSON; the same records as $S3_FILES \`.json.gz\` files
of the S3 layout ($(fmt "$(calc "$S3_BYTES / 1000000")" 0) MB compressed, $(fmt "$(calc "$GZ_OUT_BYTES / 1000000")" 0) MB
decompressed) and as $(fmt "$(calc "$EB_BYTES / 1000000")" 0) MB of EventBridge events. Every tool's answer was
checked first against the generator's expected counts (\`expected.json\`): the replays' 16 metric sums in both
layouts and thread counts, the walk's record and ConsoleLogin counts, the 16 rules' counts, and jq against
\`trailwatch grep -c\` on the slice.

$TABLE

How it was measured: $TIMER median of $RUNS runs (1-minute load average $LOAD_BEFORE before the timings,
$LOAD_AFTER after; anything above ~0.3 means other work shared the CPUs), warm page cache (the corpus fits in RAM; the numbers are the
tools' CPU cost, not the disk's). MB/s are of the NDJSON bytes for (a)-(d) and of the decompressed bytes for
(e)-(f). (a′) and (f′) run the same commands with one fast path off (README, *Fast paths*). (b) maps the file as trailwatch's reader does (mmap, MAP_POPULATE) and reads \`eventName\` of every
record with simdjson On-Demand; the faster of \`iterate_many\` and one \`iterate\` per line is the floor. (d) jq
is timed on the first $(fmt "$(calc "$SLICE_BYTES / 1000000")" 0) MB of the corpus and scaled by size. (e′) is
libdeflate, the decoder trailwatch uses, over every file, read into a reused buffer. (g) max RSS is the kernel's
peak resident set (\`/usr/bin/time -f %M\`); it counts the pages of input files mapped into the process, so
the sampled peak of \`RssAnon\` (every 20 ms, /proc) is given beside it: the memory the process itself
allocated. (h) \`bench/eventbridge_rules\` compiles \`bench/rules16.json\` into one rule set and times its
matching loop over \`eventbridge.ndjson\` (rules are matched whatever their state, as \`trailwatch grep
--event-pattern\` does).

Run it: \`bench/macro.sh\` (1 GB, about 10 minutes with generation), \`bench/macro.sh --size 100MB\` for a
quick look. It installs \`jq\`, \`time\` and \`hyperfine\` with apt-get when missing.

## Micro benchmarks

\`build/bench/bench_filter\`, \`bench_event\`, \`bench_reader\` (Google Benchmark) time each stage on the real
records of \`tests/data\`; see the README's *Performance* section.
EOF
)
echo "$REPORT"
if [ -z "$README" ]; then
  if [ "$ND_BYTES" -ge 1000000000 ]; then README="$ROOT/bench/README.md"; else README="$BUILD/macro-README.md"; fi
fi
# The hand-written analysis of the targets (from "## Why" to the end) is kept across runs.
ANALYSIS=""
if [ -f "$README" ]; then ANALYSIS=$(sed -n '/^## Why/,$p' "$README"); fi
if [ -n "$ANALYSIS" ]; then REPORT="$REPORT"$'\n\n'"$ANALYSIS"; fi
printf '%s\n' "$REPORT" > "$README"
log "written to $README"
