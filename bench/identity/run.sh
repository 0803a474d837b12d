#!/usr/bin/env bash
# Token-endpoint throughput: exosim's sign-in service against oauth2-mock-server (npm), side by side.
# Client-credentials grants/s and refresh grants/s at 1 and 10 concurrent clients (keep-alive HTTPS,
# one request at a time per client), plus the server CPU per token. Both servers run at once; each
# cell is measured for each peer in turn, --rounds times with the order rotated, and the report
# takes the medians. Prints a Markdown table (bench/identity/report.py) and keeps the JSON lines.
#
#   bench/identity/run.sh [--quick] [--peers "exosim mock"] [--grants "client_credentials refresh_token"]
#                         [--clients "1 10"] [--rounds N] [--requests N] [--cap SECONDS] [--driver cxx|node]
#                         [--out DIR] [--keep]
#
# Environment: EXOSIM_BIN (default build/bin/exosim), EXOSIM_THREADS (exosim's I/O threads),
# TOKEN_LOADGEN (a prebuilt token-loadgen; default: build it in BENCH_BUILD_DIR, default build-bench/),
# BENCH_TMP (work dir, default /var/tmp), NODE (default node).
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$REPO/bench/identity
PY=/usr/bin/python3
NODE=${NODE:-node}

QUICK=0 KEEP=0 OUT="" ROUNDS=3 REQUESTS="" CAP="" DRIVER=cxx
PEERS="exosim mock" GRANTS="client_credentials refresh_token" CLIENTS="1 10"
usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) QUICK=1 ;;
    --peers) PEERS=$2; shift ;;
    --grants) GRANTS=$2; shift ;;
    --clients) CLIENTS=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --requests) REQUESTS=$2; shift ;;
    --cap) CAP=$2; shift ;;
    --driver) DRIVER=$2; shift ;;
    --out) OUT=$2; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
# Per cell and round: N token requests, or what completes within the cap (the rate is then of
# what completed).
if [[ $QUICK == 1 ]]; then REQUESTS=${REQUESTS:-300}; CAP=${CAP:-3}; else REQUESTS=${REQUESTS:-2000}; CAP=${CAP:-8}; fi

# The default directory of issue 14 (exosim's embedded configuration).
TENANT=contoso.com
SCAN_DAEMON=6a8c0e2f-4d1b-4f3a-9c5e-7b9d1f3a5c44 SECRET=Exosim-Secret-1
PRINT_FLEET=0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33
APP_SCOPE=https://outlook.office365.com/.default
# What MSAL sends on a refresh: the resource scope plus the three it always adds; with openid the
# answer carries an id_token as well, as oauth2-mock-server's always does.
REFRESH_SCOPE="https://outlook.office.com/SMTP.Send offline_access openid profile"
SIGNIN_NAME=login.microsoftonline.com

EXOSIM=${EXOSIM_BIN:-$REPO/build/bin/exosim}
WORK=$(mktemp -d "${BENCH_TMP:-/var/tmp}/exosim-idbench.XXXXXX")
OUT=${OUT:-$WORK/results}
mkdir -p "$OUT"
RESULTS=$OUT/tokens.jsonl
: > "$RESULTS"

SERVER_PIDS=()
# shellcheck source=bench/common.sh
source "$REPO/bench/common.sh"
bench_traps run.sh

