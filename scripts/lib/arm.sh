# Shared by scripts/arm-link.sh and firmware/mps2-an386/build.sh (sourced): the Cortex-M4 compiler and flags, and
# arm_compile OUT SRC_GLOBS...: compiles the sources of src/ matching the globs into OUT, their objects in arm_objs.
here=${here:?the repository root}
cc=${ARM_CC:-arm-none-eabi-gcc}
nm=${ARM_NM:-arm-none-eabi-nm}
sz=${ARM_SIZE:-arm-none-eabi-size}
cflags=(-std=c11 -mcpu=cortex-m4 -mthumb -Os -ffreestanding -ffunction-sections -fdata-sections
        -Wall -Wextra -Werror -I"$here/include" -I"$here/src")
# The sans-I/O core without the host-only EXI name tables (*_meta.c); --gc-sections keeps what is used.
arm_core_globs=(common/*.c exi/*.c exi/gen/*_tables.c hpgp/*.c transport/*.c v2g/*.c)
# Symbols a freestanding image must not hold: stdio, the heap, abort/exit.
arm_banned='^(printf|sprintf|snprintf|vsnprintf|vfprintf|fprintf|puts|putchar|fputs|fwrite|_printf_i|_svfprintf_r|_vfprintf_r|malloc|free|calloc|realloc|_malloc_r|_free_r|abort|exit|_exit)$'

arm_compile() {
    local out=$1 src obj
    shift
    arm_objs=()
    for src in $(cd "$here/src"; for g in "$@"; do compgen -G "$g"; done); do
        obj="$out/${src//\//_}.o"
        "$cc" "${cflags[@]}" -I"$here/src/$(dirname "$src")" -c "$here/src/$src" -o "$obj"
        arm_objs+=("$obj")
    done
}
