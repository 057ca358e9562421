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
. "$(dirname "$0")/lib/fw_session.sh"
qemu_fw_build

id=$$
S=ccsQS$id; E=ccsQE$id                   # plcsim (and QEMU), charger
veth "$S" "$E" e$id
mac_e=$(hostmac "$E" e$id)
tap=tq$id
qemu_tap "$S" "$tap"
start_plcsim "$S" "$tmp/plcsim.log" --port evse=se$id,role=evse --port car=$tap,role=pev --atten evse:car=20

# One charger process per plug-in, as `ccsplc evse --stop-after session` serves one session.
fw_sessions start_qemu "$S" "$tap"
wait $qemu || fail "firmware: QEMU exit $? (the firmware's verdict)"
echo "ok: QEMU ran the firmware to its end (exit 0)"

log=$tmp/uart.log
fw_check_log "$log" "$fw_mac" "$mac_e"
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

fw_check_chargers "$fw_mac"
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
