#!/usr/bin/env bash
# The library as a product: install the build into a temporary prefix, build examples/ against it with
# find_package(ccsplc) and with pkg-config, run them; the bare-metal loop also compiles for Cortex-M4 from the
# installed headers alone when arm-none-eabi-gcc is there.
set -euo pipefail
: "${CCS_SOURCE_DIR:?}" "${CCS_BUILD_DIR:?}"
command -v pkg-config >/dev/null || { echo "pkg-config not installed: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$CCS_BUILD_DIR" --prefix "$prefix" --component lib >/dev/null
pcdir=$(dirname "$(find "$prefix" -name ccsplc.pc)")
[ -f "$prefix/include/ccsplc/core/version.h" ] || { echo "FAIL: version.h not installed"; exit 1; }
[ ! -e "$prefix/include/ccsplc/core/version.h.in" ] || { echo "FAIL: the version.h template got installed"; exit 1; }

check_run() {  # $1: build dir
    local out
    out=$("$1/linux_session")
    echo "$out" | sed 's/^/    /'
    for want in "protocol: din" "charger: done, stop normal" "car: done, stop normal, soc 30 %"; do
        grep -qxF "$want" <<<"$out" || { echo "FAIL: linux_session did not print '$want'"; exit 1; }
    done
    grep -qx "ccsplc $(pkg-config --modversion --with-path "$pcdir" ccsplc-core), in-process session" <<<"$out" ||
        { echo "FAIL: linux_session's version is not the package's"; exit 1; }
    local rc=0
    out=$("$1/baremetal") || rc=$?
    echo "    $out (exit $rc)"
    [ "$rc" = 1 ] || { echo "FAIL: baremetal should end unfinished (no modem), exit 1"; exit 1; }
    [[ "$out" =~ ^host\ board:\ ([0-9]+)\ HomePlug ]] && [ "${BASH_REMATCH[1]}" -gt 0 ] ||
        { echo "FAIL: the bare-metal loop sent no SLAC frame"; exit 1; }
}

flags="-Wall -Wextra -Wshadow -Wstrict-prototypes -Werror"
# A sanitizer build installs instrumented libraries: the examples need the same compiler and runtime to link.
. "$(dirname "$0")/lib/build_cache.sh"
host_flags=$flags host_cc=()
if build_sanitized; then
    host_flags="$flags -fsanitize=address,undefined"
    host_cc=(-DCMAKE_C_COMPILER="$(build_cache CMAKE_C_COMPILER)")
fi
echo "== find_package(ccsplc)"
cmake -S "$CCS_SOURCE_DIR/examples" -B "$tmp/b-cmake" -DCMAKE_PREFIX_PATH="$prefix" "${host_cc[@]}" \
    -DCMAKE_C_FLAGS="$host_flags" >/dev/null
cmake --build "$tmp/b-cmake" >/dev/null
check_run "$tmp/b-cmake"

echo "== pkg-config"
PKG_CONFIG_PATH=$pcdir cmake -S "$CCS_SOURCE_DIR/examples" -B "$tmp/b-pc" -DCCS_EXAMPLES_PKGCONFIG=ON \
    "${host_cc[@]}" -DCMAKE_C_FLAGS="$host_flags" >/dev/null
cmake --build "$tmp/b-pc" >/dev/null
check_run "$tmp/b-pc"
# The all-in-one package resolves too (its Linux dependencies included).
PKG_CONFIG_PATH=$pcdir pkg-config --libs ccsplc | grep -q -- "-lccsplc_tools" || { echo "FAIL: pkg-config ccsplc"; exit 1; }

if command -v arm-none-eabi-gcc >/dev/null; then
    echo "== Cortex-M4: the bare-metal loop from the installed headers"
    arm-none-eabi-gcc -std=c11 -mcpu=cortex-m4 -mthumb -Os -ffreestanding $flags -I"$prefix/include" \
        -c "$CCS_SOURCE_DIR/examples/baremetal/main.c" -o "$tmp/main-m4.o"
fi
echo "examples: built and ran against the installed package"
