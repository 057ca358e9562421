#!/usr/bin/env python3
"""Peers of one plug-in of a running `ccsplc evse` (netns_early_peer.sh runs this in the car's namespace after the
car's SDP): W1 connects and sends nothing yet (in its handshake), W2 connects and does SupportedAppProtocol (before
its SessionSetup), then E does SupportedAppProtocol + SessionSetup and closes. W2 then sends its SessionSetupReq and
W1 its SupportedAppProtocolReq and SessionSetupReq: each must be answered (the plug-in must not have ended with
E's session). Requests are XML encoded with `ccsplc exi encode`, responses read with `ccsplc exi decode`.
Usage: early_peer.py CCSPLC IFNAME ADDR PORT CHARGER_LOG
Prints one line per step; exit 0 when every answer came and is right."""
import socket
import struct
import subprocess
import sys
import time

CCSPLC, IFNAME, ADDR, PORT, LOG = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
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


def exi(args, data=None):
    r = subprocess.run([CCSPLC, "exi"] + args, input=data, capture_output=True, text=True, timeout=10)
    if r.returncode:
        sys.exit(f"ccsplc exi {' '.join(args[:3])}: {r.stderr.strip()}")
    return r.stdout


def encode(proto, xml):
    return bytes.fromhex(exi(["encode", "-p", proto, "-"], xml).strip())


def decode(proto, payload):
    kv = exi(["decode", "--kv", "-p", proto, payload.hex()])
    return dict(line.split("=", 1) for line in kv.splitlines() if "=" in line)


class Peer:
    def __init__(self, name):
        self.name = name
        self.s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        self.s.settimeout(WAIT)
        self.s.connect((ADDR, PORT, 0, socket.if_nametoindex(IFNAME)))
        print(f"{name}: connected")

    def ask(self, proto, xml):
        """Send one request; the response payload, or exit when the charger closed instead."""
        payload = encode(proto, xml)
        self.s.sendall(bytes([0x01, 0xFE]) + struct.pack(">HI", V2GTP_EXI, len(payload)) + payload)
        head = self.read(8)
        ptype, n = struct.unpack(">HI", head[2:])
        if head[:2] != b"\x01\xfe" or ptype != V2GTP_EXI:
            sys.exit(f"{self.name}: bad V2GTP header {head.hex()}")
        return decode(proto, self.read(n))

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


w1 = Peer("W1")
w2 = Peer("W2")
w2.handshake()
e = Peer("E")
e.handshake()
e.setup("0200000000e1")
e.close()
# the charger has seen E's close (its third connection): an ended plug-in would close W1 and W2 at once
deadline = time.time() + WAIT
while "the car closed the connection (connection 3)" not in open(LOG).read() and time.time() < deadline:
    time.sleep(0.05)
w2.setup("0200000000b2")
w1.handshake()
w1.setup("0200000000b1")
w1.close()
w2.close()
print("ok: both waiting peers answered after the early peer's session ended")
