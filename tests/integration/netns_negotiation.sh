#!/usr/bin/env bash
# Negotiation (issue 11 item 1): one `ccsplc evse -i` with its default protocols, never restarted, serves in turn a
# DIN car, an ISO-2 DC car, an ISO-2 AC car, an ISO-20 DC car and an ISO-20 AC car (`ccsplc pev -i`, each with its
# own priority list; each AC car switches the charger's power stage to AC), a scripted
# foreign car with an unusual list (foreign_car.py unusual: DIN 2.1 chosen, minor deviation) and
# a car with nothing in common (refused with Failed_NoNegotiation, both lists logged); each result names the
# protocol it negotiated. Then `--stop-after session` ends the charger process after a failed handshake. Network
# namespaces joined by `ccsplc plcsim`. Needs root and `ip netns`. About 3 min.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
command -v python3 >/dev/null || skip "needs python3"
car_py="$(dirname "$0")/foreign_car.py"

id=$$
charger_and_car N

# car N ARGS...: `ccsplc pev -i` in the foreground; its output in pev$N.out/.log
car() {
    local n=$1
    shift
    inns "$P" timeout 120 "$CCSPLC" pev -i hp$id --soc 50 --target-soc 51 --capacity 5 --timeout 100 -v "$@" \
        >"$tmp/pev$n.out" 2>"$tmp/pev$n.log" </dev/null
}
# foreign N VARIANT: the scripted car; its output in pev$N.out
foreign() { inns "$P" timeout 120 python3 "$car_py" "$CCSPLC" hp$id "$2" >"$tmp/pev$1.out" 2>&1; }
# served N LABEL: the charger's result block N names LABEL and ended normally
served() {
    # the car may exit before the charger has ended its plug-in (contactors open, connector unlocked): wait for it
    for _ in $(seq 100); do grep -q "^evse session $1 " "$tmp/evse.out" && break; sleep 0.1; done
    grep -A6 "^evse session $1 ($2)\$" "$tmp/evse.out" | grep -q "result      ended normally" ||
        fail "charger: session $1 not an ($2) session that ended normally: $(grep "^evse session $1 " "$tmp/evse.out")"
}
NS_DIN="urn:din:70121:2012:MsgDef 2.0"; NS_ISO2="urn:iso:15118:2:2013:MsgDef 2.0"
NS_ISO20="urn:iso:std:iso:15118:-20:DC 1.0"; NS_ISO20AC="urn:iso:std:iso:15118:-20:AC 1.0"
OURS="we offer $NS_DIN, $NS_ISO2, $NS_ISO20, $NS_ISO20AC"

ip netns exec "$E" timeout 460 "$CCSPLC" evse -i he$id --sessions 7 --timeout 440 -v >"$tmp/evse.out" \
    2>"$tmp/evse.log" </dev/null &
evse=$!
pids+=($evse)

# n  car's --proto   negotiated  the charger's log line (the car's list, ours, the choice)
cases=(
    "1 din           din      the car offers $NS_DIN (SchemaID 1, priority 1); $OURS; chosen: din (SchemaID 1)"
    "2 iso2-dc,din   iso2-dc  the car offers $NS_ISO2 (SchemaID 1, priority 1), $NS_DIN (SchemaID 2, priority 2); $OURS; chosen: iso2 (SchemaID 1)"
    "3 iso2-ac       iso2-ac  the car offers $NS_ISO2 (SchemaID 1, priority 1); $OURS; chosen: iso2 (SchemaID 1)"
    "4 iso20-ac,iso2-ac iso20-ac the car offers $NS_ISO20AC (SchemaID 1, priority 1), $NS_ISO2 (SchemaID 2, priority 2); $OURS; chosen: iso20-ac (SchemaID 1)"
    "5 -             iso20-dc the car offers $NS_ISO20 (SchemaID 1, priority 1), $NS_ISO2 (SchemaID 2, priority 2), $NS_DIN (SchemaID 3, priority 3); $OURS; chosen: iso20 (SchemaID 1)"
)
for c in "${cases[@]}"; do
    read -r n list label line <<<"$c"
    if [ "$list" = - ]; then car "$n"; else car "$n" --proto "$list"; fi || fail "car $n ($label): exit $?"
    grep -q "^pev session ($label)\$" "$tmp/pev$n.out" && grep -q "result      ended normally" "$tmp/pev$n.out" ||
        fail "car $n: not a normal ($label) session: $(head -3 "$tmp/pev$n.out")"
    grep -q "v2g: .*the charger chose $label" "$tmp/pev$n.log" || fail "car $n: the charger's choice not logged"
    served "$n" "$label"
    [ "$(grep -c "v2g: $line\$" "$tmp/evse.log")" = 1 ] || fail "car $n: the charger did not log: $line"
    [ "$list" = - ] && list="the default list"
    echo "ok: car $n offered $list: $label, both ends normal, named in both results"
