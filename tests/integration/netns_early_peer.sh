#!/usr/bin/env bash
# A peer that completes a SessionSetup and leaves before the car's own SessionSetup does not end the charger's
# plug-in: `ccsplc evse -i` (one session) and `ccsplc pev -i --stop-after sdp` (the car matched and found the
# charger; plcsim keeps the AVLN) in network namespaces joined by `ccsplc plcsim`; then
# tests/integration/early_peer.py in the car's namespace: two peers wait (one in its handshake, one before its
# SessionSetup), a third completes SupportedAppProtocol + SessionSetup and closes, and the two waiting ones are
# still answered afterwards. Sessions that left without using the power stage do not end the plug-in (the car's
# own may still come): it ends LIVE_CAR_SETUP_MS (44.5 s) after the match, once every peer has closed (issue 16
# item 19). Needs root and `ip netns`.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
command -v python3 >/dev/null || skip "needs python3"

id=$$
S=ccsES$id; E=ccsEE$id; P=ccsEP$id     # plcsim, charger, car
veth "$S" "$E" e$id
veth "$S" "$P" p$id
start_plcsim "$S" "$tmp/plcsim.log" --port evse=se$id,role=evse --port car=sp$id,role=pev --atten evse:car=20

ip netns exec "$E" timeout 100 "$CCSPLC" evse -i he$id --stop-after session --timeout 90 -v \
    >"$tmp/evse.out" 2>"$tmp/evse.log" </dev/null &
evse=$!
pids+=($evse)
inns "$P" timeout 60 "$CCSPLC" pev -i hp$id --stop-after sdp --timeout 50 >"$tmp/pev.out" 2>"$tmp/pev.log" </dev/null ||
    fail "pev --stop-after sdp: exit $?"
at=$(grep -o 'sdp: charger at \[fe80::[0-9a-f:]*\]:[0-9]*' "$tmp/pev.log") || fail "no SDP answer"
addr=$(echo "$at" | sed 's/.*\[\(.*\)\].*/\1/'); port=${at##*:}

inns "$P" timeout 60 python3 "$(dirname "$0")/early_peer.py" "$CCSPLC" hp$id "$addr" "$port" "$tmp/evse.log" \
    >"$tmp/peers.out" 2>&1 || fail "peers: $(cat "$tmp/peers.out")"
cat "$tmp/peers.out"
# every peer left without using the power stage: the plug-in stays for the car until 44.5 s after the match,
# then ends by itself (1: the last session was not a normal one)
sleep 2
kill -0 $evse 2>/dev/null || fail "the charger ended the plug-in when the peers left (the car may still come)"
for _ in $(seq 600); do kill -0 $evse 2>/dev/null || break; sleep 0.1; done
kill -0 $evse 2>/dev/null && fail "the charger did not end the plug-in 44.5 s after the match"
wait $evse
rc=$?
[ $rc = 1 ] || fail "charger exit $rc (want 1: the last session was cut by its peer)"
[ "$(grep -c 'v2g: the car closed the connection' "$tmp/evse.log")" = 3 ] || fail "the charger did not see 3 closes"
grep -q "v2g: closing the connection" "$tmp/evse.log" && fail "the charger closed a waiting peer"
grep -q "stop        disconnected" "$tmp/evse.out" || fail "the charger's result"
grep -q "v2g: the session bound to the power stage ended without using it" "$tmp/evse.log" ||
    fail "the binding of the leaver's session was not released"
grep -q "evse: no session used the power stage within 44 s of the SLAC match: the plug-in ends" "$tmp/evse.log" ||
    fail "the plug-in did not end at the car's setup deadline"
echo "ok: sessions that set up and left did not end the plug-in; it ended 44.5 s after the match"
