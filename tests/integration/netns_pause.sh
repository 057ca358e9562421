#!/usr/bin/env bash
# ISO 15118-2 Pause and resume between processes: `ccsplc evse -i` and `ccsplc pev -i --proto iso2-dc` in network
# namespaces joined by `ccsplc plcsim`. 1: the car pauses after 2 s of charging (--pause-after), closes the
# connection, comes back 3 s later (SDP again, a new TCP connection) with the paused SessionID, gets
# OK_OldSessionJoined and charges on to its target: both end normally, the charger's plug-in is one session
# (`--stop-after session`: one result, one pause), its power stage safe while paused. 2: the p key on the car's
# terminal pauses; the charger keeps the session only 1 s (--resume-wait) and ends the plug-in; the car's SDP
# later gets no answer. Needs root and `ip netns`.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
command -v python3 >/dev/null || skip "needs python3"
"$CCSPLC" demo --proto iso2-dc --soc 79 --target-soc 80 >/dev/null 2>&1 || skip "no ISO 15118-2 DC in this build"

id=$$
S=ccsPS$id; E=ccsPE$id; P=ccsPP$id     # plcsim, charger, car
veth "$S" "$E" e$id
veth "$S" "$P" p$id
start_plcsim "$S" "$tmp/plcsim.log" --port evse=se$id,role=evse --port car=sp$id,role=pev --atten evse:car=20
car=(--proto iso2-dc --soc 50 --target-soc 51 --capacity 5)

# ---- 1: --pause-after, resumed ----
ip netns exec "$E" timeout 100 "$CCSPLC" evse -i he$id --proto iso2-dc --max-current 40 --stop-after session \
    --timeout 90 --pcap "$tmp/evse.pcapng" -v >"$tmp/evse.out" 2>"$tmp/evse.log" </dev/null &
evse=$!
pids+=($evse)
inns "$P" timeout 100 "$CCSPLC" pev -i hp$id "${car[@]}" --pause-after 2 --resume-after 3 --timeout 90 \
    --pcap "$tmp/pev.pcapng" -v >"$tmp/pev.out" 2>"$tmp/pev.log" </dev/null || fail "pev exit $?"
wait $evse || fail "evse exit $?"
for side in evse pev; do
    grep -q "result      ended normally" "$tmp/$side.out" && grep -q "stop        normal" "$tmp/$side.out" ||
        fail "$side did not end normally"
    grep -qx "  pauses      1" "$tmp/$side.out" || fail "$side: one pause in the result"
done
grep -Eq "SoC 50.0 % -> 5[1-2]\.[0-9]+ %" "$tmp/pev.out" || fail "the car did not reach its target"
[ "$(grep -c '^evse session' "$tmp/evse.out")" = 1 ] || fail "the charger did not count one session"
grep -q "pev: pausing the session (SessionStop Pause)" "$tmp/pev.log" || fail "the car did not pause"
[ "$(grep -c 'v2g: connected to' "$tmp/pev.log")" = 2 ] || fail "the car did not reconnect once"
[ "$(grep -c 'sdp: charger at' "$tmp/pev.log")" = 2 ] || fail "the car did not do SDP again"
grep -Eq "v2g: paused [0-9.]+ s: output off, contactors open, no current all along \(0\.000 Wh metered\)" \
    "$tmp/evse.log" || fail "the charger was not safe while paused"
sid=$(sed -n 's/.*v2g: session \([0-9a-f]*\) paused by the car.*/\1/p' "$tmp/evse.log")
[ ${#sid} = 16 ] || fail "the charger did not log the paused SessionID"
grep -q "pev: session $sid paused" "$tmp/pev.log" || fail "the car paused another SessionID than $sid"
grep -q "v2g: session $sid resumed (OK_OldSessionJoined) (connection 2)" "$tmp/evse.log" ||
    fail "the charger did not resume $sid on the new connection"
# the wire, from both captures: SessionStop(Pause), then a SessionSetupReq with the same SessionID answered
# OK_OldSessionJoined, then SessionStop(Terminate)
for side in evse pev; do
    d=$tmp/$side.decode
    "$CCSPLC" decode --json "$tmp/$side.pcapng" >"$d" 2>"$tmp/$side-decode.err" || fail "decode $side pcap"
    python3 - "$d" "$sid" <<'PY' || fail "$side pcap: pause and resume not on the wire"
import json, sys
seq = []
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("msg") in ("SessionSetupReq", "SessionSetupRes", "SessionStopReq"):
        f = m["fields"]
        seq.append((m["msg"], f["SessionID"].lower(), f.get("ResponseCode", f.get("ChargingSession", ""))))
sid = sys.argv[2]
want = [("SessionSetupReq", "0" * 16, ""), ("SessionSetupRes", sid, "OK_NewSessionEstablished"),
        ("SessionStopReq", sid, "Pause"),
        ("SessionSetupReq", sid, ""), ("SessionSetupRes", sid, "OK_OldSessionJoined"),
        ("SessionStopReq", sid, "Terminate")]
if seq != want:
    sys.exit(f"got  {seq}\nwant {want}")
PY
done
echo "ok: paused after 2 s of charging, safe while paused, resumed with SessionID $sid (OK_OldSessionJoined), charged to the target; one session for the charger"

# ---- 2: the p key; the charger keeps the paused session for 1 s only ----
ip netns exec "$E" timeout 60 "$CCSPLC" evse -i he$id --proto iso2-dc --stop-after session --resume-wait 1 \
    --timeout 50 -v >"$tmp/key-evse.out" 2>"$tmp/key-evse.log" </dev/null &
evse=$!
pids+=($evse)
inns "$P" python3 "$(dirname "$0")/pty_keys.py" "$tmp/key-pev.tty" "CurrentDemand " "p" 60 -- \
    timeout 55 "$CCSPLC" pev -i hp$id "${car[@]}" --resume-after 3 --timeout 50
rc=$?
wait $evse || fail "keys: evse exit $?"
tr '\r' '\n' <"$tmp/key-pev.tty" >"$tmp/key-pev.log"
[ $rc = 1 ] || fail "keys: the car exit $rc (want 1: no SDP answer after the charger gave the session up)"
grep -q "pev: pausing the session (SessionStop Pause)" "$tmp/key-pev.log" || fail "keys: p not taken"
grep -Eq "^pev +iso2-dc +paused " "$tmp/key-pev.log" || fail "keys: no 'paused' status line"
grep -q "sdp: no answer" "$tmp/key-pev.log" || fail "keys: the car's second SDP"
grep -Eq "v2g: session [0-9a-f]{16} not resumed within 1 s: the plug-in ends" "$tmp/key-evse.log" ||
    fail "keys: the charger did not give the paused session up"
grep -q "stop        paused" "$tmp/key-evse.out" && grep -q "result      ended normally" "$tmp/key-evse.out" ||
    fail "keys: the charger's result"
echo "ok: p paused the car; the charger gave the session up after --resume-wait 1 and exited 0; the car's SDP then failed"
