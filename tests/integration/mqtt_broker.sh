#!/usr/bin/env bash
# The MQTT backend (docs/hardware.md) against a `mosquitto` broker this test starts on a loopback port, with
# mqtt_peer.py (Python standard library) on the other side: `ccsplc pev --sim` with digital_output_device = mqtt.
# Asserts pyPLC's topics and the order of the hardware actions (lock, CP C, relay on, current; relay off before
# CP B before unlock), a stop on the command topic ending the charge gracefully, an emergency stop (current target
# 0 in the step it is seen, contactors open below 5 A), and the broker killed mid-charge: the session goes on,
# the client reconnects when the broker is back. Real time: every run is bounded.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
here=$(cd "$(dirname "$0")" && pwd)
command -v mosquitto >/dev/null || command -v /usr/sbin/mosquitto >/dev/null || { echo "SKIP: no mosquitto broker (Debian: mosquitto)"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
"$CCSPLC" --version 2>/dev/null | grep -q "mqtt" || { echo "SKIP: ccsplc built without libmosquitto"; exit 77; }
broker_bin=$(command -v mosquitto || echo /usr/sbin/mosquitto)
tmp=$(mktemp -d)
broker= peer=
trap '[ -n "$peer" ] && kill "$peer" 2>/dev/null; [ -n "$broker" ] && kill "$broker" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*.log "$tmp"/*.out "$tmp"/*.err; do [ -f "$f" ] && { echo "== $f"; tail -40 "$f"; }; done; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

start_broker() {
    printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$port" >"$tmp/broker.conf"
    "$broker_bin" -c "$tmp/broker.conf" >>"$tmp/broker.log" 2>&1 &
    broker=$!
    for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && return; sleep 0.1; done
    fail "the broker did not start"
}

# session NAME MODE SOC TARGET [hook]: the peer, then the car; exit code in $tmp/NAME.rc; hook runs beside the car
session() {
    local name=$1 mode=$2 soc=$3 target=$4 hook=${5:-}
    python3 "$here/mqtt_peer.py" "$port" "t-$name" "$mode" "$tmp/$name.log" 60 &
    peer=$!
    for _ in $(seq 50); do grep -q "#connected" "$tmp/$name.log" 2>/dev/null && break; sleep 0.1; done
    cat >"$tmp/$name.ini" <<INI
[general]
digital_output_device = mqtt
mqtt_broker = 127.0.0.1
mqtt_port = $port
mqtt_topic = t-$name
[evse]
isolation_time = 0.3
[pev]
soc = $soc
target_soc = $target
capacity_kwh = 2
INI
    local t0=$SECONDS
    timeout 90 "$CCSPLC" pev --sim -c "$tmp/$name.ini" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null &
    local car=$!
    [ -n "$hook" ] && $hook "$name"
    wait "$car"
    echo $? >"$tmp/$name.rc"
    echo "$name: the session took $((SECONDS - t0)) s"
    sleep 0.3; kill "$peer" 2>/dev/null; wait "$peer" 2>/dev/null
    peer=
}
# line NAME PATTERN [AFTER]: the first line number of "<topic suffix> <payload>" in the peer's log after line AFTER
line() { awk -v after="${3:-0}" -v re="^[0-9]+ t-$1/$2\$" 'NR > after && $0 ~ re { print NR; found = 1; exit } END { if (!found) print 0 }' "$tmp/$1.log"; }
at() { grep -m1 -E "hw: [0-9.]+ s: $2" "$tmp/$1.err" | sed -E 's/.*hw: ([0-9.]+) s:.*/\1/'; }

start_broker

# 1. a whole session: pyPLC's topics, in the order of the supervisor's sequence
session normal none 60 62
[ "$(cat "$tmp/normal.rc")" = 0 ] || fail "normal: exit $(cat "$tmp/normal.rc")"
grep -q "result      ended normally" "$tmp/normal.out" || fail "normal: result"
lock=$(line normal 'lock_request lock'); cp=$(line normal 'cpstate C'); on=$(line normal 'relay_request on')
off=$(line normal 'relay_request off' "$on"); cpb=$(line normal 'cpstate B' "$on"); unlock=$(line normal 'lock_request unlock' "$on")
[ "$lock" -gt 0 ] && [ "$cp" -gt "$lock" ] && [ "$on" -gt "$cp" ] || fail "normal: not lock < cpstate C < relay on"
[ "$off" -gt "$on" ] && [ "$cpb" -gt "$off" ] && [ "$unlock" -gt "$cpb" ] || fail "normal: not relay off < cpstate B < unlock"
for t in fsm_state soc evccid battery_capacity; do grep -q "^[0-9]* t-normal/$t " "$tmp/normal.log" || fail "normal: no $t"; done
grep -q "t-normal/evccid 020000CA0002$" "$tmp/normal.log" || fail "normal: evccid is not the car's MAC"
grep -q "t-normal/battery_capacity 2000$" "$tmp/normal.log" || fail "normal: battery_capacity is not 2 kWh in Wh"
awk -v c="$(at normal 'CP state C')" -v a="$(at normal 'current target [1-9]')" 'BEGIN { exit !(c != "" && a != "" && c < a) }' ||
    fail "normal: no current target after CP C"
grep -Eq "hw: [0-9.]+ s: contactors open at [0-4]\.[0-9] A" "$tmp/normal.err" || fail "normal: contactors not opened below 5 A"
echo "ok: pyPLC's topics; lock < cpstate C < relay on, current after CP C; relay off (below 5 A) < cpstate B < unlock"

# 2. stop on the command topic: the charge ends gracefully (the car's stop request), far below the target SoC
session stop stop 30 80
[ "$(cat "$tmp/stop.rc")" = 0 ] || fail "stop: exit $(cat "$tmp/stop.rc")"
grep -q ">command stop" "$tmp/stop.log" || fail "stop: the peer never saw the charge"
grep -q "mqtt: t-stop/command: stop" "$tmp/stop.err" || fail "stop: the command was not taken"
grep -q "stop        user stop" "$tmp/stop.out" && grep -q "result      ended normally" "$tmp/stop.out" || fail "stop: not a graceful stop"
c=$(grep -n -m1 ">command stop" "$tmp/stop.log" | cut -d: -f1)
off=$(line stop 'relay_request off' "$c"); unlock=$(line stop 'lock_request unlock' "$c")
[ "$off" -gt "$c" ] && [ "$unlock" -gt "$off" ] || fail "stop: not command < relay off < unlock"
grep -Eq "hw: [0-9.]+ s: contactors open at [0-4]\.[0-9] A" "$tmp/stop.err" || fail "stop: contactors not opened below 5 A"
echo "ok: a stop on the command topic ends the charge gracefully (user stop), relay off below 5 A, then unlock"

# 3. emergency stop on the command topic: current target 0 in the fault's step, contactors open below 5 A
session estop emergency_stop 30 80
f=$(at estop 'fault: emergency stop'); z=$(at estop 'current target 0\.0 A')
[ -n "$f" ] && [ "$f" = "$z" ] || fail "estop: current target 0 not in the fault's step (fault $f, zero $z)"
grep -Eq "hw: [0-9.]+ s: contactors open at [0-4]\.[0-9] A" "$tmp/estop.err" || fail "estop: contactors not opened below 5 A"
! grep -q "contactors opened at" "$tmp/estop.err" || fail "estop: forced open"
c=$(grep -n -m1 ">command emergency_stop" "$tmp/estop.log" | cut -d: -f1)
off=$(line estop 'relay_request off' "$c"); unlock=$(line estop 'lock_request unlock' "$c")
[ "$off" -gt "$c" ] && [ "$unlock" -gt "$off" ] || fail "estop: not command < relay off < unlock"
grep -q "result      FAILED (hardware: emergency stop)" "$tmp/estop.out" || fail "estop: result"
echo "ok: emergency stop: current target 0 at $f s (the same step), contactors open below 5 A, then unlock"

# 4. the broker killed mid-charge and started again 3 s later: the charge goes on, the client reconnects (the
#    peer stops the charge once it hears ccsplc again)
outage() {
    for _ in $(seq 300); do grep -q "relay_request on" "$tmp/$1.log" 2>/dev/null && break; sleep 0.1; done
    sleep 1
    kill "$broker"; wait "$broker" 2>/dev/null
    sleep 3
    start_broker
}
session outage restart 30 80 outage
[ "$(cat "$tmp/outage.rc")" = 0 ] || fail "outage: exit $(cat "$tmp/outage.rc")"
grep -q "mqtt: broker 127.0.0.1:$port lost: the session goes on" "$tmp/outage.err" || fail "outage: the loss was not noticed"
grep -q "mqtt: connected to 127.0.0.1:$port again" "$tmp/outage.err" || fail "outage: no reconnect"
! grep -q "fault:" "$tmp/outage.err" || fail "outage: the lost broker was a fault"
grep -q "#connected 2" "$tmp/outage.log" || fail "outage: the peer did not reconnect"
r=$(grep -n -m1 "#connected 2" "$tmp/outage.log" | cut -d: -f1)
[ "$(line outage 'cpstate C' "$r")" -gt 0 ] || fail "outage: the levels were not published again after the reconnect"
grep -q "stop        user stop" "$tmp/outage.out" && grep -q "result      ended normally" "$tmp/outage.out" ||
    fail "outage: the charge did not go on to the stop sent after the reconnect"
grep -Eq "hw: [0-9.]+ s: contactors open at [0-4]\.[0-9] A" "$tmp/outage.err" || fail "outage: contactors not opened below 5 A"
echo "ok: broker killed mid-charge: the charge went on, the client reconnected, a stop after it ended the charge"
