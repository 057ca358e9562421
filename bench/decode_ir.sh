#!/usr/bin/env bash
# Capture decoding cost in instructions (callgrind; repeatable on a loaded machine): one pass of bench_decode
# with the text timeline over each shared capture, for one or more bench_decode binaries side by side (e.g. one
# built from another commit's git worktree). Usage: bench/decode_ir.sh BENCH_DECODE [BENCH_DECODE...]
# Prints instructions per capture byte for each binary (numbered as given; one process each, start-up included)
# and the ratio of the last to the first. env CAPTURES: other files; PER_PASS=1: one pass's instructions without
# the process start-up (half the difference between 3 passes and 1), in Ir per byte. FORM: text (default),
# json or none.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: decode_ir.sh BENCH_DECODE [BENCH_DECODE...]" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '| capture | KB |'; for i in $(seq $#); do printf ' Ir/byte (%d) |' "$i"; done
printf ' ratio |\n| --- | ---: |'; for _ in "$@"; do printf ' ---: |'; done; printf ' ---: |\n'
for cap in ${CAPTURES:-"$here"/../shared/captures/*.pcap "$here"/../shared/captures/*.pcapng}; do
    size=$(stat -c %s "$cap")
    printf '| %s | %.0f |' "$(basename "$cap")" "$(echo "$size / 1000" | bc -l)"
    first='' last=''
    for b in "$@"; do
        valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$b" 1 "$cap" "${FORM:-text}" >/dev/null 2>&1
        ir=$(awk '/^(summary|totals):/ {v = $2} END {print v}' "$tmp/cg")
        if [ "${PER_PASS:-0}" = 1 ]; then
            valgrind --tool=callgrind --callgrind-out-file="$tmp/cg3" "$b" 3 "$cap" "${FORM:-text}" >/dev/null 2>&1
            ir=$(( ($(awk '/^(summary|totals):/ {v = $2} END {print v}' "$tmp/cg3") - ir) / 2 ))
        fi
        first=${first:-$ir} last=$ir
        printf ' %.0f |' "$(echo "$ir / $size" | bc -l)"
    done
    printf ' %.2f |\n' "$(echo "$last / $first" | bc -l)"
done
