#!/usr/bin/env bash
# An attacker station on the powerline while a real `ccsplc pev` charges on `ccsplc evse` (issue 16, items 18-20):
# a third namespace on its own `ccsplc plcsim` port runs tests/integration/slac_attacker.py (raw AF_PACKET,
# frames from lib/hpgp_frames.py). During the car's SLAC it floods CM_SLAC_PARAM.REQ from random MACs at 10/s,
# sends a forged CM_ATTEN_CHAR.IND at 0 dB toward the car, and finishes the car's run as the car's MAC (same
# RunID): it sees the key of the car's match (SLAC has no authentication: docs/security.md) and joins the AVLN.
# While the car's link is held down, it sets up a DIN session as the car (EVCCID = the car's MAC) and leaves.
# While the car charges, it runs a whole SLAC as the car's MAC (a new RunID) and asks for a second match on the
# car's RunID. The car must charge and end normally on its first SLAC attempt, with the real charger; the charger
# must keep the plug-in through the leaver, bind the power stage to the car's session only, and answer none of
# the attacker's later SLAC. Needs root and `ip netns`. About 40 s.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
command -v python3 >/dev/null || skip "needs python3"
here=$(dirname "$0")

id=$$
S=ccsXS$id; E=ccsXE$id; P=ccsXP$id; A=ccsXA$id     # plcsim, charger, car, attacker
veth "$S" "$E" e$id
veth "$S" "$P" p$id
veth "$S" "$A" a$id
mac_e=$(hostmac "$E" e$id); mac_p=$(hostmac "$P" p$id)
# modems restart 2 s after a new key: the car cannot see its link before the test holds it down (below)
start_plcsim "$S" "$tmp/plcsim.log" --port evse=se$id,role=evse --port car=sp$id,role=pev --port rogue=sa$id \
    --atten evse:car=20 --atten evse:rogue=30 --atten car:rogue=30 --restart-ms 2000

ip netns exec "$E" timeout 120 "$CCSPLC" evse -i he$id --stop-after session --timeout 100 -v \
    >"$tmp/evse.out" 2>"$tmp/evse.log" </dev/null &
evse=$!
pids+=($evse)
# the charger has keyed its modem and the modem is back (--restart-ms)
for _ in $(seq 100); do grep -q "port evse: host" "$tmp/plcsim.log" && break; sleep 0.1; done
sleep 2.5

# ---- the car's SLAC: flood, forged attenuation, the race for the car's run ----
ip netns exec "$A" timeout 20 python3 -u "$here/slac_attacker.py" race ha$id "$tmp/race.kv" >"$tmp/race.log" 2>&1 &
race=$!
pids+=($race)
for _ in $(seq 100); do grep -q "race: listening" "$tmp/race.log" && break; sleep 0.1; done
ip netns exec "$P" timeout 100 "$CCSPLC" pev -i hp$id --soc 50 --target-soc 54 --capacity 5 --timeout 90 -v \
    >"$tmp/pev.out" 2>"$tmp/pev.log" </dev/null &
car=$!
pids+=($car)
# as soon as the race has the key (the car has it too, its modem restarts): hold the car's link down while the
# attacker's session comes first (the car allows TT_match_join, 12 s, for its link)
for _ in $(seq 200); do [ -s "$tmp/race.kv" ] && break; kill -0 $race 2>/dev/null || break; sleep 0.05; done
inns "$P" ip link set hp$id down
wait $race || fail "attacker race: $(cat "$tmp/race.log")"
cat "$tmp/race.log"
kv() { sed -n "s/^$1=//p" "$tmp/race.kv"; }
[ "$(kv car)" = "$mac_p" ] && [ "$(kv evse)" = "$mac_e" ] || fail "race: not the car's match ($(cat "$tmp/race.kv"))"

# ---- an early leaver as the car: SupportedAppProtocol + SessionSetup, then it closes ----
inns "$A" timeout 30 python3 "$here/slac_attacker.py" leave "$CCSPLC" ha$id "$(echo "$mac_p" | tr -d :)" \
    >"$tmp/leave.log" 2>&1 || fail "attacker leave: $(cat "$tmp/leave.log")"
cat "$tmp/leave.log"
for _ in $(seq 50); do grep -q "the car closed the connection" "$tmp/evse.log" && break; sleep 0.1; done
inns "$P" ip link set hp$id up
kill -0 $evse 2>/dev/null || fail "the charger ended when the leaver closed"
grep -q "v2g: the session bound to the power stage ended without using it" "$tmp/evse.log" ||
    fail "the leaver's binding was not released"

# ---- while the car charges: a new SLAC run as the car's MAC, a second match on the car's RunID ----
for _ in $(seq 400); do grep -q "this session drives the power stage" "$tmp/evse.log" && break; sleep 0.1; done
grep -q "this session drives the power stage" "$tmp/evse.log" || fail "the car's session never drove the power stage"
inns "$A" timeout 30 python3 "$here/slac_attacker.py" rematch ha$id "$mac_p" "$mac_e" "$(kv run)" \
    >"$tmp/rematch.log" 2>&1 || fail "the attacker was answered: $(cat "$tmp/rematch.log")"
cat "$tmp/rematch.log"

wait $car || fail "car: exit $?"
wait $evse || fail "charger: exit $?"
grep -q "result      ended normally" "$tmp/pev.out" || fail "the car did not end normally"
grep -q "matched EVSE $mac_e" "$tmp/pev.log" || fail "the car did not match the real charger"
grep -q "an attempt timed out" "$tmp/pev.log" && fail "the car needed a second SLAC attempt (flood or forgery)"
[ "$(grep -c "matched PEV" "$tmp/evse.log")" = 1 ] || fail "the charger matched more than once"
grep -q "matched PEV $mac_p, .*NID $(kv nid | tr a-f A-F)" "$tmp/evse.log" || fail "charger: match or NID"
[ "$(grep -c "this session drives the power stage" "$tmp/evse.log")" = 1 ] || fail "the power stage changed hands"
grep -q "the power stage is in use by another session" "$tmp/evse.log" && fail "the car was told EVSE_Shutdown"
echo "ok: flood, forged CM_ATTEN_CHAR.IND, a race for the car's run, an early leaver and a second SLAC as the car:"
echo "    the car charged and ended normally on its first attempt; no second key; the power stage stayed the car's"
