"""A scripted V2G peer of a running `ccsplc evse` for the netns tests (standard library only): one V2GTP
connection that does SupportedAppProtocol (DIN 70121) and a DIN SessionSetup, requests encoded and responses
decoded with `ccsplc exi`. Used by early_peer.py and slac_attacker.py."""
import socket
import struct
import subprocess
import sys
import time

V2GTP_EXI = 0x8001
WAIT = 5.0   # an answer is due at once; a closed connection shows at once too

SAP_REQ = """<?xml version="1.0" encoding="UTF-8"?>
<ns1:supportedAppProtocolReq xmlns:ns1="urn:iso:15118:2:2010:AppProtocol">
  <AppProtocol>
    <ProtocolNamespace>urn:din:70121:2012:MsgDef</ProtocolNamespace>
    <VersionNumberMajor>2</VersionNumberMajor>
    <VersionNumberMinor>0</VersionNumberMinor>
    <SchemaID>1</SchemaID>
    <Priority>1</Priority>
  </AppProtocol>
</ns1:supportedAppProtocolReq>
"""

SETUP_REQ = """<?xml version="1.0" encoding="UTF-8"?>
<ns5:V2G_Message xmlns:ns3="urn:din:70121:2012:MsgHeader" xmlns:ns4="urn:din:70121:2012:MsgBody" xmlns:ns5="urn:din:70121:2012:MsgDef">
  <ns5:Header>
    <ns3:SessionID>0000000000000000</ns3:SessionID>
  </ns5:Header>
  <ns5:Body>
    <ns4:SessionSetupReq>
      <ns4:EVCCID>{evccid}</ns4:EVCCID>
    </ns4:SessionSetupReq>
  </ns5:Body>
</ns5:V2G_Message>
"""


def exi(ccsplc, args, data=None):
    r = subprocess.run([ccsplc, "exi"] + args, input=data, capture_output=True, text=True, timeout=10)
    if r.returncode:
        sys.exit(f"ccsplc exi {' '.join(args[:3])}: {r.stderr.strip()}")
    return r.stdout


def encode(ccsplc, proto, xml):
    return bytes.fromhex(exi(ccsplc, ["encode", "-p", proto, "-"], xml).strip())


def decode(ccsplc, proto, payload):
    kv = exi(ccsplc, ["decode", "--kv", "-p", proto, payload.hex()])
    return dict(line.split("=", 1) for line in kv.splitlines() if "=" in line)


class Peer:
    """One V2GTP connection to the charger at [addr%ifname]:port; requests encoded with `ccsplc exi`."""

    def __init__(self, name, ccsplc, ifname, addr, port):
        self.name, self.ccsplc = name, ccsplc
        self.s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        self.s.settimeout(WAIT)
        self.s.connect((addr, port, 0, socket.if_nametoindex(ifname)))
        print(f"{name}: connected")

    def ask(self, proto, xml):
        """Send one request; the response payload, or exit when the charger closed instead."""
        payload = encode(self.ccsplc, proto, xml)
        self.s.sendall(bytes([0x01, 0xFE]) + struct.pack(">HI", V2GTP_EXI, len(payload)) + payload)
        head = self.read(8)
        ptype, n = struct.unpack(">HI", head[2:])
        if head[:2] != b"\x01\xfe" or ptype != V2GTP_EXI:
            sys.exit(f"{self.name}: bad V2GTP header {head.hex()}")
        return decode(self.ccsplc, proto, self.read(n))

    def read(self, n):
        data = b""
        deadline = time.time() + WAIT
        while len(data) < n and time.time() < deadline:
            try:
                chunk = self.s.recv(n - len(data))
            except (ConnectionResetError, socket.timeout):
                chunk = b""
            if not chunk:
                break
            data += chunk
        if len(data) < n:
            sys.exit(f"FAIL {self.name}: the charger closed the connection (or did not answer) instead of answering")
        return data

    def handshake(self):
        r = self.ask("app", SAP_REQ)
        if not r.get("ResponseCode", "").startswith("OK"):
            sys.exit(f"FAIL {self.name}: supportedAppProtocolRes {r}")
        print(f"{self.name}: supportedAppProtocolRes {r['ResponseCode']}")

    def setup(self, evccid):
        r = self.ask("din", SETUP_REQ.format(evccid=evccid))
        if r.get("ResponseCode") != "OK_NewSessionEstablished" or not r.get("SessionID", "").strip("0"):
            sys.exit(f"FAIL {self.name}: SessionSetupRes {r}")
        print(f"{self.name}: SessionSetupRes {r['ResponseCode']} SessionID={r['SessionID']}")

    def close(self):
        self.s.close()
        print(f"{self.name}: closed")
