#!/usr/bin/env python3
"""Hostile peers against a running `ccsplc evse` while a real car charges on it (netns_hostile.sh runs this in the
car's network namespace, once per protocol). Messages come from the shared EXI corpus of the session's protocol
(DIN 70121 or ISO 15118-2); responses are decoded with `ccsplc exi`. Two rounds of: a V2GTP length beyond the
charger's limit, wrong version bytes, garbage EXI (first message and after SessionSetup), valid EXI of the wrong
schema (the other protocol's SessionSetupReq), a wrong SessionID, a request out of order, 1000 SDP requests per
second for 5 s; round 1 also a slow-drip client (one byte per second until the charger closes it), round 2 a
second session that reaches CableCheck and more connections than the charger serves. The charger's VmRSS is read
before, after round 1 and after round 2.
Usage: hostile_peer.py CCSPLC SHARED_DIR IFNAME ADDR PORT CHARGER_PID CAR_LOG PROTO (din or iso2-dc)
Prints '# PROTO: input | outcome' rows and 'rss ...' lines; exit 0 when every outcome is the expected one."""
import random
import select
import socket
import struct
import subprocess
import sys
import threading
import time

V2GTP_EXI, SDP_REQ, SDP_RES = 0x8001, 0x9000, 0x9001
LIMIT = 8192                 # LIVE_MAX_PAYLOAD of app/live.h
CLOSE_WAIT = 5.0             # a refused connection is closed at once; wait at most this long for it
DRIP_LIMIT = 30.0            # V2G_EVCC_CommunicationSetup_Timeout (20 s) closes a dripping client before this

CCSPLC, SHARED, IFNAME, ADDR, PORT, PID, CAR_LOG, PROTO = sys.argv[1:9]
PORT, SCOPE = int(PORT), socket.if_nametoindex(IFNAME)
CODEC = PROTO.split("-")[0]          # din, iso2: the `ccsplc exi -p` name and the corpus file
if CODEC not in ("din", "iso2"):
    raise SystemExit(f"protocol {PROTO}: din or iso2-dc")
failures = []


def corpus(tsv, proto, name, *want, without=()):
    """The first line of that message whose fields contain every string in want and none in without."""
    with open(f"{SHARED}/corpus/{tsv}") as f:
        for line in f:
            col = line.rstrip("\n").split("\t")
            if col[0] == proto and col[1] == name and all(w in col[3] for w in want) and \
                    not any(w in col[3] for w in without):
                return bytes.fromhex(col[2])
    raise SystemExit(f"{name} with {want} without {without} not in {tsv}")


# The requests of a session up to CableCheck, the wrong schema's SessionSetupReq and edits (old, new) of the
# XML form that make a corpus request fit our charger. DIN: real cars' requests as recorded. ISO-2: synthetic
# ones (corpus/README.md), the DC variants; the EIM charger takes ExternalPayment only, the corpus has
# PaymentServiceSelectionReq with the charge service alone as Contract (Plug & Charge) only.
if CODEC == "din":
    APP_REQ = corpus("app.tsv", "app", "supportedAppProtocolReq")     # DIN alone (SchemaID 1)
    SETUP_REQ = corpus("din.tsv", "din", "SessionSetupReq")
    DISCOVERY_REQ = corpus("din.tsv", "din", "ServiceDiscoveryReq")
    PAYMENT_REQ, PAYMENT_EDIT = corpus("din.tsv", "din", "ServicePaymentSelectionReq"), ()
    AUTH_REQ = corpus("din.tsv", "din", "ContractAuthenticationReq")
    CPD_REQ = corpus("din.tsv", "din", "ChargeParameterDiscoveryReq")
    CABLE_CHECK_REQ = corpus("din.tsv", "din", "CableCheckReq")
    DELIVERY_REQ = corpus("din.tsv", "din", "PowerDeliveryReq")
    OTHER, OTHER_SETUP_REQ = "ISO 15118-2", corpus("iso2.tsv", "iso2", "SessionSetupReq")
else:
    APP_REQ = corpus("app.tsv", "app", "supportedAppProtocolReq", "urn:iso:15118:2:2013:MsgDef")
    SETUP_REQ = corpus("iso2.tsv", "iso2", "SessionSetupReq")
    DISCOVERY_REQ = corpus("iso2.tsv", "iso2", "ServiceDiscoveryReq")
    PAYMENT_REQ = corpus("iso2.tsv", "iso2", "PaymentServiceSelectionReq", "SelectedService[0].ServiceID=1",
                         without=("SelectedService[1]",))
    PAYMENT_EDIT = ((">Contract<", ">ExternalPayment<"),)
    AUTH_REQ = corpus("iso2.tsv", "iso2", "AuthorizationReq")
    CPD_REQ = corpus("iso2.tsv", "iso2", "ChargeParameterDiscoveryReq", "RequestedEnergyTransferMode=DC_extended")
    CABLE_CHECK_REQ = corpus("iso2.tsv", "iso2", "CableCheckReq", "EVReady=true", "EVErrorCode=NO_ERROR")
    DELIVERY_REQ = corpus("iso2.tsv", "iso2", "PowerDeliveryReq", "ChargeProgress=Start", "DC_EVPowerDelivery")
    OTHER, OTHER_SETUP_REQ = "DIN 70121", corpus("din.tsv", "din", "SessionSetupReq")


