#!/usr/bin/env bash
# `ccsplc evse -i` against a scripted car that is not ours (tests/integration/foreign_car.py: pyPLC's car's
# facts, its own targets and maxima; SLAC by `ccsplc pev --stop-after slac`, then its own SDP, V2GTP and EXI via
# `ccsplc exi`) in network namespaces joined by `ccsplc plcsim` (issue 16): it charges the car at the voltage
# the car asks for (items 2, 3), stops a charge that cannot progress with a named reason (item 4), names why it
# refused a message (item 5), records the first current, and ends a plug-in without a common protocol at once,
# ready for the next car (item 10). Needs root and `ip netns`. About 90 s.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
command -v python3 >/dev/null || skip "needs python3"
car_py="$(dirname "$0")/foreign_car.py"

id=$$
charger_and_car F

# charger TAG ARGS...: `ccsplc evse -i` in the background (bounded), output in $tmp/TAG.out/.log, pid in $evse
charger() {
    local tag=$1
    shift
    ip netns exec "$E" timeout 120 "$CCSPLC" evse -i he$id --timeout 100 -v "$@" >"$tmp/$tag.out" \
        2>"$tmp/$tag.log" </dev/null &
    evse=$!
    pids+=($evse)
}
# car TAG VARIANT: the foreign car in the car's namespace; its output in $tmp/TAG-car.out
car() { inns "$P" timeout 100 python3 "$car_py" "$CCSPLC" hp$id "$2" >"$tmp/$1-car.out" 2>&1; }

# ---- items 2, 3, 8: pyPLC's car (PreCharge 230 V, CurrentDemand 270 V, maximum 398 V) is charged ----
charger charge --stop-after session
car charge charge || fail "charge: the car: $(cat "$tmp/charge-car.out")"
wait $evse || fail "charge: charger exit $?"
cat "$tmp/charge-car.out"
grep -q "result      ended normally" "$tmp/charge.out" || fail "charge: the charger's result"
grep -Eq "energy      0\.[0-9]*[1-9][0-9]* kWh delivered" "$tmp/charge.out" ||
    grep -Eq "energy      [1-9][0-9.]* kWh delivered" "$tmp/charge.out" || fail "charge: no energy metered"
grep -Eq "first current [0-9]+\.[0-9]+ s" "$tmp/charge.out" || fail "charge: no first current"
# IEC 61851-23:2023 CC.4.1.2 formula CC.1 for a 398 V car: 398 + 50 = 448 V (below 500 V and our 500 V)
grep -q "v2g: isolation test at 448 V (the car's maximum 398 V" "$tmp/charge.log" || fail "charge: insulation test voltage"
echo "ok: pyPLC's car charged: current at its voltage, the insulation test at 448 V, energy metered"

# ---- item 4: target below the battery (PreCharge 350 V, CurrentDemand 270 V): stopped, "no progress" ----
charger unreachable --stop-after session
car unreachable unreachable || fail "unreachable: the car: $(cat "$tmp/unreachable-car.out")"
wait $evse && fail "unreachable: charger exit 0 for a charge that delivered nothing"
cat "$tmp/unreachable-car.out"
grep -q "stop        no progress" "$tmp/unreachable.out" || fail "unreachable: stop reason"
grep -q "result      FAILED" "$tmp/unreachable.out" || fail "unreachable: result"
grep -q "v2g: no progress for 10 s: the car asks 10.0 A up to 270.0 V" "$tmp/unreachable.log" ||
    fail "unreachable: the charger's log does not say why"
echo "ok: a target below the battery: the charger stopped the charge (no progress) and did not call it normal"

# ---- item 5: undecodable EXI: the log names the decoder's reason and bit ----
charger garbage --stop-after session
car garbage garbage || fail "garbage: the car: $(cat "$tmp/garbage-car.out")"
wait $evse && fail "garbage: charger exit 0"
grep -Eq "v2g: < message refused: undecodable din message \(V2GTP 0x8001, 13 bytes\): .* at bit [0-9]+ \(byte [0-9]+\)" \
    "$tmp/garbage.log" || fail "garbage: the log line"
grep -Eq "stop        bad message \(undecodable din message .* at bit [0-9]+" "$tmp/garbage.out" ||
    fail "garbage: the result's stop reason"
echo "ok: undecodable EXI: $(grep -o 'undecodable din message.*' "$tmp/garbage.log" | head -1 | cut -c1-110)..."

# ---- item 10: no common protocol ends the plug-in at once; the next car charges ----
charger nonego --sessions 2
car nonego nonego || fail "nonego: the car: $(cat "$tmp/nonego-car.out")"
for _ in $(seq 50); do grep -q "evse: ready for the next car (1 served)" "$tmp/nonego.log" && break; sleep 0.1; done
grep -q "evse: ready for the next car (1 served)" "$tmp/nonego.log" ||
    fail "nonego: not ready for the next car 5 s after Failed_NoNegotiation"
grep -q "v2g: no common protocol (Failed_NoNegotiation): the car offers urn:iso:std:iso:15118:-20:WPT 1.0 (SchemaID 1, priority 1); we offer urn:din:70121:2012:MsgDef 2.0, urn:iso:15118:2:2013:MsgDef 2.0, urn:iso:std:iso:15118:-20:DC 1.0, urn:iso:std:iso:15118:-20:AC 1.0$" \
    "$tmp/nonego.log" || fail "nonego: both protocol lists"
inns "$P" timeout 100 "$CCSPLC" pev -i hp$id --soc 50 --target-soc 51 --capacity 5 --timeout 90 \
    >"$tmp/next-car.out" 2>"$tmp/next-car.log" </dev/null || fail "nonego: the next car: exit $?"
wait $evse && fail "nonego: charger exit 0 (the first session was not normal)"
grep -qx "evse: 2 sessions served, 1 ended normally" "$tmp/nonego.out" || fail "nonego: the charger's summary"
grep -A1 "^evse session 1 (no protocol)" "$tmp/nonego.out" | grep -q "stop        no common protocol" ||
    fail "nonego: session 1"
echo "ok: Failed_NoNegotiation: both lists logged, the plug-in ended at once, the next car charged"
