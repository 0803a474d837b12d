#!/bin/bash
# One PCH-using TU (transport/sni.cpp) compiled twice into a private, empty ccache, with and without
# the sloppiness. Run from a configured build tree with EXOSIM_PCH=ON (e.g. build/).
set -u
c=$(/usr/bin/python3 -c "import json; print([e for e in json.load(open('compile_commands.json')) if e['file'].endswith('transport/sni.cpp')][0]['command'])")
c=${c/-o mockserver\/transport\/CMakeFiles\/exosim_transport.dir\/sni.cpp.o/-o /tmp/cc-check-sni.o}
for slop in "" "pch_defines,time_macros"; do
  export CCACHE_DIR=/tmp/cc-check-${slop:-none}; rm -rf "$CCACHE_DIR"
  for i in 1 2; do CCACHE_SLOPPINESS=$slop ccache $c; done
  echo "sloppiness='$slop':"; ccache --print-stats | grep -E "^(direct_cache_hit|cache_miss|could_not_use_precompiled_header)	"
done
