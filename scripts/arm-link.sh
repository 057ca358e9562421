#!/usr/bin/env bash
# Firmware link check (CI): links the bare-metal car and charger (examples/baremetal) with the core for Cortex-M4
# (newlib-nano, --gc-sections), prints flash and static RAM per profile, fails if the image holds stdio, heap or
# abort symbols; the car's budget fails the run only with ARM_LINK_ENFORCE=1. Usage: arm-link.sh [OUT_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-${TMPDIR:-/tmp}/ccsplc-arm-link}
cc=${ARM_CC:-arm-none-eabi-gcc}
nm=${ARM_NM:-arm-none-eabi-nm}
sz=${ARM_SIZE:-arm-none-eabi-size}
flash_budget=${ARM_FLASH_BUDGET:-65536}   # issue 9: car, DIN + ISO-2 DC, external identification
ram_budget=${ARM_RAM_BUDGET:-16384}
cflags=(-std=c11 -mcpu=cortex-m4 -mthumb -Os -ffreestanding -ffunction-sections -fdata-sections
        -Wall -Wextra -Werror -I"$here/include" -I"$here/src")
ldflags=(-mcpu=cortex-m4 -mthumb --specs=nano.specs -nostartfiles -Wl,--gc-sections -T"$here/scripts/arm-link.ld")
# Symbols a freestanding image must not hold: stdio, the heap, abort/exit.
banned='^(printf|sprintf|snprintf|vsnprintf|vfprintf|fprintf|puts|putchar|fputs|fwrite|_printf_i|_svfprintf_r|_vfprintf_r|malloc|free|calloc|realloc|_malloc_r|_free_r|abort|exit|_exit)$'
command -v "$cc" >/dev/null || { echo "arm-link: $cc not found (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)" >&2; exit 2; }

rm -rf "$out" && mkdir -p "$out"
# The core: every sans-I/O source but the host-only EXI name tables (*_meta.c); --gc-sections keeps what is used.
core=()
for src in $(cd "$here/src"; for g in common/*.c exi/*.c exi/gen/*_tables.c hpgp/*.c transport/*.c v2g/*.c; do
             compgen -G "$g"; done); do
    obj="$out/${src//\//_}.o"
    "$cc" "${cflags[@]}" -I"$here/src/$(dirname "$src")" -c "$here/src/$src" -o "$obj"
    core+=("$obj")
done
"$cc" "${cflags[@]}" -c "$here/examples/baremetal/board_stub.c" -o "$out/board_stub.o"

failed=0
printf '| firmware | flash (text + rodata + data) | static RAM (data + bss) | budget |\n| --- | ---: | ---: | --- |\n'
for fw in car charger; do
    main=$here/examples/baremetal/main.c
    [ $fw = car ] || main=$here/examples/baremetal/charger.c
    "$cc" "${cflags[@]}" -c "$main" -o "$out/$fw-main.o"
    "$cc" "${ldflags[@]}" -Wl,-Map="$out/$fw.map" -o "$out/$fw.elf" "$out/$fw-main.o" "$out/board_stub.o" "${core[@]}"
    read -r text data bss < <("$sz" "$out/$fw.elf" | awk 'NR == 2 {print $1, $2, $3}')
    flash=$((text + data)) ram=$((data + bss)) verdict="reported"
    if [ $fw = car ]; then
        if [ $flash -le "$flash_budget" ] && [ $ram -le "$ram_budget" ]; then verdict="holds"
        else verdict="**over** (flash ≤ $flash_budget, RAM ≤ $ram_budget)"; [ "${ARM_LINK_ENFORCE:-0}" = 1 ] && failed=1
        fi
    fi
    printf '| %s | %d | %d | %s |\n' "$fw" $flash $ram "$verdict"
    bad=$("$nm" "$out/$fw.elf" | awk '{print $NF}' | grep -E "$banned" || true)
    if [ -n "$bad" ]; then
        echo "arm-link: $fw image holds forbidden symbols: $(echo $bad)" >&2
        failed=1
    fi
done
echo "(car: DIN 70121 + ISO 15118-2 DC, external identification; charger: DIN + ISO-2 + ISO-20 DC; maps in $out)"
exit $failed
