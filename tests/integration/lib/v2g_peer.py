"""Generic parts of the scripted V2G peers of the netns tests (Python 3 standard library only): V2GTP framing,
SDP over UDP 15118 on link-local IPv6, EXI through `ccsplc exi encode/decode` (never our engine), the DIN 70121
message envelope, the link bring-up with our SLAC (`ccsplc pev --stop-after slac`; plcsim keeps the AVLN), and
Peer: a connection that does SupportedAppProtocol and a DIN SessionSetup (early_peer.py, slac_attacker.py).
A peer script imports it with sys.path pointing at this directory."""
import socket
import struct
import subprocess
import sys
import time

V2GTP_VERSION = b"\x01\xfe"
V2GTP_EXI = 0x8001              # SupportedAppProtocol, DIN 70121, ISO 15118-2
SDP_PORT = 15118
SDP_REQ, SDP_RES = 0x9000, 0x9001
SDP_NO_TLS, SDP_TCP = 0x10, 0x00
WAIT = 5.0                      # an answer is due at once; a closed connection shows at once too


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
    """EXI through `ccsplc exi`: encode(codec, xml) -> bytes, decode(codec, payload) -> {key: value} (the
    corpus' key=value form)."""

    def __init__(self, ccsplc):
        self.ccsplc = ccsplc

    def _run(self, args, data=None):
        r = subprocess.run([self.ccsplc, "exi"] + args, input=data, capture_output=True, text=True, timeout=10)
        if r.returncode:
            raise ValueError(f"ccsplc exi {' '.join(args[:3])}: {r.stderr.strip()}")
        return r.stdout

    def encode(self, codec, xml):
        return bytes.fromhex(self._run(["encode", "-p", codec, "-"], xml).strip())

    def decode(self, codec, payload):
        kv = self._run(["decode", "--kv", "-p", codec, payload.hex()])
        return dict(line.split("=", 1) for line in kv.splitlines() if "=" in line)


def sap_request_xml(protocols):
    """supportedAppProtocolReq offering (namespace, major, minor) in order: SchemaID = Priority = 1, 2, ..."""
    entries = "".join(
        f"<AppProtocol><ProtocolNamespace>{ns}</ProtocolNamespace><VersionNumberMajor>{major}</VersionNumberMajor>"
        f"<VersionNumberMinor>{minor}</VersionNumberMinor><SchemaID>{i}</SchemaID><Priority>{i}</Priority>"
        f"</AppProtocol>" for i, (ns, major, minor) in enumerate(protocols, 1))
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
