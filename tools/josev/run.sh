#!/usr/bin/env bash
# Manual interop run against Josev (SwitchEV/EcoG-io iso15118, Python; docs/interop.md; not part of CI): Josev and
# `ccsplc evse|pev --no-slac` in two network namespaces joined by one veth pair (made and removed here), plain TCP.
#   tools/josev/run.sh JOSEV BUILD OUT secc PROTOCOLS PROTO [pev args]   Josev's SECC (its PROTOCOLS) vs ccsplc pev
#   tools/josev/run.sh JOSEV BUILD OUT evcc CONFIG.json PROTO [evse args] ccsplc evse vs Josev's EVCC (tools/josev/cfg)
# JOSEV: a Josev checkout; BUILD: ccsplc's build directory; OUT: logs, pcaps, decodes. Needs root, Debian's
# python3-pydantic (1.x) python3-psutil python3-aiofiles python3-dotenv python3-marshmallow, and libxml2-dev.
# Josev's EXI codec (EXIficient's jar) is replaced by ccsplc's through exisrv: the EXI layer is ours on both sides.
set -eu
josev=$(realpath "$1") build=$(realpath "$2") out=$3 dir=$4 what=$5 proto=$6
shift 6
extra=("$@")
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out" && out=$(realpath "$out")
renice -n -19 -p $$ >/dev/null   # Josev answers CurrentDemand within 250 ms on a loaded machine
gcc -O2 -I"$here/../../include" -o "$out/exisrv" "$here/exisrv.c" "$build/libccsplc_tools.a" "$build/libccsplc_core.a" -lxml2
E=ccsJE$$ P=ccsJP$$
. "$here/../veth_pair.sh"
veth_pair $E je0 $P jp0
py="env PYTHONPATH=$here:$josev EXISRV=$out/exisrv LOG_LEVEL=INFO MESSAGE_LOG_JSON=true timeout 150 /usr/bin/python3"
cd "$out"
if [ "$dir" = secc ]; then
    ip netns exec $E env NETWORK_INTERFACE=je0 PROTOCOLS="$what" $py "$here/run_secc.py" >josev.log 2>&1 &
    jp=$!
    sleep 4
    rc=0
    ip netns exec $P timeout 100 "$build/ccsplc" pev -i jp0 --no-slac --proto "$proto" --timeout 90 --pcap ccsplc.pcapng \
        -v "${extra[@]}" >ccsplc.out 2>ccsplc.log || rc=$?
else
    ip netns exec $E timeout 150 "$build/ccsplc" evse -i je0 --no-slac --stop-after session --proto "$proto" \
        --timeout 140 --pcap ccsplc.pcapng -v "${extra[@]}" >ccsplc.out 2>ccsplc.log &
    ep=$!
    sleep 1
    ip netns exec $P env NETWORK_INTERFACE=jp0 $py "$here/run_evcc.py" "$here/cfg/$what" >josev.log 2>&1 &
    jp=$!
    rc=0
    wait $ep || rc=$?
fi
sleep 1
kill $jp 2>/dev/null || true
wait $jp 2>/dev/null || true
"$build/ccsplc" decode ccsplc.pcapng >ccsplc.decode 2>&1 || true
cat ccsplc.out
grep -E "^  (EXI|end) " ccsplc.decode
exit $rc
