# Shared by bench/run.sh, bench/identity/run.sh and bench/identity/smtp_cost.sh (sourced, not run).
# The caller sets REPO, WORK, OUT, KEEP and SERVER_PIDS (the servers it started) before
# bench_traps; on exit those servers are stopped and the work dir removed but for the results.

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

bench_cleanup() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${SERVER_PIDS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null
  done
  if [[ $KEEP == 1 ]]; then
    echo "kept $WORK" >&2
  else  # everything but the results
    find "$WORK" -mindepth 1 -maxdepth 1 ! -path "$OUT" -exec rm -rf {} +
    rmdir "$WORK" 2>/dev/null
  fi
}

bench_traps() {  # script name, for the interrupt message
  trap bench_cleanup EXIT
  # shellcheck disable=SC2064  # the name is fixed now
  trap "echo '$1: interrupted' >&2; exit 130" INT TERM
}

# CPU time (ns) the server's threads have used so far: the sum over /proc/PID/task/*/schedstat.
# Unlike messages/s or tokens/s it does not depend on how the cores were shared with the driver.
server_cpu_ns() {  # pid
  local t ns rest total=0
  for t in /proc/"$1"/task/*/schedstat; do
    read -r ns rest < "$t" 2> /dev/null && total=$((total + ns))
  done
  echo "$total"
}

# smtp-loadgen (bench/loadgen): LOADGEN if set, else build/bin/smtp-loadgen, else built in
# BENCH_BUILD_DIR (default build-bench/) once, and again when its sources change.
find_loadgen() {
  if [[ -n ${LOADGEN:-} ]]; then return; fi
  if [[ -x $REPO/build/bin/smtp-loadgen ]]; then LOADGEN=$REPO/build/bin/smtp-loadgen; return; fi
  local dir=${BENCH_BUILD_DIR:-$REPO/build-bench}
  if [[ ! -x $dir/bin/smtp-loadgen || -n $(find "$REPO/bench/loadgen" "$REPO/bench/CMakeLists.txt" -newer "$dir/bin/smtp-loadgen" -print -quit) ]]; then
    log "building smtp-loadgen in $dir"
    cmake -S "$REPO/bench" -B "$dir" -DCMAKE_BUILD_TYPE=Release > "$WORK/loadgen-cmake.log" 2>&1 &&
      cmake --build "$dir" --target smtp-loadgen -j2 >> "$WORK/loadgen-cmake.log" 2>&1 ||
      { cat "$WORK/loadgen-cmake.log" >&2; echo "smtp-loadgen build failed" >&2; exit 1; }
  fi
  LOADGEN=$dir/bin/smtp-loadgen
}
