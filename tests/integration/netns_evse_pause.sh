#!/usr/bin/env bash
# The charger's pause, ISO 15118-20 DC between processes: `ccsplc evse -i` on a pseudo-terminal and `ccsplc pev -i
# --proto iso20-dc` in network namespaces joined by `ccsplc plcsim`. Once the charger's status line shows current,
# the p key asks the car to pause (EVSENotification Pause): the car stops (PowerDelivery Stop, WeldingDetection,
# SessionStop Pause), comes back 2 s later with the paused SessionID (OK_OldSessionJoined) and charges on to its
# target; both end normally, one session with one pause. Needs root and `ip netns`. About 20 s.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
need_iso20_keys

id=$$
S=ccsVS$id; E=ccsVE$id; P=ccsVP$id     # plcsim, charger, car
veth "$S" "$E" e$id
veth "$S" "$P" p$id
start_plcsim "$S" "$tmp/plcsim.log" --port evse=se$id,role=evse --port car=sp$id,role=pev --atten evse:car=20

inns "$P" timeout 60 "$CCSPLC" pev -i hp$id --proto iso20-dc --soc 50 --target-soc 51 --capacity 5 --resume-after 2 \
    --timeout 50 -v >"$tmp/pev.out" 2>"$tmp/pev.log" </dev/null &
pev=$!
pids+=($pev)
evse_key p
grep -q "evse: asking the car to pause (EVSENotification Pause)" "$tmp/evse.log" || fail "the p key was not taken"
for f in "$tmp/evse.log" "$tmp/pev.out"; do
    grep -q "result      ended normally" "$f" || fail "$f: not ended normally"
    grep -qx "  pauses      1" "$f" || fail "$f: not one pause"
done
grep -q "v2g: session [0-9a-f]* resumed (OK_OldSessionJoined)" "$tmp/evse.log" || fail "the charger did not resume it"
grep -Eq "pev: session [0-9a-f]+ paused" "$tmp/pev.log" || fail "the car did not pause"
grep -Eq "SoC 50.0 % -> 5[1-2]\.[0-9]+ %" "$tmp/pev.out" || fail "the car did not reach its target"
echo "ok: the charger's p key paused the ISO-20 car, which resumed (OK_OldSessionJoined) and charged to its target"
