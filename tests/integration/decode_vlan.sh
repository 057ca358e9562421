#!/usr/bin/env bash
# 802.1Q VLAN tags (dSPACE's captures tag every frame): each shared capture is rewritten here with a tag in every
# frame; `ccsplc decode --json` of it gives the same records as of the original (HomePlug, SDP, TCP, V2G; only a
# HomePlug record's frame bytes differ, by the tag), no record has an error, and `listen -r` agrees. A HomePlug
# frame cut short is counted as malformed in the totals.
set -euo pipefail
: "${CCSPLC:?}" "${CCS_SHARED_DIR:?}" "${CCS_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
timeout 500 python3 - "$CCSPLC" "$CCS_SHARED_DIR/captures" "$tmp" "$CCS_SOURCE_DIR/tests/integration" <<'PY'
import glob, json, os, subprocess, sys
ccsplc, caps, tmp, here = sys.argv[1:5]
sys.path.insert(0, here)
import pcaplib


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(*args):
    r = subprocess.run([ccsplc, *args], capture_output=True, text=True, timeout=120)
    if r.returncode not in (0, 1):
        fail("ccsplc %s: exit %d: %s" % (" ".join(args), r.returncode, r.stderr[-500:]))
    return r.stdout


def records(path):
    return [json.loads(l) for l in run("decode", "--json", path).splitlines()]


total_hp = 0
for cap in sorted(glob.glob(os.path.join(caps, "*.pcap")) + glob.glob(os.path.join(caps, "*.pcapng"))):
    name = os.path.basename(cap)
    frames = pcaplib.read_frames(cap)
    tagged = os.path.join(tmp, "tagged.pcap")
    pcaplib.write_pcap(tagged, [(ts, pcaplib.vlan_tag(fr, vid=1 + i % 4094, pcp=i % 8))
                                for i, (ts, fr) in enumerate(frames)])
    plain, vlan = records(cap), records(tagged)
    if len(plain) != len(vlan):
        fail("%s: %d records untagged, %d tagged" % (name, len(plain), len(vlan)))
    hp = 0
    for a, b in zip(plain, vlan):
        if a.get("layer") == "homeplug":
            hp += 1
            ha, hb = bytes.fromhex(a.pop("hex")), bytes.fromhex(b.pop("hex"))
            if hb[:12] + hb[16:] != ha or hb[12:14] != b"\x81\x00":
                fail("%s: HomePlug frame bytes are not the tagged frame" % name)
            if b.get("error"):
                fail("%s: tagged %s: %s" % (name, b.get("msg"), b["error"]))
        if a != b:
            fail("%s: records differ:\n  untagged %s\n  tagged   %s" % (name, a, b))
    listen = run("listen", "-r", tagged)
    text = run("decode", tagged)
    if not listen.startswith(text):
        fail("%s: listen -r of the tagged capture differs from decode" % name)
    if " 0 malformed (0 HomePlug)" not in text.splitlines()[-1]:
        fail("%s: tagged: %s" % (name, text.splitlines()[-1]))
    total_hp += hp
    print("ok: %s: %d records, %d HomePlug, the same with 802.1Q tags" % (name, len(plain), hp))
if total_hp < 100:
    fail("only %d HomePlug frames in the captures" % total_hp)

# A HomePlug frame cut after its tag and EtherType, and one cut inside the management header: both malformed.
frames = pcaplib.read_frames(sorted(glob.glob(os.path.join(caps, "*.pcap")) + glob.glob(os.path.join(caps, "*.pcapng")))[0])
hp = next(pcaplib.vlan_tag(fr) for _, fr in frames if fr[12:14] == b"\x88\xe1")
t0 = frames[0][0]
broken = os.path.join(tmp, "broken.pcap")
pcaplib.write_pcap(broken, [(t0, hp), (t0 + 1000000, hp[:18]), (t0 + 2000000, hp[:19])])
last = run("decode", broken).splitlines()[-1]
if " 2 malformed (2 HomePlug)" not in last:
    fail("cut HomePlug frames are not counted: " + last)
print("ok: %d HomePlug frames in all; cut frames counted as malformed" % total_hp)
PY
