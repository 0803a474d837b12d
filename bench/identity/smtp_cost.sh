#!/usr/bin/env bash
# "The sign-in service adds no measurable cost to SMTP throughput" (issue 14, Performance).
# SMTP messages/s through the submission endpoint (exo-submission, STARTTLS, one message per
# connection, so every message pays one AUTH), in four cells measured in the same run:
#   server  identity: `exosim serve` as shipped (sign-in service and its HTTPS listener on)
#           no-identity: the same with --no-identity (no listener; XOAUTH2 still verified)
#   auth    login: AUTH LOGIN (basic) as printer@contoso.com
#           xoauth2: AUTH XOAUTH2 with the sign-in service's RS256 token (POST /api/v1/tokens),
#                    checked by its verifier (signature, tid/iss, aud, exp/nbf, scp, user)
# Both servers run side by side; every round measures the four cells with the order rotated;
# the report gives the median per cell, the server CPU per message, and the ratios
# xoauth2/login and identity/no-identity (1.00 = no cost).
#
#   bench/identity/smtp_cost.sh [--quick] [--rounds N] [--messages N] [--sessions N] [--cap SECONDS]
#                               [--out DIR] [--keep]
#
# Environment: EXOSIM_BIN (default build/bin/exosim), LOADGEN (a prebuilt smtp-loadgen; default:
# built in BENCH_BUILD_DIR, default build-bench/, as bench/run.sh does), EXOSIM_THREADS (exosim's
# I/O threads), BENCH_TMP (work dir, default /var/tmp).
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PY=/usr/bin/python3
EXOSIM=${EXOSIM_BIN:-$REPO/build/bin/exosim}

ROUNDS=5 MESSAGES="" SESSIONS=10 CAP="" OUT="" KEEP=0 QUICK=0
usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) QUICK=1 ;;
    --rounds) ROUNDS=$2; shift ;;
    --messages) MESSAGES=$2; shift ;;
    --sessions) SESSIONS=$2; shift ;;
    --cap) CAP=$2; shift ;;
    --out) OUT=$2; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "smtp_cost.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
# Bounded: N messages per cell and round, or what completes within the cap.
if [[ $QUICK == 1 ]]; then MESSAGES=${MESSAGES:-500}; CAP=${CAP:-10}; ROUNDS=3
else MESSAGES=${MESSAGES:-2000}; CAP=${CAP:-20}; fi

[[ -x $EXOSIM ]] || { echo "smtp_cost.sh: $EXOSIM missing (cmake --build build --target exosim)" >&2; exit 1; }
WORK=$(mktemp -d "${BENCH_TMP:-/var/tmp}/exosim-smtpcost.XXXXXX")
OUT=${OUT:-$WORK/results}
mkdir -p "$OUT"
RESULTS=$OUT/smtp_cost.jsonl
: > "$RESULTS"

SERVER_PIDS=()
# shellcheck source=bench/common.sh
source "$REPO/bench/common.sh"
bench_traps smtp_cost.sh

# The embedded default with what a throughput run needs: no capture, only the submission
# listener, and Exchange's per-mailbox limits (3 concurrent sessions, 30 messages a minute) raised
# so the bench measures the server, not the throttle.
make_config() {
  "$EXOSIM" serve --print-config | "$PY" -c '
import sys, yaml
c = yaml.safe_load(sys.stdin)
c["capture"] = "off"
c["threads"] = int(sys.argv[1])
c["listeners"] = [l for l in c["listeners"] if l["name"] == "submission"]
c["exchange"]["limits"].update(max_concurrent_sessions=1000, messages_per_minute=1000000,
                               recipients_per_window=100000000)
yaml.safe_dump(c, sys.stdout, sort_keys=False)' "${EXOSIM_THREADS:-0}"
}

declare -A PORT_OF PID_OF CONTROL_OF
start() {  # name, extra serve arguments...
  local name=$1 dir=$WORK/$1; shift
  mkdir -p "$dir"
  make_config > "$dir/exosim.yaml" || return 1
  "$EXOSIM" serve --config "$dir/exosim.yaml" --data-dir "$dir/data" --ephemeral-ports "$@" > "$dir/stdout.log" 2>&1 &
  local pid=$! port control
  SERVER_PIDS+=("$pid")
  for _ in $(seq 300); do
    grep -q '^ready' "$dir/stdout.log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  port=$(sed -n 's/^listening submission [0-9.]*:\([0-9][0-9]*\).*/\1/p' "$dir/stdout.log" | head -1)
  control=$(sed -n 's/^control [0-9.]*:\([0-9][0-9]*\).*/\1/p' "$dir/stdout.log" | head -1)
  [[ -n $port && -n $control ]] || { log "$name did not start:"; sed 's/^/    /' "$dir/stdout.log" | head -20 >&2; return 1; }
  PORT_OF[$name]=$port PID_OF[$name]=$pid CONTROL_OF[$name]=$control
  log "$name: submission 127.0.0.1:$port, control $control (pid $pid)"
}

