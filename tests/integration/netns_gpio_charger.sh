#!/usr/bin/env bash
# The charger on the GPIO backend (docs/hardware.md, GPIO): `ccsplc evse -i` with digital_output_device = gpio on the
# file chip (gpio_fake.py as the wiring: the contactor's and the lock's feedback follow their outputs after 50 ms)
# while `ccsplc pev -i` charges through `ccsplc plcsim`. Asserts the order of its hardware actions over a whole
# session: the connector locked and the CP PWM (5 %) on, the contactor closed for the CableCheck (not before it),
# then the power stage on, a current only from PreCharge on; at the end the current target 0 before the contactor
# opens (below 5 A), the power stage off, the unlock last (the plug-in ends only once the hardware is at rest).
# Needs root and `ip netns`; about 10 s.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
here=$(dirname "$0")
. "$here/lib/netns.sh"
command -v python3 >/dev/null || skip "no python3"

id=$$
charger_and_car G

mkdir "$tmp/gpio"
python3 "$here/gpio_fake.py" "$tmp/gpio" normal 60 &
pids+=($!)
{ printf '[general]\ndigital_output_device = gpio\ngpio_chip = file:%s\n' "$tmp/gpio"
  printf 'gpio_cp = 17\ngpio_contactor = 27\ngpio_lock = 22\ngpio_power = 23\n'
  printf 'gpio_contactor_feedback = 5\ngpio_lock_feedback = 6\n[evse]\nisolation_time = 0.3\n'; } >"$tmp/evse.ini"
printf '[pev]\nsoc = 60\ntarget_soc = 62\ncapacity_kwh = 2\n' >"$tmp/car.ini"
start_evse evse -c "$tmp/evse.ini" --stop-after session --timeout 60 -v
inns "$P" timeout 70 "$CCSPLC" pev -i hp$id -c "$tmp/car.ini" --timeout 60 >"$tmp/pev.out" 2>"$tmp/pev.log" </dev/null
car_rc=$?
wait $evse
evse_rc=$?
[ "$evse_rc" = 0 ] || fail "charger exit $evse_rc"
[ "$car_rc" = 0 ] || fail "car exit $car_rc"
grep -q "result      ended normally" "$tmp/evse.out" || fail "charger result"

# the wiring's log: "<n> <line> <0|1>"
line() { awk -v after="${2:-0}" -v w="$1" 'NR > after && substr($0, index($0, " ") + 1) == w { print NR; f = 1; exit } END { if (!f) print 0 }' "$tmp/gpio/fake.log"; }
# the wiring's log: "<n> <line> <0|1>", each change in order (lock and CP PWM on in one step: the lock written first)
line() { awk -v after="${2:-0}" -v w="$1" 'NR > after && substr($0, index($0, " ") + 1) == w { print NR; f = 1; exit } END { if (!f) print 0 }' "$tmp/gpio/fake.log"; }
prev=0
for w in "lock 1" "cp 1" "contactor 1" "power 1" "contactor 0" "lock 0"; do
    at=$(line "$w" "$prev")
    [ "$at" -gt "$prev" ] || fail "the wiring got '$w' not after line $prev"
    prev=$at
done
[ "$(line "power 0" "$(line "power 1")")" -lt "$prev" ] || fail "the power stage still on when unlocked"
# the charger's log, in its order: its contactors close for the CableCheck (the isolation test runs on the cable,
# IEC 61851-23 CC.4.1.2), a current only from PreCharge on; at the end the current target 0 before they open
n() { grep -n -m1 -E "$1" "$tmp/evse.log" | cut -d: -f1; }
n_cc=$(n "v2g: < (DC_)?CableCheckReq"); n_close=$(n "hw: [0-9.]+ s: contactors close")
n_pre=$(n "v2g: < (DC_)?PreChargeReq"); n_cur=$(n "hw: [0-9.]+ s: current target [1-9]")
n_zero=$(grep -n -E "hw: [0-9.]+ s: current target 0\.0 A" "$tmp/evse.log" | tail -1 | cut -d: -f1)
n_open=$(n "hw: [0-9.]+ s: contactors open at")
[ -n "$n_cc" ] && [ -n "$n_close" ] && [ "$n_cc" -lt "$n_close" ] || fail "contactors closed before CableCheck"
[ -n "$n_pre" ] && [ -n "$n_cur" ] && [ "$n_pre" -lt "$n_cur" ] || fail "a current target before PreCharge"
[ -n "$n_zero" ] && [ -n "$n_open" ] && [ "$n_zero" -lt "$n_open" ] || fail "contactors opened before the current target 0"
grep -Eq "hw: [0-9.]+ s: contactors open at [0-4]\.[0-9] A" "$tmp/evse.log" || fail "contactors not opened below 5 A"
echo "ok: gpio charger: lock < CP PWM < contactor (CableCheck) < power; current from PreCharge on; current 0 < contactor open (below 5 A) < unlock last"
