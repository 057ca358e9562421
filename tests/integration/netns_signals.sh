#!/usr/bin/env bash
# Every signal whose default action would end the process ends `ccsplc evse` / `ccsplc pev` mid-session through
# their safe stop (charger: current 0, output off, contactors open; car: stop requested, contactors open), with
# the result printed and exit 1, never killed by the signal itself: a closed terminal or ssh session (SIGHUP),
# SIGUSR1/SIGUSR2, SIGQUIT, SIGALRM, a real-time signal, as SIGINT and SIGTERM always did. The other side sees
# the connection close and goes safe. plcsim and listen end cleanly on them too (their statistics, the
# summary); under nohup (SIGHUP ignored at start) SIGHUP stays ignored. Charger and car in network namespaces
# joined by `ccsplc plcsim`. Needs root and `ip netns`.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"

id=$$
S=ccsGS$id; E=ccsGE$id; P=ccsGP$id     # plcsim, charger, car
veth "$S" "$E" e$id
veth "$S" "$P" p$id
# plcsim itself (no `timeout` around it): it gets a signal at the end
ip netns exec "$S" "$CCSPLC" plcsim --port evse=se$id,role=evse --port car=sp$id,role=pev --atten evse:car=20 \
    >"$tmp/plcsim.log" 2>&1 </dev/null &
plcsim=$!
pids+=($plcsim)
for _ in $(seq 100); do grep -q running "$tmp/plcsim.log" && break; sleep 0.1; done
grep -q running "$tmp/plcsim.log" || fail "plcsim did not start"

# wait_for FILE PATTERN SECONDS
wait_for() {
    for _ in $(seq $(($3 * 10))); do grep -q "$2" "$1" && return 0; sleep 0.1; done
    return 1
}

# sig_case SIDE SIG: a charger and a car; once the car charges, SIG goes to SIDE (evse or pev). Both processes
# are ccsplc itself (ip netns exec execs it), bounded by their own --timeout.
sig_case() {
    local side=$1 sig=$2 tag=$1-$2 other
    [ "$side" = evse ] && other=pev || other=evse
    ip netns exec "$E" "$CCSPLC" evse -i he$id --stop-after session --timeout 60 -v >"$tmp/$tag-evse.out" \
        2>"$tmp/$tag-evse.log" </dev/null &
    local evse=$!
    pids+=($evse)
    ip netns exec "$P" "$CCSPLC" pev -i hp$id --proto din --soc 30 --target-soc 90 --timeout 60 -v >"$tmp/$tag-pev.out" \
        2>"$tmp/$tag-pev.log" </dev/null &
    local pev=$!
    pids+=($pev)
    wait_for "$tmp/$tag-pev.log" "v2g: < CurrentDemandRes" 40 || fail "$tag: the car never charged"
    sleep 0.3
    local target=$evse
    [ "$side" = pev ] && target=$pev
    kill -s "$sig" $target || fail "$tag: kill -s $sig"
    wait $evse
    local rc_evse=$?
    wait $pev
    local rc_pev=$?
    local rc_side=$rc_evse rc_other=$rc_pev
    [ "$side" = pev ] && { rc_side=$rc_pev; rc_other=$rc_evse; }
    [ "$rc_side" = 1 ] || fail "$tag: the $side exited $rc_side (want 1; 128+n: killed by the signal)"
    grep -q "signal: SIG$sig" "$tmp/$tag-$side.log" || fail "$tag: the $side did not log SIG$sig"
    grep -q "v2g: safe state$" "$tmp/$tag-$side.log" || fail "$tag: the $side did not confirm its safe state"
    grep -q "result      FAILED" "$tmp/$tag-$side.out" || fail "$tag: the $side printed no result"
    [ "$rc_other" = 1 ] || fail "$tag: the $other exited $rc_other (want 1)"
    grep -q "result      FAILED" "$tmp/$tag-$other.out" || fail "$tag: the $other printed no result"
    if [ "$side" = pev ]; then
        grep -q "stop        disconnected" "$tmp/$tag-evse.out" || fail "$tag: charger stop reason"
    fi
    echo "ok: SIG$sig to the $side while charging: safe stop, result, exit 1; the $other safe after the close"
}

for sig in HUP USR1 USR2 QUIT ALRM RTMIN+1 INT TERM; do sig_case evse $sig; done
for sig in HUP USR1; do sig_case pev $sig; done

# ends_on TAG PID SIG: SIG ends PID with exit 0
ends_on() {
    kill -s "$3" "$2"
    wait "$2"
    local rc=$?
    [ "$rc" = 0 ] || fail "$1: exit $rc on SIG$3 (want 0)"
}

# A serving charger waiting for a car: SIGHUP ends it like SIGTERM (nothing to make safe): exit 0.
ip netns exec "$E" "$CCSPLC" evse -i he$id --timeout 60 >"$tmp/wait-evse.out" 2>"$tmp/wait-evse.log" </dev/null &
evse=$!
pids+=($evse)
wait_for "$tmp/wait-evse.log" "slac: EVSE on" 20 || fail "waiting charger did not start"
sleep 0.5
ends_on "waiting charger" $evse HUP
grep -q "evse: 0 sessions served" "$tmp/wait-evse.out" || fail "waiting charger: no summary"
echo "ok: SIGHUP to a charger waiting for a car: exit 0 with its summary"

# Started with SIGHUP ignored (nohup): it stays ignored, the charger goes on; SIGTERM ends it.
(trap '' HUP; exec ip netns exec "$E" "$CCSPLC" evse -i he$id --timeout 60 >"$tmp/nohup-evse.out" \
    2>"$tmp/nohup-evse.log" </dev/null) &
evse=$!
pids+=($evse)
wait_for "$tmp/nohup-evse.log" "slac: EVSE on" 20 || fail "nohup charger did not start"
kill -HUP $evse
sleep 1
kill -0 $evse 2>/dev/null || fail "nohup: the charger ended on an ignored SIGHUP"
grep -q "signal: SIGHUP" "$tmp/nohup-evse.log" && fail "nohup: the charger took the ignored SIGHUP"
ends_on nohup $evse TERM
echo "ok: a charger started with SIGHUP ignored (nohup) keeps it ignored; SIGTERM ends it"

# listen on the plcsim namespace's loopback: SIGUSR1 ends it with the summary, exit 0
ip netns exec "$S" "$CCSPLC" listen -i lo >"$tmp/listen.out" 2>"$tmp/listen.log" </dev/null &
lis=$!
pids+=($lis)
wait_for "$tmp/listen.log" "listen: on lo" 20 || fail "listen did not start"
ends_on listen $lis USR1
grep -q "listen: 0 EXI messages" "$tmp/listen.log" || fail "listen: no summary on SIGUSR1"
echo "ok: SIGUSR1 to listen: summary, exit 0"

# plcsim: SIGHUP ends it with its statistics, exit 0
ends_on plcsim $plcsim HUP
grep -q "plcsim: sent [0-9]* delivered" "$tmp/plcsim.log" || fail "plcsim: no statistics on SIGHUP"
echo "ok: SIGHUP to plcsim: statistics, exit 0"
