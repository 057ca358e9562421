#!/usr/bin/env bash
# Fuzz smoke test (CI): builds the libFuzzer targets with clang into build-fuzz/ (FUZZ_BUILD_DIR overrides) and
# runs each for SECONDS (default 20) from its seeds with a fixed random seed (FUZZ_SEED, default 1: the same
# run every time); fails on any crash, sanitizer report, leak or timeout. `fuzz-smoke.sh build` only builds.
# Targets: build-fuzz/fuzz/targets.txt (fuzz/CMakeLists.txt); TARGETS="a b" runs only those. Test data from
# CCS_SHARED_DIR (default ../shared).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-20}
build=${FUZZ_BUILD_DIR:-$here/build-fuzz}
jobs=${JOBS:-2}
seed=${FUZZ_SEED:-1}   # fixed: a smoke run is reproducible; FUZZ_SEED=0 lets libFuzzer pick one
shared=${CCS_SHARED_DIR:-$here/../shared}
cmake -S "$here" -B "$build" -DCMAKE_C_COMPILER=clang -DCCS_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCCS_WERROR=ON >/dev/null
cmake --build "$build" --target fuzz -j"$jobs" >&2
[ "$secs" = build ] && exit 0
rm -rf "$build/fuzz-seeds" "$build/fuzz-seeds-parsers"
bash "$here/fuzz/make_seeds.sh" "$build/fuzz-seeds" "$shared/corpus"
# The parser seeds need the CLI for the XML ones; it runs under ASan here, without leak checks of its own.
ASAN_OPTIONS=detect_leaks=0 python3 "$here/fuzz/make_parser_seeds.py" "$build/fuzz-seeds-parsers" \
    "$shared" "$build/ccsplc"
mkdir -p "$build/fuzz-artifacts"
status=0
for t in ${TARGETS:-$(cat "$build/fuzz/targets.txt" | tr ';' ' ')}; do
    corpus=$build/fuzz-corpus/$t
    mkdir -p "$corpus"
    seeds=$build/fuzz-seeds-parsers/$t
    [ -d "$seeds" ] || seeds=$build/fuzz-seeds
    extra=()
    [ "$t" = fuzz_capture ] && extra=(-max_len=65536)   # whole capture files as seeds
    echo "== $t: ${secs}s" >&2
    if ! "$build/fuzz/$t" -max_total_time="$secs" -seed="$seed" -timeout=10 -print_final_stats=1 "${extra[@]}" \
            -artifact_prefix="$build/fuzz-artifacts/$t-" "$corpus" "$seeds" 2>"$build/$t.log"; then
        status=1
        echo "fuzz-smoke: $t FAILED; input in $build/fuzz-artifacts/, log $build/$t.log:" >&2
        grep -A40 -m1 -E '^==[0-9]+==ERROR|runtime error|round trip|property failed|deadly signal|timeout' \
            "$build/$t.log" >&2 || true
    fi
    grep -E '^stat::number_of_executed_units|^stat::new_units_added|^#[0-9]+ +DONE' "$build/$t.log" >&2 || true
done
exit $status
