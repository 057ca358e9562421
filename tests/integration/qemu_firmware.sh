#!/usr/bin/env bash
# The car as microcontroller firmware (issue 12): firmware/mps2-an386 runs in QEMU's mps2-an386 (Cortex-M4) with
# its LAN9118 on a tap device that is a `ccsplc plcsim` port, `ccsplc evse -i` on a veth port (network namespaces
# made and removed here). The firmware does SLAC, SDP and a DIN 70121 session, then (plugged in again) an
# ISO 15118-2 DC session, each to its target SoC; the test asserts its UART log and the charger's results, and that
# the charger's pcaps and QEMU's dump of the firmware's NIC decode whole. Needs root, qemu-system-arm,
# arm-none-eabi-gcc (with newlib-nano) and /dev/net/tun.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
. "$(dirname "$0")/lib/qemu_fw.sh"
qemu_fw_build

id=$$
S=ccsQS$id; E=ccsQE$id                   # plcsim (and QEMU), charger
veth "$S" "$E" e$id
mac_e=$(hostmac "$E" e$id)
tap=tq$id
qemu_tap "$S" "$tap"
start_plcsim "$S" "$tmp/plcsim.log" --port evse=se$id,role=evse --port car=$tap,role=pev --atten evse:car=20

# One charger process per plug-in, as `ccsplc evse --stop-after session` serves one session.
charger() {
    local tag=$1 proto=$2
    ip netns exec "$E" timeout 150 "$CCSPLC" evse -i he$id --stop-after session --proto "$proto" --timeout 120 \
        --pcap "$tmp/$tag-evse.pcapng" -v >"$tmp/$tag-evse.out" 2>"$tmp/$tag-evse.log" </dev/null
}
charger din din &
evse=$!
pids+=($evse)
start_qemu "$S" "$tap"
wait_peer $evse din || fail "din: evse exit $?"
charger iso2 iso2-dc &
evse=$!
pids+=($evse)
wait_peer $evse iso2 || fail "iso2: evse exit $?"
wait $qemu || fail "firmware: QEMU exit $? (the firmware's verdict)"
echo "ok: QEMU ran the firmware to its end (exit 0)"

log=$tmp/uart.log
grep -q "^boot: ccsplc car firmware on mps2-an386, MAC $fw_mac" "$log" || fail "uart: boot line"
[ "$(grep -c "^slac: matched EVSE $mac_e, link up" "$log")" = 2 ] || fail "uart: SLAC did not match twice"
[ "$(grep -c '^sdp: charger at \[fe80:' "$log")" = 2 ] || fail "uart: SDP"
grep -q "^session 1: din, stop normal, SoC now 51\.[0-9]* %, result ended normally" "$log" || fail "uart: DIN session"
grep -q "^session 2: iso2, stop normal, SoC now 52\.[0-9]* %, result ended normally" "$log" || fail "uart: ISO-2 session"
grep -q "^done: 2 of 2 sessions ended normally" "$log" || fail "uart: verdict"
for n in 1 2; do
    grep -Eq "^measure: session $n: .* [1-9][0-9]* cycles, ticks" "$log" || fail "uart: no CurrentDemand measured in session $n"
done
grep -Eq "^measure: stack peak [1-9][0-9]* bytes" "$log" || fail "uart: stack peak"
echo "ok: firmware log: SLAC, SDP, DIN to 51 %, ISO-2 DC to 52 %, measurements"
# the numbers of docs/benchmarks.md: with -icount shift=0 a tick of 40 ns is 40 instructions
num='\([0-9]*\)'
sed -n "s/^measure: session $num: \([a-z0-9]*\) CurrentDemand .* $num cycles, ticks of 40 ns: mean $num min $num max $num\$/\1 \2 \3 \4 \5 \6/p" "$log" |
    while read -r n proto cycles mean lo hi; do
        [ "$icount" = shift=0,sleep=on ] && echo "measure: session $n ($proto): instructions per CurrentDemand cycle" \
            "(decode + handle + encode, $cycles cycles): mean $((mean * 40)), min $((lo * 40)), max $((hi * 40)) (±40)"
    done
grep "^measure: stack" "$log"
grep "^car.elf:" "$tmp/build.log"

for tag in din iso2; do
    out=$tmp/$tag-evse.out
    grep -q "result      ended normally" "$out" || fail "$tag: charger result"
    grep -q "stop        normal" "$out" || fail "$tag: charger stop reason"
    grep -q "matched PEV $fw_mac" "$tmp/$tag-evse.log" || fail "$tag: charger matched another car"
    sent=$(grep -c "v2g: > " "$tmp/$tag-evse.log"); recv=$(grep -c "v2g: < " "$tmp/$tag-evse.log")
    grep -q "v2g: < CurrentDemandReq" "$tmp/$tag-evse.log" || fail "$tag: no CurrentDemandReq"
    "$CCSPLC" decode "$tmp/$tag-evse.pcapng" >"$tmp/$tag-evse.decode" 2>&1 || fail "$tag: decode charger pcap"
    grep -q "EXI      $((sent + recv)) messages, 0 decode errors" "$tmp/$tag-evse.decode" ||
        fail "$tag: charger pcap: $(grep 'EXI  ' "$tmp/$tag-evse.decode")"
    grep -q "end      SessionStop (OK)" "$tmp/$tag-evse.decode" || fail "$tag: charger pcap: session end"
done
echo "ok: charger: both sessions ended normally; its pcaps decode whole"
# QEMU's dump of the firmware's NIC: both sessions, each with the messages the charger logged, decode whole
"$CCSPLC" decode "$tmp/fw.pcap" >"$tmp/fw.decode" 2>&1 || fail "decode the firmware's pcap"
n=0
for tag in din iso2; do
    n=$((n + 1))
    msgs=$(($(grep -c "v2g: [<>] " "$tmp/$tag-evse.log")))
    awk -v s="== session $n: $tag " 'index($0, s) == 1 {on = 1} on && /^  EXI|^  end/ {print} on && /^  end/ {exit}' \
        "$tmp/fw.decode" >"$tmp/fw-$n.sum"
    grep -q "EXI      $msgs messages, 0 decode errors" "$tmp/fw-$n.sum" || fail "firmware pcap, session $n: $(cat "$tmp/fw-$n.sum")"
    grep -q "end      SessionStop (OK)" "$tmp/fw-$n.sum" || fail "firmware pcap, session $n: end"
done
grep -q "^totals: .* 0 malformed (0 HomePlug); TCP: 2 connections" "$tmp/fw.decode" || fail "firmware pcap: $(grep '^totals' "$tmp/fw.decode")"
echo "ok: the firmware's pcap (QEMU filter-dump): SLAC, SDP and both sessions decode whole"
