#!/usr/bin/env bash
# Hostile peers against the real charger process, for DIN 70121 and for ISO 15118-2 DC: `ccsplc evse -i` and a
# real `ccsplc pev -i` (--proto din, then iso2-dc) in network namespaces joined by `ccsplc plcsim`; while the car
# charges, tests/integration/hostile_peer.py (in the car's namespace) sends a V2GTP length beyond the limit, wrong
# version bytes, garbage EXI, valid EXI of the wrong schema, a wrong SessionID, a request out of order, 1000 SDP
# requests per second for 5 s, a slow-drip client and more connections than the charger serves, twice. Each
# protocol: the car still ends its session normally, the charger's VmRSS stays flat, and the charger is still
# running (ready for the next car) afterwards, then exits 0 on SIGTERM. Needs root and `ip netns`.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
SHARED=${CCS_SHARED_DIR:-$(dirname "$0")/../../../shared}
. "$(dirname "$0")/lib/netns.sh"
command -v python3 >/dev/null || skip "needs python3"
[ -f "$SHARED/corpus/din.tsv" ] && [ -f "$SHARED/corpus/iso2.tsv" ] || skip "no corpus in $SHARED"

id=$$
S=ccsHS$id; E=ccsHE$id; P=ccsHP$id     # plcsim, charger, car
veth "$S" "$E" e$id
veth "$S" "$P" p$id

# run_for PROTO: a fresh powerline (plcsim), a charger and a car speaking PROTO, the hostile inputs while the car
# charges, the checks. A fresh plcsim: its modems would otherwise still be restarting with the key the last
# charger set for its next car when it was stopped, and drop the new charger's CM_SET_KEY (docs/reliability.md).
run_for() {
    local proto=$1 evse pev at addr port rc before after1 after2 rss_end
    local eout=$tmp/evse-$proto.out elog=$tmp/evse-$proto.log pout=$tmp/pev-$proto.out plog=$tmp/pev-$proto.log
    local hout=$tmp/hostile-$proto.out
    start_plcsim "$S" "$tmp/plcsim-$proto.log" --port evse=se$id,role=evse --port car=sp$id,role=pev \
        --atten evse:car=20
    # The charger serves until a signal (no `timeout` wrapper: $! is the charger itself, for /proc and the signal;
    # --timeout and the EXIT trap bound it). 20 A: the car's 100 Wh take about 45 s, longer than the hostile inputs.
    ip netns exec "$E" "$CCSPLC" evse -i he$id --proto "$proto" --max-current 20 --timeout 170 -v >"$eout" \
        2>"$elog" </dev/null &
    evse=$!
    pids+=($evse)
    ip netns exec "$P" timeout 170 "$CCSPLC" pev -i hp$id --proto "$proto" --soc 50 --target-soc 52 --capacity 5 \
        --timeout 160 -v >"$pout" 2>"$plog" </dev/null &
    pev=$!
    pids+=($pev)
    for _ in $(seq 300); do grep -q "v2g: < CurrentDemandRes" "$plog" && break; sleep 0.1; done
    grep -q "v2g: < CurrentDemandRes" "$plog" || fail "$proto: the car never charged"
    at=$(grep -o 'sdp: charger at \[fe80::[0-9a-f:]*\]:[0-9]*' "$plog")
    addr=$(echo "$at" | sed 's/.*\[\(.*\)\].*/\1/'); port=${at##*:}

    inns "$P" timeout 120 python3 "$(dirname "$0")/hostile_peer.py" "$CCSPLC" "$SHARED" hp$id "$addr" "$port" $evse \
        "$plog" "$proto" >"$hout" 2>"$tmp/hostile-$proto.log"
    rc=$?
    cat "$hout"
    [ $rc = 0 ] || fail "$proto: hostile inputs: exit $rc"
    grep -q "car still charging after the hostile inputs: yes" "$hout" ||
        fail "$proto: the car finished before the hostile inputs did: they did not run while it charged"
    read -r before after1 after2 < <(sed -n 's/^rss \([0-9]*\) \([0-9]*\) \([0-9]*\) kB.*/\1 \2 \3/p' "$hout")
    # flat: the second round adds nothing (beyond a few pages); the first at most the charger's fixed-size
    # connection slots touched for the first time (LIVE_MAX_CONNS x about 10 kB) and stdio buffers
    [ $((after2 - after1)) -le 16 ] || fail "$proto: VmRSS grew in the second round: $after1 -> $after2 kB"
    [ $((after2 - before)) -le 256 ] || fail "$proto: VmRSS grew: $before -> $after2 kB"

    wait $pev || fail "$proto: the car: exit $?"
    grep -q "result      ended normally" "$pout" && grep -q "stop        normal" "$pout" ||
        fail "$proto: the car did not end normally"
    for _ in $(seq 100); do grep -q "ready for the next car (1 served)" "$elog" && break; sleep 0.1; done
    kill -0 $evse 2>/dev/null || fail "$proto: the charger is not running"
    grep -q "ready for the next car (1 served)" "$elog" || fail "$proto: the charger is not ready for the next car"
    grep -q "connections served already" "$elog" || fail "$proto: the charger did not log the refused connection"
    rss_end=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$evse/status)
    echo "ok: $proto: the car charged normally beside hostile peers; charger VmRSS $before -> $after1 -> $after2 ->" \
        "$rss_end kB, still running"
    kill -TERM $evse
    wait $evse || fail "$proto: the charger after SIGTERM while waiting: exit $?"
    grep -qx "evse: 1 session served, 1 ended normally" "$eout" || fail "$proto: charger summary"
    grep -A1 "^evse session 1 ($proto)" "$eout" | grep -q "stop        normal" || fail "$proto: charger: session 1"
    echo "ok: $proto: the charger's own session with the car ended normally; SIGTERM while waiting: exit 0"
    kill -TERM $plcsim
    wait $plcsim || :   # its `timeout` wrapper may report the signal (143)
}

run_for din
run_for iso2-dc
echo "ok: DIN and ISO-2 DC"
