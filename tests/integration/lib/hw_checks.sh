# Shared by the hardware backend tests (serial_board.sh, gpio_session.sh, mqtt_broker.sh; sourced, not a test
# itself): the supervisor's sequence and fault reactions every backend must show, read from ccsplc's "hw: T s: ..."
# log ($tmp/NAME.err, .out, .rc) and from the peer's log of what the hardware got. The sourcing script defines
# fail MESSAGE, peerlog NAME (the peer's log file) and line NAME PATTERN [AFTER] (the first line number of PATTERN
# in the peer's log after line AFTER, 0: none).

. "$(dirname "${BASH_SOURCE[0]}")/realtime.sh"   # the car and the board's peer before a parallel build's load

# hw_car_ini SOC TARGET: the sections after [general] of every run: a quick isolation test, a 2 kWh battery
hw_car_ini() { printf '[evse]\nisolation_time = 0.3\n[pev]\nsoc = %s\ntarget_soc = %s\ncapacity_kwh = 2\n' "$1" "$2"; }

# hw_run_car NAME [HOOK]: `ccsplc pev --sim -c $tmp/NAME.ini` (at most 90 s), HOOK NAME run beside it; the exit
# code in $tmp/NAME.rc, its output in NAME.out and NAME.err; then the peer ($peer) ended.
hw_run_car() {
    local n=$1 t0=$SECONDS car
    timeout 90 "$CCSPLC" pev --sim -c "$tmp/$n.ini" >"$tmp/$n.out" 2>"$tmp/$n.err" </dev/null &
    car=$!
    [ -z "${2:-}" ] || "$2" "$n"
    wait "$car"
    echo $? >"$tmp/$n.rc"
    echo "$n: the session took $((SECONDS - t0)) s"
    sleep 0.3; kill "$peer" 2>/dev/null; wait "$peer" 2>/dev/null
    peer=
}

# hw_at NAME PATTERN: the step time of ccsplc's first "hw: T s: PATTERN" line
hw_at() { grep -m1 -E "hw: [0-9.]+ s: $2" "$tmp/$1.err" | sed -E 's/.*hw: ([0-9.]+) s:.*/\1/'; }
# hw_line FILE REGEX [AFTER]: the first line number of FILE matching the whole-line REGEX after line AFTER (0: none)
hw_line() { awk -v after="${3:-0}" -v re="^$2\$" 'NR > after && $0 ~ re { print NR; found = 1; exit } END { if (!found) print 0 }' "$1"; }

hw_opened_below() {
    grep -Eq "hw: [0-9.]+ s: contactors open at [0-4]\.[0-9] A" "$tmp/$1.err" || fail "$1: contactors not opened below 5 A"
    ! grep -q "contactors opened at" "$tmp/$1.err" || fail "$1: contactors forced open under load"
}

# hw_check_session NAME LOCK CP_C CLOSE OPEN CP_B UNLOCK: a whole session that ended normally, the peer got
# LOCK < CP_C < CLOSE and then OPEN < CP_B < UNLOCK, the current target only after CP C, the contactors opened
# below 5 A.
hw_check_session() {
    local n=$1 lock cp k open cpb unlock
    [ "$(cat "$tmp/$n.rc")" = 0 ] || fail "$n: exit $(cat "$tmp/$n.rc")"
    grep -q "result      ended normally" "$tmp/$n.out" || fail "$n: result"
    lock=$(line "$n" "$2"); cp=$(line "$n" "$3"); k=$(line "$n" "$4")
    open=$(line "$n" "$5" "$k"); cpb=$(line "$n" "$6" "$k"); unlock=$(line "$n" "$7" "$k")
    [ "$lock" -gt 0 ] && [ "$cp" -gt "$lock" ] && [ "$k" -gt "$cp" ] || fail "$n: not $2 < $3 < $4"
    [ "$open" -gt "$k" ] && [ "$cpb" -gt "$open" ] && [ "$unlock" -gt "$cpb" ] || fail "$n: not $5 < $6 < $7"
    awk -v c="$(hw_at "$n" 'CP state C')" -v a="$(hw_at "$n" 'current target [1-9]')" 'BEGIN { exit !(c != "" && a != "" && c < a) }' ||
        fail "$n: no current target after CP C"
    hw_opened_below "$n"
}

# hw_check_fault NAME FAULT MARK OPEN UNLOCK: the fault (after the peer's log line matching MARK): the current target
# 0 in the step the fault was seen, the contactors opened below 5 A, then the peer got OPEN < UNLOCK, the result
# FAILED (hardware: FAULT). Sets hw_fault_at (the fault's step time).
hw_check_fault() {
    local n=$1 z e open unlock
    hw_fault_at=$(hw_at "$n" "fault: $2"); z=$(hw_at "$n" 'current target 0\.0 A')
    [ -n "$hw_fault_at" ] && [ "$hw_fault_at" = "$z" ] || fail "$n: current target 0 not in the fault's step (fault $hw_fault_at, zero $z)"
    hw_opened_below "$n"
    e=$(grep -n -m1 -E "$3" "$(peerlog "$n")" | cut -d: -f1)
    [ -n "$e" ] || fail "$n: the peer never saw the charge ($3)"
    open=$(line "$n" "$4" "$e"); unlock=$(line "$n" "$5" "$e")
    [ "$open" -gt "$e" ] && [ "$unlock" -gt "$open" ] || fail "$n: not $3 < $4 < $5"
    grep -q "result      FAILED (hardware: $2)" "$tmp/$n.out" || fail "$n: result"
}
