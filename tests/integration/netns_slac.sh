#!/usr/bin/env bash
# SLAC between processes over `ccsplc plcsim`: network namespaces joined by veth pairs (made and removed here),
# `ccsplc evse/pev -i IF --stop-after slac` match; with two chargers at 30 and 12 dB the car takes the 12 dB
# one; `ccsplc modem` (list, configure, pib read/show) against a simulated modem. Needs root and `ip netns`.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"

id=$$
S=ccsS$id; E1=ccsE$id; E2=ccsF$id; P=ccsP$id       # plcsim, charger 1, charger 2, car
veth "$S" "$E1" e1$id; veth "$S" "$E2" e2$id; veth "$S" "$P" p$id
mac_e1=$(hostmac "$E1" e1$id); mac_e2=$(hostmac "$E2" e2$id); mac_p=$(hostmac "$P" p$id)
stop_plcsim() { kill "$plcsim"; wait "$plcsim"; }

# ---- 1. one charger, one car ----
start_plcsim "$S" "$tmp/plcsim1.log" --port evse=se1$id,role=evse --port car=sp$id,role=pev --atten evse:car=20
ip netns exec "$E1" timeout 60 "$CCSPLC" evse -i he1$id --stop-after slac --timeout 30 2>"$tmp/evse1.log" &
evse=$!
pids+=($evse)
inns "$P" timeout 60 "$CCSPLC" pev -i hp$id --stop-after slac --timeout 30 2>"$tmp/pev1.log" || fail "pev did not match"
wait $evse || fail "evse did not match"
grep -q "matched PEV $mac_p, mean attenuation 20 dB" "$tmp/evse1.log" || fail "evse log: peer/attenuation"
grep -q "matched EVSE $mac_e1, mean attenuation 20 dB.*link up" "$tmp/pev1.log" || fail "pev log: peer/attenuation"
echo "ok: one charger, one car matched at 20 dB"

# ---- 2. modem tools against the simulated modem of the car's port ----
inns "$P" timeout 20 "$CCSPLC" modem list -i hp$id >"$tmp/list.out" 2>"$tmp/list.log" || fail "modem list"
grep -q "device_class=0x22 firmware=MAC-QCA7000" "$tmp/list.out" || fail "modem list output"
# the car's modem is in the charger's AVLN after SLAC: a broadcast GET_SW reaches both modems
[ "$(wc -l <"$tmp/list.out")" = 2 ] || fail "modem list: expected the local and the AVLN modem"
inns "$P" timeout 30 "$CCSPLC" modem configure -i hp$id evse 2>"$tmp/configure.log" || fail "modem configure"
inns "$P" timeout 20 "$CCSPLC" modem pib read -i hp$id -o "$tmp/car.pib" 2>"$tmp/pibread.log" || fail "pib read"
"$CCSPLC" modem pib show "$tmp/car.pib" >"$tmp/show.out" 2>"$tmp/show.log" || fail "pib show"
for kv in hfid=EVSE "cco_selection=2 (always)" "slac_mode=2 (EVSE)" link_speed_low_kbps=10240 \
          link_speed_high_kbps=102400; do
    grep -qxF "$kv" "$tmp/show.out" || fail "pib show: $kv"
done
echo "ok: modem list, configure evse, pib read/show"
stop_plcsim
# the charger's modem heard the car's 10 MNBC sounds and reported each
grep -q "atten profiles 10 " "$tmp/plcsim1.log" || fail "plcsim: atten profiles"

# ---- 3. two chargers (30 dB, 12 dB), one car: the car takes the nearer one ----
start_plcsim "$S" "$tmp/plcsim2.log" --port far=se1$id,atten=30,role=evse --port near=se2$id,atten=12,role=evse --port car=sp$id,role=pev
ip netns exec "$E1" timeout 60 "$CCSPLC" evse -i he1$id --stop-after slac --timeout 12 2>"$tmp/far.log" &
far=$!
pids+=($far)
ip netns exec "$E2" timeout 60 "$CCSPLC" evse -i he2$id --stop-after slac --timeout 30 2>"$tmp/near.log" &
near=$!
pids+=($near)
# the car comes after both chargers have keyed their modems (plcsim learned their MACs from SET_KEY) and the
# modems are back (--restart-ms 500): otherwise it could hear only one of them
for _ in $(seq 100); do
    [ "$(grep -c 'port \(far\|near\): host' "$tmp/plcsim2.log")" = 2 ] && break
    sleep 0.1
done
sleep 1
inns "$P" timeout 60 "$CCSPLC" pev -i hp$id --stop-after slac --timeout 30 2>"$tmp/pev2.log" || fail "pev did not match"
wait $near || fail "the 12 dB charger did not match"
wait $far && fail "the 30 dB charger matched too"
grep -q "matched EVSE $mac_e2, mean attenuation 12 dB" "$tmp/pev2.log" || fail "pev chose wrong: $(grep matched "$tmp/pev2.log")"
grep -q "matched PEV $mac_p, mean attenuation 12 dB" "$tmp/near.log" || fail "near charger log"
grep -q "not matched" "$tmp/far.log" || fail "far charger log"
echo "ok: car matched the 12 dB charger ($mac_e2), not the 30 dB one ($mac_e1)"
