#!/bin/bash
# PCH before/after on the I/O layers (transport, harness, control, app, client session), ccache
# disabled, in one tree: their dependencies are built first (untimed), then the I/O layers with
# EXOSIM_PCH=OFF, then reconfigured with EXOSIM_PCH=ON (every I/O object's command changes, so all
# are rebuilt, plus the PCHs). Then ccache with PCH: two trees sharing a private cache.
cd /tmp/fresh-bench
T='%e s wall, %U s user, %S s sys'
deps="exosim_core exosim_policy exosim_scenario exosim_store exosim_tls exosim_client"
io="exosim_transport exosim_harness exosim_control exosim_app exosim_client_session"
export CCACHE_DISABLE=1
cmake -S src-pch -B pch -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEXOSIM_PCH=OFF >/dev/null
cmake --build pch -j2 --target $deps >pch.deps.log 2>&1
for v in OFF ON; do
  cmake -S src-pch -B pch -DEXOSIM_PCH=$v >/dev/null
  uptime
  /usr/bin/time -f "PCH=$v I/O layers: $T" -o pch-$v.time cmake --build pch -j2 --target $io >pch-$v.log 2>&1; cat pch-$v.time
  cp pch/.ninja_log pch-$v.ninja_log
done
unset CCACHE_DISABLE
export CCACHE_DIR=/tmp/fresh-bench/ccache-private
rm -rf $CCACHE_DIR
for d in cc1 cc2; do
  cmake -S src-pch -B $d -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEXOSIM_PCH=ON >/dev/null
  ccache -z >/dev/null
  cmake --build $d -j2 --target exosim_transport >$d.log 2>&1
  echo "ccache with PCH, tree $d:"; ccache -s -v | grep -Ei "hits|misses|uncacheable|preprocess|unsupported|could not"
done