# Waits for a "listening <name> 127.0.0.1:<port>" line (any of the names given); prints the port.
wait_listening() {  # file pid name...
  local file=$1 pid=$2 name port; shift 2
  for _ in $(seq 300); do
    for name in "$@"; do
      port=$(sed -n "s/^listening $name [0-9.]*:\([0-9][0-9]*\).*/\1/p" "$file" | head -1)
      [[ -n $port ]] && { echo "$port"; return 0; }
    done
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# --- peers: each start_* sets PORT, PID, CA, SERVERNAME, TOKEN_PATH and the per-grant arguments ---
declare -A PORT_OF PID_OF ARGS_OF BOOT_OF
start_exosim() {
  [[ -x $EXOSIM ]] || { log "exosim binary not found at $EXOSIM (build it or set EXOSIM_BIN)"; return 1; }
  local dir=$WORK/exosim port control
  mkdir -p "$dir"
  local threads=(); [[ -n ${EXOSIM_THREADS:-} ]] && threads=(--threads "$EXOSIM_THREADS")
  "$EXOSIM" serve --data-dir "$dir/data" --ephemeral-ports --capture off "${threads[@]}" > "$dir/stdout.log" 2>&1 &
  local pid=$!; SERVER_PIDS+=("$pid")
  if ! port=$(wait_listening "$dir/stdout.log" "$pid" login identity signin sign-in entra); then
    log "exosim printed no sign-in listener (is the identity service in this build?):"
    sed 's/^/    /' "$dir/stdout.log" | head -20 >&2
    return 1
  fi
  control=$(sed -n 's/^control [0-9.]*:\([0-9][0-9]*\).*/\1/p' "$dir/stdout.log" | head -1)
  local path=/$TENANT/oauth2/v2.0/token
  PORT_OF[exosim]=$port PID_OF[exosim]=$pid
  ARGS_OF[exosim:common]="--ca $dir/data/tls/ca.pem --servername $SIGNIN_NAME --path $path"
  ARGS_OF[exosim:client_credentials]="--client-id $SCAN_DAEMON --client-secret $SECRET"
  ARGS_OF[exosim:refresh_token]="--client-id $PRINT_FLEET"
  # The first refresh token: a device code approved over the control API, as CI does.
  BOOT_OF[exosim]="device:$control:printer@contoso.com:/$TENANT/oauth2/v2.0/devicecode"
}

start_mock() {
  [[ -d $HERE/node_modules/oauth2-mock-server ]] ||
    { log "oauth2-mock-server is not installed: (cd bench/identity && npm install), or ci/setup-deps"; return 1; }
  local dir=$WORK/mock port
  mkdir -p "$dir"
  # RSA 2048 for TLS, like exosim's certificates; RS256 (RSA 2048) for its tokens, like exosim's.
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$dir/key.pem" -out "$dir/cert.pem" > /dev/null 2>&1
  "$NODE" "$HERE/mock_server.mjs" "$dir/key.pem" "$dir/cert.pem" > "$dir/stdout.log" 2>&1 &
  local pid=$!; SERVER_PIDS+=("$pid")
  port=$(wait_listening "$dir/stdout.log" "$pid" oauth2-mock-server) || { log "oauth2-mock-server did not start:"; cat "$dir/stdout.log" >&2; return 1; }
  PORT_OF[mock]=$port PID_OF[mock]=$pid
  ARGS_OF[mock:common]="--ca $dir/cert.pem --servername localhost --path /token"
  ARGS_OF[mock:client_credentials]="--client-id $SCAN_DAEMON --client-secret $SECRET"
  ARGS_OF[mock:refresh_token]="--client-id $PRINT_FLEET"
  BOOT_OF[mock]=""  # it takes any refresh token
}

scope_of() { [[ $1 == client_credentials ]] && echo "$APP_SCOPE" || echo "$REFRESH_SCOPE"; }

# The driver: token-loadgen (C++, built here unless TOKEN_LOADGEN is given) or token_load.mjs (node).
find_driver() {
  [[ $DRIVER == node ]] && return
  if [[ -n ${TOKEN_LOADGEN:-} ]]; then return; fi
  local dir=${BENCH_BUILD_DIR:-$REPO/build-bench}
  if [[ ! -x $dir/bin/token-loadgen || $HERE/token_loadgen.cpp -nt $dir/bin/token-loadgen ]]; then
    log "building token-loadgen in $dir"
    { cmake -S "$REPO/bench" -B "$dir" -DCMAKE_BUILD_TYPE=Release && cmake --build "$dir" --target token-loadgen -j2; } \
      > "$WORK/driver-build.log" 2>&1 || { cat "$WORK/driver-build.log" >&2; echo "run.sh: token-loadgen build failed" >&2; exit 1; }
  fi
  TOKEN_LOADGEN=$dir/bin/token-loadgen
}

# One driver run: its JSON line plus the server's CPU over it, appended to $RESULTS.
measure() {  # peer grant clients
  local peer=$1 grant=$2 c=$3 pid=${PID_OF[$1]} c0 line rt=() driver
  # shellcheck disable=SC2206  # the ARGS_OF values are word lists (no spaces inside a word)
  local args=(--port "${PORT_OF[$peer]}" ${ARGS_OF[$peer:common]} ${ARGS_OF[$peer:$grant]} --grant "$grant"
              --scope "$(scope_of "$grant")" --clients "$c" --requests "$REQUESTS" --max-seconds "$CAP" --label "peer=$peer")
  if [[ $DRIVER == node ]]; then
    driver=("$NODE" "$HERE/token_load.mjs")
    [[ $grant == refresh_token && -n ${BOOT_OF[$peer]} ]] && rt=(--bootstrap "${BOOT_OF[$peer]}")
  else
    driver=("$TOKEN_LOADGEN")
    if [[ $grant == refresh_token ]]; then
      local token
      token=$("$NODE" "$HERE/token_load.mjs" "${args[@]}" --bootstrap "${BOOT_OF[$peer]:-none}" --bootstrap-only 2> "$WORK/driver.err") ||
        { log "$peer: no first refresh token: $(head -3 "$WORK/driver.err")"; return; }
      rt=(--refresh-token "$token")
    fi
  fi
  c0=$(server_cpu_ns "$pid")
  line=$("${driver[@]}" "${args[@]}" "${rt[@]}" 2> "$WORK/driver.err")
  local cpu=$(( $(server_cpu_ns "$pid") - c0 ))
  if [[ -z $line ]]; then log "$peer $grant c=$c: driver failed: $(head -3 "$WORK/driver.err")"; return; fi
  line=$("$PY" -c 'import json,sys; r=json.loads(sys.argv[1]); r["server_cpu_s"]=round(int(sys.argv[2])/1e9,4); print(json.dumps(r))' "$line" "$cpu")
  echo "$line" >> "$RESULTS"
  "$PY" -c 'import json,sys; r=json.loads(sys.argv[1]); ok=r["ok"] or 1
print("  %-7s %-18s c=%-3d %5d/%-5d %8.1f tokens/s  server %6.0f us/token  driver %5.0f us/token%s%s" % (r["label"][5:],
  r["grant"], r["clients"], r["ok"], r["requests"], r["tokens_per_s"], r["server_cpu_s"]*1e6/ok, r["driver_cpu_s"]*1e6/ok,
  " CAP" if r["timed_out"] else "", (" ERR " + r["first_error"]) if r["failed"] else ""))' "$line" >&2
}

# --- main --------------------------------------------------------------------------------------
command -v "$NODE" > /dev/null || { echo "run.sh: node missing (apt-get install nodejs)" >&2; exit 1; }
find_driver
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
log "cells: grants {$GRANTS} x clients {$CLIENTS}; $REQUESTS requests or ${CAP}s per cell; $ROUNDS rounds; peers: $PEERS"
running=()
for peer in $PEERS; do
  if "start_$peer"; then running+=("$peer"); log "$peer on 127.0.0.1:${PORT_OF[$peer]} (pid ${PID_OF[$peer]})"
  else log "$peer: could not start, skipping its cells"; fi
done
START=$(date +%s)
for grant in $GRANTS; do
  for c in $CLIENTS; do
    for ((round = 0; round < ROUNDS; round++)); do
      for ((i = 0; i < ${#running[@]}; i++)); do  # order rotated each round
        measure "${running[$(( (i + round) % ${#running[@]} ))]}" "$grant" "$c"
      done
    done
  done
done
log "done in $(( $(date +%s) - START ))s; raw results in $OUT"
"$PY" "$HERE/report.py" "$RESULTS" --meta "rounds=$ROUNDS" "requests=$REQUESTS" "cap_s=$CAP" "cpus=$(nproc)" \
  "loadavg_start=$LOAD_START" "loadavg_end=$(cut -d' ' -f1 /proc/loadavg)" "driver=$DRIVER" "node=$("$NODE" --version)" | tee "$OUT/report.md"