def frame(payload, ptype=V2GTP_EXI, version=0x01, inverse=0xFE, length=None):
    return bytes([version, inverse]) + struct.pack(">HI", ptype, len(payload) if length is None else length) + payload


def exi(args, data=None):
    r = subprocess.run([CCSPLC, "exi"] + args, input=data, capture_output=True, text=True, timeout=10)
    if r.returncode:
        raise SystemExit(f"ccsplc exi {args}: {r.stderr}")
    return r.stdout


def fields(payload):
    kv = exi(["decode", "--kv", "-p", CODEC, payload.hex()])
    return dict(line.split("=", 1) for line in kv.splitlines() if "=" in line)


def with_session(req, sid, edits=()):
    """The corpus request with our SessionID and the edits (through the XML form and back)."""
    xml = exi(["decode", "-p", CODEC, req.hex()])
    old = fields(req)["SessionID"].upper()
    for a, b in ((f">{old}<", f">{sid.upper()}<"),) + tuple(edits):
        if a not in xml:
            raise SystemExit(f"{a} not in {xml}")
        xml = xml.replace(a, b)
    return bytes.fromhex(exi(["encode", "-p", CODEC, "-"], xml).strip())


class Conn:
    def __init__(self):
        self.s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        self.s.settimeout(5)
        self.s.connect((ADDR, PORT, 0, SCOPE))
        self.buf = b""

    def send(self, data):
        self.s.sendall(data)

    def read(self, wait=CLOSE_WAIT):
        """The next V2GTP payload, b'' when the charger closed, None when nothing came within wait."""
        end = time.time() + wait
        while True:
            if len(self.buf) >= 8:
                n = struct.unpack(">I", self.buf[4:8])[0]
                if len(self.buf) >= 8 + n:
                    p, self.buf = self.buf[8:8 + n], self.buf[8 + n:]
                    return p
            left = end - time.time()
            if left <= 0 or not select.select([self.s], [], [], left)[0]:
                return None
            try:
                d = self.s.recv(4096)
            except ConnectionResetError:
                d = b""
            if not d:
                return b""
            self.buf += d

    def closed_by_peer(self):
        return self.read() == b""

    def close(self):
        self.s.close()


def row(name, ok, outcome):
    print(f"# {PROTO}: {name} | {outcome}", flush=True)
    if not ok:
        failures.append(name)


def refused_at_once(name, data):
    c = Conn()
    c.send(data)
    r = c.read()
    c.close()
    row(name, r == b"", "closed without an answer" if r == b"" else f"unexpected: {r!r}"[:120])


def session(c):
    """Handshake and SessionSetup on c; the SessionID the charger gave."""
    c.send(frame(APP_REQ))
    res = c.read()
    c.send(frame(SETUP_REQ))
    f = fields(c.read())
    if res is None or f.get("ResponseCode") != "OK_NewSessionEstablished":
        raise SystemExit(f"no session: {f}")
    return f["SessionID"]


def answered_then_closed(name, build, expect):
    c = Conn()
    sid = session(c)
    c.send(frame(build(sid)))
    p = c.read()
    code = fields(p).get("ResponseCode") if p else None
    closed = c.closed_by_peer()
    c.close()
    row(name, code == expect and closed, f"{code}, then closed" if closed else f"{code}, left open")


def refused_after_session(name, payload):
    c = Conn()
    session(c)
    c.send(frame(payload))
    r = c.read()
    c.close()
    row(name, r == b"", "closed without an answer" if r == b"" else f"unexpected: {r!r}"[:120])


def second_car():
    """A second session that goes as far as CableCheck while the car charges: the power stage stays the car's;
    the second session is told EVSE_Shutdown / StopCharging."""
    c = Conn()
    sid = session(c)
    got = []
    for req, edits in ((DISCOVERY_REQ, ()), (PAYMENT_REQ, PAYMENT_EDIT), (AUTH_REQ, ()), (CPD_REQ, ()),
                       (CABLE_CHECK_REQ, ()), (CABLE_CHECK_REQ, ())):
        c.send(frame(with_session(req, sid, edits)))
        p = c.read()
        got.append(fields(p) if p else {})
    c.close()
    last = got[-1]
    ok = all(f.get("ResponseCode") == "OK" for f in got) and \
        last.get("DC_EVSEStatus.EVSENotification") == "StopCharging"
    row("a second session up to CableCheck beside the charging car", ok,
        "answered; at CableCheck told StopCharging (the power stage stays the car's)" if ok else f"{got}"[:300])


