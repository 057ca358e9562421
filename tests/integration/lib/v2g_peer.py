"""Generic parts of the scripted V2G peers of the netns tests (Python 3 standard library only): V2GTP framing,
SDP over UDP 15118 on link-local IPv6 (as a car and as a charger), a charger's TCP listener in the dynamic port
range, EXI through `ccsplc exi encode/decode` (never our engine; each distinct input converted once), messages as
XML edited with ElementTree, the corpus, the DIN 70121 message envelope, the link bring-up with our SLAC
(`ccsplc pev --stop-after slac`; plcsim keeps the AVLN), Peer: a connection that does SupportedAppProtocol and a
DIN SessionSetup (early_peer.py, slac_attacker.py), log lines on ccsplc's clock. A peer script imports it with
sys.path pointing at this directory."""
import json
import os
import random
import socket
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

V2GTP_VERSION = b"\x01\xfe"
V2GTP_EXI = 0x8001              # SupportedAppProtocol, DIN 70121, ISO 15118-2
V2GTP_ISO20_MAIN, V2GTP_ISO20_DC = 0x8002, 0x8004   # ISO 15118-20 CommonMessages, DC
SDP_PORT = 15118
SDP_REQ, SDP_RES = 0x9000, 0x9001
SDP_NO_TLS, SDP_TCP = 0x10, 0x00
DYNAMIC_PORTS = (49152, 65535)  # IETF RFC 6335 dynamic ports, as ISO 15118-2 asks for the V2G port
WAIT = 5.0                      # an answer is due at once; a closed connection shows at once too


def log(msg):
    """A line on stderr stamped like ccsplc's log (CLOCK_MONOTONIC seconds, as in src/platform/log.c)."""
    t = time.clock_gettime(time.CLOCK_MONOTONIC)
    print(f"{int(t) % 100000:5d}.{int(t * 1000) % 1000:03d} peer  {msg}", file=sys.stderr, flush=True)


class PeerClosed(Exception):
    """The other side closed the connection (or did not answer in time)."""


def v2gtp_frame(payload, ptype=V2GTP_EXI):
    return V2GTP_VERSION + struct.pack(">HI", ptype, len(payload)) + payload


def recv_exact(sock, n, timeout):
    """n bytes, or PeerClosed when the peer closes or nothing comes for timeout seconds."""
    data = b""
    deadline = time.monotonic() + timeout
    while len(data) < n:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(n - len(data))
        except (socket.timeout, ConnectionResetError):
            chunk = b""
        if not chunk:
            raise PeerClosed(f"closed or silent after {len(data)} of {n} bytes")
        data += chunk
    return data


def v2gtp_read(sock, timeout=5.0):
    """One V2GTP message: (payload type, payload)."""
    head = recv_exact(sock, 8, timeout)
    if head[:2] != V2GTP_VERSION:
        raise ValueError(f"bad V2GTP header {head.hex()}")
    ptype, n = struct.unpack(">HI", head[2:])
    return ptype, recv_exact(sock, n, timeout)


class Exi:
    """EXI through `ccsplc exi`, each distinct input converted once (a session repeats its messages; with a cache
    file, across the runs of a test too: load it here, save() at the end): encode(codec, xml) -> bytes;
    decode(codec, payload) -> {key: value} (the corpus' key=value form); decode_xml(codec, payload) -> an
    ElementTree root (a fresh copy: callers may edit it)."""

    def __init__(self, ccsplc, cache_file=None):
        self.ccsplc, self.cache_file, self.cache = ccsplc, cache_file, {}
        if cache_file and os.path.exists(cache_file):
            with open(cache_file) as f:
                self.cache = {tuple(json.loads(k)): v for k, v in json.load(f).items()}

    def save(self):
        if self.cache_file:
            with open(self.cache_file, "w") as f:
                json.dump({json.dumps(k): v for k, v in list(self.cache.items())}, f)

    def _run(self, args, data=None):
        key = (json.dumps(args), data)
        if key not in self.cache:
            r = subprocess.run([self.ccsplc, "exi"] + args, input=data, capture_output=True, text=True, timeout=20)
            if r.returncode:
                raise ValueError(f"ccsplc exi {' '.join(args[:3])}: {r.stderr.strip()}")
            self.cache[key] = r.stdout
        return self.cache[key]

    def encode(self, codec, xml):
        return bytes.fromhex(self._run(["encode", "-p", codec, "-"], xml).strip())

    def encoded(self, codec, xml):
        """The EXI of xml when it was encoded before (None: not yet; nothing runs)."""
        out = self.cache.get((json.dumps(["encode", "-p", codec, "-"]), xml))
        return None if out is None else bytes.fromhex(out.strip())

    def decode(self, codec, payload):
        kv = self._run(["decode", "--kv", "-p", codec, payload.hex()])
        return dict(line.split("=", 1) for line in kv.splitlines() if "=" in line)

    def decode_xml(self, codec, payload):
        return ET.fromstring(self._run(["decode", "-p", codec, payload.hex()]))


