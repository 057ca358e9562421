#!/usr/bin/env bash
# `--no-slac`: `ccsplc evse -i` and `ccsplc pev -i` on a plain veth pair between two network namespaces (no
# modem, no plcsim: how another ISO 15118 stack without SLAC is met, docs/interop.md) start at SDP and run a
# whole session; without --no-slac the same pair waits for SLAC and finds no modem. Needs root and `ip netns`.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"

id=$$
E=ccsNE$id; P=ccsNP$id
netns_add "$E"
netns_add "$P"
# one veth pair joins the two namespaces directly; link-local addresses usable at once (no DAD)
ip link add "he$id" netns "$E" type veth peer name "hp$id" netns "$P" || fail "veth"
for x in "$E he$id" "$P hp$id"; do
    set -- $x
    inns "$1" sysctl -qw "net.ipv6.conf.$2.accept_dad=0"
    inns "$1" ip link set "$2" up
done

# session PROTO: one session of PROTO, both sides --no-slac; their results and pcaps checked
session() {
    local proto=$1
    ip netns exec "$E" timeout 100 "$CCSPLC" evse -i he$id --no-slac --stop-after session --proto "$proto" \
        --timeout 80 --pcap "$tmp/$proto-evse.pcapng" -v >"$tmp/$proto-evse.out" 2>"$tmp/$proto-evse.log" </dev/null &
    local evse=$!
    pids+=($evse)
    inns "$P" timeout 100 "$CCSPLC" pev -i hp$id --no-slac --proto "$proto" --soc 50 --target-soc 51 --capacity 5 \
        --timeout 80 -v >"$tmp/$proto-pev.out" 2>"$tmp/$proto-pev.log" </dev/null || fail "$proto: pev exit $?"
    wait $evse || fail "$proto: evse exit $?"
    for side in evse pev; do
        grep -q "result      ended normally" "$tmp/$proto-$side.out" || fail "$proto: $side did not end normally"
        grep -q "session ($proto)" "$tmp/$proto-$side.out" || fail "$proto: $side: protocol"
        ! grep -qE "slac|SLAC|modem" "$tmp/$proto-$side.log" || fail "$proto: $side ran SLAC or asked for a modem"
    done
    grep -q "sdp: charger at \[fe80::" "$tmp/$proto-pev.log" || fail "$proto: pev: no SDP answer"
    "$CCSPLC" decode "$tmp/$proto-evse.pcapng" >"$tmp/$proto.decode" 2>&1 || fail "$proto: decode"
    grep -q "end      SessionStop (OK)" "$tmp/$proto.decode" || fail "$proto: pcap: session end"
    grep -q " 0 decode errors" "$tmp/$proto.decode" || fail "$proto: pcap: decode errors"
    # the car's frames in the charger's pcap carry the car's MAC (from its EUI-64 address: no SLAC told it), not
    # zeros: one per SDP and TCP frame, far more than the EVCCID (DIN: the MAC inside SessionSetupReq) gives
    local mac n
    mac=$(inns "$P" cat "/sys/class/net/hp$id/address")
    n=$(od -An -v -tx1 "$tmp/$proto-evse.pcapng" | tr -d ' \n' | grep -o "${mac//:/}" | wc -l)
    [ "$n" -ge 20 ] || fail "$proto: pcap: the car's MAC $mac in $n places only"
    echo "ok: $proto session without SLAC"
}
session din
session iso20-dc

# the usage: nothing to skip with --sim, nothing to run with --stop-after slac
"$CCSPLC" evse --sim --no-slac >/dev/null 2>&1; [ $? = 2 ] || fail "--sim --no-slac: not a usage error"
"$CCSPLC" pev -i hp$id --no-slac --stop-after slac >/dev/null 2>&1; [ $? = 2 ] || fail "--stop-after slac: not a usage error"

# without --no-slac the car waits for SLAC, which nothing on a plain veth answers
inns "$P" timeout 30 "$CCSPLC" pev -i hp$id --timeout 3 >"$tmp/slac-pev.out" 2>"$tmp/slac-pev.log" </dev/null &&
    fail "a car with SLAC on a plain veth ended normally"
grep -q "no HomePlug modem answered on hp$id" "$tmp/slac-pev.log" || fail "with SLAC: no modem message"
echo "ok: the same car with SLAC finds no modem on a plain veth"
