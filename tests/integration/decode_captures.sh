#!/usr/bin/env bash
# `ccsplc decode` on every shared capture: exit 0 with no EXI decode error in the text, JSON Lines and XML forms;
# every JSON line parses; the three forms count the same EXI messages; every XML document parses.
set -euo pipefail
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
n=0
for cap in "$CCS_SHARED_DIR"/captures/*.pcap "$CCS_SHARED_DIR"/captures/*.pcapng; do
    name=$(basename "$cap")
    timeout 60 "$CCSPLC" decode "$cap" > "$tmp/text" 2> "$tmp/err" || fail "$name: text mode: $(cat "$tmp/err")"
    text=$(sed -n 's/.*EXI messages \([0-9]*\) (0 decode errors).*/\1/p' "$tmp/text")
    [ -n "$text" ] || fail "$name: no error-free totals line"
    timeout 60 "$CCSPLC" decode --json "$cap" > "$tmp/json" 2> "$tmp/err" || fail "$name: JSON mode: $(cat "$tmp/err")"
    json=$(python3 "$here/decode_check.py" json "$tmp/json") || fail "$name: $json"
    timeout 60 "$CCSPLC" decode --xml "$cap" > "$tmp/xml" 2> "$tmp/err" || fail "$name: XML mode: $(cat "$tmp/err")"
    xml=$(python3 - "$tmp/xml" <<'PY'
import sys, xml.dom.minidom
docs = open(sys.argv[1], encoding="utf-8").read().split("<?xml ")[1:]
for d in docs:
    xml.dom.minidom.parseString("<?xml " + d[:d.rindex(">") + 1])
print(len(docs))
PY
) || fail "$name: XML does not parse"
    [ "$text" = "$json" ] && [ "$json" = "$xml" ] || fail "$name: EXI messages text $text, JSON $json, XML $xml"
    echo "ok: $name: $json EXI messages"
    n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "no captures in $CCS_SHARED_DIR/captures"
# usage errors and unreadable files
set +e
"$CCSPLC" decode > /dev/null 2>&1; [ $? = 2 ] || fail "no argument: exit code is not 2"
"$CCSPLC" decode "$tmp/missing.pcap" > /dev/null 2>&1; [ $? = 1 ] || fail "missing file: exit code is not 1"
"$CCSPLC" decode --help | grep -q -- --html || fail "--help does not describe --html"
# output that cannot be written (a full disk: /dev/full) is a failure that names the error, in every form
if [ -w /dev/full ]; then
    cap=$CCS_SHARED_DIR/captures/2023-05-24_pyPlc_with_Ioniq93prcSoc.pcapng   # V2G messages: every form writes
    for form in "" --json --xml; do
        "$CCSPLC" decode $form "$cap" > /dev/full 2> "$tmp/err"; rc=$?
        [ $rc = 1 ] || fail "decode $form to a full disk: exit $rc"
        grep -q "cannot write the output: No space left on device" "$tmp/err" || fail "decode $form: $(cat "$tmp/err")"
    done
    echo "ok: decode to a full disk exits 1 and says why"
fi
