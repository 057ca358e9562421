#!/usr/bin/env bash
# The charger's service renegotiation, ISO 15118-20 DC between processes: `ccsplc evse -i` on a pseudo-terminal and
# `ccsplc pev -i --proto iso20-dc` in network namespaces joined by `ccsplc plcsim`. Once the charger's status line
# shows current, the r key asks the car to renegotiate its services (EVSENotification ServiceRenegotiation): the
# car stops (PowerDelivery Stop, WeldingDetection, SessionStop ServiceRenegotiation), sets the services and the charge
# up again on the same connection and SessionID (ServiceDiscovery .. CableCheck, PreCharge, PowerDelivery Start) and
# charges on to its target; both end normally. Needs root and `ip netns`. About 20 s.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
need_iso20_keys

id=$$
charger_and_car R
inns "$P" timeout 60 "$CCSPLC" pev -i hp$id --proto iso20-dc --soc 50 --target-soc 51 --capacity 5 --timeout 50 \
    --pcap "$tmp/pev.pcapng" >"$tmp/pev.out" 2>"$tmp/pev.log" </dev/null &
pev=$!
pids+=($pev)
evse_key r
grep -q "evse: asking the car to renegotiate the services (EVSENotification ServiceRenegotiation)" "$tmp/evse.log" ||
    fail "the r key was not taken"
grep -q "result      ended normally" "$tmp/evse.log" || fail "the charger did not end normally"
grep -q "result      ended normally" "$tmp/pev.out" || fail "the car did not end normally"
"$CCSPLC" decode --json "$tmp/pev.pcapng" >"$tmp/pev.json" 2>/dev/null || fail "decode"
grep '"msg":"SessionStopReq"' "$tmp/pev.json" | grep -q '"ChargingSession":"ServiceRenegotiation"' ||
    fail "no SessionStop ServiceRenegotiation"
[ "$(grep -c '"msg":"ServiceDiscoveryReq"' "$tmp/pev.json")" = 2 ] || fail "not two ServiceDiscoveryReq"
[ "$(grep -c '"msg":"DC_CableCheckRes"' "$tmp/pev.json")" -ge 2 ] || fail "no second CableCheck"
[ "$(grep -c '"msg":"SessionSetupReq"' "$tmp/pev.json")" = 1 ] || fail "not one session"
grep -Eq "SoC 50.0 % -> 5[1-2]\.[0-9]+ %" "$tmp/pev.out" || fail "the car did not reach its target"
echo "ok: the charger's r key: the ISO-20 car renegotiated its services in the same session and charged to its target"
