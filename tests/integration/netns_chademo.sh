#!/usr/bin/env bash
# The CCS->CHAdeMO adapter as three processes: `ccsplc evse -i` (the CCS charger), `ccsplc pev -i --bridge
# chademo` (the adapter) joined by `ccsplc plcsim`, and `ccsplc chademo-car` (a simulated Leaf) in its own network
# namespace, CAN over UDP (cannelloni's format) on a veth pair between the adapter and the car. 1: a whole charge
# from plug-in to the car's stop: the CHAdeMO car's contactors close before SLAC starts, all three end normally.
# 2: the car raises a fault flag while charging; 3: the car's CAN goes silent: each time the adapter's current
# target goes to 0 A, its contactors open below 5 A, the CCS session stops and the result says why. Needs root.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"

id=$$
S=ccsCS$id; E=ccsCE$id; P=ccsCP$id; C=ccsCC$id     # plcsim, charger, adapter, CHAdeMO car
veth "$S" "$E" e$id
veth "$S" "$P" p$id
netns_add "$C"
ip link add "ca$id" netns "$P" type veth peer name "cb$id" netns "$C" || fail "veth adapter-car"
inns "$P" ip addr add 10.77.0.1/30 dev "ca$id"
inns "$C" ip addr add 10.77.0.2/30 dev "cb$id"
inns "$P" ip link set "ca$id" up
inns "$C" ip link set "cb$id" up
start_plcsim "$S" "$tmp/plcsim.log" --port evse=se$id,role=evse --port car=sp$id,role=pev --atten evse:car=20

# run NAME CAR-OPTIONS...: the three processes; exits in $tmp/NAME.rc
run() {
    local name=$1
    shift
    ip netns exec "$E" timeout 100 "$CCSPLC" evse -i he$id --stop-after session --timeout 90 -v \
        >"$tmp/$name-evse.out" 2>"$tmp/$name-evse.log" </dev/null &
    local evse=$!
    ip netns exec "$C" timeout 100 "$CCSPLC" chademo-car --can udp:20000:10.77.0.1:20001 --capacity 1 --soc 20 \
        --target-soc 24 -t 90 "$@" >"$tmp/$name-car.out" 2>"$tmp/$name-car.log" </dev/null &
    local car=$!
    pids+=($evse $car)
    inns "$P" timeout 100 "$CCSPLC" pev -i hp$id --bridge chademo --can udp:20001:10.77.0.2:20000 --timeout 90 -v \
        >"$tmp/$name-pev.out" 2>"$tmp/$name-pev.log" </dev/null
    local pev=$?
    wait $car
    local c=$?
    wait $evse
    echo "$pev $c $?" >"$tmp/$name.rc"
}
first() { grep -n -m1 -E "$2" "$1" | cut -d: -f1; }

# ---- 1: a whole charge ----
run whole
read -r pev car evse <"$tmp/whole.rc"
[ "$pev $car $evse" = "0 0 0" ] || fail "whole charge: exits pev $pev, car $car, evse $evse"
for f in whole-pev whole-evse whole-car; do grep -q "result      ended normally" "$tmp/$f.out" || fail "$f: result"; done
grep -q "chademo     car SoC 2[4-5] %, done, stop: the car asked to stop" "$tmp/whole-pev.out" || fail "adapter: CHAdeMO line"
grep -Eq "soc         20.0 % -> 2[4-5]\.[0-9]+ %" "$tmp/whole-car.out" || fail "car: its SoC"
ready=$(first "$tmp/whole-pev.log" "chademo: [0-9.]+ s: charging")
slac=$(first "$tmp/whole-pev.log" "slac|SLAC")
[ -n "$ready" ] && [ -n "$slac" ] && [ "$ready" -lt "$slac" ] || fail "the CHAdeMO car was not ready before SLAC"
grep -q "chademo: [0-9.]* s: done" "$tmp/whole-pev.log" || fail "the CHAdeMO sequence did not end"

# contactors_open_below FILE: the adapter's contactors opened below 5 A after a fault, the CCS current target 0
contactors_open_below() {
    grep -q "hw: [0-9.]* s: fault: hardware link lost: current target 0 A" "$1" || fail "$1: no hardware fault"
    local a
    a=$(sed -n 's/.*hw: [0-9.]* s: contactors open at \([0-9.]*\) A.*/\1/p' "$1" | tail -1)
    [ -n "$a" ] && awk -v a="$a" 'BEGIN { exit !(a < 5) }' || fail "$1: contactors opened at '$a' A"
    ! grep -q "contactors opened at .* A: the current did not fall" "$1" || fail "$1: opened under load"
}

# ---- 2: a CHAdeMO fault flag ----
run fault --fault-after 2
read -r pev car evse <"$tmp/fault.rc"
[ "$pev" = 1 ] && [ "$car" = 1 ] || fail "fault: exits pev $pev, car $car (both 1: the charge failed)"
grep -q "result      FAILED (CHAdeMO: the car's fault flags)" "$tmp/fault-pev.out" || fail "fault: the adapter's result"
contactors_open_below "$tmp/fault-pev.log"
[ "$evse" -le 1 ] && grep -q "^  result  " "$tmp/fault-evse.out" || fail "fault: the CCS charger's session did not end"

# ---- 3: the CAN stream lost ----
run silent --silent-after 2
read -r pev car evse <"$tmp/silent.rc"
[ "$pev" = 1 ] || fail "silent: adapter exit $pev"
grep -q "result      FAILED (CHAdeMO: CAN stream lost" "$tmp/silent-pev.out" || fail "silent: the adapter's result"
contactors_open_below "$tmp/silent-pev.log"
echo "netns chademo: whole charge, fault flag, lost CAN: ok"
