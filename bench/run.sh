#!/usr/bin/env bash
# One-shot loopback benchmark: exosim (capture off, capture disk) against Postfix's smtp-sink and
# aiosmtpd. Throughput at 1/10/100 sessions x 1 KiB/100 KiB x plain/STARTTLS, then memory per idle
# connection. Prints a Markdown table (bench/report.py) and keeps the raw JSON lines.
# All peers run at once (each on its own port, idle unless measured); every cell is measured for
# each peer in turn, --rounds times with the order rotated, and the report takes the median, so
# the machine's drift hits every peer alike.
#
#   bench/run.sh [--quick] [--peers "exosim-off exosim-disk smtp-sink aiosmtpd"] [--no-idle]
#                [--idle-only] [--idle-count N] [--rounds N] [--reuse] [--cap SECONDS] [--out DIR] [--keep]
#
# Environment: EXOSIM_BIN (default build/bin/exosim), EXOSIM_THREADS (exosim's I/O threads, default
# 0 = exosim's own default), LOADGEN (default: build it),
# BENCH_BUILD_DIR (standalone loadgen build, default build-bench/), BENCH_TMP (data dirs;
# default /var/tmp, a disk-backed filesystem so fsync costs what it costs).
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$REPO/bench
PY=/usr/bin/python3

QUICK=0 IDLE=1 THROUGHPUT=1 REUSE=0 KEEP=0 CAP="" IDLE_COUNT="" OUT="" ROUNDS=3
PEERS="exosim-off exosim-disk smtp-sink aiosmtpd"
usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) QUICK=1 ;;
    --peers) PEERS=$2; shift ;;
    --no-idle) IDLE=0 ;;
    --idle-only) THROUGHPUT=0 ;;
    --idle-count) IDLE_COUNT=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --reuse) REUSE=1 ;;
    --cap) CAP=$2; shift ;;
    --out) OUT=$2; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

# Matrix. Counts are per cell; aiosmtpd gets fewer (it is ~10x slower); every cell has a time cap
# after which the driver is stopped and the rate is computed from what completed.
CONCS="1 10 100"
SIZES="1024 102400"
if [[ $QUICK == 1 ]]; then
  N_1K=300; N_100K=60; AIO_DIV=3; CAP=${CAP:-4}; IDLE_COUNT=${IDLE_COUNT:-1000}
else
  N_1K=1000; N_100K=250; AIO_DIV=4; CAP=${CAP:-10}; IDLE_COUNT=${IDLE_COUNT:-5000}
fi
PER_CONN=1; SRC_REUSE=""
[[ $REUSE == 1 ]] && { PER_CONN=0; SRC_REUSE="-d"; }
SMTP_SOURCE_HEADERS=130   # smtp-source adds From/To/Date/Message-Id; -l is the payload only

# Servers need a descriptor per idle connection.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

EXOSIM=${EXOSIM_BIN:-$REPO/build/bin/exosim}
WORK=$(mktemp -d "${BENCH_TMP:-/var/tmp}/exosim-bench.XXXXXX")
OUT=${OUT:-$WORK/results}
mkdir -p "$OUT"
RESULTS=$OUT/throughput.jsonl IDLE_RESULTS=$OUT/idle.jsonl
: > "$RESULTS"; : > "$IDLE_RESULTS"

SERVER_PIDS=()
# shellcheck source=bench/common.sh
source "$BENCH/common.sh"
bench_traps run.sh

# --- tools -------------------------------------------------------------------------------------
free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Waits until host:port answers with a 220 greeting (at most 30 s).
wait_greeting() {
  "$PY" - "$1" <<'EOF'
import socket, sys, time
port, deadline = int(sys.argv[1]), time.time() + 30
while time.time() < deadline:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            if s.recv(512).startswith(b"220"):
                s.sendall(b"QUIT\r\n"); sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit(1)
EOF
}

# Waits for a "listening <name> 127.0.0.1:<port>" line in a log; prints the port.
wait_listening() {
  local file=$1 name=$2 pid=$3 port=""
  for _ in $(seq 300); do
    port=$(sed -n "s/^listening $name [0-9.]*:\([0-9][0-9]*\).*/\1/p" "$file" | head -1)
    [[ -n $port ]] && { echo "$port"; return 0; }
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

stop_server() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  local keep=() p
  for p in "${SERVER_PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
  SERVER_PIDS=("${keep[@]}")
}

