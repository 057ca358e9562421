#!/usr/bin/env python3
"""Small V2G captures for the Wireshark plugin test (standard library; EXI through `$CCSPLC exi encode`): pcap files
of Ethernet/IPv6 frames with an SDP exchange on UDP 15118 naming the charger's TCP port, then TCP connections.

  corpus OUT                 every ISO-2 and ISO-20 (common, DC, AC) line of ../shared/corpus after its handshake,
                             an ACDP and a WPT message, and a DIN connection with an EXI stream cut short and a
                             payload type without a codec
  timing OUT                 an ISO-2 and an ISO-20 DC connection of corpus messages whose responses come after set
                             delays: on time, later than the charger's performance time, later than the car's
                             timeout, and later than the default limits but within a message's own (TIMING below)
  tls PLAIN.pcap TLS.pcap KEYLOG
                             a DIN session from the corpus over TLS (SDP says TLS; Python's ssl over memory BIOs,
                             the key log written as Wireshark reads it), and the same messages at the same times
                             over plain TCP, the reference for `ccsplc decode`
"""
import os
import ssl
import struct
import subprocess
import sys
import tempfile

import pcaplib

CAR_MAC, EVSE_MAC = bytes.fromhex("02000000ca02"), bytes.fromhex("02000000ee01")
EVSE_IP = pcaplib.link_local(EVSE_MAC)
SDP_PORT, EVSE_PORT = 15118, 61851
NS_DIN, NS_ISO2, NS_ISO20_DC = "urn:din:70121:2012:MsgDef", "urn:iso:15118:2:2013:MsgDef", "urn:iso:std:iso:15118:-20:DC"
SHARED = os.environ.get("CCS_SHARED_DIR", os.path.join(os.path.dirname(__file__), "../../../shared"))
PAYLOAD_TYPE = {"app": 0x8001, "din": 0x8001, "iso2": 0x8001, "iso20-common": 0x8002, "iso20-ac": 0x8003,
                "iso20-dc": 0x8004, "iso20-acdp": 0x8005, "iso20-wpt": 0x8006}
ACDP = """<ns3:ACDP_SystemStatusReq xmlns:ns2="urn:iso:std:iso:15118:-20:CommonTypes"
  xmlns:ns3="urn:iso:std:iso:15118:-20:ACDP"><ns2:Header><ns2:SessionID>0102030405060708</ns2:SessionID>
  <ns2:TimeStamp>1739635913</ns2:TimeStamp></ns2:Header><ns3:EVTechnicalStatus>
  <ns3:EVReadyToCharge>true</ns3:EVReadyToCharge><ns3:EVImmobilizationRequest>false</ns3:EVImmobilizationRequest>
  <ns3:EVSOC>55</ns3:EVSOC></ns3:EVTechnicalStatus></ns3:ACDP_SystemStatusReq>"""
WPT = """<ns3:WPT_AlignmentCheckReq xmlns:ns2="urn:iso:std:iso:15118:-20:CommonTypes"
  xmlns:ns3="urn:iso:std:iso:15118:-20:WPT"><ns2:Header><ns2:SessionID>0102030405060708</ns2:SessionID>
  <ns2:TimeStamp>1739635914</ns2:TimeStamp></ns2:Header><ns3:EVProcessing>Ongoing</ns3:EVProcessing>
  <ns3:TargetCoilCurrent><ns2:Exponent>-1</ns2:Exponent><ns2:Value>125</ns2:Value></ns3:TargetCoilCurrent>
  <ns3:EVResultCode>EVResultSuccess</ns3:EVResultCode></ns3:WPT_AlignmentCheckReq>"""


def exi_encode(proto, xml):
    r = subprocess.run([os.environ["CCSPLC"], "exi", "encode", "--proto", proto, "-"], input=xml,
                       capture_output=True, text=True, check=True)
    return bytes.fromhex(r.stdout.strip())


def sap_req(ns, major):
    return exi_encode("app", """<ns1:supportedAppProtocolReq xmlns:ns1="urn:iso:15118:2:2010:AppProtocol">
      <AppProtocol><ProtocolNamespace>%s</ProtocolNamespace><VersionNumberMajor>%d</VersionNumberMajor>
      <VersionNumberMinor>0</VersionNumberMinor><SchemaID>1</SchemaID><Priority>1</Priority></AppProtocol>
      </ns1:supportedAppProtocolReq>""" % (ns, major))


SAP_RES_OK = bytes.fromhex("80400040")  # OK_SuccessfulNegotiation, SchemaID 1 (../shared/corpus/app.tsv)


