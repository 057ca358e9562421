#!/usr/bin/env bash
# Valgrind memcheck of the CLI (issue 6): a representative set of ccsplc invocations (EXI decode/encode, capture
# decoding, a whole simulated DIN session, PIB tools) must run without an invalid access, an uninitialised read
# or a definite leak. Skipped (77) without valgrind, or when the binary is built with ASan (they do not mix).
set -uo pipefail
CCSPLC=${CCSPLC:?path of the ccsplc binary}
SHARED=${CCS_SHARED_DIR:?shared test data}
here=$(cd "$(dirname "$0")" && pwd)
command -v valgrind >/dev/null || { echo "skip: valgrind not installed"; exit 77; }
# (no grep -q: nm would die of SIGPIPE and pipefail would hide the match)
if nm "$CCSPLC" 2>/dev/null | grep __asan_init >/dev/null; then echo "skip: $CCSPLC is built with ASan"; exit 77; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/pib_fixtures.py" make "$tmp" || { echo "FAIL: PIB fixtures"; exit 1; }
failed=0
n=0
# vg OUT_FILE ARGS...: one ccsplc run under memcheck; its own exit status must be 0.
vg() {
    local out=$1; shift
    n=$((n + 1))
    timeout 600 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --log-file="$tmp/vg.$n" "$CCSPLC" "$@" >"$out" 2>"$tmp/err.$n"
    local rc=$?
    if [ $rc -ne 0 ] || [ -s "$tmp/vg.$n" ]; then
        echo "FAIL (exit $rc): ccsplc $*"; cat "$tmp/vg.$n" "$tmp/err.$n" | head -40
        failed=1
    else
        echo "ok: ccsplc $*"
    fi
}
din=809a02000000000ef04d44d0d1400500c814410c9cc020     # SessionSetupRes, README example
vg "$tmp/m.xml" exi decode "$din"
vg /dev/null exi decode --kv -p din "$din"
vg "$tmp/hex" exi encode -p din "$tmp/m.xml"
grep -qi "$din" "$tmp/hex" || { echo "FAIL: encode gave $(cat "$tmp/hex")"; failed=1; }
vg /dev/null decode "$SHARED/captures/2022-11-17_Dehner_Alpitronic_until_SdpRequest.pcapng"
vg /dev/null decode --json "$SHARED/captures/2023-05-24_pyPlc_with_Ioniq93prcSoc.pcapng"
vg /dev/null demo --proto din --mem --capacity 10 --soc 20 --target-soc 21
vg /dev/null demo --proto din --capacity 10 --soc 20 --target-soc 21
vg /dev/null modem pib role evse "$tmp/flat.pib" -o "$tmp/flat.evse"
vg /dev/null modem pib role pev "$tmp/chain.nvm" -o "$tmp/chain.pev"
vg /dev/null modem pib show "$tmp/chain.pev"
[ $failed -eq 0 ] && echo "valgrind_cli: $n invocations clean"
exit $failed
