#!/usr/bin/env bash
# 802.1Q-tagged HomePlug frames live: `ccsplc listen -i` on one end of a veth pair while a raw socket on the
# other sends every HomePlug frame of a real SLAC capture with a VLAN tag (as dSPACE's setups tag every frame);
# listen decodes each to the same record as `ccsplc decode` of the untagged capture (no "bad header"), and its
# --pcap keeps the tags. Needs root and `ip netns`.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
SHARED=${CCS_SHARED_DIR:?}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/netns.sh"

id=$$
A=ccsVa$id; B=ccsVb$id    # the sender (plays car and charger), the listener
veth "$A" "$B" v$id
inns "$B" sysctl -qw "net.ipv6.conf.hv$id.disable_ipv6=1"
cap=$SHARED/captures/2023-05-24_pyPlc_with_Ioniq93prcSoc.pcapng

ip netns exec "$B" "$CCSPLC" listen -i hv$id --json --pcap "$tmp/listen.pcapng" --duration 30 \
    >"$tmp/listen.out" 2>"$tmp/listen.log" &
listen=$!
pids+=($listen)
for _ in $(seq 50); do grep -q "listen: on" "$tmp/listen.log" && break; sleep 0.1; done
grep -q "listen: on hv$id" "$tmp/listen.log" || fail "listen did not start"

inns "$A" timeout 60 python3 - "$cap" "sv$id" "$here" <<'PY' || fail "sending the tagged frames"
import socket, sys, time
cap, ifname, here = sys.argv[1:4]
sys.path.insert(0, here)
import pcaplib
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((ifname, 0))
n = 0
for i, (_, fr) in enumerate(pcaplib.read_frames(cap)):
    if fr[12:14] == b"\x88\xe1":
        s.send(pcaplib.vlan_tag(fr, vid=5, pcp=i % 8))
        n += 1
        time.sleep(0.002)
print("sent %d tagged HomePlug frames" % n)
PY
sleep 1
kill -INT $listen
wait $listen || fail "listen exit $?"

"$CCSPLC" decode --json "$cap" >"$tmp/decode.out" 2>/dev/null || fail "decode of the capture"
python3 - "$tmp/decode.out" "$tmp/listen.out" "$tmp/listen.pcapng" "$here" <<'PY' || fail "listen's records"
import json, sys
sys.path.insert(0, sys.argv[4])
import pcaplib
KEYS = ("dir", "layer", "proto", "msg", "src", "dst", "keys", "error", "fields")


def homeplug(path):
    recs = [json.loads(l) for l in open(path) if l.startswith("{")]
    return [tuple(json.dumps(r.get(k), sort_keys=True) for k in KEYS) for r in recs if r.get("layer") == "homeplug"]


want, got = homeplug(sys.argv[1]), homeplug(sys.argv[2])
if got != want:
    for w, g in zip(want, got):
        if w != g:
            print("first difference:\n  decode %s\n  listen %s" % (w, g))
            break
    print("FAIL: %d HomePlug records from decode of the untagged capture, %d from listen" % (len(want), len(got)))
    sys.exit(1)
tagged = [fr for _, fr in pcaplib.read_frames(sys.argv[3]) if fr[12:14] == b"\x81\x00" and fr[16:18] == b"\x88\xe1"]
if len(tagged) != len(want):
    print("FAIL: listen's pcapng holds %d tagged HomePlug frames, %d sent" % (len(tagged), len(want)))
    sys.exit(1)
print("ok: listen -i decoded %d tagged HomePlug frames as decode does the untagged capture; its pcapng keeps the tags"
      % len(got))
PY
