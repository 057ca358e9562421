#!/usr/bin/env bash
# The CAN backend on SocketCAN: a `vcan` bus in a network namespace made here, `ccsplc chademo-car --can vcanN` and
# `ccsplc pev --sim --bridge chademo --can vcanN` on it charge to the car's target and both end normally. Skipped
# (77) where the kernel has no vcan (e.g. this build machine; the same run goes over CAN/UDP in chademo_cli.sh and
# netns_chademo.sh). Needs root.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
N=ccsCAN$$
netns_add "$N"
inns "$N" ip link add dev vcan0 type vcan 2>"$tmp/vcan.err" ||
    skip "this kernel has no vcan (ip link add type vcan: $(tr -d '\n' <"$tmp/vcan.err")): SocketCAN not tested here"
inns "$N" ip link set vcan0 up
ip netns exec "$N" timeout 60 "$CCSPLC" chademo-car --can vcan0 --capacity 1 --soc 20 --target-soc 23 -t 50 \
    >"$tmp/car.out" 2>"$tmp/car.log" </dev/null &
car=$!
pids+=($car)
inns "$N" timeout 60 "$CCSPLC" pev --sim --bridge chademo --can vcan0 -t 50 >"$tmp/pev.out" 2>"$tmp/pev.log" </dev/null ||
    fail "pev exit $?"
wait "$car" || fail "chademo-car exit $?"
grep -q "result      ended normally" "$tmp/pev.out" || fail "the adapter's result"
grep -q "result      ended normally" "$tmp/car.out" || fail "the car's result"
echo "chademo on SocketCAN (vcan): ok"
