#!/usr/bin/env bash
# Service renegotiation from either side's r key, ISO 15118-20 DC between processes: `ccsplc evse -i` and `ccsplc pev
# -i --proto iso20-dc` in network namespaces joined by `ccsplc plcsim`, one of them on a pseudo-terminal. First the
# charger's key, once its status line shows current: it asks the car to renegotiate its services (EVSENotification
# ServiceRenegotiation). Then the car's key: it renegotiates of its own accord. Each time the car stops (PowerDelivery
# Stop, WeldingDetection, SessionStop ServiceRenegotiation), sets the services and the charge up again on the same
# connection and SessionID (ServiceDiscovery .. CableCheck, PreCharge, PowerDelivery Start) and charges on to its
# target; both end normally. Needs root and `ip netns`. About 40 s.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
need_iso20_keys

id=$$
car=(pev -i hp$id --proto iso20-dc --soc 50 --target-soc 51 --capacity 5 --timeout 50)

# renegotiated PCAP CAR_OUTPUT: the session in PCAP renegotiated once and the car (its output) reached its target.
renegotiated() {
    grep -q "result      ended normally" "$2" || fail "the car did not end normally"
    "$CCSPLC" decode --json "$1" >"$tmp/reneg.json" 2>/dev/null || fail "decode $1"
    grep '"msg":"SessionStopReq"' "$tmp/reneg.json" | grep -q '"ChargingSession":"ServiceRenegotiation"' ||
        fail "no SessionStop ServiceRenegotiation in $1"
    [ "$(grep -c '"msg":"ServiceDiscoveryReq"' "$tmp/reneg.json")" = 2 ] || fail "not two ServiceDiscoveryReq in $1"
    [ "$(grep -c '"msg":"DC_CableCheckRes"' "$tmp/reneg.json")" -ge 2 ] || fail "no second CableCheck in $1"
    [ "$(grep -c '"msg":"SessionSetupReq"' "$tmp/reneg.json")" = 1 ] || fail "not one session in $1"
    grep -Eq "SoC 50.0 % -> 5[1-2]\.[0-9]+ %" "$2" || fail "the car did not reach its target ($2)"
}

charger_and_car R
inns "$P" timeout 60 "$CCSPLC" "${car[@]}" --pcap "$tmp/pev.pcapng" >"$tmp/pev.out" 2>"$tmp/pev.log" </dev/null &
pev=$!
pids+=($pev)
evse_key r
grep -q "evse: asking the car to renegotiate the services (EVSENotification ServiceRenegotiation)" "$tmp/evse.log" ||
    fail "the charger's r key was not taken"
grep -q "result      ended normally" "$tmp/evse.log" || fail "the charger did not end normally"
renegotiated "$tmp/pev.pcapng" "$tmp/pev.out"
echo "ok: the charger's r key: the ISO-20 car renegotiated its services in the same session and charged to its target"

inns "$E" timeout 60 "$CCSPLC" evse -i he$id --stop-after session --timeout 50 >"$tmp/evse2.out" 2>"$tmp/evse2.log" \
    </dev/null &
evse=$!
pids+=($evse)
on_pty "$P" pev2 r "$evse" -- timeout 55 "$CCSPLC" "${car[@]}" --pcap "$tmp/pev2.pcapng"
grep -q "pev: renegotiating the services (SessionStop ServiceRenegotiation, where the charger supports it)" \
    "$tmp/pev2.log" || fail "the car's r key was not taken"
grep -q "result      ended normally" "$tmp/evse2.log" "$tmp/evse2.out" || fail "the charger did not end normally (2)"
renegotiated "$tmp/pev2.pcapng" "$tmp/pev2.log"
echo "ok: the car's r key: it renegotiated its services in the same session and charged to its target"
