#!/usr/bin/env bash
# The CCS->CHAdeMO adapter's wires on the GPIO backend (docs/chademo.md "Wires"): `ccsplc pev --sim --bridge chademo`
# with d1, d2 and the CHAdeMO lock on the file chip's output lines, k on an input line and the connector's voltage
# from an ADC file; chademo_wiring.py is the connector between it and `ccsplc chademo-car` (CAN over UDP on
# loopback): it turns the GPIO outputs into the car's wire frame and the car's k and inlet voltage into the input
# line and the file, and passes no wire frame to the adapter. Asserts a whole session's order (d1 on, k read, the
# lock, d2 only after k and the 1 s insulation test; d2 off with the current below 5 A, before unlocking, d1 off
# last), and k lost mid-charge (the wire broken while the car still gives it): current target 0 first, then d2 off,
# unlock, d1 off; an insulation monitor's alarm input: the insulation test fails (FaultStationMalfunction, no d2).
# About 7 s per session.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
here=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
. "$here/lib/realtime.sh"   # the CAN cycle (100 ms) before a parallel build's load
tmp=$(mktemp -d)
wiring= car=
trap '[ -n "$wiring" ] && kill "$wiring" 2>/dev/null; [ -n "$car" ] && kill "$car" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*/wiring.log "$tmp"/*.out "$tmp"/*.err; do [ -f "$f" ] && { echo "== $f"; tail -25 "$f"; }; done; exit 1; }

# session NAME MODE TARGET_SOC BASE_PORT [INI LINE]: the wiring, the car, the adapter; exit codes in $tmp/NAME.rc,
# NAME.car.rc
session() {
    local n=$1 mode=$2 target=$3 p=$4 extra=${5:-}
    mkdir -p "$tmp/$n"
    python3 "$here/chademo_wiring.py" "$tmp/$n" "$mode" 40 "$p" $((p + 1)) $((p + 2)) $((p + 3)) 2>"$tmp/$n.wiring.err" &
    wiring=$!
    for _ in $(seq 50); do [ -f "$tmp/$n/cdm_v" ] && break; sleep 0.1; done
    cat >"$tmp/$n.ini" <<INI
[general]
charge_parameter_backend = chademo
digital_output_device = gpio
gpio_chip = file:$tmp/$n
gpio_chademo_d1 = 24
gpio_chademo_d2 = 25
gpio_chademo_lock = 26
gpio_chademo_k = 16
chademo_voltage_adc = $tmp/$n/cdm_v
$extra
[evse]
isolation_time = 0.3
[pev]
can = udp:$((p + 1)):127.0.0.1:$p
INI
    timeout 40 "$CCSPLC" chademo-car --can "udp:$((p + 3)):127.0.0.1:$((p + 2))" --capacity 1 --soc 20 \
        --target-soc "$target" -t 35 >"$tmp/$n.car.out" 2>"$tmp/$n.car.err" </dev/null &
    car=$!
    local t0=$SECONDS
    timeout 40 "$CCSPLC" pev --sim -c "$tmp/$n.ini" -t 35 >"$tmp/$n.out" 2>"$tmp/$n.err" </dev/null
    echo $? >"$tmp/$n.rc"
    wait "$car"
    echo $? >"$tmp/$n.car.rc"
    echo "$n: $((SECONDS - t0)) s"
    car=
    kill "$wiring" 2>/dev/null; wait "$wiring" 2>/dev/null
    wiring=
}
# line NAME WHAT [AFTER]: the wiring log's first line number of "<n> WHAT" after line AFTER (0: none)
line() { awk -v after="${3:-0}" -v w="$2" 'NR > after && substr($0, index($0, " ") + 1) == w { print NR; f = 1; exit } END { if (!f) print 0 }' "$tmp/$1/wiring.log"; }
# at NAME REGEX [AFTER_S]: the time of the adapter's first "chademo: T s: ..." or "hw: T s: ..." line matching REGEX
# at or after AFTER_S
at() { grep -E "(chademo|hw): [0-9.]+ s: $2" "$tmp/$1.err" | sed -E 's/.*(chademo|hw): ([0-9.]+) s:.*/\2/' |
       awk -v a="${3:-0}" '$1 >= a { print; exit }'; }
le() { awk -v x="$1" -v y="$2" 'BEGIN { exit !(x != "" && y != "" && x + 0 <= y + 0) }'; }
# in_order NAME WHAT...: each WHAT in the wiring log after the one before
in_order() {
    local n=$1 prev=0 at_line
    shift
    for w in "$@"; do
        at_line=$(line "$n" "$w" "$prev")
        [ "$at_line" -gt "$prev" ] || fail "$n: '$w' not after line $prev of the wiring log"
        prev=$at_line
    done
}