class Pcap:
    """Frames between the car and the charger (pcaplib's Ethernet/IPv6 builders), t in seconds."""

    def __init__(self, t0=1700000000.0):
        self.frames, self.t = [], t0

    def udp(self, src_car, sport, dport, payload, multicast=False):
        src, dst = (CAR_MAC, EVSE_MAC) if src_car else (EVSE_MAC, CAR_MAC)
        if multicast:  # ff02::1 (the SDP request)
            dst = bytes.fromhex("333300000001")
        self.frames.append((self.t, pcaplib.udp_frame(src, dst, sport, dport, payload,
                                                      pcaplib.ALL_NODES if multicast else None)))

    def tcp(self, src_car, sport, dport, seq, ack, flags, data):
        src, dst = (CAR_MAC, EVSE_MAC) if src_car else (EVSE_MAC, CAR_MAC)
        self.frames.append((self.t, pcaplib.tcp_frame(src, dst, sport, dport, seq, ack, flags, data)))

    def write(self, path):
        pcaplib.write_pcap(path, [(int(round(t * 1e9)), data) for t, data in self.frames])


class Tcp:
    """One connection, car = client. send() is one segment; the peer acknowledges it."""

    def __init__(self, pcap, cport):
        self.p, self.cport = pcap, cport
        self.seq = {True: 1000, False: 5000}
        self.segment(True, pcaplib.TCP_SYN, b"")
        self.segment(False, pcaplib.TCP_SYN | pcaplib.TCP_ACK, b"")
        self.segment(True, pcaplib.TCP_ACK, b"")

    def segment(self, car, flags, data):
        sport, dport = (self.cport, EVSE_PORT) if car else (EVSE_PORT, self.cport)
        ack = self.seq[not car] if flags & pcaplib.TCP_ACK else 0
        self.p.tcp(car, sport, dport, self.seq[car], ack, flags, data)
        self.seq[car] += len(data) + (1 if flags & pcaplib.TCP_SYN else 0)

    def send(self, car, data, t):
        self.p.t = t
        self.segment(car, pcaplib.TCP_PSH | pcaplib.TCP_ACK, data)
        self.p.t = t + 0.0005
        self.segment(not car, pcaplib.TCP_ACK, b"")


def sdp(p, tls):
    p.udp(True, 50000, SDP_PORT, pcaplib.v2gtp(0x9000, bytes([0x00 if tls else 0x10, 0x00])), multicast=True)
    p.t += 0.001
    answer = EVSE_IP + struct.pack(">HBB", EVSE_PORT, 0x00 if tls else 0x10, 0)
    p.udp(False, SDP_PORT, 50000, pcaplib.v2gtp(0x9001, answer))
    p.t += 0.01


def corpus_lines(name, protos):
    for line in open(os.path.join(SHARED, "corpus", name), encoding="utf-8"):
        proto, msg, hexstr = line.split("\t")[:3]
        if proto in protos:
            yield proto, msg, bytes.fromhex(hexstr)


def conversation(p, cport, ns, major, msgs):
    c = Tcp(p, cport)
    t = p.t + 0.01
    for car, ptype, exi in [(True, 0x8001, sap_req(ns, major)), (False, 0x8001, SAP_RES_OK)] + msgs:
        c.send(car, pcaplib.v2gtp(ptype, exi), t)
        t += 0.005
    p.t = t + 0.05