# --- peers: each start_* sets PORT and PID, or returns non-zero --------------------------------
TLS_CERT=$WORK/tls/cert.pem TLS_KEY=$WORK/tls/key.pem
make_cert() {
  mkdir -p "$WORK/tls"
  # RSA 2048, like the certificates exosim generates, so handshakes cost the same.
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$TLS_KEY" -out "$TLS_CERT" > /dev/null 2>&1
}

EXOSIM_LIMITS=${EXOSIM_LIMITS:-1}
exosim_config() {
  local capture=$1 limits=""
  # The default listener limits (1000 connections, 50 per client) would cap the 100-session
  # cells and the idle test; raise them when this build accepts the keys.
  [[ $EXOSIM_LIMITS == 1 ]] && limits=", limits: {max_connections: 20000, max_per_client: 20000}"
  cat <<EOF
capture: $capture
threads: ${EXOSIM_THREADS:-0}
listeners:
  - {name: bench, profile: rfc, address: 127.0.0.1, port: 0, tls: {mode: starttls, min: "1.2", max: "1.3"}$limits}
accounts: []
EOF
}

start_exosim() {  # $1: off|disk, $2: instance dir
  local capture=$1 dir=$2
  [[ -x $EXOSIM ]] || return 1
  mkdir -p "$dir"
  exosim_config "$capture" > "$dir/exosim.yaml"
  # Control API on a free port: two exosim peers run side by side.
  "$EXOSIM" serve --config "$dir/exosim.yaml" --data-dir "$dir/data" --control 127.0.0.1:0 > "$dir/stdout.log" 2>&1 &
  PID=$!; SERVER_PIDS+=("$PID")
  if PORT=$(wait_listening "$dir/stdout.log" bench "$PID"); then return 0; fi
  stop_server "$PID"
  if [[ $EXOSIM_LIMITS == 1 ]]; then
    log "exosim refused the config with listener limits; retrying without (see $dir/stdout.log):"
    sed 's/^/    /' "$dir/stdout.log" | head -5 >&2
    EXOSIM_LIMITS=0
    start_exosim "$capture" "$dir"
    return
  fi
  log "exosim did not start:"; sed 's/^/    /' "$dir/stdout.log" | head -20 >&2
  return 1
}

start_peer() {  # $1: peer name, $2: instance tag
  local peer=$1 dir=$WORK/$1-$2
  case $peer in
    exosim-off) start_exosim off "$dir" ;;
    exosim-disk) start_exosim disk "$dir" ;;
    smtp-sink)
      mkdir -p "$dir"; PORT=$(free_port)
      local user=(); [[ $(id -u) == 0 ]] && user=(-u nobody)
      # Accepts and discards; -m raises the 256-connection default for the idle test.
      smtp-sink "${user[@]}" -m 6000 "127.0.0.1:$PORT" 4096 > "$dir/stdout.log" 2>&1 &
      PID=$!; SERVER_PIDS+=("$PID")
      wait_greeting "$PORT" ;;
    aiosmtpd)
      mkdir -p "$dir"
      "$PY" "$BENCH/aiosmtpd_sink.py" --listen 127.0.0.1:0 --cert "$TLS_CERT" --key "$TLS_KEY" \
        > "$dir/stdout.log" 2>&1 &
      PID=$!; SERVER_PIDS+=("$PID")
      PORT=$(wait_listening "$dir/stdout.log" aiosmtpd "$PID") ;;
    *) echo "run.sh: unknown peer $peer" >&2; return 1 ;;
  esac
}

supports_starttls() { [[ $1 != smtp-sink ]]; }

# --- drivers -----------------------------------------------------------------------------------
cell_count() {  # $1 peer $2 size $3 sessions
  local n=$N_1K
  [[ $2 -gt 1024 ]] && n=$N_100K
  [[ $1 == aiosmtpd ]] && n=$((n / AIO_DIV))
  (( n < 2 * $3 )) && n=$((2 * $3))
  echo "$n"
}

