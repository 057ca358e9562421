#!/usr/bin/env bash
# Side by side: this tree's EXI codec against another commit's (default 055c9ef, issue 15's baseline), built from
# a temporary `git worktree` with the same compiler and flags, each message decoded and encoded.
# MODE=time (default): wall-clock ns per operation, the two programs run alternately ROUNDS times pinned to one
# core (taskset -c CPU; under `chrt -f 50` when allowed), the median of the per-round ratios new/base (needs a
# quiet machine). MODE=ir: instructions per operation under callgrind (repeatable on a loaded machine, but blind
# to latency: a table walk waiting on its loads counts as fast).
# Usage: bench/compare.sh [BASE_COMMIT]   env: MODE, CC (gcc), CFLAGS (-O2), ITERS (ir 2000, time 1000000),
#        ROUNDS (9), CPU (1), CCS_CORPUS, MESSAGES
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
base=${1:-055c9ef}
cc=${CC:-gcc}
read -r -a cflags <<<"${CFLAGS:--O2}"
mode=${MODE:-time}
case $mode in ir) iters=${ITERS:-2000} ;; time) iters=${ITERS:-1000000} ;; *) echo "compare: MODE is time or ir" >&2; exit 2 ;; esac
rounds=${ROUNDS:-9}
corpus=${CCS_CORPUS:-$here/../shared/corpus}
[ "$mode" = time ] || command -v valgrind >/dev/null || { echo "compare: valgrind not found" >&2; exit 2; }
pin=(taskset -c "${CPU:-1}")
if [ "$mode" = time ] && chrt -f 50 true 2>/dev/null; then pin=(chrt -f 50 "${pin[@]}"); fi

tmp=$(mktemp -d)
cleanup() {
    git -C "$here" worktree remove --force "$tmp/tree" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
git -C "$here" worktree add --detach --quiet "$tmp/tree" "$base"

# build NAME TREE: bench/bench_codec.c (from this tree) on TREE's runtime and tables
build() {
    local t=$2 shim=()
    if [ ! -d "$t/include/ccsplc/core" ]; then   # before the headers moved to include/ccsplc/core (issue 9)
        mkdir -p "$tmp/shim-$1/ccsplc/core" && ln -s "$t/include/ccsplc/gen" "$tmp/shim-$1/ccsplc/core/gen"
        shim=(-I"$tmp/shim-$1")
    fi
    "$cc" -std=c11 "${cflags[@]}" "${shim[@]}" -I"$t/include" -I"$t/src" -o "$tmp/$1" "$here/bench/bench_codec.c" \
        "$t"/src/exi/*.c "$t"/src/exi/gen/{app,din,iso2,iso20,iso20_dc}_tables.c
}
build base "$tmp/tree"
build new "$here"

# instructions per operation: callgrind counts only bench_loop (and what it calls)
ir() {
    local out="$tmp/cg.$1.$3"
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect='bench_loop*' --callgrind-out-file="$out" \
        "$tmp/$1" "$corpus" "$2" "$3" "$iters" >/dev/null 2>"$out.log" || { cat "$out.log" >&2; return 1; }
    awk -v n="$iters" '/^(summary|totals):/ {v = $2} END {printf "%.0f", v / n}' "$out"
}

# ns per operation of one run (the program times its loop only)
ns() {
    "${pin[@]}" "$tmp/$1" "$corpus" "$2" "$3" "$iters" | awk '{print $(NF - 1)}'
}

# time NAME DIR: "base new ratio", medians over alternating rounds (the ratio: the median of per-round ratios)
timed() {
    local i b n
    for ((i = 0; i < rounds; i++)); do
        b=$(ns base "$1" "$2") n=$(ns new "$1" "$2")
        echo "$b $n"
    done | awk '{b[NR] = $1; n[NR] = $2; r[NR] = $2 / $1}
        function med(a, k,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                       return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
        END {printf "%.1f %.1f %.3f", med(b, NR), med(n, NR), med(r, NR)}'
}

tree="$(git -C "$here" rev-parse --short HEAD)$(git -C "$here" diff --quiet HEAD -- src include || echo +changes)"
if [ "$mode" = time ]; then
    echo "codec $tree against $base; $("$cc" --version | head -1) ${cflags[*]}; ns per operation (median of $rounds alternating rounds of $iters, ${pin[*]}); ratio: median of the per-round ratios"
else
    echo "codec $tree against $base; $("$cc" --version | head -1) ${cflags[*]}; instructions per operation (callgrind, $iters iterations)"
fi
echo
echo "| message | decode base | decode new | ratio | encode base | encode new | ratio |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for m in ${MESSAGES:-$("$tmp/new" list)}; do
    if [ "$mode" = time ]; then
        read -r db dn dr <<<"$(timed "$m" decode)"
        read -r eb en er <<<"$(timed "$m" encode)"
        echo "| $m | $db | $dn | $dr | $eb | $en | $er |"
    else
        db=$(ir base "$m" decode) dn=$(ir new "$m" decode) eb=$(ir base "$m" encode) en=$(ir new "$m" encode)
        awk -v m="$m" -v db="$db" -v dn="$dn" -v eb="$eb" -v en="$en" \
            'BEGIN {printf "| %s | %d | %d | %.2f | %d | %d | %.2f |\n", m, db, dn, dn / db, eb, en, en / eb}'
    fi
done
