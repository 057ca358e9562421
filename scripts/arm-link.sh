#!/usr/bin/env bash
# Firmware link check (CI): links the bare-metal car and charger (examples/baremetal) for Cortex-M4 (newlib-nano,
# --gc-sections), each with the core compiled for its profile (include/ccsplc/core/profiles/*.h), prints flash
# and static RAM per firmware, fails if an image holds stdio, heap or abort symbols; the car's budget fails the run
# with ARM_LINK_ENFORCE=1 (CI sets it). Usage: arm-link.sh [OUT_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-${TMPDIR:-/tmp}/ccsplc-arm-link}
source "$here/scripts/lib/arm.sh"
flash_budget=${ARM_FLASH_BUDGET:-65536}   # issue 9: car, DIN + ISO-2 DC, external identification
ram_budget=${ARM_RAM_BUDGET:-16384}
ldflags=(-mcpu=cortex-m4 -mthumb --specs=nano.specs -nostartfiles -Wl,--gc-sections -T"$here/scripts/arm-link.ld")
command -v "$cc" >/dev/null || { echo "arm-link: $cc not found (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)" >&2; exit 2; }

rm -rf "$out" && mkdir -p "$out"
"$cc" "${cflags[@]}" -c "$here/examples/baremetal/board_stub.c" -o "$out/board_stub.o"

failed=0
printf '| firmware | profile | flash (text + rodata + data) | static RAM (data + bss) | budget |\n'
printf '| --- | --- | ---: | ---: | --- |\n'
for fw in car charger; do
    main=$here/examples/baremetal/main.c
    [ $fw = car ] || main=$here/examples/baremetal/charger.c
    arm_profile=ccsplc/core/profiles/$fw.h
    arm_compile "$out/$fw-core" "${arm_core_globs[@]}"
    "$cc" "${cflags[@]}" "$(arm_profile_flags)" -c "$main" -o "$out/$fw-main.o"
    "$cc" "${ldflags[@]}" -Wl,-Map="$out/$fw.map" -o "$out/$fw.elf" "$out/$fw-main.o" "$out/board_stub.o" \
        "${arm_objs[@]}"
    read -r text data bss < <("$sz" "$out/$fw.elf" | awk 'NR == 2 {print $1, $2, $3}')
    flash=$((text + data)) ram=$((data + bss)) verdict="reported"
    if [ $fw = car ]; then
        if [ $flash -le "$flash_budget" ] && [ $ram -le "$ram_budget" ]; then verdict="holds"
        else verdict="**over** (flash ≤ $flash_budget, RAM ≤ $ram_budget)"; [ "${ARM_LINK_ENFORCE:-0}" = 1 ] && failed=1
        fi
    fi
    printf '| %s | `%s` | %d | %d | %s |\n' "$fw" "$arm_profile" $flash $ram "$verdict"
    bad=$("$nm" "$out/$fw.elf" | awk '{print $NF}' | grep -E "$arm_banned" || true)
    if [ -n "$bad" ]; then
        echo "arm-link: $fw image holds forbidden symbols: $(echo $bad)" >&2
        failed=1
    fi
done
echo "(car: DIN 70121 + ISO 15118-2 DC, external identification; charger: DIN + ISO-2 + ISO-20 DC; maps in $out)"
exit $failed
