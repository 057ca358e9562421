#!/usr/bin/env bash
# Output streams never block or end the control loop of `ccsplc evse` (the car: `ccsplc pev`), in network
# namespaces joined by `ccsplc plcsim`: started with stdout and stderr closed (fds 1 and 2 are /dev/null, not
# the next socket); a log pipe whose reader goes away (no SIGPIPE death); a log FIFO and a --pcap FIFO whose
# readers stop reading (the charger keeps answering while both are full, and nothing is lost once they read
# again); --pcap on a full file system (logged once with the reason, the capture ends at a whole block, the
# session goes on). Each session must end normally. Then `listen --pcap/--split` on a full file system says
# why it fails. Needs root, `ip netns`, `unshare` and python3.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
command -v python3 >/dev/null || skip "needs python3"
command -v unshare >/dev/null || skip "needs unshare (util-linux)"
here=$(cd "$(dirname "$0")" && pwd)
shared=${CCS_SHARED_DIR:-$here/../../../shared}

id=$$
S=ccsOS$id; E=ccsOE$id; P=ccsOP$id     # plcsim, charger, car
veth "$S" "$E" e$id
veth "$S" "$P" p$id
start_plcsim "$S" "$tmp/plcsim.log" --port evse=se$id,role=evse --port car=sp$id,role=pev --atten evse:car=20
car=(-i hp$id --proto din --soc 50 --target-soc 52 --capacity 5 --timeout 90)   # DIN: CurrentDemand counted
mkdir -p "$tmp/small"   # a small tmpfs goes there (cases 4 and 5)

