#!/usr/bin/env python3
"""Seeds for the parser fuzz targets, from ../shared (captures, corpus) and the PIB fixtures.

make_parser_seeds.py OUT_DIR [SHARED_DIR] [CCSPLC]   writes OUT_DIR/<target>/<name> for every parser target;
CCSPLC (a built ccsplc) turns corpus lines into XML seeds for fuzz_xml, and the PnC targets next to it
(CCSPLC's directory/fuzz) write their own seeds (both skipped without it). Record formats are
those of fuzz/fuzz_util.h (2-byte big-endian length, then the bytes) and the comments of each target.
"""
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
import pcaplib  # noqa: E402  (pcap/pcapng frames)
import pib_fixtures  # noqa: E402  (flat PIB and NVM chain, written from HOMEPLUG-NOTES.md)

PER_CAPTURE = 60        # frames of each kind taken from one capture
CAPTURE_WHOLE_MAX = 160000  # captures up to this size are also seeds as whole files
EXI_PROTOS = ["app", "din", "iso2", "iso20-common", "iso20-dc", "iso20-ac", "iso20-acdp", "iso20-wpt"]


def rec(b):
    return struct.pack(">H", len(b)) + b


def ipv6_l4(frame):
    """(next header, src, dst, l4 bytes) of an untagged IPv6 frame, else None."""
    if len(frame) < 54 or frame[12:14] != b"\x86\xdd":
        return None
    plen = struct.unpack_from(">H", frame, 18)[0]
    return frame[20], frame[22:38], frame[38:54], frame[54:54 + plen]


def qca_read_buffer(frame):
    """A frame as the QCA7000 read buffer holds it (include/ccsplc/core/qca7000.h): 32-bit big-endian hardware
    length, 0xAA x4, 16-bit little-endian length, 2 reserved bytes, the frame padded to 60, 0x55 0x55."""
    frame = frame + bytes(max(0, 60 - len(frame)))
    framed = b"\xaa" * 4 + struct.pack("<HH", len(frame), 0) + frame + b"\x55\x55"
    return struct.pack(">I", len(framed)) + framed


def mininet_seg(seq, flags, data=b""):
    """A fuzz_mininet step: a peer TCP segment (seq relative to ours; flags 0x40 in order, 0x80 ACK of all)."""
    return rec(b"\x01" + struct.pack(">II", seq, 0) + bytes([flags, 0x10, 0]) + data)


