#!/usr/bin/env bash
# A charger that serves car after car: one `ccsplc evse -i` process and `ccsplc pev -i` runs one after the other
# in network namespaces joined by `ccsplc plcsim`. --sessions 2: both cars end normally, each after its own SLAC
# with a fresh key (NID), and the charger exits 0 after the second; without --sessions: a car stopped by SIGTERM
# while charging leaves the charger safe and ready, the next car charges normally, a car that matches but never
# connects is given up after the car's own waits, SIGTERM to the idle charger ends it (exit 1: one of its sessions
# did not end normally). Needs root and `ip netns`.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"

id=$$
S=ccsVS$id; E=ccsVE$id; P=ccsVP$id     # plcsim, charger, car
veth "$S" "$E" e$id
veth "$S" "$P" p$id
mac_p=$(hostmac "$P" p$id)
start_plcsim "$S" "$tmp/plcsim.log" --port evse=se$id,role=evse --port car=sp$id,role=pev --atten evse:car=20

car=(--proto din --soc 50 --target-soc 52 --capacity 5 --timeout 60 -v)   # DIN: the charger names it, the loop is CurrentDemand
# car N [ARGS...]: one car, in the foreground; its output in pev$N.out/.log
car() {
    local n=$1
    shift
    inns "$P" timeout 90 "$CCSPLC" pev -i hp$id "${car[@]}" "$@" >"$tmp/pev$n.out" 2>"$tmp/pev$n.log" </dev/null
}
normal() { grep -q "result      ended normally" "$1" && grep -q "stop        normal" "$1"; }

# --sessions 2: two cars, one after the other, both normal; the charger exits 0 after the second
ip netns exec "$E" timeout 150 "$CCSPLC" evse -i he$id --sessions 2 --timeout 120 -v >"$tmp/evse.out" \
    2>"$tmp/evse.log" </dev/null &
evse=$!
pids+=($evse)
car 1 || fail "car 1: exit $?"
car 2 || fail "car 2: exit $?"
wait $evse || fail "evse --sessions 2: exit $?"
normal "$tmp/pev1.out" && normal "$tmp/pev2.out" || fail "a car did not end normally"
for n in 1 2; do
    grep -A6 "^evse session $n (din)" "$tmp/evse.out" | grep -q "result      ended normally" ||
        fail "charger: session $n not normal"
done
grep -qx "evse: 2 sessions served, 2 ended normally" "$tmp/evse.out" || fail "charger summary"
[ "$(grep -c "matched PEV $mac_p" "$tmp/evse.log")" = 2 ] || fail "charger: not two SLAC matches"
nids=$(sed -n 's/.*matched PEV .* NID \([0-9A-F]*\).*/\1/p' "$tmp/evse.log" | sort -u | wc -l)
[ "$nids" = 2 ] || fail "charger: the second plug-in did not get a fresh NMK (NIDs: $nids)"
grep -q "evse: ready for the next car (1 served)" "$tmp/evse.log" || fail "charger: not ready after the first car"
# the same listener: both cars connected to the port of the one SDP set-up
[ "$(grep -c "sdp: listening on UDP" "$tmp/evse.log")" = 1 ] || fail "charger: sockets opened more than once"
echo "ok: --sessions 2: two cars charged one after the other (fresh NMK each), the charger exited 0"

# serving until a signal: car 3 is stopped by SIGTERM while charging (charger safe, "disconnected"), car 4
# charges normally on the same charger, car 5 never connects, then SIGTERM to the waiting charger
# (no `timeout` wrapper: the signal goes to the charger itself; --timeout and the EXIT trap bound it)
ip netns exec "$E" "$CCSPLC" evse -i he$id --timeout 120 -v >"$tmp/evse2.out" 2>"$tmp/evse2.log" </dev/null &
evse=$!
pids+=($evse)
ip netns exec "$P" timeout 90 "$CCSPLC" pev -i hp$id "${car[@]}" >"$tmp/pev3.out" 2>"$tmp/pev3.log" </dev/null &
pev=$!
pids+=($pev)
for _ in $(seq 300); do grep -q "v2g: < CurrentDemandRes" "$tmp/pev3.log" && break; sleep 0.1; done
grep -q "v2g: < CurrentDemandRes" "$tmp/pev3.log" || fail "car 3 never charged"
kill -TERM $pev
wait $pev && fail "car 3: exit 0 after SIGTERM"
for _ in $(seq 100); do grep -q "ready for the next car (1 served)" "$tmp/evse2.log" && break; sleep 0.1; done
grep -A1 "^evse session 1 (din)" "$tmp/evse2.out" | grep -q "stop        disconnected" ||
    fail "charger: session 1 not ended by the disconnect"
grep -q "v2g: safe state" "$tmp/evse2.log" || grep -q "v2g: session stopped: disconnected" "$tmp/evse2.log" ||
    fail "charger: not safe after the disconnect"
car 4 || fail "car 4: exit $?"
normal "$tmp/pev4.out" || fail "car 4 did not end normally"
grep -A6 "^evse session 2 (din)" "$tmp/evse2.out" | grep -q "result      ended normally" || fail "charger: session 2"
for _ in $(seq 100); do grep -q "ready for the next car (2 served)" "$tmp/evse2.log" && break; sleep 0.1; done
# a car that matches and does SDP but never connects: the plug-in ends after the car's own waits (joining, SDP,
# communication setup: 44 s) and the charger waits for the next car
inns "$P" timeout 60 "$CCSPLC" pev -i hp$id --stop-after sdp --timeout 30 >"$tmp/pev5.out" 2>"$tmp/pev5.log" \
    </dev/null || fail "car 5 (--stop-after sdp): exit $?"
for _ in $(seq 600); do grep -q "ready for the next car (2 served)" <(sed -n '/no session within/,$p' "$tmp/evse2.log") &&
    break; sleep 0.1; done
grep -q "evse: no session within 44 s of the SLAC match: waiting for the next car" "$tmp/evse2.log" ||
    fail "charger: the plug-in without a session did not end"
kill -TERM $evse
wait $evse
rc=$?
[ $rc = 1 ] || fail "charger after SIGTERM while waiting: exit $rc (expected 1: session 1 was not normal)"
grep -qx "evse: 2 sessions served, 1 ended normally" "$tmp/evse2.out" || fail "charger summary after SIGTERM"
echo "ok: serving until a signal: a car stopped mid-charge left the charger safe and ready, the next car charged, a car"
echo "    that never connected was given up after 44 s, SIGTERM while waiting: exit 1 (one session not normal)"
