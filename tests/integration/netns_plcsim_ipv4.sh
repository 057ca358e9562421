#!/usr/bin/env bash
# IPv4 and ARP over `ccsplc plcsim`, as real modems bridge them: two namespaces with IPv4 addresses; while their
# modems hold different keys (plcsim's random PIB keys) no UDP echo gets through; once both hosts set one NMK
# (`ccsplc modem setkey`), ARP resolves the peer's MAC across the simulated line and the echo comes back.
# Needs root and `ip netns`; the echo peer is Python's standard library.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
command -v python3 >/dev/null || skip "needs python3"

id=$$
S=ccsIS$id; A=ccsIA$id; B=ccsIB$id
veth "$S" "$A" a$id; veth "$S" "$B" b$id
inns "$A" ip addr add 10.99.0.1/24 dev ha$id
inns "$B" ip addr add 10.99.0.2/24 dev hb$id
mac_b=$(hostmac "$B" b$id)

# the echo server in B answers every datagram on 10.99.0.2:5000 for 60 s
ip netns exec "$B" timeout 60 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.99.0.2", 5000))
while True:
    d, a = s.recvfrom(2048)
    s.sendto(d, a)
' 2>"$tmp/echo.log" &
pids+=($!)
# echo N: one datagram from A, its echo within 2 s; exit 0 when it came back
echo_from_a() {
    inns "$A" timeout 10 python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(sys.argv[1].encode(), ("10.99.0.2", 5000))
try:
    sys.exit(0 if s.recvfrom(2048)[0] == sys.argv[1].encode() else 1)
except socket.timeout:
    sys.exit(1)
' "$1"
}

start_plcsim "$S" "$tmp/plcsim.log" --port a=sa$id --port b=sb$id --restart-ms 100
echo_from_a before && fail "UDP echo between modems of different AVLNs"
echo "ok: no IPv4 between different AVLNs"

inns "$A" timeout 20 "$CCSPLC" modem setkey -i ha$id --password ccsplc-ipv4 2>"$tmp/keyA.log" || fail "setkey A"
inns "$B" timeout 20 "$CCSPLC" modem setkey -i hb$id --password ccsplc-ipv4 2>"$tmp/keyB.log" || fail "setkey B"
ok=
for n in 1 2 3 4 5; do echo_from_a "after$n" && { ok=1; break; }; sleep 0.2; done
[ -n "$ok" ] || fail "no UDP echo inside one AVLN"
inns "$A" ip neigh show 10.99.0.2 dev ha$id | grep -q "lladdr $mac_b" || fail "ARP did not resolve B's MAC"
echo "ok: ARP and IPv4 bridged inside one AVLN"
