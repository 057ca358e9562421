#!/usr/bin/env bash
# Side by side: this tree's EXI codec against another commit's (default 055c9ef, issue 15's baseline), built from
# a temporary `git worktree` with the same compiler and flags, each message decoded and encoded under callgrind;
# prints instructions per operation and the ratio new/base (instruction counts: repeatable on a loaded machine).
# Usage: bench/compare.sh [BASE_COMMIT]   env: CC (gcc), CFLAGS (-O2), ITERS (2000), CCS_CORPUS, MESSAGES
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
base=${1:-055c9ef}
cc=${CC:-gcc}
read -r -a cflags <<<"${CFLAGS:--O2}"
iters=${ITERS:-2000}
corpus=${CCS_CORPUS:-$here/../shared/corpus}
command -v valgrind >/dev/null || { echo "compare: valgrind not found" >&2; exit 2; }

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

echo "codec $(git -C "$here" rev-parse --short HEAD)$(git -C "$here" diff --quiet HEAD -- src include || echo +changes) against $base; $("$cc" --version | head -1) ${cflags[*]}; instructions per operation (callgrind, $iters iterations)"
echo
echo "| message | decode base | decode new | ratio | encode base | encode new | ratio |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for m in ${MESSAGES:-$("$tmp/new" list)}; do
    db=$(ir base "$m" decode) dn=$(ir new "$m" decode) eb=$(ir base "$m" encode) en=$(ir new "$m" encode)
    awk -v m="$m" -v db="$db" -v dn="$dn" -v eb="$eb" -v en="$en" \
        'BEGIN {printf "| %s | %d | %d | %.2f | %d | %d | %.2f |\n", m, db, dn, dn / db, eb, en, en / eb}'
done
