"""Generic parts of a scripted V2G peer for the netns tests (Python 3 standard library only): V2GTP framing, SDP
(ISO 15118-2 7.10: UDP 15118 on the interface's link-local IPv6 address), a TCP listener in the dynamic port range,
EXI through `ccsplc exi encode/decode` (cached: a session repeats its messages), messages as XML edited with
ElementTree, the corpus of real and synthetic messages, and log lines on the clock ccsplc logs with."""
import os
import random
import select
import socket
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

V2GTP_EXI, V2GTP_ISO20_MAIN, V2GTP_ISO20_DC = 0x8001, 0x8002, 0x8004
SDP_REQ, SDP_RES, SDP_PORT = 0x9000, 0x9001, 15118
DYNAMIC_PORTS = (49152, 65535)          # IANA dynamic range, as ISO 15118-2 asks for the V2G port


def log(msg):
    """A line on stderr stamped like ccsplc's log (CLOCK_MONOTONIC seconds, as in src/platform/log.c)."""
    t = time.clock_gettime(time.CLOCK_MONOTONIC)
    print(f"{int(t) % 100000:5d}.{int(t * 1000) % 1000:03d} peer  {msg}", file=sys.stderr, flush=True)


def frame(payload, ptype=V2GTP_EXI):
    """One V2GTP message: version 1, its inverse, payload type, length."""
    return bytes([0x01, 0xFE]) + struct.pack(">HI", ptype, len(payload)) + payload


def unframe(data):
    """(payload type, payload, rest) of the first whole V2GTP message in data, or None."""
    if len(data) < 8:
        return None
    ptype, n = struct.unpack(">HI", data[2:8])
    if len(data) < 8 + n:
        return None
    return ptype, data[8:8 + n], data[8 + n:]


def link_local(ifname):
    """The fe80:: address of an interface (from /proc/net/if_inet6)."""
    with open("/proc/net/if_inet6") as f:
        for line in f:
            col = line.split()
            if col[5] == ifname and col[0].startswith("fe80"):
                return socket.inet_ntop(socket.AF_INET6, bytes.fromhex(col[0]))
    raise SystemExit(f"no link-local address on {ifname}")


def tcp_listen(ifname, addr):
    """A listening TCP socket on [addr%ifname] at a port of the dynamic range; (socket, port)."""
    scope = socket.if_nametoindex(ifname)
    for _ in range(100):
        port = random.randint(*DYNAMIC_PORTS)
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((addr, port, 0, scope))
        except OSError:
            s.close()
            continue
        s.listen(4)
        return s, port
    raise SystemExit("no free port in the dynamic range")


def sdp_answer(ifname, addr, port, timeout):
    """Wait for one SDP request on UDP 15118 of ifname and answer it with addr and the TCP port (no TLS, TCP)."""
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    u.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    u.bind(("::", SDP_PORT))
    end = time.time() + timeout
    try:
        while time.time() < end:
            if not select.select([u], [], [], max(0.0, end - time.time()))[0]:
                break
            data, peer = u.recvfrom(2048)
            m = unframe(data)
            if not m or m[0] != SDP_REQ or len(m[1]) != 2:
                continue
            res = socket.inet_pton(socket.AF_INET6, addr) + struct.pack(">HBB", port, 0x10, 0x00)
            u.sendto(frame(res, SDP_RES), peer)
            return peer[0]
    finally:
        u.close()
    raise SystemExit("no SDP request")


class Conn:
    """One accepted V2GTP connection."""

    def __init__(self, sock):
        self.s, self.buf = sock, b""

    def read(self, wait):
        """(payload type, payload) of the next message; None when the peer closed or nothing came within wait."""
        end = time.time() + wait
        while True:
            m = unframe(self.buf)
            if m:
                self.buf = m[2]
                return m[0], m[1]
            left = end - time.time()
            if left <= 0 or not select.select([self.s], [], [], left)[0]:
                return None
            try:
                d = self.s.recv(65536)
            except ConnectionResetError:
                d = b""
            if not d:
                return None
            self.buf += d

    def send(self, payload, ptype=V2GTP_EXI):
        self.s.sendall(frame(payload, ptype))


class Exi:
    """EXI <-> XML through `ccsplc exi`, each distinct input converted once."""

    def __init__(self, ccsplc):
        self.ccsplc, self.enc, self.dec = ccsplc, {}, {}

    def _run(self, args, data=None):
        r = subprocess.run([self.ccsplc, "exi"] + args, input=data, capture_output=True, text=True, timeout=20)
        if r.returncode:
            raise SystemExit(f"ccsplc exi {' '.join(args[:3])}: {r.stderr.strip()}")
        return r.stdout

    def encode(self, codec, xml):
        key = (codec, xml)
        if key not in self.enc:
            self.enc[key] = bytes.fromhex(self._run(["encode", "-p", codec, "-"], xml).strip())
        return self.enc[key]

    def decode(self, codec, payload):
        """The message as an ElementTree root (a fresh copy: callers may edit it)."""
        key = (codec, payload)
        if key not in self.dec:
            self.dec[key] = self._run(["decode", "-p", codec, payload.hex()])
        return ET.fromstring(self.dec[key])


def local(tag):
    return tag.rsplit("}", 1)[-1]


def message_name(root):
    """A V2G message's name: the Body's child (DIN, ISO 15118-2) or the root element (ISO 15118-20, app)."""
    for e in root:
        if local(e.tag) == "Body" and len(e):
            return local(e[0].tag)
    return local(root.tag)


def find(root, name):
    """The first element called name (any namespace), or None."""
    return root.find(f".//{{*}}{name}")


def set_text(root, name, text):
    """Set the text of every element called name; the count."""
    hits = root.findall(f".//{{*}}{name}")
    for e in hits:
        e.text = str(text)
    return len(hits)


def set_value(root, name, value, exponent=None):
    """A PhysicalValue (Multiplier, Value: DIN, ISO 15118-2) or RationalNumber (Exponent, Value: ISO 15118-20)
    element called name: value as Value x 10^m with Value an int16 (m from -3 up to 3), or exponent forced."""
    e = find(root, name)
    if e is None:
        raise SystemExit(f"no {name}")
    if exponent is None:
        exponent = -3
        while exponent < 3 and abs(round(value * 10 ** -exponent)) > 32767:
            exponent += 1
        v = max(-32768, min(32767, round(value * 10 ** -exponent)))
    else:
        v = int(value)
    for c in e:
        if local(c.tag) in ("Multiplier", "Exponent"):
            c.text = str(exponent)
        elif local(c.tag) == "Value":
            c.text = str(v)


def get_value(root, name):
    """The number a PhysicalValue / RationalNumber element called name stands for, or None."""
    e = find(root, name)
    if e is None:
        return None
    parts = {local(c.tag): c.text for c in e}
    return int(parts["Value"]) * 10.0 ** int(parts.get("Multiplier", parts.get("Exponent", "0")))


def to_xml(root):
    return ET.tostring(root, encoding="unicode")


def corpus(shared, tsv, proto, name, *want):
    """The hex of the first corpus line of that schema and message whose fields contain every string of want."""
    with open(os.path.join(shared, "corpus", tsv)) as f:
        for line in f:
            col = line.rstrip("\n").split("\t")
            if col[0] == proto and col[1] == name and all(w in col[3] for w in want):
                return bytes.fromhex(col[2])
    raise SystemExit(f"{proto} {name} with {want} not in {tsv}")
