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
    xmllint --noout "$tmp/xml" || fail "$name: the XML output is not one well-formed document"
    xml=$(python3 - "$tmp/xml" <<'PY'
import sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1]).documentElement
assert doc.tagName == "ccsplc-decode" and len(doc.getElementsByTagName("capture")) == 1
msgs = doc.getElementsByTagName("message")
for m in msgs:  # each holds one element: the message's document
    assert len([c for c in m.childNodes if c.nodeType == c.ELEMENT_NODE]) == 1, m.toxml()[:200]
print(len(msgs))
PY
) || fail "$name: XML does not parse"
    [ "$text" = "$json" ] && [ "$json" = "$xml" ] || fail "$name: EXI messages text $text, JSON $json, XML $xml"
    echo "ok: $name: $json EXI messages"
    n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "no captures in $CCS_SHARED_DIR/captures"
# several captures in one run: each decoded on its own, in order, as one XML document; one missing file fails
# the run (exit 1) while the others are still decoded
set -- "$CCS_SHARED_DIR"/captures/2023-05-24_pyPlc_with_Ioniq93prcSoc.pcapng \
    "$CCS_SHARED_DIR"/captures/2024-04-20_ModelY_pyPLC_stop_in_precharge.pcapng
timeout 60 "$CCSPLC" decode --xml "$@" > "$tmp/both.xml" 2> /dev/null || fail "two captures: exit $?"
xmllint --noout "$tmp/both.xml" || fail "two captures: not one well-formed XML document"
want=$(for f in "$@"; do "$CCSPLC" decode --json "$f" 2> /dev/null | grep -c '"layer":"v2g"'; done | paste -sd' ')
got=$(python3 -c '
import sys, xml.dom.minidom
d = xml.dom.minidom.parse(sys.argv[1])
print(" ".join(str(len(c.getElementsByTagName("message"))) for c in d.getElementsByTagName("capture")))' "$tmp/both.xml")
[ "$got" = "$want" ] || fail "two captures: XML messages per capture $got, JSON $want"
timeout 60 "$CCSPLC" decode "$@" > "$tmp/both.txt" 2> /dev/null
[ "$(grep -c '^== capture ' "$tmp/both.txt")" = 2 ] && [ "$(grep -c '^totals: ' "$tmp/both.txt")" = 2 ] ||
    fail "two captures: not two text reports"
timeout 60 "$CCSPLC" decode -q --html "$tmp/reports" "$@" 2> /dev/null || fail "two captures: --html DIR"
for f in "$@"; do [ -s "$tmp/reports/$(basename "$f").html" ] || fail "no report for $f in the directory"; done
set +e
timeout 60 "$CCSPLC" decode --json "$1" "$tmp/missing.pcap" "$2" > "$tmp/some.json" 2> /dev/null; rc=$?
set -e
[ $rc = 1 ] || fail "a missing capture among others: exit $rc"
[ "$(grep -c '"layer":"capture"' "$tmp/some.json")" = 3 ] && [ "$(grep -c '"layer":"v2g"' "$tmp/some.json")" = \
    "$(( $(echo "$want" | tr ' ' '+') ))" ] || fail "a missing capture among others: the others not decoded"
echo "ok: two captures in one run (text, JSON, XML as one document, --html DIR)"
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
