#!/usr/bin/env bash
# Manual interop run against EVerest's libiso15118 SECC (docs/interop.md; not part of CI): tools/everest's
# everest_secc and `ccsplc pev --no-slac` in two network namespaces joined by one veth pair (made and removed here).
#   tools/everest/run.sh SECC BUILD OUT SERVICES PROTO [pev args]
# SECC: the everest_secc binary (build: docs/interop.md); BUILD: ccsplc's build directory; OUT: logs, pcap, decode;
# SERVICES: dc, ac or dc,ac (what the SECC offers); PROTO: ccsplc pev's --proto. TLS: put the SECC's chain and key
# and the two roots that verify the car in EVEREST_TLS="CHAIN KEY ROOT1 ROOT2" (secc.cpp) and give pev its --tls
# options, with --keylog keys.log (in OUT) for the decode. Needs root.
set -eu
secc=$(realpath "$1") build=$(realpath "$2") out=$3 services=$4 proto=$5
shift 5
extra=("$@")
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out" && out=$(realpath "$out")
E=ccsEE$$ P=ccsEP$$
. "$here/../veth_pair.sh"
veth_pair $E ee0 $P ep0
cd "$out"
rm -f keys.log
# shellcheck disable=SC2086 # EVEREST_TLS is four paths
ip netns exec $E timeout 150 "$secc" ee0 "$services" ${EVEREST_TLS:-} >everest.out 2>everest.log &
sp=$!
sleep 2
rc=0
ip netns exec $P timeout 100 "$build/ccsplc" pev -i ep0 --no-slac --proto "$proto" --timeout 90 --pcap ccsplc.pcapng \
    -v "${extra[@]}" >ccsplc.out 2>ccsplc.log || rc=$?
sleep 1
kill $sp 2>/dev/null || true
wait $sp 2>/dev/null || true
kl=()
[ -f keys.log ] && kl=(--keylog keys.log)
"$build/ccsplc" decode "${kl[@]}" ccsplc.pcapng >ccsplc.decode 2>&1 || true
cat ccsplc.out
grep -E "^  (EXI|end) " ccsplc.decode
exit $rc
