#!/usr/bin/env python3
"""Peers of one plug-in of a running `ccsplc evse` (netns_early_peer.sh runs this in the car's namespace after the
car's SDP): W1 connects and sends nothing yet (in its handshake), W2 connects and does SupportedAppProtocol (before
its SessionSetup), then E does SupportedAppProtocol + SessionSetup and closes. W2 then sends its SessionSetupReq and
W1 its SupportedAppProtocolReq and SessionSetupReq: each must be answered (the plug-in must not have ended with
E's session). Requests are XML encoded with `ccsplc exi encode`, responses read with `ccsplc exi decode`.
Usage: early_peer.py CCSPLC IFNAME ADDR PORT CHARGER_LOG
Prints one line per step; exit 0 when every answer came and is right."""
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from v2g_peer import WAIT, Peer  # noqa: E402

CCSPLC, IFNAME, ADDR, PORT, LOG = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
w1 = Peer("W1", CCSPLC, IFNAME, ADDR, PORT)
w2 = Peer("W2", CCSPLC, IFNAME, ADDR, PORT)
w2.handshake()
e = Peer("E", CCSPLC, IFNAME, ADDR, PORT)
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