# 1. a whole session
port=$((40000 + $$ % 5000 * 4))   # four UDP ports: from/to the adapter, from/to the car
session normal normal 23 "$port"
[ "$(cat "$tmp/normal.rc")" = 0 ] || fail "normal: the adapter's exit $(cat "$tmp/normal.rc")"
[ "$(cat "$tmp/normal.car.rc")" = 0 ] || fail "normal: the car's exit $(cat "$tmp/normal.car.rc")"
grep -q "result      ended normally" "$tmp/normal.out" || fail "normal: the adapter's result"
grep -q "chademo     car SoC 2[3-4] %, done, stop: the car asked to stop" "$tmp/normal.out" || fail "normal: the CHAdeMO line"
in_order normal "d1 1" ">k 1" "lock 1" "d2 1" "d2 0" "lock 0" "d1 0"
# the adapter read k from its input line and the voltage from its file (the wiring passes no 0x7F1 frame)
grep -qE "chademo: [0-9.]+ s: insulation test \(d1=1 d2=0 k=1 lock=1" "$tmp/normal.err" || fail "normal: k not read"
grep -qE "chademo: [0-9.]+ s: charging .*at the inlet [1-9][0-9]{2} V" "$tmp/normal.err" || fail "normal: the voltage not read"
t_iso=$(at normal "insulation test"); t_d2=$(at normal "waiting for the car's contactors \(")
le "$(awk -v t="$t_iso" 'BEGIN { print t + 0.99 }')" "$t_d2" || fail "normal: d2 at $t_d2 s, the insulation test began at $t_iso s"
t_zero=$(at normal 'current target 0\.0 A' "$(at normal 'current target [1-9]')"); t_open=$(at normal "waiting for the car's contactors to open")
le "$t_zero" "$t_open" || fail "normal: d2 off at $t_open s before the current target 0 ($t_zero s)"
grep -qE "hw: [0-9.]+ s: contactors open at [0-4]\.[0-9] A" "$tmp/normal.err" || fail "normal: contactors not opened below 5 A"
echo "ok: chademo gpio: d1 < k < lock < d2 (after the ${t_iso}..${t_d2} s insulation test); current 0 < d2 off < unlock < d1 off"

# 2. k lost while charging
session klost klost 40 "$port"
[ "$(cat "$tmp/klost.rc")" = 0 ] || fail "klost: the adapter's exit $(cat "$tmp/klost.rc")"
grep -q "chademo     car SoC .*stop: the car asked to stop" "$tmp/klost.out" || fail "klost: the stop reason"
in_order klost "d2 1" ">k 0" "d2 0" "lock 0" "d1 0"
t_stop=$(at klost "stopping \(d1=1 d2=1 k=0"); t_zero=$(at klost 'current target 0\.0 A' "$t_stop")
t_open=$(at klost "waiting for the car's contactors to open")
[ -n "$t_stop" ] || fail "klost: no stop with k=0"
le "$t_zero" "$t_open" || fail "klost: d2 off at $t_open s, the current target 0 at $t_zero s"
# the CHAdeMO side asks 0 A in its stop's step (test_chademo); the CCS car carries it in its next loop request,
# at most one loop period later (100 ms in the simulated session), plus one 10 ms step
awk -v a="$t_stop" -v b="$t_zero" 'BEGIN { exit !(b - a <= 0.11) }' || fail "klost: current target 0 at $t_zero s, $t_stop s the stop"
grep -qE "hw: [0-9.]+ s: contactors open at [0-4]\.[0-9] A" "$tmp/klost.err" || fail "klost: contactors not opened below 5 A"
grep -q "result      ended normally" "$tmp/klost.out" || fail "klost: the adapter's result (k gone is the car's stop)"
echo "ok: chademo gpio: k lost: stop at $t_stop s, current target 0 at $t_zero s, d2 off at $t_open s, then unlock, d1 off"

# 3. the insulation monitor (its alarm on an input line) reports a fault: the insulation test fails instead of
#    lasting its 1 s: FaultStationMalfunction in 0x109, never d2, the sequence ends (unlocked, d1 off), exit 1
session isofault isofault 40 "$port" "gpio_isolation_fault = 20"
[ "$(cat "$tmp/isofault.rc")" = 1 ] || fail "isofault: the adapter's exit $(cat "$tmp/isofault.rc"), wanted 1"
grep -q "result      FAILED (CHAdeMO: insulation fault, fault flags sent)" "$tmp/isofault.out" || fail "isofault: result"
in_order isofault ">isolation_fault 1" "d1 1" ">k 1" "d1 0"
[ "$(line isofault "malfunction")" -gt 0 ] || fail "isofault: no FaultStationMalfunction in 0x109"
[ "$(line isofault "d2 1")" = 0 ] || fail "isofault: d2 went on"
! grep -q "SLAC started" "$tmp/isofault.out" || fail "isofault: the CCS session started"
echo "ok: chademo gpio: the insulation monitor's fault: FaultStationMalfunction, no d2, no CCS session, d1 off"