def cmd_corpus(out):
    p = Pcap()
    sdp(p, False)
    iso2 = [(m.endswith("Req"), 0x8001, exi) for _, m, exi in corpus_lines("iso2.tsv", {"iso2"})]
    conversation(p, 50001, NS_ISO2, 2, iso2)
    iso20 = [(m.endswith("Req"), PAYLOAD_TYPE[pr], exi)
             for pr, m, exi in corpus_lines("iso20.tsv", {"iso20-common", "iso20-dc", "iso20-ac"})]
    iso20 += [(True, 0x8005, exi_encode("iso20-acdp", ACDP)), (True, 0x8006, exi_encode("iso20-wpt", WPT))]
    conversation(p, 50002, NS_ISO20_DC, 1, iso20)
    din = [e for _, m, e in corpus_lines("din.tsv", {"din"}) if m == "SessionSetupReq"][0]
    conversation(p, 50003, NS_DIN, 2, [(True, 0x8001, din[:len(din) // 2]), (True, 0x8101, b"\x80\x00")])
    p.write(out)


# (codec, request, delay of its response in s): each against ISO 15118-2 Table 109 / -20 Table 217, as the test expects.
TIMING = [("iso2", "SessionSetupReq", 0.005),               # on time
          ("iso2", "PaymentDetailsReq", 3.0),               # over the usual 2 s, within its own 4.5 s
          ("iso2", "CurrentDemandReq", 0.010),              # on time
          ("iso2", "CurrentDemandReq", 0.040),              # over 25 ms: performance time
          ("iso2", "CurrentDemandReq", 0.300),              # over 250 ms: the car's timeout
          ("iso2", "ChargeParameterDiscoveryReq", 1.7),     # over 1.5 s: performance time
          ("iso2", "PowerDeliveryReq", 4.7),                # over 4.5 s: performance time, within 5 s
          ("iso20-dc", "DC_ChargeLoopReq", 0.100),          # on time
          ("iso20-dc", "DC_ChargeLoopReq", 0.300)]          # over 250 ms: performance time


def cmd_timing(out):
    p = Pcap()
    sdp(p, False)
    for cport, codec, ns, major, tsv in ((50004, "iso2", NS_ISO2, 2, "iso2.tsv"),
                                         (50005, "iso20-dc", NS_ISO20_DC, 1, "iso20.tsv")):
        first = {}
        for _, m, exi in corpus_lines(tsv, {codec}):
            first.setdefault(m, exi)
        c = Tcp(p, cport)
        t = p.t + 0.01
        for car, exi in ((True, sap_req(ns, major)), (False, SAP_RES_OK)):
            c.send(car, pcaplib.v2gtp(0x8001, exi), t)
            t += 0.005
        for _, req, delay in (x for x in TIMING if x[0] == codec):
            c.send(True, pcaplib.v2gtp(PAYLOAD_TYPE[codec], first[req]), t)
            t += delay
            c.send(False, pcaplib.v2gtp(PAYLOAD_TYPE[codec], first[req[:-3] + "Res"]), t)
            t += 0.005
        p.t = t + 0.05
    p.write(out)


def tls_pair(keylog):
    """A client and a server SSLObject talking through memory BIOs (server certificate made by openssl)."""
    d = tempfile.mkdtemp()
    key, cert = os.path.join(d, "k.pem"), os.path.join(d, "c.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", key, "-out", cert, "-subj", "/CN=secc", "-days", "2"], check=True,
                   capture_output=True)
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.load_cert_chain(cert, key)
    cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    cctx.check_hostname, cctx.verify_mode = False, ssl.CERT_NONE
    cctx.keylog_filename = keylog
    bios = [ssl.MemoryBIO() for _ in range(4)]
    client = cctx.wrap_bio(bios[0], bios[1])
    server = sctx.wrap_bio(bios[2], bios[3], server_side=True)
    os.unlink(key), os.unlink(cert), os.rmdir(d)
    return client, server, bios


def cmd_tls(plain_out, tls_out, keylog):
    din = {m: e for _, m, e in corpus_lines("din.tsv", {"din"})}
    msgs = [(True, sap_req(NS_DIN, 2)), (False, SAP_RES_OK)] + \
        [(m.endswith("Req"), din[m]) for m in ("SessionSetupReq", "SessionSetupRes", "ServiceDiscoveryReq",
                                               "ServiceDiscoveryRes", "CurrentDemandReq", "CurrentDemandRes")]
    client, server, (c_in, c_out, s_in, s_out) = tls_pair(keylog)
    tp, pp = Pcap(), Pcap()
    sdp(tp, True)
    sdp(pp, False)
    tc, pc = Tcp(tp, 50010), Tcp(pp, 50010)
    t = tp.t + 0.01
    done = [False, False]
    while not all(done):  # the handshake, flight by flight
        for i, (obj, out, peer_in, car) in enumerate([(client, c_out, s_in, True), (server, s_out, c_in, False)]):
            try:
                obj.do_handshake()
                done[i] = True
            except ssl.SSLWantReadError:
                pass
            data = out.read()
            if data:
                tc.send(car, data, t)
                peer_in.write(data)
                t += 0.002
    t += 0.01
    for car, exi in msgs:
        (client if car else server).write(pcaplib.v2gtp(0x8001, exi))
        data = (c_out if car else s_out).read()
        (s_in if car else c_in).write(data)
        (server if car else client).read(65536)
        tc.send(car, data, t)
        pc.send(car, pcaplib.v2gtp(0x8001, exi), t)
        t += 0.005
    tp.write(tls_out)
    pp.write(plain_out)


if __name__ == "__main__":
    cmds = {"corpus": cmd_corpus, "timing": cmd_timing, "tls": cmd_tls}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])
