#!/usr/bin/env bash
# bench/fuzz-client/run.sh [BUILD_DIR]: fuzz-client throughput. Two figures from one catalogue
# slice (CASES cases, default 300, one job):
#   - against `true` (a client that exits at once, never connects): the harness's own cost per
#     case (arm the scenario, fork/exec the command, reap it, judge, record); target < 2 ms;
#   - against exosim-client: cases/s a real client gets (TLS, AUTH, one message per case).
# The slice leaves out the classes that wait out the client's timeout (silence, pauses,
# unterminated replies): they measure the client's timeout, not the harness.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir="${1:-build}"
cases="${CASES:-300}"
exosim="$dir/bin/exosim"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
slice=(--mode catalogue --seed 1 --cases "$cases" --jobs 1 --minimise-budget 0
       --anomalies reply-code,length,bytes,code-range,enhanced,ehlo)
run() {  # NAME CLIENT
  local start end
  start=$(date +%s.%N)
  "$exosim" fuzz-client --client "$2" "${slice[@]}" --out "$tmp/$1" > "$tmp/$1.log" 2>&1 || true
  end=$(date +%s.%N)
  local n
  n=$(wc -l < "$tmp/$1/cases.jsonl")
  awk -v n="$n" -v s="$start" -v e="$end" -v name="$1" -v log="$(tail -1 "$tmp/$1.log")" 'BEGIN {
    printf "%-14s %5d cases in %6.2f s: %8.1f cases/s, %7.2f ms/case (wall, incl. start-up)\n", name, n, e - s, n / (e - s), (e - s) * 1000 / n
    print "               exosim: " log }'
}
echo "fuzz-client throughput ($(nproc) CPUs, $(uname -r))"
run true true
run exosim-client '{exosim_client} {exosim_client_args}'
