#!/usr/bin/env bash
# pyPLC's serial boards as the car's hardware (docs/hardware.md): `ccsplc pev --sim` with the simulated charger,
# the car's CP, contactor and lock on a board played by serial_board.py on a pseudo-terminal. Asserts the order of
# the hardware actions (lock, CP C, contactor, current; contactor open before CP B and unlock), the emergency stop
# (current target 0 in the step it is seen, the contactors open below the break threshold) and a board that goes
# away (a fault, the same safe sequence). Real time: each run is bounded.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/hw_checks.sh"
tmp=$(mktemp -d)
peer=
trap '[ -n "$peer" ] && kill "$peer" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*.log "$tmp"/*.out "$tmp"/*.err; do [ -f "$f" ] && { echo "== $f"; tail -30 "$f"; }; done; exit 1; }
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }

# session NAME PROTOCOL MODE SOC TARGET: the board, then the car on it; exit code in $tmp/NAME.rc
session() {
    local name=$1 proto=$2 mode=$3 soc=$4 target=$5
    python3 "$here/serial_board.py" "$proto" "$mode" "$tmp/$name.path" "$tmp/$name.log" 40 &
    peer=$!
    for _ in $(seq 100); do [ -f "$tmp/$name.path" ] && break; sleep 0.05; done
    [ -f "$tmp/$name.path" ] || fail "$name: the board did not start"
    cat >"$tmp/$name.ini" <<INI
[general]
digital_output_device = $proto
analog_input_device = none
serial_port = $(cat "$tmp/$name.path")
serial_baud = 19200
$(hw_car_ini "$soc" "$target")
INI
    hw_run_car "$name"
}
peerlog() { echo "$tmp/$1.log"; }
line() { hw_line "$tmp/$1.log" "[0-9.]+ $2" "${3:-0}"; }   # the board's log: "<time> <line>"

# 0. pev -i with a board that is not there: refused before anything else (no root needed: before the raw socket)
printf '[general]\ndigital_output_device = celeron55device\nserial_port = %s\n' "$tmp/no-such-tty" >"$tmp/absent.ini"
timeout 20 "$CCSPLC" pev -i lo -c "$tmp/absent.ini" >"$tmp/absent.out" 2>"$tmp/absent.err" </dev/null
rc=$?
[ "$rc" = 1 ] || fail "absent board: exit $rc, expected 1"
grep -q "celeron55device: cannot open $tmp/no-such-tty" "$tmp/absent.err" || fail "absent board: not named"
! grep -q "slac:" "$tmp/absent.err" || fail "absent board: SLAC started anyway"
echo "ok: pev -i with its board missing stops before SLAC"

# 1. a whole session on celeron55device: the order of the lines the board got, the current only after CP C
session normal celeron55device normal 60 62
hw_check_session normal lock 'cp=1' 'contactor=1' 'contactor=0' 'cp=0' unlock
echo "ok: celeron55device: lock < cp=1 < contactor=1, current after CP C; contactor=0 (below 5 A) < cp=0 < unlock"

# 2. emergency stop while charging: current target 0 in the step of the fault, contactors open below 5 A
session estop celeron55device estop 30 80
hw_check_fault estop 'emergency stop' '>emergency_stop=1' 'contactor=0' unlock
echo "ok: emergency stop: current target 0 at $hw_fault_at s (the same step), contactors open below 5 A, then unlock"

# 3. the board goes away mid-charge: link lost, the same safe sequence (no board to tell any more)
session vanish celeron55device vanish 30 80
grep -q ">vanish" "$tmp/vanish.log" || fail "vanish: the board never saw the charge"
grep -q "fault: hardware link lost" "$tmp/vanish.err" || fail "vanish: no link-lost fault"
grep -q "v2g: contactors open\|hw: [0-9.]* s: contactors open" "$tmp/vanish.err" || fail "vanish: contactors not opened"
grep -q "result      FAILED (hardware: hardware link lost)" "$tmp/vanish.out" || fail "vanish: result"
echo "ok: a board that goes away is a fault: current 0, contactors open"

# 4. dieter: the output word (bit 0 CP C, bit 1 relay) in order: do0001 (CP C) before do0003, do0001/do0000 after
session dieter dieter normal 60 62
[ "$(cat "$tmp/dieter.rc")" = 0 ] || fail "dieter: exit $(cat "$tmp/dieter.rc")"
c=$(line dieter do0001); k=$(line dieter do0003 "$c")
[ "$c" -gt 0 ] && [ "$k" -gt "$c" ] || fail "dieter: do0001 not before do0003"
tail -1 "$tmp/dieter.log" | grep -q " do0000$" || fail "dieter: last word not do0000"
echo "ok: dieter: do0001 < do0003 ... do0000, at 19200 baud"
