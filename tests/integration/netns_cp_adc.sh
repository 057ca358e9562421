#!/usr/bin/env bash
# The charger's CP read-back (docs/hardware.md, cp_adc): `ccsplc evse -i` reads its control pilot from an ADC file
# (here a plain file the test writes, as a sysfs IIO channel would read) while `ccsplc pev -i` charges through
# `ccsplc plcsim`. While the file says B (9 V) the charger holds its contactors open; at C (6 V) they close and
# current flows; the file going to A (12 V: the plug pulled) mid-charge is a fault: current target 0 in that step,
# the contactors open below 5 A, the result FAILED (hardware: control pilot lost). The scale and offset of a
# level-shifted ADC (counts to volts) are applied. Needs root and `ip netns`.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
here=$(dirname "$0")
. "$here/lib/netns.sh"

id=$$
charger_and_car A

# a 12-bit ADC behind a divider with an offset: volts = counts * 0.01 - 15 (9 V: 2400, 6 V: 2100, 12 V: 2700)
adc() { echo "$1" >"$tmp/cp_raw"; }
adc 2400
printf '[general]\ncp_adc = %s\ncp_adc_scale = 0.01\ncp_adc_offset = -15\n[evse]\nisolation_time = 0.3\n' \
    "$tmp/cp_raw" >"$tmp/evse.ini"
printf '[pev]\nsoc = 30\ntarget_soc = 90\ncapacity_kwh = 5\n' >"$tmp/car.ini"
start_evse evse -c "$tmp/evse.ini" --stop-after session --timeout 90
inns "$P" timeout 100 "$CCSPLC" pev -i hp$id -c "$tmp/car.ini" --timeout 90 >"$tmp/pev.out" 2>"$tmp/pev.log" </dev/null &
car=$!
pids+=($car)

# wait_log PATTERN SECONDS: the charger's log has the line
wait_log() { for _ in $(seq $(($2 * 10))); do grep -Eq "$1" "$tmp/evse.log" && return 0; sleep 0.1; done; return 1; }
wait_log "hw: CP B \(9\.0 V\)" 20 || fail "the charger did not read CP B from the ADC"
wait_log "hw: [0-9.]+ s: contactors held" 60 || fail "the charger did not hold its contactors at CP B"
! grep -Eq "hw: [0-9.]+ s: contactors close" "$tmp/evse.log" || fail "contactors closed at CP B"
echo "ok: CP B read back (counts 2400 -> 9.0 V): the contactors held open"
adc 2100
wait_log "hw: [0-9.]+ s: current target [1-9]" 30 || fail "no current after CP C"
sleep 1
adc 2700
wait $evse
evse_rc=$?
wait $car
grep -q "hw: CP C (6.0 V)" "$tmp/evse.log" || fail "CP C not read"
grep -q "hw: CP A (12.0 V)" "$tmp/evse.log" || fail "CP A not read"
fault=$(grep -m1 -E "hw: [0-9.]+ s: fault: control pilot lost" "$tmp/evse.log" | sed -E 's/.*hw: ([0-9.]+) s:.*/\1/')
zero=$(grep -E "hw: [0-9.]+ s: current target 0\.0 A" "$tmp/evse.log" | tail -1 | sed -E 's/.*hw: ([0-9.]+) s:.*/\1/')
[ -n "$fault" ] && [ "$fault" = "$zero" ] || fail "current target 0 not in the fault's step (fault '$fault', zero '$zero')"
grep -Eq "hw: [0-9.]+ s: contactors open at [0-4]\.[0-9] A" "$tmp/evse.log" || fail "contactors not opened below 5 A"
grep -q "result      FAILED (hardware: control pilot lost)" "$tmp/evse.out" || fail "charger result: $(grep result "$tmp/evse.out")"
[ "$evse_rc" = 1 ] || fail "charger exit $evse_rc, want 1"
echo "ok: CP C -> current; CP A mid-charge: current target 0 at $fault s (the same step), contactors open below 5 A, FAILED"