wait_for() { # FILE PATTERN SECONDS
    for _ in $(seq $(($3 * 10))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}
# car TAG [ARGS]: the car, in the foreground; it must end normally.
car() {
    local tag=$1
    shift
    inns "$P" timeout 120 "$CCSPLC" pev "${car[@]}" "$@" -v >"$tmp/$tag-pev.out" 2>"$tmp/$tag-pev.log" </dev/null ||
        fail "$tag: pev exit $?"
    grep -q "result      ended normally" "$tmp/$tag-pev.out" || fail "$tag: the car did not end normally"
}

# ---- 1: stdout and stderr closed at start: fds 1 and 2 are /dev/null, not a socket ----
ip netns exec "$E" "$CCSPLC" evse -i he$id --stop-after session --timeout 90 -v >&- 2>&- </dev/null &
evse=$!
pids+=($evse)
# the pid is `ip netns exec` (its own netlink socket, fds 1 and 2 closed) until it execs ccsplc: wait for ccsplc's
# own sockets
exe=$(readlink -f "$CCSPLC")
for _ in $(seq 100); do
    [ "$(readlink /proc/$evse/exe 2>/dev/null)" = "$exe" ] && ls -l /proc/$evse/fd 2>/dev/null | grep -q socket && break
    sleep 0.1
done
for fd in 1 2; do
    what=$(readlink /proc/$evse/fd/$fd)
    [ "$what" = /dev/null ] || fail "closed: the charger's fd $fd is '$what', not /dev/null"
done
car closed
wait $evse || fail "closed: evse exit $?"
echo "ok: started with stdout and stderr closed: fds 1 and 2 on /dev/null, the session normal, exit 0"

# ---- 2: the log pipe closes (`evse ... 2>&1 | head`): no SIGPIPE death ----
(
    ip netns exec "$E" "$CCSPLC" evse -i he$id --stop-after session --timeout 90 -v 2>&1 </dev/null
    echo $? >"$tmp/pipe-evse.rc"
) | head -c 300 >"$tmp/pipe-evse.head" &
pids+=($!)
car pipe
wait_for "$tmp/pipe-evse.rc" . 30 || fail "pipe: the charger did not end"
rc=$(cat "$tmp/pipe-evse.rc")
[ "$rc" = 0 ] || fail "pipe: evse exit $rc after its log reader went away (141: SIGPIPE)"
[ "$(wc -c <"$tmp/pipe-evse.head")" = 300 ] || fail "pipe: head got no log"
echo "ok: the log pipe closed after 300 bytes: the charger charged on, exit 0"

# ---- 3: the log (stdout and stderr) and the --pcap go to FIFOs whose readers stop reading: once both are full
# (a page each), the charger answers 50 more CurrentDemand (more log and capture than the FIFOs' free room),
# then the readers go on: the session ends normally, and nothing is lost ----
mkfifo "$tmp/log.fifo" "$tmp/pcap.fifo"
python3 "$here/stall_reader.py" "$tmp/log.fifo" "$tmp/stall.log" 150 &
logr=$!
python3 "$here/stall_reader.py" "$tmp/pcap.fifo" "$tmp/stall.pcapng" 150 &
pcapr=$!
pids+=($logr $pcapr)
ip netns exec "$E" "$CCSPLC" evse -i he$id --stop-after session --timeout 90 -v --pcap "$tmp/pcap.fifo" \
    >"$tmp/log.fifo" 2>&1 </dev/null &
evse=$!
pids+=($evse)
inns "$P" timeout 120 "$CCSPLC" pev "${car[@]}" --target-soc 55 -v >"$tmp/stall-pev.out" 2>"$tmp/stall-pev.log" \
    </dev/null &
pev=$!
pids+=($pev)
for f in stall.log stall.pcapng; do
    for _ in $(seq 600); do [ -e "$tmp/$f.full" ] && break; sleep 0.1; done
    [ -e "$tmp/$f.full" ] || fail "stall: the charger never filled the $f FIFO (it stopped writing, or the session ended first)"
done
n0=$(grep -c "v2g: < CurrentDemandRes" "$tmp/stall-pev.log")
for _ in $(seq 300); do
    [ "$(grep -c "v2g: < CurrentDemandRes" "$tmp/stall-pev.log")" -ge $((n0 + 50)) ] && break
    sleep 0.1
done
n1=$(grep -c "v2g: < CurrentDemandRes" "$tmp/stall-pev.log")
[ "$n1" -ge $((n0 + 50)) ] || fail "stall: the charger answered $((n1 - n0)) CurrentDemand while its log and pcap were not read"
touch "$tmp/stall.log.go" "$tmp/stall.pcapng.go"
wait $pev || fail "stall: pev exit $?"
grep -q "result      ended normally" "$tmp/stall-pev.out" || fail "stall: the car did not end normally"
wait $evse || fail "stall: evse exit $?"
wait $logr || fail "stall: log reader"
wait $pcapr || fail "stall: pcap reader"
grep -q "result      ended normally" "$tmp/stall.log" || fail "stall: the charger's result did not arrive"
# nothing lost: the bounded queues held it (or a drop was counted and said)
sent_p=$(grep -c "v2g: > " "$tmp/stall-pev.log")
recv_e=$(grep -c "v2g: < " "$tmp/stall.log")
grep -q "lines dropped" "$tmp/stall.log" || [ "$sent_p" = "$recv_e" ] ||
    fail "stall: the charger's log has $recv_e of the $sent_p requests and says nothing was dropped"
"$CCSPLC" decode "$tmp/stall.pcapng" >"$tmp/stall.decode" 2>&1 || fail "stall: decode of the FIFO's pcapng"
grep -q "end      SessionStop (OK)" "$tmp/stall.decode" || fail "stall: the pcapng lacks the session's end"
echo "ok: log and pcap readers stalled: $((n1 - n0)) CurrentDemand answered while both FIFOs were full; the log ($recv_e requests) and the pcapng complete afterwards"

# ---- 4: --pcap on a full file system (a 20 KiB tmpfs in a mount namespace of the charger; the whole capture
# takes about 45 KiB) ----
ip netns exec "$E" unshare -m sh -c 'mount -t tmpfs -o size=20k ccs "$1" || exit 77
    "$2" evse -i "$3" --stop-after session --timeout 90 --pcap "$1/evse.pcapng" >"$4/full-evse.out" 2>"$4/full-evse.log" </dev/null
    rc=$?; cp "$1/evse.pcapng" "$4/full.pcapng"; exit $rc' sh "$tmp/small" "$CCSPLC" he$id "$tmp" &
evse=$!
pids+=($evse)
car full
wait $evse
rc=$?
[ "$rc" = 77 ] && skip "cannot mount a tmpfs in a mount namespace here"
[ "$rc" = 0 ] || fail "full: evse exit $rc"
grep -q "result      ended normally" "$tmp/full-evse.out" || fail "full: the charger did not end normally"
[ "$(grep -c "No space left on device" "$tmp/full-evse.log")" = 1 ] ||
    fail "full: the charger did not say once that the capture stopped (No space left on device)"
size=$(wc -c <"$tmp/full.pcapng")
[ "$size" -gt 8192 ] && [ "$size" -le 20480 ] || fail "full: capture of $size bytes"
"$CCSPLC" decode "$tmp/full.pcapng" >"$tmp/full.decode" 2>&1 || fail "full: the cut capture does not decode"
echo "ok: --pcap on a full file system: said once why, capture cut at a whole block ($size bytes), session normal"

# ---- 5: listen --pcap / --split on a full file system: exit 1, saying why ----
cap=$shared/captures/2023-05-24_pyPlc_with_Ioniq93prcSoc.pcapng
for opt in pcap split; do   # the capture's pcapng takes 149 KB, its session's timeline 26 KB
    unshare -m sh -c 'if [ "$3" = pcap ]; then a="--pcap $1/all.pcapng" size=32k; else a="--split $1/out" size=8k; fi
        mount -t tmpfs -o size=$size ccs "$1" || exit 77
        "$2" listen -q -r "$4" $a' sh "$tmp/small" "$CCSPLC" $opt "$cap" >"$tmp/listen-$opt.out" 2>"$tmp/listen-$opt.log"
    rc=$?
    [ "$rc" = 77 ] && skip "cannot mount a tmpfs in a mount namespace here"
    [ "$rc" = 1 ] || fail "listen --$opt on a full file system: exit $rc (want 1)"
    grep -q "No space left on device" "$tmp/listen-$opt.log" || fail "listen --$opt: exit 1 without saying why"
done
echo "ok: listen --pcap and --split on a full file system: exit 1 with the reason"
