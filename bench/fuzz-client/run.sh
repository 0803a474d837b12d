#!/usr/bin/env bash
# bench/fuzz-client/run.sh [BUILD_DIR]: fuzz-client throughput, one job, two figures:
#   - against `true` (a client that exits at once, never connects): the harness's own cost per
#     case (build the case, arm the scenario, fork/exec the command, reap it, judge, record);
#     target < 2 ms;
#   - against exosim-client: what a real client gets (TLS, AUTH LOGIN, one message per case).
# Each is the marginal cost per case between a run of SMALL (default 50) and LARGE (default 550)
# cases, so the server's start-up (RSA keys for its CA and sign-in service) is not counted.
# The slice leaves out the classes that wait out the client's timeout (silence, pauses,
# unterminated replies): they measure the client's timeout, not the harness.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir="${1:-build}"
small="${SMALL:-50}"
large="${LARGE:-550}"
exosim="$dir/bin/exosim"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
slice=(--mode catalogue --seed 1 --jobs 1 --minimise-budget 0 --anomalies reply-code,length,bytes,code-range,enhanced,ehlo)
seconds() {  # CLIENT CASES -> wall seconds of the whole run
  local start end
  start=$(date +%s.%N)
  "$exosim" fuzz-client --client "$1" "${slice[@]}" --cases "$2" --out "$tmp/out" > "$tmp/log" 2>&1 || true
  end=$(date +%s.%N)
  [ "$(wc -l < "$tmp/out/cases.jsonl")" -eq "$2" ] || { echo "bench: expected $2 cases" >&2; cat "$tmp/log" >&2; exit 1; }
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }'
}
run() {  # NAME CLIENT
  local a b
  a=$(seconds "$2" "$small")
  b=$(seconds "$2" "$large")
  awk -v a="$a" -v b="$b" -v n1="$small" -v n2="$large" -v name="$1" 'BEGIN {
    per = (b - a) / (n2 - n1)
    printf "%-14s %4d cases %6.2f s, %4d cases %6.2f s: %7.2f ms/case marginal, %7.1f cases/s\n", name, n1, a, n2, b, per * 1000, 1 / per }'
}
echo "fuzz-client throughput, one job ($(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg))"
run true true
run exosim-client '{exosim_client} {exosim_client_args}'
