#!/usr/bin/env bash
# Whole sessions between processes: `ccsplc evse -i` and `ccsplc pev -i` in two network namespaces joined by
# `ccsplc plcsim` (namespaces and veth pairs made and removed here) run SLAC, SDP on link-local IPv6 and a DIN
# 70121 session (and ISO 15118-2 DC and AC, ISO 15118-20 DC when `ccsplc demo --proto ...` works); their --pcap files open in
# tshark with SLAC dissected and the V2GTP/TCP stream present. Needs root and `ip netns`.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, raw sockets)"
command -v ip >/dev/null || skip "needs iproute2 (ip netns)"
. "$(dirname "$0")/lib/realtime.sh"   # hard deadlines before a parallel build's load

id=$$
S=ccsLS$id; E=ccsLE$id; P=ccsLP$id     # plcsim, charger, car
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    for ns in "$S" "$E" "$P"; do ip netns del "$ns" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$S" 2>/dev/null || skip "cannot create network namespaces here"
fail() { echo "FAIL: $*"; for f in "$tmp"/*.log "$tmp"/*.out; do [ -f "$f" ] && { echo "== $f"; cat "$f"; }; done; exit 1; }
inns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# veth pair NAME: host end h$NAME in namespace NS (IPv6 on: SDP and V2GTP use its link-local address; no checksum
# offload (plcsim forwards frames as the socket saw them, unfilled checksums would be dropped), no GSO/TSO:
# plcsim forwards Ethernet frames one by one), plcsim end s$NAME in $S (IPv6 off: only simulated traffic).
veth() {
    local ns=$1 name=$2
    ip netns add "$ns"
    ip link add "h$name" netns "$ns" type veth peer name "s$name" netns "$S" || fail "veth $name"
    inns "$S" sysctl -qw "net.ipv6.conf.s$name.disable_ipv6=1"
    inns "$ns" sysctl -qw "net.ipv6.conf.h$name.accept_dad=0"
    for x in "$ns h$name" "$S s$name"; do
        set -- $x
        inns "$1" ethtool -K "$2" tx off gso off tso off gro off >/dev/null 2>&1
        inns "$1" ip link set "$2" up
    done
    inns "$ns" ip link set lo up
}
veth "$E" e$id
veth "$P" p$id
mac_e=$(inns "$E" cat "/sys/class/net/he$id/address")
mac_p=$(inns "$P" cat "/sys/class/net/hp$id/address")

ip netns exec "$S" timeout 300 "$CCSPLC" plcsim --port evse=se$id,role=evse --port car=sp$id,role=pev \
    --atten evse:car=20 >"$tmp/plcsim.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q running "$tmp/plcsim.log" && break; sleep 0.1; done
grep -q running "$tmp/plcsim.log" || fail "plcsim did not start"

# The car's settings come from a pyPlc.ini-style file (pyPLC's key names in [general], ours in [pev]): a small
# battery so the charge takes seconds.
cat >"$tmp/car.ini" <<INI
[general]
mode = PevMode
eth_interface = hp$id
charge_target_voltage = 400
u_delta_max_for_end_of_precharge = 10
display_via_serial = no
[pev]
soc = 50
target_soc = 52
capacity_kwh = 5
INI

# One session: charger and car as separate processes.
session() {
    local proto=$1 tag=$2
    ip netns exec "$E" timeout 120 "$CCSPLC" evse -i he$id --stop-after session --proto "$proto" --timeout 90 --pcap "$tmp/$tag-evse.pcapng" \
        -v >"$tmp/$tag-evse.out" 2>"$tmp/$tag-evse.log" </dev/null &
    local evse=$!
    pids+=($evse)
    inns "$P" timeout 120 "$CCSPLC" pev -c "$tmp/car.ini" --proto "$proto" --timeout 90 --pcap "$tmp/$tag-pev.pcapng" \
        -v >"$tmp/$tag-pev.out" 2>"$tmp/$tag-pev.log" </dev/null || fail "$tag: pev exit $?"
    wait $evse || fail "$tag: evse exit $?"
    for side in evse pev; do
        grep -q "result      ended normally" "$tmp/$tag-$side.out" || fail "$tag: $side did not end normally"
        grep -q "stop        normal" "$tmp/$tag-$side.out" || fail "$tag: $side stop reason"
    done
    grep -q "matched PEV $mac_p" "$tmp/$tag-evse.log" || fail "$tag: evse log: peer"
    grep -q "matched EVSE $mac_e" "$tmp/$tag-pev.log" || fail "$tag: pev log: peer"
    grep -q "sdp: charger at \[fe80::" "$tmp/$tag-pev.log" || fail "$tag: pev: SDP answer with a link-local address"
    # the car reached its target SoC (the battery model's own number), the charger metered energy
    grep -Eq "SoC 50.0 % -> 5[2-3]\.[0-9]+ %" "$tmp/$tag-pev.out" || fail "$tag: pev SoC"
    grep -Eq "energy      0\.[0-9]*[1-9][0-9]* kWh delivered" "$tmp/$tag-evse.out" || fail "$tag: evse energy"
    # the first current is recorded for every charge loop, on both sides: after SDP ("times ... SDP S s, first
    # current F s", not "none")
    for side in evse pev; do
        awk '/^  times/ { ok = $11 + 0 > $7 + 0 } END { exit !ok }' "$tmp/$tag-$side.out" ||
            fail "$tag: $side: $(grep '  times' "$tmp/$tag-$side.out")"
    done
    # every message one side sent, the other received
    local sent_e recv_p sent_p recv_e
    sent_e=$(grep -c "v2g: > " "$tmp/$tag-evse.log"); recv_p=$(grep -c "v2g: < " "$tmp/$tag-pev.log")
    sent_p=$(grep -c "v2g: > " "$tmp/$tag-pev.log"); recv_e=$(grep -c "v2g: < " "$tmp/$tag-evse.log")
    [ "$sent_e" = "$recv_p" ] && [ "$sent_p" = "$recv_e" ] && [ "$sent_p" -gt 10 ] ||
        fail "$tag: message counts evse>$sent_e pev<$recv_p pev>$sent_p evse<$recv_e"
    local loop=CurrentDemandReq
    [ "$proto" = iso2-ac ] && loop=ChargingStatusReq
    [ "$proto" = iso20-dc ] && loop=DC_ChargeLoopReq
    grep -q "v2g: > $loop" "$tmp/$tag-pev.log" || fail "$tag: no $loop"
    grep -q "v2g: < SessionStopRes" "$tmp/$tag-pev.log" || fail "$tag: no SessionStopRes"
    echo "ok: $tag session between processes ($sent_p requests, $sent_e responses)"
    # both pcaps hold the whole conversation: ccsplc decode finds every message, the end, and the car's
    # EVTargetVoltage from the config file (charge_target_voltage)
    for side in evse pev; do
        "$CCSPLC" decode "$tmp/$tag-$side.pcapng" >"$tmp/$tag-$side.decode" 2>&1 || fail "$tag: decode $side pcap"
        grep -q "EXI      $((sent_e + sent_p)) messages, 0 decode errors" "$tmp/$tag-$side.decode" ||
            fail "$tag: $side pcap: $(grep 'EXI  ' "$tmp/$tag-$side.decode")"
        grep -q "end      SessionStop (OK)" "$tmp/$tag-$side.decode" || fail "$tag: $side pcap: session end"
        # (ISO-2 AC has no target voltage; ISO-20's dynamic mode none either)
        case $proto in iso2-ac | iso20-dc) ;; *)
            grep -q "CurrentDemandReq .*EVTargetVoltage=400 " "$tmp/$tag-$side.decode" ||
                fail "$tag: $side pcap: EVTargetVoltage" ;;
        esac
    done
    if command -v tshark >/dev/null; then
        for side in evse pev; do
            local f=$tmp/$tag-$side.pcapng tcp udp
            tshark -r "$f" -Y homeplug-av -T fields -e homeplug_av.mmhdr.mmtype >"$tmp/$tag-$side.mm" 2>/dev/null ||
                fail "$tag: tshark cannot read $f"
            # CM_SLAC_PARAM (0x6064/0x6065) and CM_SLAC_MATCH (0x607c/0x607d) dissected
            grep -qiE "0x606[45]" "$tmp/$tag-$side.mm" && grep -qiE "0x607[cd]" "$tmp/$tag-$side.mm" ||
                fail "$tag: $side pcap: SLAC messages not dissected: $(sort -u "$tmp/$tag-$side.mm" | tr '\n' ' ')"
            tcp=$(tshark -r "$f" -Y "ipv6 && tcp.len > 0" 2>/dev/null | wc -l)
            udp=$(tshark -r "$f" -Y "udp.port == 15118" 2>/dev/null | wc -l)
            [ "$tcp" -ge "$sent_e" ] || fail "$tag: $side pcap: $tcp TCP data segments"
            [ "$udp" -ge 2 ] || fail "$tag: $side pcap: $udp SDP datagrams"
        done
        echo "ok: $tag pcaps: SLAC dissected by tshark, SDP and the V2GTP/TCP stream present, every message decoded"
    else
        echo "ok: $tag pcaps decoded (tshark not installed: SLAC dissection not checked)"
    fi
}

# --stop-after sdp: both end after SDP with exit 0, the car knows the charger's address and port
ip netns exec "$E" timeout 60 "$CCSPLC" evse -i he$id --stop-after sdp --timeout 30 >"$tmp/sdp-evse.out" \
    2>"$tmp/sdp-evse.log" </dev/null &
evse=$!
pids+=($evse)
inns "$P" timeout 60 "$CCSPLC" pev -i hp$id --stop-after sdp --timeout 30 >"$tmp/sdp-pev.out" 2>"$tmp/sdp-pev.log" \
    </dev/null || fail "sdp: pev exit $?"
wait $evse || fail "sdp: evse exit $?"
port=$(grep -o 'V2GTP server \[fe80::[0-9a-f:]*%he[0-9]*\]:[0-9]*' "$tmp/sdp-evse.log" | grep -o '[0-9]*$')
grep -q "sdp: charger at \[fe80::.*\]:$port$" "$tmp/sdp-pev.log" || fail "sdp: the car did not get port $port"
grep -qx "pev: sdp done" "$tmp/sdp-pev.out" && grep -qx "evse: sdp done" "$tmp/sdp-evse.out" || fail "sdp: results"
echo "ok: --stop-after sdp: the car got the charger's link-local address and port $port"

session din din

# Interrupted: SIGTERM to the car while it charges. It goes to its safe state (stop requested, contactors
# opened at low current) and exits 1; the charger sees the connection close, goes safe and exits 1.
ip netns exec "$E" timeout 60 "$CCSPLC" evse -i he$id --stop-after session --timeout 50 >"$tmp/int-evse.out" 2>"$tmp/int-evse.log" </dev/null &
evse=$!
pids+=($evse)
ip netns exec "$P" timeout 60 "$CCSPLC" pev -i hp$id --proto din --timeout 50 -v >"$tmp/int-pev.out" 2>"$tmp/int-pev.log" </dev/null &
pev=$!
pids+=($pev)
for _ in $(seq 300); do grep -q "v2g: < CurrentDemandRes" "$tmp/int-pev.log" && break; sleep 0.1; done
grep -q "v2g: < CurrentDemandRes" "$tmp/int-pev.log" || fail "interrupt: the car never charged"
sleep 0.5
kill -TERM $pev
wait $pev && fail "interrupt: pev exit 0"
wait $evse && fail "interrupt: evse exit 0"
grep -q "v2g: safe state$" "$tmp/int-pev.log" || fail "interrupt: pev safe state not confirmed"
grep -q "result      FAILED" "$tmp/int-pev.out" || fail "interrupt: pev result"
grep -q "the car closed the connection" "$tmp/int-evse.log" || fail "interrupt: evse did not see the close"
grep -q "stop        disconnected" "$tmp/int-evse.out" ||
    fail "interrupt: evse stop reason: $(grep stop "$tmp/int-evse.out")"
echo "ok: SIGTERM while charging: car safe (exit 1), charger safe after the close (exit 1)"
# Keys on a terminal, as pyPLC users know them: space while charging stops gracefully (PowerDelivery(stop),
# WeldingDetection, SessionStop): both exit 0, the car's stop reason is "user stop"; the status line was shown.
# The key once the status line shows current (10 A or more): a stop before any energy is a failed charge.
ip netns exec "$E" timeout 60 "$CCSPLC" evse -i he$id --stop-after session --timeout 50 >"$tmp/key-evse.out" 2>"$tmp/key-evse.log" </dev/null &
evse=$!
pids+=($evse)
inns "$P" python3 "$(dirname "$0")/pty_keys.py" "$tmp/key-pev.out" "CurrentDemand +[0-9.]+ V +[1-9][0-9]+\.[0-9] A" " " 60 -- \
    timeout 55 "$CCSPLC" pev -i hp$id --proto din --timeout 50 || fail "keys: pev exit $?"
wait $evse || fail "keys: evse exit $?"
tr '\r' '\n' <"$tmp/key-pev.out" >"$tmp/key-pev.log"
grep -q "stopping charging gracefully" "$tmp/key-pev.log" || fail "keys: space not taken"
grep -q "stop        user stop" "$tmp/key-pev.log" || fail "keys: car stop reason"
grep -Eq "^pev +din +CurrentDemand +[0-9.]+ V +[0-9.]+ A +[0-9.]+ kW +SoC +[0-9.]+ %" "$tmp/key-pev.log" ||
    fail "keys: no status line"
grep -q "stop        normal" "$tmp/key-evse.out" || fail "keys: charger stop reason"
echo "ok: space on the car's terminal stopped charging gracefully; status line shown"

for proto in iso2-dc iso2-ac iso20-dc; do
    if "$CCSPLC" demo --proto $proto --soc 79 --target-soc 80 >/dev/null 2>&1; then
        session $proto $proto
    else
        echo "skipped: $proto (ccsplc demo --proto $proto does not complete a session in this build)"
    fi
done
