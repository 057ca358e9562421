# Shared by scripts/arm-link.sh and firmware/mps2-an386/build.sh (sourced): the Cortex-M4 compiler and flags, and
# arm_compile OUT SRC_GLOBS...: compiles the sources of src/ matching the globs into OUT, their objects in arm_objs;
# with arm_profile set (a header such as ccsplc/core/profiles/car.h) every file is compiled with that
# CCS_CONFIG_FILE and the session sources of protocols the profile leaves out are skipped.
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

arm_profile=${arm_profile:-}

# The value of a config.h macro under a profile.
arm_config() {
    printf '#include "ccsplc/core/config.h"\n%s\n' "$2" | "$cc" "${cflags[@]}" -DCCS_CONFIG_FILE="\"$1\"" -E -P - |
        tail -n 1
}

# The C flags of arm_profile (none without one).
arm_profile_flags() {
    [ -z "$arm_profile" ] || echo "-DCCS_CONFIG_FILE=\"$arm_profile\""
}

arm_compile() {
    local out=$1 src obj skip='^$' pflags=()
    shift
    if [ -n "$arm_profile" ]; then
        pflags=("$(arm_profile_flags)")
        [ "$(arm_config "$arm_profile" CCS_PROTO_DIN)" = 1 ] || skip="$skip|^v2g/din_"
        [ "$(arm_config "$arm_profile" CCS_PROTO_ISO2)" = 1 ] || skip="$skip|^v2g/iso2_"
        [ "$(arm_config "$arm_profile" CCS_PROTO_ISO20)" = 1 ] || skip="$skip|^v2g/iso20_"
    fi
    mkdir -p "$out"
    arm_objs=()
    for src in $(cd "$here/src"; for g in "$@"; do compgen -G "$g"; done | grep -Ev "$skip"); do
        obj="$out/${src//\//_}.o"
        "$cc" "${cflags[@]}" "${pflags[@]}" -I"$here/src/$(dirname "$src")" -c "$here/src/$src" -o "$obj"
        arm_objs+=("$obj")
    done
}
