#!/usr/bin/env bash
# The adapter from the command line and pyPLC's ini: `charge_parameter_backend = chademo` (pyPLC's key) with
# `[pev] can = udp:...` makes `ccsplc pev -c FILE --sim` the CCS->CHAdeMO adapter; a `ccsplc chademo-car` on the
# other end of the UDP socket (loopback, cannelloni's format) charges to its target and both end normally (real
# time: about 15 s). Usage errors: another bridge, the charger with a bridge, AC with the bridge, a bad bus.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/realtime.sh"   # the CAN cycle (100 ms) before a parallel build's load
tmp=$(mktemp -d)
car=
cleanup() { [ -n "$car" ] && kill "$car" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*; do echo "== $f"; tail -15 "$f"; done; exit 1; }
usage_error() { "$@" >/dev/null 2>&1 </dev/null; [ $? = 2 ] || fail "not a usage error: $*"; }

usage_error "$CCSPLC" pev --sim --bridge foo
usage_error "$CCSPLC" evse --sim --bridge chademo
usage_error "$CCSPLC" pev --sim --bridge chademo --proto iso2-ac
usage_error "$CCSPLC" chademo-car
usage_error "$CCSPLC" chademo-car --can udp:1:127.0.0.1:2 --soc 90 --target-soc 80
"$CCSPLC" chademo-car --can udp:70000:x:1 >/dev/null 2>"$tmp/badbus.err" </dev/null
[ $? = 1 ] && grep -q "expected udp:LOCAL_PORT:HOST:REMOTE_PORT" "$tmp/badbus.err" || fail "a bad bus is not named"
"$CCSPLC" chademo-car --help | grep -q "usage: ccsplc chademo-car" || fail "chademo-car --help"

a=$((30000 + $$ % 10000)) b=$((30000 + ($$ + 1) % 10000))
cat >"$tmp/pyPlc.ini" <<INI
[general]
mode = PevMode
is_simulation_without_modems = true
charge_parameter_backend = chademo
[pev]
can = udp:$a:127.0.0.1:$b
INI
timeout 60 "$CCSPLC" chademo-car --can "udp:$b:127.0.0.1:$a" --capacity 1 --soc 20 --target-soc 23 -t 50 \
    >"$tmp/car.out" 2>"$tmp/car.log" </dev/null &
car=$!
timeout 60 "$CCSPLC" pev -c "$tmp/pyPlc.ini" -t 50 >"$tmp/pev.out" 2>"$tmp/pev.log" </dev/null || fail "pev exit $?"
wait "$car" || fail "chademo-car exit $?"
car=
grep -q "result      ended normally" "$tmp/pev.out" || fail "the adapter's result"
grep -q "chademo     car SoC 2[3-4] %, done, stop: the car asked to stop" "$tmp/pev.out" || fail "the adapter's CHAdeMO line"
grep -q "result      ended normally" "$tmp/car.out" || fail "the car's result"
! grep -q "charge_parameter_backend" "$tmp/pev.log" || fail "charge_parameter_backend = chademo named as unused"
echo "chademo cli: pyPLC's charge_parameter_backend = chademo over CAN/UDP: ok"
