#!/usr/bin/env bash
# The release binary carries the hardening of CMakeLists.txt (issue 6): PIE (ELF type DYN), full RELRO
# (GNU_RELRO segment + BIND_NOW), stack protector (__stack_chk_fail) and _FORTIFY_SOURCE (__*_chk calls).
# Skipped (77) for sanitizer, fuzz, Debug or CCS_HARDEN=OFF builds, which do not get these flags.
set -uo pipefail
CCSPLC=${CCSPLC:?path of the ccsplc binary}
: "${CCS_BUILD_DIR:?build directory}"
command -v readelf >/dev/null || { echo "skip: readelf not installed"; exit 77; }
. "$(dirname "$0")/lib/build_cache.sh"
build_sanitized && { echo "skip: sanitizer or fuzz build"; exit 77; }
case $(build_cache CCS_HARDEN) in OFF|0|FALSE) echo "skip: CCS_HARDEN=OFF"; exit 77 ;; esac
[ "$(build_cache CMAKE_BUILD_TYPE)" = Debug ] && { echo "skip: Debug build (no _FORTIFY_SOURCE)"; exit 77; }
header=$(readelf -h "$CCSPLC") segments=$(readelf -lW "$CCSPLC") dynamic=$(readelf -dW "$CCSPLC")
symbols=$(readelf -sW --dyn-syms "$CCSPLC")
failed=0
check() { if grep -Eq "$3" <<<"$2"; then echo "ok: $1"; else echo "FAIL: $1"; failed=1; fi; }
check "PIE (ELF type DYN)" "$header" 'Type: +DYN'
check "RELRO segment" "$segments" GNU_RELRO
check "BIND_NOW (full RELRO)" "$dynamic" 'BIND_NOW|FLAGS.*NOW'
check "stack protector (__stack_chk_fail)" "$symbols" __stack_chk_fail
check "_FORTIFY_SOURCE (__*_chk)" "$symbols" '__(memcpy|printf|snprintf|fprintf|read|fread|memset)_chk'
if grep GNU_STACK <<<"$segments" | grep -q RWE; then echo "FAIL: executable stack"; failed=1; else echo "ok: no executable stack"; fi
exit $failed