run_smtp_source() {  # peer port sessions size count
  local peer=$1 port=$2 s=$3 size=$4 n=$5 out=$WORK/smtp-source.out err=$WORK/smtp-source.err
  local t0 t1 rc ok
  t0=$(date +%s.%N)
  timeout -s INT "$CAP" smtp-source -c $SRC_REUSE -l $((size - SMTP_SOURCE_HEADERS)) -m "$n" -s "$s" \
    -M bench.contoso.com -f from@contoso.com -t to@contoso.com "127.0.0.1:$port" > "$out" 2> "$err"
  rc=$?
  t1=$(date +%s.%N)
  ok=$(tr '\r' '\n' < "$out" | grep -E '^[0-9]+$' | tail -1)
  ok=${ok:-0}
  local first_error timed_out=false errors=0
  first_error=$(grep -v '^$' "$err" | head -1 | tr -d '"\\' | cut -c1-200)
  [[ $rc == 124 ]] && timed_out=true
  [[ $rc != 0 && $rc != 124 ]] && errors=1
  "$PY" -c 'import json,sys
a=sys.argv[1:]; el=float(a[6])-float(a[5]); ok=int(a[4])
print(json.dumps({"tool":"smtp-source","label":"peer="+a[0],"tls":"none","sessions":int(a[1]),
  "size":int(a[2]),"messages_requested":int(a[3]),"messages_ok":ok,"elapsed_s":round(el,3),
  "msgs_per_s":round(ok/el,3) if el>0 else 0,"errors":int(a[7]),"timed_out":a[8]=="true",
  "first_error":a[9]}))' "$peer" "$s" "$size" "$n" "$ok" "$t0" "$t1" "$errors" "$timed_out" "$first_error"
}

run_loadgen() {  # peer port tls sessions size count
  local peer=$1 port=$2 tls=$3 s=$4 size=$5 n=$6
  "$LOADGEN" --port "$port" --tls "$tls" --sessions "$s" --size "$size" --messages "$n" \
    --per-connection "$PER_CONN" --max-seconds "$CAP" --io-timeout 10 --label "peer=$peer" \
    --from from@contoso.com --to to@contoso.com 2> "$WORK/loadgen.err"
  local rc=$?
  [[ $rc -gt 1 ]] && { echo "run.sh: smtp-loadgen failed:" >&2; cat "$WORK/loadgen.err" >&2; }
  return 0
}

summarize() {  # one JSON line -> short log
  "$PY" -c 'import json,sys
r=json.loads(sys.argv[1])
cpu=" %6.0f us cpu/msg" % (r["server_cpu_s"]*1e6/r["messages_ok"]) if r.get("server_cpu_s") is not None and r["messages_ok"] else ""
print("  %-12s %-11s %-8s s=%-3d %6dB %5d/%-5d msgs %8.1f msg/s%s%s%s" % (r["label"][5:], r["tool"], r["tls"],
  r["sessions"], r["size"], r["messages_ok"], r["messages_requested"], r["msgs_per_s"], cpu,
  " TIMEOUT" if r.get("timed_out") else "", (" ERR "+r.get("first_error","")) if r.get("errors") else ""))' "$1" >&2
}

with_cpu() {  # JSON line, CPU ns used by the server during it -> the line with server_cpu_s added
  "$PY" -c 'import json,sys
r=json.loads(sys.argv[1]); r["server_cpu_s"]=round(int(sys.argv[2])/1e9,4); print(json.dumps(r))' "$1" "$2"
}

# One driver run for a cell: result line (with the server's CPU) appended to $RESULTS.
record_run() {  # pid command...
  local pid=$1 c0 line; shift
  c0=$(server_cpu_ns "$pid")
  line=$("$@")
  [[ -n $line ]] || return 0
  line=$(with_cpu "$line" $(( $(server_cpu_ns "$pid") - c0 )))
  echo "$line" >> "$RESULTS"; summarize "$line"
}

measure_cell() {  # peer port pid size sessions
  local peer=$1 port=$2 pid=$3 size=$4 s=$5 n
  n=$(cell_count "$peer" "$size" "$s")
  record_run "$pid" run_smtp_source "$peer" "$port" "$s" "$size" "$n"
  record_run "$pid" run_loadgen "$peer" "$port" none "$s" "$size" "$n"
  if supports_starttls "$peer"; then
    record_run "$pid" run_loadgen "$peer" "$port" starttls "$s" "$size" "$n"
  fi
}