def sdp_flood(seconds=5.0, rate=1000):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("::", 0, 0, SCOPE))
    s.setblocking(False)
    req, dst = frame(bytes([0x10, 0x00]), SDP_REQ), ("ff02::1", 15118, 0, SCOPE)
    want = socket.inet_pton(socket.AF_INET6, ADDR) + struct.pack(">H", PORT)
    sent = answered = wrong = 0
    t0 = time.time()
    while True:
        now = time.time() - t0
        burst = 0
        while sent < min(now, seconds) * rate and burst < 10:   # after a stall on a loaded machine: no burst
            s.sendto(req, dst)
            sent, burst = sent + 1, burst + 1
        while True:
            try:
                d = s.recv(64)
            except BlockingIOError:
                break
            ok = len(d) == 28 and d[:4] == bytes([1, 0xFE, 0x90, 0x01]) and d[8:26] == want
            answered, wrong = answered + ok, wrong + (not ok)
        if now > seconds + 0.5:
            break
        time.sleep(0.0005)
    s.close()
    # every answer carries the charger's address and V2GTP port; datagrams may be lost on the way
    row(f"{sent} SDP requests in {seconds:.0f} s", wrong == 0 and answered > 0,
        f"{answered} answered with the charger's address and port, {wrong} other")


def slow_drip(result):
    c = Conn()
    data, sent, closed, t0 = frame(APP_REQ), 0, False, time.time()
    while not closed and sent < len(data) and time.time() - t0 < DRIP_LIMIT:
        try:
            c.send(data[sent:sent + 1])
            sent += 1
        except (BrokenPipeError, ConnectionResetError):
            closed = True
            break
        closed = c.read(1.0) == b""
    result.append((sent, time.time() - t0, closed))
    c.close()


def charger_connections():
    """TCP connections on the charger's V2GTP port that still hold a slot (ESTABLISHED, CLOSE_WAIT), as its
    network namespace lists them."""
    with open(f"/proc/{PID}/net/tcp6") as f:
        rows = [line.split() for line in f.readlines()[1:]]
    return sum(1 for r in rows if int(r[1].split(":")[1], 16) == PORT and r[3] in ("01", "08"))


def too_many():
    """The car holds one slot: three more idle connections get slots, the next is closed at once."""
    t0 = time.time()   # the connections of the inputs before may not be closed yet (a loaded machine): wait
    while charger_connections() > 1 and time.time() - t0 < CLOSE_WAIT:
        time.sleep(0.05)
    held = [Conn() for _ in range(3)]
    time.sleep(0.5)
    extra = Conn()
    r = extra.read()
    still = [h.read(0.5) is None for h in held]
    for c in held + [extra]:
        c.close()
    row("3 idle connections, then a 4th beside the car's", r == b"" and all(still),
        "the 4th closed at once, the 3 kept" if r == b"" and all(still) else f"4th {r!r}, kept {still}")


def rss():
    with open(f"/proc/{PID}/status") as f:
        return int(next(line.split()[1] for line in f if line.startswith("VmRSS:")))


def round_of_inputs(n):
    rng = random.Random(n)
    refused_at_once("V2GTP length 8193 (one beyond the limit)", frame(b"\x80", length=LIMIT + 1))
    refused_at_once("V2GTP length 0x7fffffff", frame(b"\x80", length=0x7FFFFFFF))
    refused_at_once("version 0x02/0xfd", frame(APP_REQ, version=0x02, inverse=0xFD))
    refused_at_once("inverse version wrong (0x01/0xff)", frame(APP_REQ, inverse=0xFF))
    refused_at_once("unknown payload type 0x1234", frame(APP_REQ, ptype=0x1234))
    refused_at_once("garbage EXI as the first message", frame(bytes(rng.randrange(256) for _ in range(40))))
    refused_after_session("garbage EXI after SessionSetup", bytes(rng.randrange(256) for _ in range(40)))
    refused_after_session(f"{OTHER} SessionSetupReq (wrong schema)", OTHER_SETUP_REQ)
    answered_then_closed("ServiceDiscoveryReq with a recorded car's SessionID (wrong) after SessionSetup",
                         lambda sid: DISCOVERY_REQ, "FAILED_UnknownSession")
    answered_then_closed("PowerDeliveryReq right after SessionSetup (out of order)",
                         lambda sid: with_session(DELIVERY_REQ, sid), "FAILED_SequenceError")


def main():
    before = rss()
    drip = []
    t = threading.Thread(target=slow_drip, args=(drip,))
    t.start()
    round_of_inputs(1)
    sdp_flood()
    t.join()
    sent, secs, closed = drip[0]
    row("a client sending a SupportedAppProtocolReq one byte per second", closed and secs < DRIP_LIMIT,
        f"{sent} bytes, closed by the charger after {secs:.0f} s" if closed else f"still open after {secs:.0f} s")
    after1 = rss()
    round_of_inputs(2)
    second_car()
    too_many()
    sdp_flood()
    after2 = rss()
    print(f"rss {before} {after1} {after2} kB (before, after round 1, after round 2)")
    with open(CAR_LOG) as f:
        charging = "SessionStopRes" not in f.read()
    print(f"car still charging after the hostile inputs: {'yes' if charging else 'no'}")
    if failures:
        print("FAIL: " + "; ".join(failures))
    return 1 if failures else 0


sys.exit(main())
