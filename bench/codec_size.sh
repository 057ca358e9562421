#!/usr/bin/env bash
# EXI codec sizes: the runtime (src/exi/*.c) and each codec's grammar tables (src/exi/gen/<p>_tables.c, not the
# host-only *_meta.c names) compiled with -Os for the host (gcc) and for Cortex-M4; prints a markdown table.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
common=(-std=c11 -Os -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -I"$here/include" -I"$here/src/exi")
host=(gcc "${common[@]}")
arm=(arm-none-eabi-gcc "${common[@]}" -mcpu=cortex-m4 -mthumb -ffreestanding -ffunction-sections -fdata-sections)

# size <tag> <compiler+flags...> -- <sources...>: prints "text data bss" of the objects together.
size_of() {
    local tag=$1 sizecmd=size objs=() flags=() src
    shift
    while [ "$1" != -- ]; do flags+=("$1"); shift; done
    shift
    if [ "${flags[0]}" = arm-none-eabi-gcc ]; then sizecmd="arm-none-eabi-size"; fi
    for src in "$@"; do
        objs+=("$tmp/$tag.$(basename "$src" .c).o")
        "${flags[@]}" -c "$src" -o "${objs[-1]}"
    done
    "$sizecmd" -t "${objs[@]}" | awk '/\(TOTALS\)/ {print $1, $2, $3}'
}

row() { # row <name> <sources...>
    local name=$1 hs as h a
    shift
    hs=$(size_of "host-$name" "${host[@]}" -- "$@")
    as=$(size_of "arm-$name" "${arm[@]}" -- "$@")
    read -r -a h <<<"$hs"
    read -r -a a <<<"$as"
    printf '| %s | %d | %d | %d | %d | %d | %d |\n' "$name" "${h[@]}" "${a[@]}"
}

echo "| codec | host text | host data | host bss | Cortex-M4 text | Cortex-M4 data | Cortex-M4 bss |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
runtime=("$here"/src/exi/*.c)
row runtime "${runtime[@]}"
for t in "$here"/src/exi/gen/*_tables.c; do
    p=$(basename "$t" _tables.c)
    row "$p tables" "$t"
done
gen=$here/src/exi/gen
row "**din + runtime**" "${runtime[@]}" "$gen/din_tables.c"
row "**iso2 + runtime**" "${runtime[@]}" "$gen/iso2_tables.c"
row "**iso20 common + dc + runtime**" "${runtime[@]}" "$gen/iso20_tables.c" "$gen/iso20_dc_tables.c"
row "**all codecs + runtime**" "${runtime[@]}" "$gen"/*_tables.c
echo "(gcc -Os -c; text = code + const tables, i.e. flash; Cortex-M4: -mcpu=cortex-m4 -mthumb -ffreestanding" \
     "-ffunction-sections -fdata-sections; objects not linked)"