def write(out, target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def capture_seeds(out, path):
    base = os.path.basename(path).split(".")[0]
    with open(path, "rb") as f:
        raw = f.read()
    frames = pcaplib.read_frames(path)
    hp = [fr for _, fr in frames if fr[12:14] == b"\x88\xe1"]
    v6 = [fr for _, fr in frames if fr[12:14] == b"\x86\xdd"]
    for i, fr in enumerate(sorted(set(hp), key=hp.index)[:PER_CAPTURE]):
        write(out, "fuzz_hpgp", f"{base}-{i}", fr)
    if hp:  # the whole SLAC exchange as records: 1 byte of clock (x10 ms) + the frame
        write(out, "fuzz_hpgp", f"{base}-seq", b"".join(rec(b"\x01" + fr) for fr in hp[:200]))
    for i, fr in enumerate(sorted(set(v6), key=v6.index)[:PER_CAPTURE]):
        write(out, "fuzz_ipv6", f"{base}-{i}", fr)
    flows, sdp = {}, 0
    for fr in v6:
        p = ipv6_l4(fr)
        if not p:
            continue
        nh, src, dst, l4 = p
        if nh == 17 and len(l4) >= 8 and 15118 in struct.unpack_from(">HH", l4, 0):
            write(out, "fuzz_sdp", f"{base}-{sdp}", l4[8:])
            sdp += 1
        if nh == 6 and len(l4) >= 20:
            sport, dport, seq = struct.unpack_from(">HHI", l4, 0)
            payload = l4[(l4[12] >> 4) * 4:]
            flows.setdefault((src, sport, dst, dport), []).append((seq, payload))
    for k, (key, segs) in enumerate(flows.items()):
        data = [(s, p) for s, p in segs if p]
        if not data:
            continue
        stream, seen = b"", set()
        for s, p in data:
            if s not in seen:
                seen.add(s)
                stream += p
        write(out, "fuzz_v2gtp", f"{base}-{k}", b"\x05" + stream[:4096])
        write(out, "fuzz_tcp_reasm", f"{base}-{k}",
              b"".join(rec(struct.pack(">IB", s, 0) + p) for s, p in data[:100]))
    write(out, "fuzz_capture", f"{base}-frames", b"\x01" + b"".join(rec(fr) for _, fr in frames[:300]))
    # fuzz_qca: 1 byte (bit 0: SPI layout), then the read buffer of 20 frames as reads of up to 700 bytes
    spi = b"".join(qca_read_buffer(fr) for _, fr in frames[:20])
    # fuzz_mininet: the capture's IPv6 frames as raw input steps (operation 0)
    write(out, "fuzz_mininet", f"{base}-frames", b"".join(rec(b"\x00" + fr) for fr in v6[:60]))
    write(out, "fuzz_qca", f"{base}-spi", b"\x01" + b"".join(rec(spi[i:i + 700]) for i in range(0, len(spi), 700)))
    if len(raw) <= CAPTURE_WHOLE_MAX:
        write(out, "fuzz_capture", f"{base}-file", b"\x00" + raw)


def corpus_lines(shared):
    lines = []
    for tsv in sorted(os.listdir(os.path.join(shared, "corpus"))):
        if tsv.endswith(".tsv"):
            with open(os.path.join(shared, "corpus", tsv)) as f:
                lines += [l.split("\t")[:3] for l in f if l.count("\t") >= 2]
    return lines


# fuzz_sess record type bytes (fuzz/fuzz_sess.c type_of): bit 0 clear is 0x8001 (EXI); 0x01 is ISO-20 main
# (0x8002), 0x03 ISO-20 DC (0x8004); bits 1-7 give the time before the record in 50 ms steps.
SESS_TYPE = {"app": 0x02, "din": 0x02, "iso2": 0x02, "iso20-common": 0x01, "iso20-dc": 0x03}


def sess_seeds(out, lines):
    """A snapshot selector, then three corpus requests of one schema (app, DIN, ISO-2, ISO-20 common and DC) as
    records with their payload type."""
    by_proto = {}
    for p, m, h in lines:
        if p in SESS_TYPE and m.endswith("Req"):
            by_proto.setdefault(p, []).append(rec(bytes([SESS_TYPE[p]]) + bytes.fromhex(h)))
    groups = [by_proto[p] for p in SESS_TYPE if p in by_proto]
    for i in range(96):
        reqs = groups[i % len(groups)]
        write(out, "fuzz_sess", f"sess-{i}", bytes([i]) + b"".join(reqs[(i * 7 + k * 131) % len(reqs)] for k in range(3)))


def xml_seeds(out, lines, ccsplc):
    taken = {}
    for proto, msg, hexs in lines:
        if proto not in EXI_PROTOS or taken.get((proto, msg)):
            continue
        r = subprocess.run([ccsplc, "exi", "decode", "-p", proto, hexs], capture_output=True, timeout=30)
        if r.returncode == 0:
            taken[(proto, msg)] = 1
            write(out, "fuzz_xml", f"{proto}-{msg}", bytes([EXI_PROTOS.index(proto)]) + r.stdout)


def ini_seeds(out):
    """The pyPlc.ini and the refused files of tests/integration/live_cli.sh (its here-document and printf lines)."""
    with open(os.path.join(HERE, "..", "tests", "integration", "live_cli.sh")) as f:
        text = f.read()
    start = text.index("<<'INI'\n") + len("<<'INI'\n")
    write(out, "fuzz_ini", "pyplc", text[start:text.index("\nINI\n", start) + 1].encode())
    write(out, "fuzz_ini", "sections", b"[a]\nk = 1\n[B]\nK: yes\n; c\n# c\n\nx=-2.5e3\r\n")


def tls_seeds(out):
    """fuzz_tls: a key log's text; hellos with the client random the target's key log knows (TLS 1.2 0xc023 with a
    change cipher spec each way and an application-data record; TLS 1.3 0x1302 with its supported_versions)."""
    cr = bytes(range(32)).hex()
    write(out, "fuzz_tls", "keylog", b"\x00# comment\nCLIENT_RANDOM " + cr.encode() + b" " + b"ab" * 48 + b"\n")

    def hs(t, body):
        return bytes([22, 3, 3]) + (len(body) + 4).to_bytes(2, "big") + bytes([t]) + len(body).to_bytes(3, "big") + body

    ch = hs(1, b"\x03\x03" + bytes(range(32)) + b"\x00\x00\x02\xc0\x23\x01\x00")
    for name, suite, ext in (("tls12", b"\xc0\x23", b""), ("tls13", b"\x13\x02", b"\x00\x2b\x00\x02\x03\x04")):
        sh = hs(2, b"\x03\x03" + bytes(32) + b"\x00" + suite + b"\x00" + len(ext).to_bytes(2, "big") + ext)
        ccs, app = bytes([20, 3, 3, 0, 1, 1]), bytes([23, 3, 3, 0, 48]) + bytes(48)
        write(out, "fuzz_tls", name, b"\x01" + rec(b"\x01" + ch) + rec(b"\x00" + sh) + rec(b"\x01" + ccs) +
              rec(b"\x00" + ccs) + rec(b"\x01" + app) + rec(b"\x00" + app))


def pnc_seeds(out, ccsplc):
    """fuzz_pnc_chain, fuzz_pnc_sig: the PaymentDetailsReq and AuthorizationReq of the session each target runs on
    its own test PKI (fuzz/fuzz_pnc.h), and the chain as records; fuzz_pnc_install: the ISO-20
    CertificateInstallationReq and -Res of its session; written by the targets themselves."""
    for target in ("fuzz_pnc_chain", "fuzz_pnc_sig", "fuzz_pnc_install"):
        exe = os.path.join(os.path.dirname(ccsplc), "fuzz", target)
        d = os.path.join(out, target)
        os.makedirs(d, exist_ok=True)
        subprocess.run([exe], env=dict(os.environ, CCS_FUZZ_SEED_OUT=d), check=True, timeout=120, cwd=d,
                       stdout=subprocess.DEVNULL)


def main():
    out = sys.argv[1]
    shared = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "..", "shared")
    ccsplc = sys.argv[3] if len(sys.argv) > 3 else None
    caps = os.path.join(shared, "captures")
    for name in sorted(os.listdir(caps)):
        if name.endswith((".pcapng", ".pcap")):
            capture_seeds(out, os.path.join(caps, name))
    write(out, "fuzz_pib", "flat", bytes(pib_fixtures.flat()))
    write(out, "fuzz_pib", "chain", bytes(pib_fixtures.chain()))
    ini_seeds(out)
    # fuzz_mininet: SYN-ACK, a request, the answer in two segments (the second first), time, close
    write(out, "fuzz_mininet", "session", mininet_seg(0, 0x92) + rec(b"\x05hello") + mininet_seg(5, 0x98, b"world") +
          mininet_seg(0, 0xd8, b"12345") + rec(b"\x06\x01") + rec(b"\x04\x10") + rec(b"\x08\x00") +
          mininet_seg(0, 0xd1))
    # fuzz_chademo: a Leaf ZE1's 0x100/0x101/0x102 (hwthomas/ccs-chademo src/utils/ZE1-chademo-charging.log),
    # and a charger's 0x108/0x109, twenty times
    leaf = [bytes.fromhex(h) for h in ("010006000000b301ff00", "010100e4000000000000", "0102029a017300818f00")]
    qc = [bytes.fromhex(h) for h in ("010800f40187b3010000", "0109017b01640105d724")]
    write(out, "fuzz_chademo", "leaf", b"".join(rec(f) for _ in range(20) for f in leaf + qc))
    tls_seeds(out)
    lines = corpus_lines(shared)
    sess_seeds(out, lines)
    if ccsplc:
        xml_seeds(out, lines, ccsplc)
        pnc_seeds(out, ccsplc)
    counts = {t: len(os.listdir(os.path.join(out, t))) for t in sorted(os.listdir(out))}
    print("make_parser_seeds: " + ", ".join(f"{t} {n}" for t, n in counts.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
