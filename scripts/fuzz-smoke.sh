#!/usr/bin/env bash
# Fuzz smoke test (CI): builds the libFuzzer targets with clang into build-fuzz/ (FUZZ_BUILD_DIR overrides) and
# runs each for SECONDS (default 20) from the corpus seeds; fails on any crash, sanitizer report, leak or timeout.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-20}
build=${FUZZ_BUILD_DIR:-$here/build-fuzz}
jobs=${JOBS:-2}
cmake -S "$here" -B "$build" -DCMAKE_C_COMPILER=clang -DCCS_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target fuzz -j"$jobs" >&2
rm -rf "$build/fuzz-seeds"
bash "$here/fuzz/make_seeds.sh" "$build/fuzz-seeds"
mkdir -p "$build/fuzz-artifacts"
status=0
for t in fuzz_exi_decode fuzz_exi_roundtrip fuzz_exi_encode; do
    corpus=$build/fuzz-corpus/$t
    mkdir -p "$corpus"
    echo "== $t: ${secs}s" >&2
    if ! "$build/fuzz/$t" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
            -artifact_prefix="$build/fuzz-artifacts/$t-" "$corpus" "$build/fuzz-seeds" 2>"$build/$t.log"; then
        status=1
        echo "fuzz-smoke: $t FAILED; input in $build/fuzz-artifacts/, log $build/$t.log:" >&2
        grep -A40 -m1 -E '^==[0-9]+==ERROR|runtime error|round trip|deadly signal|timeout' "$build/$t.log" >&2 || true
    fi
    grep -E '^stat::number_of_executed_units|^stat::new_units_added|^#[0-9]+ +DONE' "$build/$t.log" >&2 || true
done
exit $status