def sap_request_xml(protocols):
    """supportedAppProtocolReq offering (namespace, major, minor) in order: SchemaID = Priority = 1, 2, ...; an
    entry (namespace, major, minor, schema_id, priority) gives its own."""
    def entry(i, p):
        ns, major, minor, sid, prio = p if len(p) == 5 else (*p, i, i)
        return (f"<AppProtocol><ProtocolNamespace>{ns}</ProtocolNamespace><VersionNumberMajor>{major}"
                f"</VersionNumberMajor><VersionNumberMinor>{minor}</VersionNumberMinor><SchemaID>{sid}</SchemaID>"
                f"<Priority>{prio}</Priority></AppProtocol>")
    entries = "".join(entry(i, p) for i, p in enumerate(protocols, 1))
    return ('<ns1:supportedAppProtocolReq xmlns:ns1="urn:iso:15118:2:2010:AppProtocol">'
            f"{entries}</ns1:supportedAppProtocolReq>")


DIN_NAMESPACE = ("urn:din:70121:2012:MsgDef", 2, 0)


def din_xml(session_id, body):
    """A DIN 70121 V2G_Message: the SessionID (hex) and the body element's XML (prefixes ns0 data types, ns4
    body)."""
    return ('<ns5:V2G_Message xmlns:ns0="urn:din:70121:2012:MsgDataTypes" xmlns:ns3="urn:din:70121:2012:MsgHeader" '
            'xmlns:ns4="urn:din:70121:2012:MsgBody" xmlns:ns5="urn:din:70121:2012:MsgDef">'
            f"<ns5:Header><ns3:SessionID>{session_id}</ns3:SessionID></ns5:Header>"
            f"<ns5:Body>{body}</ns5:Body></ns5:V2G_Message>")


def din_value(name, value, multiplier=0, prefix="ns0"):
    """A DIN PhysicalValue element: value x 10^multiplier (integers on the wire)."""
    return (f"<{prefix}:{name}><ns0:Multiplier>{multiplier}</ns0:Multiplier><ns0:Value>{int(value)}</ns0:Value>"
            f"</{prefix}:{name}>")


def slac(ccsplc, ifname, timeout=40):
    """The link: our SLAC as a car (`ccsplc pev -i IF --stop-after slac`); the simulated modem stays in the
    charger's AVLN afterwards. Returns the log; raises RuntimeError when there was no match."""
    r = subprocess.run([ccsplc, "pev", "-i", ifname, "--stop-after", "slac", "--timeout", str(timeout)],
                       capture_output=True, text=True, timeout=timeout + 10, stdin=subprocess.DEVNULL)
    if r.returncode:
        raise RuntimeError(f"SLAC failed (exit {r.returncode}): {r.stderr.strip()}")
    return r.stderr


def interface_mac(ifname):
    with open(f"/sys/class/net/{ifname}/address") as f:
        return f.read().strip()


def sdp(ifname, security=SDP_NO_TLS, transport=SDP_TCP, tries=50, wait=0.25):
    """SDP as a car: requests to [ff02::1%IF]:15118 every `wait` seconds, at most `tries`; the charger's
    (address, port) from the first answer, or RuntimeError."""
    scope = socket.if_nametoindex(ifname)
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    try:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, scope)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
        s.bind(("::", 0, 0, scope))
        request = V2GTP_VERSION + struct.pack(">HIBB", SDP_REQ, 2, security, transport)
        for _ in range(tries):
            s.sendto(request, ("ff02::1", SDP_PORT, 0, scope))
            s.settimeout(wait)
            try:
                data, _ = s.recvfrom(64)
            except socket.timeout:
                continue
            if len(data) == 28 and data[:2] == V2GTP_VERSION and struct.unpack(">H", data[2:4])[0] == SDP_RES:
                return socket.inet_ntop(socket.AF_INET6, data[8:24]), struct.unpack(">H", data[24:26])[0]
        raise RuntimeError(f"no SDP answer to {tries} requests")
    finally:
        s.close()