throughput_all() {
  local -A port_of=() pid_of=()
  local peer
  for peer in $PEERS; do
    if ! start_peer "$peer" run; then log "$peer: could not start, skipping its cells"; continue; fi
    port_of[$peer]=$PORT; pid_of[$peer]=$PID
    log "$peer listening on 127.0.0.1:$PORT (pid $PID)"
  done
  local running=() round size s i k
  for peer in $PEERS; do [[ -n ${port_of[$peer]:-} ]] && running+=("$peer"); done
  for size in $SIZES; do
    for s in $CONCS; do
      for ((round = 0; round < ROUNDS; round++)); do
        for ((i = 0; i < ${#running[@]}; i++)); do  # order rotated each round
          k=$(( (i + round) % ${#running[@]} )); peer=${running[$k]}
          measure_cell "$peer" "${port_of[$peer]}" "${pid_of[$peer]}" "$size" "$s"
        done
      done
    done
  done
  for peer in "${running[@]}"; do stop_server "${pid_of[$peer]}"; done
}

idle_peer() {
  local peer=$1
  if ! start_peer "$peer" idle; then log "$peer: could not start, skipping idle test"; return; fi
  sleep 0.5
  # 128 source addresses keep each under a per-client-address connection limit.
  "$PY" "$BENCH/idle_conns.py" --port "$PORT" --pid "$PID" --count "$IDLE_COUNT" --sources 128 \
    --label "peer=$peer" --json >> "$IDLE_RESULTS" 2> "$WORK/idle.err"
  tail -1 "$IDLE_RESULTS" | "$PY" -c 'import json,sys
r=json.loads(sys.stdin.read()); print("  %-12s %d/%d greeted, %d still open, %s KiB/conn %s" % (r["label"][5:],
  r["greeted"], r["requested"], r["still_open"], r["kib_per_conn"], r["failures"] or ""))' >&2 ||
    { log "$peer: idle test failed"; cat "$WORK/idle.err" >&2; }
  stop_server "$PID"
}

# --- main --------------------------------------------------------------------------------------
find_loadgen
make_cert
if [[ ! -x $EXOSIM ]]; then
  log "exosim binary not found at $EXOSIM (build it, or set EXOSIM_BIN): skipping exosim cells"
  PEERS=$(tr ' ' '\n' <<< "$PEERS" | grep -v '^exosim' | tr '\n' ' ')
fi
for tool in smtp-source smtp-sink; do
  command -v "$tool" > /dev/null || [[ -x /usr/sbin/$tool ]] || { echo "run.sh: $tool missing (apt-get install postfix)" >&2; exit 1; }
done
export PATH=$PATH:/usr/sbin

START=$(date +%s)
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$LOAD_START" -v n="$(nproc)" 'BEGIN { exit !(l > n) }'; then
  log "warning: load average $LOAD_START on $(nproc) CPUs: figures will be noisy"
fi
log "matrix: sessions {$CONCS} x sizes {$SIZES} x {plain, starttls}; cap ${CAP}s/cell; $ROUNDS rounds; peers: $PEERS"
log "work dir $WORK ($(findmnt -n -o FSTYPE -T "$WORK" 2>/dev/null || echo '?')); loadgen $LOADGEN"
if [[ $THROUGHPUT == 1 ]]; then
  throughput_all
fi
if [[ $IDLE == 1 ]]; then
  log "idle connections: $IDLE_COUNT per peer"
  for peer in $PEERS; do idle_peer "$peer"; done
fi
log "done in $(( $(date +%s) - START ))s; raw results in $OUT"

"$PY" "$BENCH/report.py" --throughput "$RESULTS" --idle "$IDLE_RESULTS" \
  --meta "quick=$QUICK" "rounds=$ROUNDS" "cap_s=$CAP" "idle_count=$IDLE_COUNT" "per_connection=$PER_CONN" \
  "cpus=$(nproc)" "loadavg_start=$LOAD_START" "loadavg_end=$(cut -d' ' -f1 /proc/loadavg)" "data_fs=$(findmnt -n -o FSTYPE -T "$WORK" 2>/dev/null)" | tee "$OUT/report.md"
