#!/usr/bin/env bash
# Builds the car firmware for QEMU's mps2-an386 (Cortex-M4, arm-none-eabi-gcc + newlib-nano, --gc-sections):
# the core (car profile: DIN + ISO-2 DC, car role only, [mcu] capacities), src/mininet, src/hw, the battery model
# of src/sim and this directory; writes OUT_DIR/car.elf and its
# map, prints flash and static RAM (in all and per part, footprint.awk), fails if the image holds stdio, heap or abort symbols.
# Usage: build.sh [OUT_DIR]   (exit 2 when arm-none-eabi-gcc is missing)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
fw=$here/firmware/mps2-an386
out=${1:-${TMPDIR:-/tmp}/ccsplc-mps2}
source "$here/scripts/lib/arm.sh"
command -v "$cc" >/dev/null || { echo "build.sh: $cc not found (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)" >&2; exit 2; }

rm -rf "$out" && mkdir -p "$out"
arm_profile=ccsplc/core/profiles/car.h   # every file with the same profile: sess_docs sized for it
arm_compile "$out" "${arm_core_globs[@]}" mininet/*.c hw/*.c sim/phys_*.c
objs=("${arm_objs[@]}")
for src in "$fw"/*.c; do
    "$cc" "${cflags[@]}" "$(arm_profile_flags)" -I"$fw" -I"$here/examples/baremetal" -c "$src" -o "$out/fw_$(basename "$src" .c).o"
    objs+=("$out/fw_$(basename "$src" .c).o")
done
"$cc" -mcpu=cortex-m4 -mthumb --specs=nano.specs -nostartfiles -Wl,--gc-sections -T"$fw/mps2.ld" \
    -Wl,-Map="$out/car.map" -o "$out/car.elf" "${objs[@]}" -lm
read -r text data bss < <("$sz" "$out/car.elf" | awk 'NR == 2 {print $1, $2, $3}')
sym() { "$nm" "$out/car.elf" | awk -v s="$1" '$3 == s {print $1}'; }
stack=$((0x$(sym __stack) - 0x$(sym __stack_limit)))
echo "car.elf: flash $((text + data)) bytes (text + rodata + data), static RAM $((data + bss - stack)) bytes (data + bss) + stack $stack"
awk -f "$fw/footprint.awk" "$out/car.map"
# The QCA7000 SPI variant of the frame I/O (examples/qca7000/, for a real car board) must keep compiling with src/qca.
arm_compile "$out" qca/*.c
"$cc" "${cflags[@]}" "$(arm_profile_flags)" -I"$fw" -c "$here/examples/qca7000/eth_qca7000.c" -o "$out/eth_qca7000.o"
bad=$("$nm" "$out/car.elf" | awk '{print $NF}' | grep -E "$arm_banned" || true)
[ -z "$bad" ] || { echo "build.sh: the image holds forbidden symbols: $(echo $bad)" >&2; exit 1; }
