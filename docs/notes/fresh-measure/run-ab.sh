#!/bin/bash
# Cold builds with ccache disabled: A = the exosim target only, B = everything (release tree).
export CCACHE_DISABLE=1
cd /tmp/fresh-bench
T='%e s wall, %U s user, %S s sys'
uptime
cmake -S src -B a -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
/usr/bin/time -f "A exosim-only: $T" -o a.time cmake --build a -j2 --target exosim >a.log 2>&1; cat a.time
uptime
cmake -S src -B b -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
/usr/bin/time -f "B full: $T" -o b.time cmake --build b -j2 >b.log 2>&1; cat b.time
uptime
