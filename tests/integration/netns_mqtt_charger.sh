#!/usr/bin/env bash
# The charger's MQTT side (docs/hardware.md): `ccsplc evse -i` with charge_parameter_backend = mqtt against a
# `mosquitto` broker in its own network namespace, `ccsplc pev -i` in another, joined by `ccsplc plcsim`.
# mqtt_peer.py plays the power supply's side: it caps the current (charger_max_current 20), sees what the car
# asks for (target_voltage, target_current), its SoC and EVCCID, and stops the charge on the command topic:
# the charger ends it gracefully (StopCharging), the car's current never above 20 A. And a signal to the charger
# mid-charge is taken by its safe stop, never by the MQTT client's thread (which would end the process unsafely).
# Needs root and `ip netns`.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
here=$(dirname "$0")
. "$here/lib/netns.sh"
command -v python3 >/dev/null || skip "needs python3"
broker_bin=$(command -v mosquitto || echo /usr/sbin/mosquitto)
[ -x "$broker_bin" ] || skip "no mosquitto broker (Debian: mosquitto)"
"$CCSPLC" --version | grep -q " mqtt" || skip "ccsplc built without libmosquitto"

id=$$
S=ccsQS$id; E=ccsQE$id; P=ccsQP$id     # plcsim, charger (and the broker), car
veth "$S" "$E" e$id
veth "$S" "$P" p$id
start_plcsim "$S" "$tmp/plcsim.log" --port evse=se$id,role=evse --port car=sp$id,role=pev --atten evse:car=20

port=18830
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$port" >"$tmp/broker.conf"
ip netns exec "$E" timeout 120 "$broker_bin" -c "$tmp/broker.conf" >"$tmp/broker.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do inns "$E" python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break; sleep 0.1; done
# peer MODE LOG: the power supply's side in the charger's namespace
peer() {
    ip netns exec "$E" timeout 120 python3 "$here/mqtt_peer.py" "$port" psu "$1" "$tmp/$2" 100 &
    pids+=($!)
    for _ in $(seq 50); do grep -q "#connected" "$tmp/$2" 2>/dev/null && break; sleep 0.1; done
    grep -q "#connected" "$tmp/$2" || fail "the power supply's peer did not connect"
}
peer charger peer.log
printf '[general]\ncharge_parameter_backend = mqtt\nmqtt_broker = 127.0.0.1\nmqtt_port = %s\nmqtt_topic = psu\n[evse]\nisolation_time = 0.3\n' \
    "$port" >"$tmp/evse.ini"
printf '[pev]\nsoc = 30\ntarget_soc = 80\ncapacity_kwh = 5\n' >"$tmp/car.ini"
start_evse evse -c "$tmp/evse.ini" --stop-after session --timeout 90
inns "$P" timeout 100 "$CCSPLC" pev -i hp$id -c "$tmp/car.ini" --timeout 90 -v >"$tmp/pev.out" 2>"$tmp/pev.log" </dev/null
car_rc=$?
wait $evse
evse_rc=$?

grep -q ">command stop" "$tmp/peer.log" || fail "the peer never saw the car's current request"
grep -q "mqtt: psu/command: stop" "$tmp/evse.log" || fail "the charger did not take the stop"
grep -q "mqtt: current limit 20.0 A" "$tmp/evse.log" || fail "the charger did not take charger_max_current"
mac=$(hostmac "$P" p$id | tr -d : | tr a-f A-F)
grep -q "^[0-9]* psu/evccid $mac$" "$tmp/peer.log" || fail "no evccid $mac"
grep -q "^[0-9]* psu/soc 30$" "$tmp/peer.log" || fail "no soc 30"
grep -Eq "^[0-9]+ psu/target_voltage [1-9][0-9]+$" "$tmp/peer.log" || fail "no target_voltage"
grep -q "stop        EVSE shutdown\|stop        evse shutdown" "$tmp/pev.out" || fail "car: not stopped by the charger ($(grep stop "$tmp/pev.out"))"
[ "$car_rc" = 0 ] || [ "$car_rc" = 1 ] || fail "car: exit $car_rc"
# the current the car got, on average from its energy over the charge: at most the 20 A limit (not its 125 A)
avg=$(awk '/energy/ { wh = $2 * 1000 } /times/ { for (i = 1; i <= NF; i++) { if ($i == "current") fc = $(i + 1); if ($i == "end") e = $(i + 1) } }
           END { if (e > fc) printf "%.1f", wh * 3600 / (e - fc) / 350 }' "$tmp/pev.out")
awk -v a="${avg:-0}" 'BEGIN { exit !(a > 5 && a <= 25) }' || fail "car: on average $avg A, not within the 20 A limit"
grep -q "v2g: contactors open" "$tmp/pev.log" || fail "car: contactors not opened"
echo "ok: evse -i over MQTT: target and status topics published, current capped at 20 A (car: $avg A on average), a stop on"
echo "    the command topic ended the charge from the charger's side (car exit $car_rc, charger exit $evse_rc)"

# SIGTERM (systemctl stop) and SIGUSR1 to the charger while charging: its safe stop and result, exit 1 — the
# signal is not delivered to the MQTT client's thread
for sig in TERM USR1; do
    peer psu "sig$sig.log"
    # ccsplc itself (ip netns exec execs it; `timeout` would take the signal), bounded by its own --timeout
    ip netns exec "$E" "$CCSPLC" evse -i he$id -c "$tmp/evse.ini" --stop-after session --timeout 60 -v \
        >"$tmp/sig$sig-evse.out" 2>"$tmp/sig$sig-evse.log" </dev/null &
    evse=$!
    pids+=($evse)
    inns "$P" timeout 100 "$CCSPLC" pev -i hp$id -c "$tmp/car.ini" --timeout 60 >"$tmp/sig$sig-pev.out" 2>"$tmp/sig$sig-pev.log" </dev/null &
    car=$!
    pids+=($car)
    for _ in $(seq 400); do grep -Eq "psu/target_current [1-9]" "$tmp/sig$sig.log" && break; sleep 0.1; done
    grep -Eq "psu/target_current [1-9]" "$tmp/sig$sig.log" || fail "SIG$sig: the car never asked for current"
    sleep 0.5
    kill -s $sig $evse
    wait $evse
    rc=$?
    wait $car
    [ "$rc" = 1 ] || fail "SIG$sig: the charger exited $rc (want 1; 128+n: killed by the signal in another thread)"
    grep -q "signal: SIG$sig" "$tmp/sig$sig-evse.log" || fail "SIG$sig: the charger did not log it"
    grep -q "v2g: safe state$" "$tmp/sig$sig-evse.log" || fail "SIG$sig: the charger did not confirm its safe state"
    grep -q "result      FAILED" "$tmp/sig$sig-evse.out" || fail "SIG$sig: the charger printed no result"
    echo "ok: SIG$sig to the charger with its MQTT client running: safe stop, result, exit 1"
done
