#!/usr/bin/env bash
# SLAC between processes over `ccsplc plcsim`: network namespaces joined by veth pairs (made and removed here),
# `ccsplc evse/pev -i IF --stop-after slac` match; with two chargers at 30 and 12 dB the car takes the 12 dB
# one; `ccsplc modem` (list, configure, pib read/show) against a simulated modem. Needs root and `ip netns`.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, raw sockets)"
command -v ip >/dev/null || skip "needs iproute2 (ip netns)"

id=$$
S=ccsS$id; E1=ccsE$id; E2=ccsF$id; P=ccsP$id       # plcsim, charger 1, charger 2, car
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    for ns in "$S" "$E1" "$E2" "$P"; do ip netns del "$ns" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$S" 2>/dev/null || skip "cannot create network namespaces here"
fail() { echo "FAIL: $*"; for f in "$tmp"/*.log; do echo "== $f"; cat "$f"; done; exit 1; }
inns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }   # foreground only: `&` would background a subshell

# veth pair NAME: host end h$NAME in namespace NS, plcsim end s$NAME in $S (IPv6 off: only simulated traffic).
veth() {
    local ns=$1 name=$2
    ip netns list | grep -qw "$ns" || ip netns add "$ns"
    ip link add "h$name" netns "$ns" type veth peer name "s$name" netns "$S" || fail "veth $name"
    inns "$S" sysctl -qw "net.ipv6.conf.s$name.disable_ipv6=1"
    inns "$ns" ip link set lo up
    inns "$ns" ip link set "h$name" up
    inns "$S" ip link set "s$name" up
}
mac() { inns "$1" cat "/sys/class/net/h$2/address"; }

veth "$E1" e1$id; veth "$E2" e2$id; veth "$P" p$id
mac_e1=$(mac "$E1" e1$id); mac_e2=$(mac "$E2" e2$id); mac_p=$(mac "$P" p$id)

# plcsim in the background; waits until it says it runs.
start_plcsim() {
    local log=$tmp/plcsim$1.log; shift
    ip netns exec "$S" timeout 120 "$CCSPLC" plcsim "$@" >"$log" 2>&1 &
    plcsim=$!
    pids+=($plcsim)
    for _ in $(seq 50); do grep -q running "$log" && return; sleep 0.1; done
    fail "plcsim did not start"
}
stop_plcsim() { kill "$plcsim"; wait "$plcsim"; }

# ---- 1. one charger, one car ----
start_plcsim 1 --port evse=se1$id,role=evse --port car=sp$id,role=pev --atten evse:car=20
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
start_plcsim 2 --port far=se1$id,atten=30,role=evse --port near=se2$id,atten=12,role=evse --port car=sp$id,role=pev
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
