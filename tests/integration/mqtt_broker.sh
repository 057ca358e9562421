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
. "$here/lib/hw_checks.sh"
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
$(hw_car_ini "$soc" "$target")
INI
    hw_run_car "$name" "$hook"
}
peerlog() { echo "$tmp/$1.log"; }
line() { hw_line "$tmp/$1.log" "[0-9]+ t-$1/$2" "${3:-0}"; }   # the peer's log: "<n> <topic> <payload>"

start_broker

# 1. a whole session: pyPLC's topics, in the order of the supervisor's sequence
session normal none 60 62
hw_check_session normal 'lock_request lock' 'cpstate C' 'relay_request on' 'relay_request off' 'cpstate B' 'lock_request unlock'
for t in fsm_state soc evccid battery_capacity; do grep -q "^[0-9]* t-normal/$t " "$tmp/normal.log" || fail "normal: no $t"; done
grep -q "t-normal/evccid 020000CA0002$" "$tmp/normal.log" || fail "normal: evccid is not the car's MAC"
grep -q "t-normal/battery_capacity 2000$" "$tmp/normal.log" || fail "normal: battery_capacity is not 2 kWh in Wh"
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
hw_opened_below stop
echo "ok: a stop on the command topic ends the charge gracefully (user stop), relay off below 5 A, then unlock"

# 3. emergency stop on the command topic: current target 0 in the fault's step, contactors open below 5 A
session estop emergency_stop 30 80
hw_check_fault estop 'emergency stop' '>command emergency_stop' 'relay_request off' 'lock_request unlock'
echo "ok: emergency stop: current target 0 at $hw_fault_at s (the same step), contactors open below 5 A, then unlock"

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
hw_opened_below outage
echo "ok: broker killed mid-charge: the charge went on, the client reconnected, a stop after it ended the charge"
