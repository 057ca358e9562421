#!/usr/bin/env bash
# `ccsplc exi` as a user meets it: exit codes 0/1/2, V2GTP unwrapping, auto-detection, error messages that
# name the bit offset and what the grammar expected.
set -uo pipefail
: "${CCSPLC:?}" "${CCS_SHARED_DIR:?}"
fail=0
check() { # name, expected exit code, command...
  local name=$1 want=$2; shift 2
  "$@" >"$out" 2>"$err"; local rc=$?
  if [ "$rc" != "$want" ]; then echo "FAIL $name: exit $rc, want $want"; cat "$err"; fail=$((fail + 1)); fi
}
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# A real DIN CurrentDemandReq (first one in the corpus) and the handshake response.
read -r _ _ cdreq _ < <(grep -P '^din\tCurrentDemandReq\t' "$CCS_SHARED_DIR/corpus/din.tsv" | head -1)
check "help" 0 "$CCSPLC" exi --help
check "no args" 2 "$CCSPLC" exi
check "bad proto" 2 "$CCSPLC" exi decode -p nope "$cdreq"
check "decode din" 0 "$CCSPLC" exi decode -p din "$cdreq"
grep -q '<ns[0-9]*:CurrentDemandReq>' "$out" || { echo "FAIL decode din: no CurrentDemandReq element"; fail=$((fail + 1)); }
check "auto" 0 "$CCSPLC" exi decode "$cdreq"
grep -q 'detected din' "$err" || { echo "FAIL auto: did not say it detected din"; cat "$err"; fail=$((fail + 1)); }
len=$(printf '%08x' $(( ${#cdreq} / 2 )))
check "v2gtp frame" 0 "$CCSPLC" exi decode -p din --kv "01fe8001$len$cdreq"
grep -q '^DC_EVStatus.EVRESSSOC=' "$out" || { echo "FAIL v2gtp frame: no SOC in key=value output"; fail=$((fail + 1)); }
check "not hex" 1 "$CCSPLC" exi decode -p din "zz"
check "truncated" 1 "$CCSPLC" exi decode -p din "${cdreq:0:20}"
grep -q 'at bit [0-9]* .*expected' "$err" || { echo "FAIL truncated: message lacks bit offset/expectation"; cat "$err"; fail=$((fail + 1)); }
check "bad header" 1 "$CCSPLC" exi decode -p din "00${cdreq:2}"
echo '<not-xml' >"$out.xml"
check "encode bad xml" 1 "$CCSPLC" exi encode -p din "$out.xml"
"$CCSPLC" exi decode -p din "$cdreq" | sed 's/EVRESSSOC>/EVRESSSOX>/g' >"$out.xml"
check "encode unknown element" 1 "$CCSPLC" exi encode -p din "$out.xml"
grep -q 'unexpected element <EVRESSSOX>' "$err" || { echo "FAIL: unknown element not named"; cat "$err"; fail=$((fail + 1)); }
rm -f "$out.xml"
# fragment: a signed ISO-2 AuthorizationReq gives SignedInfo's xmldsig fragment and the request's; unsigned: exit 1
read -r _ _ authreq _ < <(grep -P '^iso2\tAuthorizationReq\t.*Signature\.' "$CCS_SHARED_DIR/corpus/iso2.tsv" | head -1)
check "fragment" 0 "$CCSPLC" exi fragment -p iso2 "$authreq"
[ "$(cut -c1-17 "$out" | tr '\n' '|')" = "- SignedInfo 8081|#ID1 Authorizatio|" ] ||
    { echo "FAIL fragment: $(cat "$out")"; fail=$((fail + 1)); }
check "fragment unsigned" 1 "$CCSPLC" exi fragment -p din "$cdreq"
grep -q 'has no signature' "$err" || { echo "FAIL fragment unsigned: $(cat "$err")"; fail=$((fail + 1)); }
# output that cannot be written (/dev/full) fails and names the error
if [ -w /dev/full ]; then
    for args in "decode -p din $cdreq" "decode -p din --kv $cdreq"; do
        "$CCSPLC" exi $args > /dev/full 2>"$err"; rc=$?
        if [ $rc != 1 ] || ! grep -q "cannot write the output: No space left on device" "$err"; then
            echo "FAIL exi $args to /dev/full: exit $rc: $(cat "$err")"; fail=$((fail + 1))
        fi
    done
fi
echo "cli_exi: $((18 - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
