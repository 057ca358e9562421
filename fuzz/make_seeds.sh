#!/usr/bin/env bash
# Writes every corpus line (../shared/corpus/*.tsv) as a binary fuzz seed: selector byte (codec index, the
# order of fuzz/fuzz_exi.h) + the EXI bytes. Usage: make_seeds.sh OUT_DIR [CORPUS_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: make_seeds.sh OUT_DIR [CORPUS_DIR]}
corpus=${2:-$here/../shared/corpus}
mkdir -p "$out"
n=0
for tsv in "$corpus"/*.tsv; do
    base=$(basename "$tsv" .tsv)
    while IFS=$'\t' read -r proto _ hex _; do
        case $proto in
            app) sel=00 ;; din) sel=01 ;; iso2) sel=02 ;; iso20-common) sel=03 ;; iso20-dc) sel=04 ;;
            iso20-ac) sel=05 ;; iso20-acdp) sel=06 ;; iso20-wpt) sel=07 ;;
            *) echo "make_seeds: unknown proto '$proto' in $tsv" >&2; exit 1 ;;
        esac
        n=$((n + 1))
        printf '%s%s' "$sel" "$hex" | xxd -r -p >"$out/$base-$n"
    done <"$tsv"
done
# Signature fragments (selectors 08 = ISO-2 signed elements, 09 = ISO-2 SignedInfo): the libcbv2g vectors that
# tests/unit/test_exi_fragment.c checks, and the eMAID one of the relaxed element-fragment grammar (cbexigen issue 60).
printf '%s' 0880044200204060 80a0c0e101214161 81a1c1e207a0 | xxd -r -p >"$out/fragment-1"
printf '%s' 08807941000000000000000000000089a628f4 | xxd -r -p >"$out/fragment-2"
printf '%s' 0880ae4008000cfa00 | xxd -r -p >"$out/fragment-3"
printf '%s' 0880ec0202b4b21a40041111505090d0cc4c8cd05090cd4dbd3d00 | xxd -r -p >"$out/fragment-4"
n=$((n + 4))
echo "make_seeds: $n seeds in $out" >&2
