#!/usr/bin/env bash
# Firmware link check (CI): links the bare-metal car and charger (examples/baremetal) for Cortex-M4 (newlib-nano,
# --gc-sections), each with the core compiled for its profile (include/ccsplc/core/profiles/*.h), prints flash
# and static RAM per firmware, fails if an image holds stdio, heap or abort symbols; the car's budget fails the run
# with ARM_LINK_ENFORCE=1 (CI sets it). Usage: arm-link.sh [OUT_DIR]
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

# The value of a config.h macro under a profile.
config() {
    printf '#include "ccsplc/core/config.h"\n%s\n' "$2" | "$cc" "${cflags[@]}" -DCCS_CONFIG_FILE="\"$1\"" -E -P - |
        tail -n 1
}

# The core for one profile: every sans-I/O source but the host-only EXI name tables (*_meta.c) and the session
# sources of protocols the profile leaves out; --gc-sections keeps what is used.
core() {
    local profile=$1 dir=$2 skip='^$'
    [ "$(config "$profile" CCS_PROTO_DIN)" = 1 ] || skip="$skip|^v2g/din_"
    [ "$(config "$profile" CCS_PROTO_ISO2)" = 1 ] || skip="$skip|^v2g/iso2_"
    [ "$(config "$profile" CCS_PROTO_ISO20)" = 1 ] || skip="$skip|^v2g/iso20_"
    mkdir -p "$dir"
    for src in $(cd "$here/src"; for g in common/*.c exi/*.c exi/gen/*_tables.c hpgp/*.c transport/*.c v2g/*.c; do
                 compgen -G "$g"; done | grep -Ev "$skip"); do
        obj="$dir/${src//\//_}.o"
        "$cc" "${cflags[@]}" -DCCS_CONFIG_FILE="\"$profile\"" -I"$here/src/$(dirname "$src")" -c "$here/src/$src" \
            -o "$obj"
        echo "$obj"
    done
}

"$cc" "${cflags[@]}" -c "$here/examples/baremetal/board_stub.c" -o "$out/board_stub.o"

failed=0
printf '| firmware | profile | flash (text + rodata + data) | static RAM (data + bss) | budget |\n'
printf '| --- | --- | ---: | ---: | --- |\n'
for fw in car charger; do
    main=$here/examples/baremetal/main.c
    [ $fw = car ] || main=$here/examples/baremetal/charger.c
    profile=ccsplc/core/profiles/$fw.h
    mapfile -t objs < <(core "$profile" "$out/$fw-core")
    "$cc" "${cflags[@]}" -DCCS_CONFIG_FILE="\"$profile\"" -c "$main" -o "$out/$fw-main.o"
    "$cc" "${ldflags[@]}" -Wl,-Map="$out/$fw.map" -o "$out/$fw.elf" "$out/$fw-main.o" "$out/board_stub.o" "${objs[@]}"
    read -r text data bss < <("$sz" "$out/$fw.elf" | awk 'NR == 2 {print $1, $2, $3}')
    flash=$((text + data)) ram=$((data + bss)) verdict="reported"
    if [ $fw = car ]; then
        if [ $flash -le "$flash_budget" ] && [ $ram -le "$ram_budget" ]; then verdict="holds"
        else verdict="**over** (flash ≤ $flash_budget, RAM ≤ $ram_budget)"; [ "${ARM_LINK_ENFORCE:-0}" = 1 ] && failed=1
        fi
    fi
    printf '| %s | `%s` | %d | %d | %s |\n' "$fw" "$profile" $flash $ram "$verdict"
    bad=$("$nm" "$out/$fw.elf" | awk '{print $NF}' | grep -E "$banned" || true)
    if [ -n "$bad" ]; then
        echo "arm-link: $fw image holds forbidden symbols: $(echo $bad)" >&2
        failed=1
    fi
done
echo "(car: DIN 70121 + ISO 15118-2 DC, external identification; charger: DIN + ISO-2 + ISO-20 DC; maps in $out)"
exit $failed
