#!/usr/bin/env bash
# MCU build check (CI): compiles the sans-I/O core for Cortex-M4 (arm-none-eabi-gcc, freestanding) and prints
# the flash/RAM size per module; exits non-zero if any core file fails to compile. Usage: arm-size.sh [OUT_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-${TMPDIR:-/tmp}/ccsplc-arm-size}
cc=${ARM_CC:-arm-none-eabi-gcc}
sz=${ARM_SIZE:-arm-none-eabi-size}
cflags=(-std=c11 -mcpu=cortex-m4 -mthumb -Os -ffreestanding -ffunction-sections -fdata-sections
        -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -I"$here/include" -I"$here/src")
command -v "$cc" >/dev/null || { echo "arm-size: $cc not found (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)" >&2; exit 2; }

# module name -> source globs (relative to src/); the EXI name tables (*_meta.c) are host-only.
modules=(common exi exi-tables hpgp transport v2g hw chademo sim qca mininet)
declare -A globs=([common]="common/*.c" [exi]="exi/*.c" [exi-tables]="exi/gen/*_tables.c" [hpgp]="hpgp/*.c"
                  [transport]="transport/*.c" [v2g]="v2g/*.c" [hw]="hw/*.c" [chademo]="chademo/*.c" [sim]="sim/*.c"
                  [qca]="qca/*.c" [mininet]="mininet/*.c")

rm -rf "$out" && mkdir -p "$out" && : >"$out/all.list"
failed=()
printf '| module | files | text | data | bss |\n| --- | ---: | ---: | ---: | ---: |\n'
for m in "${modules[@]}"; do
    objs=()
    for src in $(cd "$here/src"; compgen -G "${globs[$m]}" | sort); do
        obj="$out/${src//\//_}.o"
        if "$cc" "${cflags[@]}" -I"$here/src/$(dirname "$src")" -c "$here/src/$src" -o "$obj" 2>"$obj.err"; then
            objs+=("$obj")
        else
            failed+=("src/$src")
            sed 's/^/    /' "$obj.err" >&2
        fi
    done
    [ ${#objs[@]} -gt 0 ] || continue
    "$sz" -t "${objs[@]}" | awk -v m="$m" -v n=${#objs[@]} '/\(TOTALS\)/ {printf "| %s | %d | %d | %d | %d |\n", m, n, $1, $2, $3}'
    printf '%s\n' "${objs[@]}" >>"$out/all.list"
done
mapfile -t all <"$out/all.list"
[ ${#all[@]} -eq 0 ] || "$sz" -t "${all[@]}" | awk '/\(TOTALS\)/ {printf "| **core total** | | **%d** | **%d** | **%d** |\n", $1, $2, $3}'
echo "(text = code + const tables = flash; data + bss = static RAM; objects are not linked, so no --gc-sections)"
if [ ${#failed[@]} -gt 0 ]; then
    echo "arm-size: FAILED to compile for Cortex-M4: ${failed[*]}" >&2
    exit 1
fi