def connect(ifname, addr, port, timeout=5.0):
    """TCP to the charger's link-local [addr%IF]:port."""
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect((addr, port, 0, socket.if_nametoindex(ifname)))
    return s


class Session:
    """One V2GTP connection of a car: ask(codec, xml) sends a request and returns the decoded response."""

    def __init__(self, sock, exi, timeout=5.0):
        self.sock, self.exi, self.timeout = sock, exi, timeout

    def send(self, codec, xml, ptype=V2GTP_EXI):
        self.sock.sendall(v2gtp_frame(self.exi.encode(codec, xml), ptype))

    def ask(self, codec, xml, ptype=V2GTP_EXI):
        self.send(codec, xml, ptype)
        _, payload = v2gtp_read(self.sock, self.timeout)
        return self.exi.decode(codec, payload)

    def close(self):
        self.sock.close()


class Peer(Session):
    """A named DIN car connection to the charger at [addr%ifname]:port that exits the script with FAIL when the
    charger closes instead of answering or refuses the handshake or the SessionSetup."""

    def __init__(self, name, ccsplc, ifname, addr, port):
        super().__init__(connect(ifname, addr, port, WAIT), Exi(ccsplc), WAIT)
        self.name = name
        print(f"{name}: connected")

    def ask(self, codec, xml, ptype=V2GTP_EXI):
        try:
            return super().ask(codec, xml, ptype)
        except PeerClosed:
            sys.exit(f"FAIL {self.name}: the charger closed the connection (or did not answer) instead of answering")

    def handshake(self):
        r = self.ask("app", sap_request_xml([DIN_NAMESPACE]))
        if not r.get("ResponseCode", "").startswith("OK"):
            sys.exit(f"FAIL {self.name}: supportedAppProtocolRes {r}")
        print(f"{self.name}: supportedAppProtocolRes {r['ResponseCode']}")

    def setup(self, evccid):
        r = self.ask("din", din_xml("0000000000000000", f"<ns4:SessionSetupReq><ns4:EVCCID>{evccid}</ns4:EVCCID>"
                                    "</ns4:SessionSetupReq>"))
        if r.get("ResponseCode") != "OK_NewSessionEstablished" or not r.get("SessionID", "").strip("0"):
            sys.exit(f"FAIL {self.name}: SessionSetupRes {r}")
        print(f"{self.name}: SessionSetupRes {r['ResponseCode']} SessionID={r['SessionID']}")

    def close(self):
        super().close()
        print(f"{self.name}: closed")


# ---- the charger's side: SDP answers, the V2GTP listener ----

def link_local(ifname):
    """The fe80:: address of an interface (from /proc/net/if_inet6)."""
    with open("/proc/net/if_inet6") as f:
        for line in f:
            col = line.split()
            if col[5] == ifname and col[0].startswith("fe80"):
                return socket.inet_ntop(socket.AF_INET6, bytes.fromhex(col[0]))
    raise RuntimeError(f"no link-local address on {ifname}")


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
    raise RuntimeError("no free port in the dynamic range")


def sdp_answer(ifname, addr, port, timeout):
    """SDP as a charger: wait for one request on UDP 15118 of ifname and answer it with addr and the TCP port (no
    TLS, TCP); the car's address, or RuntimeError."""
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    u.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    u.bind(("::", SDP_PORT))
    u.settimeout(timeout)
    try:
        while True:
            data, peer = u.recvfrom(2048)
            if len(data) == 10 and data[:2] == V2GTP_VERSION and struct.unpack(">H", data[2:4])[0] == SDP_REQ:
                res = socket.inet_pton(socket.AF_INET6, addr) + struct.pack(">HBB", port, SDP_NO_TLS, SDP_TCP)
                u.sendto(v2gtp_frame(res, SDP_RES), peer)
                return peer[0]
    except socket.timeout:
        raise RuntimeError("no SDP request") from None
    finally:
        u.close()


# ---- messages as XML (ElementTree), the corpus ----

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
        raise ValueError(f"no {name}")
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
    raise ValueError(f"{proto} {name} with {want} not in {tsv}")
