#!/usr/bin/env bash
# The GPIO backend (docs/hardware.md) against a fake chip: `ccsplc pev --sim` with digital_output_device = gpio on
# the file chip (gpio_chip = file:DIR), gpio_fake.py playing the wiring (feedback follows the outputs, the plug
# in, an emergency-stop button, a welded contactor). Asserts the order of the lines (lock < CP C < contactor,
# the current after CP C; contactor open below 5 A < CP B < unlock), the emergency stop (current target 0 in the
# fault's step, contactors open below 5 A, then unlock) and a contactor whose feedback falls open while charging
# (a fault after 500 ms: current 0 first, then the contactor opened), and a contactor welded at the end of the
# session (its feedback stays closed: the car ends FAILED naming it, the inlet stays locked). Then
# the same whole session on the kernel's gpio-sim chip where this kernel has it (else skipped with a message).
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
here=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
. "$here/lib/hw_checks.sh"
tmp=$(mktemp -d)
peer=
trap '[ -n "$peer" ] && kill "$peer" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*/fake.log "$tmp"/*.out "$tmp"/*.err; do [ -f "$f" ] && { echo "== $f"; tail -30 "$f"; }; done; exit 1; }

pins() {
    cat <<INI
gpio_cp = 17
gpio_contactor = 27
gpio_lock = 22
gpio_power = 23
gpio_contactor_feedback = 5
gpio_lock_feedback = 6
gpio_emergency_stop = 13
gpio_plugged = 19
INI
}

# session NAME MODE SOC TARGET: the fake wiring, then the car on it; exit code in $tmp/NAME.rc
session() {
    local name=$1 mode=$2 soc=$3 target=$4
    mkdir -p "$tmp/$name"
    python3 "$here/gpio_fake.py" "$tmp/$name" "$mode" 60 &
    peer=$!
    for _ in $(seq 50); do [ -f "$tmp/$name/in19" ] && break; sleep 0.05; done
    { printf '[general]\ndigital_output_device = gpio\ngpio_chip = file:%s\n' "$tmp/$name"; pins
      hw_car_ini "$soc" "$target"; } >"$tmp/$name.ini"
    hw_run_car "$name"
}
peerlog() { echo "$tmp/$1/fake.log"; }
line() { hw_line "$tmp/$1/fake.log" "[0-9]+ $2" "${3:-0}"; }   # the fake's log: "<n> <line name> <0|1>"

# 1. a whole session: the order of the lines
session normal normal 60 62
hw_check_session normal 'lock 1' 'cp 1' 'contactor 1' 'contactor 0' 'cp 0' 'lock 0'
echo "ok: gpio: lock < CP C < contactor, current after CP C; contactor open (below 5 A) < CP B < unlock"

# 2. the emergency-stop button while charging
session estop estop 30 80
hw_check_fault estop 'emergency stop' '>emergency_stop 1' 'contactor 0' 'lock 0'
echo "ok: gpio emergency stop: current target 0 at $hw_fault_at s (the same step), contactors open below 5 A, then unlock"

# 3. the contactor's feedback falls open while charging (stuck or dropped out): a fault after HW_FEEDBACK_MS,
#    the current target 0 in its step, the contactor commanded open, then unlock
session dropout dropout 30 80
hw_check_fault dropout 'contactor feedback' '>feedback_open 1' 'contactor 0' 'lock 0'
echo "ok: gpio contactor feedback lost while charging: a fault at $hw_fault_at s, current target 0 in its step, then open, unlock"

# 4. the contactor welded: commanded open at the end of the session, its feedback stays closed. The car must not
#    call that a normal end, and must not unlock the inlet with the contactor closed (hw_sup: unlock only with the
#    contactors commanded open and not reported closed).
session welded welded 60 62
[ "$(cat "$tmp/welded.rc")" = 1 ] || fail "welded: exit $(cat "$tmp/welded.rc"), wanted 1"
grep -q "hardware: contactor feedback" "$tmp/welded.out" || fail "welded: the result does not name the contactor feedback"
off=$(line welded 'contactor 0')
[ "$off" != 0 ] || fail "welded: the contactor was never commanded open"
[ "$(line welded 'lock 0' "$off")" = 0 ] || fail "welded: the inlet was unlocked with the contactor welded"
echo "ok: gpio contactor welded at the end: FAILED (hardware: contactor feedback), the inlet stays locked"

# 4. the kernel's gpio-sim: the same whole session on a real GPIO character device
if [ ! -d /sys/kernel/config/gpio-sim ] && ! modprobe gpio-sim 2>/dev/null; then
    echo "skip: gpio-sim: this kernel has no gpio-sim (CONFIG_GPIO_SIM) or configfs: the file chip run above stands"
    exit 0
fi
"$CCSPLC" --version | grep -q " gpio" || { echo "skip: gpio-sim: ccsplc built without libgpiod"; exit 0; }
sim=/sys/kernel/config/gpio-sim/ccsplc-test-$$
mkdir "$sim" "$sim/bank0" || { echo "skip: gpio-sim: cannot create a chip (not root?)"; exit 0; }
trap '[ -n "$peer" ] && kill "$peer" 2>/dev/null; echo 0 >"$sim/live" 2>/dev/null; rmdir "$sim/bank0" "$sim" 2>/dev/null; rm -rf "$tmp"' EXIT
echo 32 >"$sim/bank0/num_lines" && echo 1 >"$sim/live" || fail "gpio-sim: cannot bring the chip up"
chip=$(cat "$sim/bank0/chip_name")
{ printf '[general]\ndigital_output_device = gpio\ngpio_chip = %s\ngpio_cp = 17\ngpio_contactor = 27\ngpio_lock = 22\n' "$chip"
  printf '[evse]\nisolation_time = 0.3\n[pev]\nsoc = 60\ntarget_soc = 62\ncapacity_kwh = 2\n'; } >"$tmp/sim.ini"
timeout 60 "$CCSPLC" pev --sim -c "$tmp/sim.ini" >"$tmp/sim.out" 2>"$tmp/sim.err" </dev/null || fail "gpio-sim: exit $?"
grep -q "result      ended normally" "$tmp/sim.out" || fail "gpio-sim: result"
grep -q "contactors open at [0-4]\.[0-9] A" "$tmp/sim.err" || fail "gpio-sim: contactors not opened below 5 A"
echo "ok: gpio-sim chip $chip: a whole session, contactors open below 5 A"
