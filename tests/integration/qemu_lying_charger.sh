#!/usr/bin/env bash
# The firmware car against a charger we did not write (issue 12, with issue 16's peer): QEMU's mps2-an386 runs
# firmware/mps2-an386 on a `ccsplc plcsim` tap port; tests/integration/lying_charger.py answers SDP and the session
# after `ccsplc evse --stop-after slac` made the link. First plug-in: the scripted charger tells the truth (DIN 70121,
# real chargers' messages): the firmware charges to its target. Second: it reports -100 A in the ISO 15118-2 DC
# charging loop: the firmware stops with "reverse current" and opens its contactors within SESS_PEV_CURRENT_DROP_MS
# (5 s), or stops before they closed when the lie comes within its hardware step; its verdict (QEMU's exit status)
# is 1. Needs root, qemu-system-arm, arm-none-eabi-gcc and /dev/net/tun.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
here=$(dirname "$0")
. "$here/lib/netns.sh"
. "$here/lib/qemu_fw.sh"
command -v python3 >/dev/null || skip "needs python3"
SHARED=${CCS_SHARED_DIR:-$here/../../../shared}
[ -f "$SHARED/corpus/din.tsv" ] && [ -f "$SHARED/corpus/iso2.tsv" ] || skip "no corpus in $SHARED"
qemu_fw_build
for run in "din none" "iso2-dc negative-current"; do   # the peer's EXI conversions before the car comes
    timeout 300 python3 "$here/lying_charger.py" "$CCSPLC" "$SHARED" - $run "$tmp/exi-cache.json" prime ||
        fail "priming the scripted charger ($run)"
done

id=$$
S=ccsRS$id; E=ccsRE$id                   # plcsim (and QEMU), the scripted charger
veth "$S" "$E" e$id
tap=tr$id
qemu_tap "$S" "$tap"
start_plcsim "$S" "$tmp/plcsim.log" --port evse=se$id,role=evse --port car=$tap,role=pev --atten evse:car=20

# plug TAG PROTO LIE: the scripted charger and our SLAC for it in the background (pids in peer, slac).
plug() {
    ip netns exec "$E" timeout 150 python3 "$here/lying_charger.py" "$CCSPLC" "$SHARED" he$id "$2" "$3" \
        "$tmp/exi-cache.json" >"$tmp/$1-peer.out" 2>"$tmp/$1-peer.log" </dev/null &
    peer=$!
    ip netns exec "$E" timeout 100 "$CCSPLC" evse -i he$id --stop-after slac --timeout 90 \
        >"$tmp/$1-slac.out" 2>"$tmp/$1-slac.log" </dev/null &
    slac=$!
    pids+=($peer $slac)
}
plug truth din none
start_qemu "$S" "$tap"
wait_peer $slac truth || fail "truth: evse --stop-after slac exit $?"
wait_peer $peer truth || fail "truth: the scripted charger: exit $? $(tail -3 "$tmp/truth-peer.log")"
plug lie iso2-dc negative-current
wait_peer $slac lie || fail "lie: evse --stop-after slac exit $?"
wait $peer || fail "lie: the scripted charger: exit $? $(tail -3 "$tmp/lie-peer.log")"
wait $qemu && fail "the firmware's verdict: 0 with a lying charger"

log=$tmp/uart.log
grep -q "^session 1: din, stop normal, SoC now 51\.[0-9]* %, result ended normally" "$log" ||
    fail "uart: session 1 against the honest scripted charger"
grep -q "lie:" "$tmp/truth-peer.log" && fail "the honest charger lied"
echo "ok: the scripted charger telling the truth (DIN): the firmware charged to its target"
grep -q "^session 2: iso2, stop reverse current, SoC now [0-9.]* %, result FAILED" "$log" ||
    fail "uart: session 2: $(grep '^session 2' "$log")"
grep -q "^done: 1 of 2 sessions ended normally" "$log" || fail "uart: verdict"
# the contactors: closed for the charge, open at most 5 s (SESS_PEV_CURRENT_DROP_MS) after the first lying response
# reached the firmware (the times in the UART log are the firmware's milliseconds); the next request stops
read -r lied closed open next < <(awk '/^plug-in 2/ {on = 1} !on {next}
    /^v2g: < CurrentDemandRes/ && !l {l = $(NF - 1); getline; nx = $3}
    /^hw: contactors closed/ {c = $5} /^hw: contactors open/ {o = $5} END {print l + 0, c + 0, o + 0, nx}' "$log")
[ "$lied" -gt 0 ] || fail "uart: session 2: no CurrentDemandRes"
[ "$next" = PowerDeliveryReq ] || fail "uart: the request after the lie: $next"
grep -q "lie:" "$tmp/lie-peer.log" || fail "the charger never lied"
if [ "$closed" -eq 0 ]; then
    # the first response (the lie) came within the firmware's hardware step after the first CurrentDemandReq,
    # before the contactors closed (seen under load): they stay open, which is the safe end too
    [ "$open" -eq 0 ] || fail "uart: contactors opened at $open ms without having closed"
    when="before its contactors closed"
else
    [ "$closed" -lt "$lied" ] || fail "uart: session 2: first CurrentDemandRes at $lied ms, contactors closed at $closed ms"
    [ "$open" -gt "$lied" ] && [ $((open - lied)) -le 5000 ] || fail "uart: contactors open at $open ms, the lie at $lied ms"
    when="contactors open $((open - lied)) ms after the lie"
fi
echo "ok: the lying charger (ISO-2 DC, -100 A): the firmware stopped with 'reverse current', PowerDeliveryReq" \
    "next, $when; verdict 1"