# A day-long token of the server's own sign-in service, as a device would hold one.
token_of() {
  curl -sf -X POST -H 'Content-Type: application/json' \
    -d '{"user": "printer@contoso.com", "ttl": 86400}' "http://127.0.0.1:${CONTROL_OF[$1]}/api/v1/tokens" |
    "$PY" -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

declare -A AUTH_OF
measure() {  # server auth
  local server=$1 auth=$2 pid=${PID_OF[$1]} c0 line cpu
  c0=$(server_cpu_ns "$pid")
  # shellcheck disable=SC2086  # AUTH_OF values are word lists without spaces inside a word
  line=$("$LOADGEN" --port "${PORT_OF[$server]}" --tls starttls --tls-max 1.2 --sessions "$SESSIONS" --size 1024 \
    --messages "$MESSAGES" --per-connection 1 --max-seconds "$CAP" --io-timeout 10 \
    --from printer@contoso.com --to bob@contoso.com --helo printer.local \
    ${AUTH_OF[$server:$auth]} --label "server=$server auth=$auth" 2> "$WORK/loadgen.err")
  cpu=$(( $(server_cpu_ns "$pid") - c0 ))
  if [[ -z $line ]]; then log "$server $auth: loadgen failed: $(head -3 "$WORK/loadgen.err")"; return; fi
  line=$("$PY" -c 'import json,sys; r=json.loads(sys.argv[1]); r["server_cpu_s"]=round(int(sys.argv[2])/1e9,4); print(json.dumps(r))' "$line" "$cpu")
  echo "$line" >> "$RESULTS"
  "$PY" -c 'import json,sys; r=json.loads(sys.argv[1]); ok=r["messages_ok"] or 1
print("  %-30s %5d/%-5d %8.1f msg/s  server %6.0f us/msg%s" % (r["label"], r["messages_ok"], r["messages_requested"],
  r["msgs_per_s"], r["server_cpu_s"]*1e6/ok, " FAILED %d" % r["messages_failed"] if r["messages_failed"] else ""))' "$line" >&2
}

find_loadgen

LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
start identity || exit 1
start no-identity --no-identity || exit 1
grep -q '^listening identity' "$WORK/identity/stdout.log" || { log "identity: no sign-in listener"; exit 1; }
! grep -q '^listening identity' "$WORK/no-identity/stdout.log" || { log "no-identity: sign-in listener up"; exit 1; }
for s in identity no-identity; do
  token=$(token_of "$s") || { log "$s: no token from POST /api/v1/tokens"; exit 1; }
  AUTH_OF[$s:login]="--user printer@contoso.com --password Printer-Pass-1"
  AUTH_OF[$s:xoauth2]="--user printer@contoso.com --xoauth2-token $token"
done
CELLS=("identity login" "identity xoauth2" "no-identity login" "no-identity xoauth2")
log "cells: ${#CELLS[@]}; $MESSAGES messages or ${CAP}s per cell; $SESSIONS sessions; $ROUNDS rounds"
for ((round = 0; round < ROUNDS; round++)); do
  for ((i = 0; i < ${#CELLS[@]}; i++)); do
    # shellcheck disable=SC2086
    measure ${CELLS[$(( (i + round) % ${#CELLS[@]} ))]}
  done
done

"$PY" - "$RESULTS" "rounds=$ROUNDS" "messages=$MESSAGES" "sessions=$SESSIONS" "cpus=$(nproc)" \
  "loadavg_start=$LOAD_START" "loadavg_end=$(cut -d' ' -f1 /proc/loadavg)" <<'EOF' | tee "$OUT/report.md"
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
cells = {}
for r in rows:
    cells.setdefault(r["label"], []).append(r)
def med(label, f):
    v = [f(r) for r in cells.get(label, []) if r["messages_ok"]]
    return statistics.median(v) if v else float("nan")
rate = lambda r: r["msgs_per_s"]
cpu = lambda r: r["server_cpu_s"] * 1e6 / r["messages_ok"]
print("SMTP submission (STARTTLS, 1 KiB, one message per connection); " + ", ".join(sys.argv[2:]))
print()
print("| server | auth | msg/s (median) | min-max | server CPU us/msg | failed |")
print("|---|---|---:|---|---:|---:|")
for s in ("identity", "no-identity"):
    for a in ("login", "xoauth2"):
        l = f"server={s} auth={a}"
        rs = [rate(r) for r in cells.get(l, [])]
        failed = sum(r["messages_failed"] for r in cells.get(l, []))
        span = f"{min(rs):.1f}-{max(rs):.1f}" if rs else "-"
        print(f"| {s} | {a} | {med(l, rate):.1f} | {span} | {med(l, cpu):.0f} | {failed} |")
print()
print("| ratio | msg/s | CPU/msg |")
print("|---|---:|---:|")
for s in ("identity", "no-identity"):
    x, b = f"server={s} auth=xoauth2", f"server={s} auth=login"
    print(f"| xoauth2 / login ({s}) | {med(x, rate) / med(b, rate):.2f} | {med(x, cpu) / med(b, cpu):.2f} |")
for a in ("login", "xoauth2"):
    i, n = f"server=identity auth={a}", f"server=no-identity auth={a}"
    print(f"| identity / no-identity ({a}) | {med(i, rate) / med(n, rate):.2f} | {med(i, cpu) / med(n, cpu):.2f} |")
EOF
