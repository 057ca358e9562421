#!/usr/bin/env bash
# The car as microcontroller firmware (issue 12): firmware/mps2-an386 runs in QEMU's mps2-an386 (Cortex-M4) with
# its LAN9118 on a tap device that is a `ccsplc plcsim` port, `ccsplc evse -i` on a veth port (network namespaces
# made and removed here). The firmware does SLAC, SDP and a DIN 70121 session, then (plugged in again) an
# ISO 15118-2 DC session, each to its target SoC; the test asserts its UART log and the charger's results, and that
# the charger's pcaps and QEMU's dump of the firmware's NIC decode whole. Needs root, qemu-system-arm,
# arm-none-eabi-gcc (with newlib-nano) and /dev/net/tun.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
here=$(cd "$(dirname "$0")/../.." && pwd)
command -v qemu-system-arm >/dev/null || { echo "SKIP: needs qemu-system-arm"; exit 77; }
command -v arm-none-eabi-gcc >/dev/null || { echo "SKIP: needs arm-none-eabi-gcc (gcc-arm-none-eabi)"; exit 77; }
. "$(dirname "$0")/lib/netns.sh"
[ -c /dev/net/tun ] || skip "needs /dev/net/tun (tap devices)"

"$here/firmware/mps2-an386/build.sh" "$tmp/fw" >"$tmp/build.log" 2>&1 || fail "firmware build"

id=$$
S=ccsQS$id; E=ccsQE$id                   # plcsim (and QEMU), charger
veth "$S" "$E" e$id
mac_e=$(hostmac "$E" e$id)
fw_mac=02:00:00:ca:00:12
tap=tq$id
inns "$S" ip tuntap add dev "$tap" mode tap || skip "cannot create a tap device here"
inns "$S" sysctl -qw "net.ipv6.conf.$tap.disable_ipv6=1"
inns "$S" ip link set "$tap" up
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
# QEMU in the plcsim namespace (the tap lives there); its NIC's frames dumped as pcap (filter-dump); the UART log
# in a file; the firmware ends the run through semihosting with its verdict as the exit status. -icount shift=0:
# each instruction is 1 ns of virtual time, so the firmware's 25 MHz counter counts instructions (40 per tick);
# sleep=on: while the firmware waits in WFI the virtual clock follows real time (the charger's timers are real).
icount=${QEMU_ICOUNT:-shift=0,sleep=on}
ip netns exec "$S" timeout 300 qemu-system-arm -M mps2-an386 -kernel "$tmp/fw/car.elf" -display none -monitor none \
    -serial "file:$tmp/uart.log" -semihosting-config enable=on,target=native -icount "$icount" \
    -netdev tap,id=n0,ifname=$tap,script=no,downscript=no -net nic,netdev=n0,macaddr=$fw_mac \
    -object filter-dump,id=f0,netdev=n0,file="$tmp/fw.pcap" >"$tmp/qemu.log" 2>&1 </dev/null &
qemu=$!
pids+=($qemu)
# wait_charger TAG: the charger's exit status; fails at once when QEMU (the firmware) ends before the charger.
wait_charger() {
    while kill -0 $evse 2>/dev/null; do
        kill -0 $qemu 2>/dev/null || { wait $qemu; fail "$1: the firmware ended before the charger (QEMU exit $?)"; }
        sleep 0.2
    done
    wait $evse || fail "$1: evse exit $?"
}
wait_charger din
charger iso2 iso2-dc &
evse=$!
pids+=($evse)
wait_charger iso2
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