done
# each plug-in starts DC: the two AC cars switch it to AC each
[ "$(grep -c "the power stage set up for AC" "$tmp/evse.log")" = 2 ] ||
    fail "the charger's power stage did not follow both AC cars"

foreign 6 unusual || fail "the foreign car with an unusual list: $(cat "$tmp/pev6.out")"
served 6 din
grep -q "v2g: the car offers urn:iso:std:iso:15118:-20:WPT 1.0 (SchemaID 5, priority 3), urn:din:70121:2012:MsgDef 2.1 (SchemaID 11, priority 4), urn:tesla:din:2018:MsgDef 2.0 (SchemaID 7, priority 1), urn:iso:15118:2:2013:MsgDef 3.0 (SchemaID 20, priority 2); $OURS; chosen: din (SchemaID 11, minor version deviation)" \
    "$tmp/evse.log" || fail "the unusual list and the choice not logged"
echo "ok: $(grep '^ok: unusual' "$tmp/pev6.out")"

foreign 7 nothing || fail "the foreign car with nothing in common: $(cat "$tmp/pev7.out")"
wait $evse && fail "charger --sessions 7: exit 0 (session 7 was refused)"
grep -A1 "^evse session 7 (no protocol)\$" "$tmp/evse.out" | grep -q "stop        no common protocol" ||
    fail "charger: session 7 not named as refused"
grep -q "v2g: no common protocol (Failed_NoNegotiation): the car offers urn:tesla:din:2018:MsgDef 2.0 (SchemaID 1, priority 1), urn:iso:15118:2:2013:MsgDef 3.0 (SchemaID 2, priority 2); $OURS" \
    "$tmp/evse.log" || fail "charger: Failed_NoNegotiation without both lists"
grep -qx "evse: 7 sessions served, 6 ended normally" "$tmp/evse.out" || fail "charger summary"
[ "$(grep -c "sdp: listening on UDP" "$tmp/evse.log")" = 1 ] || fail "the charger was not one process all along"
echo "ok: nothing in common: Failed_NoNegotiation with both lists logged; one charger served all seven"

# --stop-after session: the failed handshake ends the process, at once
ip netns exec "$E" timeout 100 "$CCSPLC" evse -i he$id --stop-after session --timeout 90 -v >"$tmp/once.out" \
    2>"$tmp/once.log" </dev/null &
evse=$!
pids+=($evse)
foreign 8 nothing || fail "the car with nothing in common (--stop-after session): $(cat "$tmp/pev8.out")"
for _ in $(seq 50); do kill -0 $evse 2>/dev/null || break; sleep 0.1; done
kill -0 $evse 2>/dev/null && fail "--stop-after session: the charger still runs 5 s after Failed_NoNegotiation"
wait $evse
rc=$?
[ $rc = 1 ] || fail "--stop-after session after Failed_NoNegotiation: exit $rc, expected 1"
grep -A1 "^evse session (no protocol)\$" "$tmp/once.out" | grep -q "stop        no common protocol" ||
    fail "--stop-after session: result"
echo "ok: --stop-after session: the process ended at once after Failed_NoNegotiation (exit 1)"
