#!/usr/bin/env python3
"""A scripted charger that lies (issue 16): an otherwise normal DIN 70121, ISO 15118-2 DC or ISO 15118-20 DC charger
that edits one field of its responses, to test that `ccsplc pev` stops safely. Not our engine: SDP, V2GTP and EXI
(through `ccsplc exi`) from tests/integration/lib/v2g_peer.py; each response is a corpus message of its type (real
chargers' for DIN) with our SessionID, a good status and honest values: PreCharge reaches the car's target (0 V
until our answers for it are ready), the charging loop reports that voltage and the current the car asks for (at
most our maximum). netns_lying_charger.sh runs it in the charger's namespace once `ccsplc evse --stop-after slac`
has made the link. `ccsplc exi` takes up to a second on a busy machine: responses are converted ahead, and with
EXI_CACHE_FILE the runs of a test share what they converted (the SessionID is fixed).
Usage: lying_charger.py CCSPLC SHARED_DIR IFNAME PROTO LIE [EXI_CACHE_FILE [prime]]
  prime  only convert what such a run converts ahead into EXI_CACHE_FILE, then exit (no network)
  PROTO  din | iso2-dc | iso20-dc
  LIE    none               a normal charger
         negative-current   the charging loop's present current -100 A (from its first response on)
         current-125a       the loop's present current 125 A (run the car with a 20 A maximum)
         voltage-1000v      the loop's present voltage 1000 V
         voltage-32767e3    the loop's present voltage 32767 x 10^3 V
         current-exp127     ISO-20: the loop's present current -1 x 10^127 (-inf as a float)
         precharge-1000v    PreChargeRes voltage 1000 V
         negative-limit     ChargeParameterDiscoveryRes: maximum current -100 A
         max-40v            ChargeParameterDiscoveryRes: maximum voltage 40 V
Logs (stderr, ccsplc's clock): 'lie: ...' when the first lie goes out, 'car: NAME ...' for each request after it
(EVReady, EVErrorCode), 'car closed the connection', 'end'. Exit 0 when the session ran to the car's end."""
import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import v2g_peer as vp  # noqa: E402

CCSPLC, SHARED, IFNAME, PROTO, LIE = sys.argv[1:6]
CACHE = sys.argv[6] if len(sys.argv) > 6 else None
PRIME = sys.argv[7:] == ["prime"]
SEQUENCE_TIMEOUT = 60.0      # V2G_SECC_Sequence_Timeout: the longest we wait for the car's next request
LOOP_LIE_FROM = 1            # the loop's lies start at its first response (the contactors are closed)
MAX_A = 100.0                # our maximum current (the DIN templates' real chargers say 100 A too)
SESSION_ID = "0102030405060708"   # fixed (so that runs repeat their messages and the EXI cache serves them)
LOOP_SLACK = 4               # our car's loop requests differ by 1-3 bytes (values); PowerDelivery is 16+ shorter

# Per protocol: the codec of each V2GTP payload type, the corpus file and schema of each codec, the charging
# loop's response, where the car's present request sits in its loop request.
PROTOS = {
    "din": {"codecs": {vp.V2GTP_EXI: "din"}, "corpus": {"din": "din.tsv"}, "ns": "urn:din:70121:2012:MsgDef",
            "loop": "CurrentDemandRes", "loop_codec": "din", "ask": "EVTargetCurrent",
            "session": ("SessionSetupRes", "ServiceDiscoveryRes", "ServicePaymentSelectionRes",
                        "ContractAuthenticationRes", "ChargeParameterDiscoveryRes", "CableCheckRes", "PreChargeRes",
                        "PowerDeliveryRes", "CurrentDemandRes", "WeldingDetectionRes", "SessionStopRes")},
    "iso2-dc": {"codecs": {vp.V2GTP_EXI: "iso2"}, "corpus": {"iso2": "iso2.tsv"}, "ns": "urn:iso:15118:2:2013:MsgDef",
                "loop": "CurrentDemandRes", "loop_codec": "iso2", "ask": "EVTargetCurrent",
                "session": ("SessionSetupRes", "ServiceDiscoveryRes", "PaymentServiceSelectionRes", "AuthorizationRes",
                            "ChargeParameterDiscoveryRes", "CableCheckRes", "PreChargeRes", "PowerDeliveryRes",
                            "CurrentDemandRes", "WeldingDetectionRes", "SessionStopRes")},
    "iso20-dc": {"codecs": {vp.V2GTP_ISO20_MAIN: "iso20-common", vp.V2GTP_ISO20_DC: "iso20-dc"},
                 "corpus": {"iso20-common": "iso20.tsv", "iso20-dc": "iso20.tsv"}, "ns": "urn:iso:std:iso:15118:-20:DC",
                 "loop": "DC_ChargeLoopRes", "loop_codec": "iso20-dc", "ask": "EVMaximumChargeCurrent",
                 "session": ("SessionSetupRes", "AuthorizationSetupRes", "AuthorizationRes", "ServiceDiscoveryRes",
                             "ServiceDetailRes", "ServiceSelectionRes", "DC_ChargeParameterDiscoveryRes",
                             "ScheduleExchangeRes", "DC_CableCheckRes", "DC_PreChargeRes", "PowerDeliveryRes",
                             "DC_ChargeLoopRes", "DC_WeldingDetectionRes", "SessionStopRes")},
}[PROTO]

# Which corpus response of a type to start from (fields it must have), where one matters.
PICK = {
    "SessionSetupRes": ("ResponseCode=OK_NewSessionEstablished",),
    "ServiceDiscoveryRes": ("ResponseCode=OK", "PaymentOption[0]=ExternalPayment", "DC_extended")
    if PROTO != "iso20-dc" else ("ServiceID=2",),
    "ChargeParameterDiscoveryRes": ("ResponseCode=OK", "EVSEProcessing=Finished", "DC_EVSEChargeParameter"),
    "ContractAuthenticationRes": ("EVSEProcessing=Finished",),
    "AuthorizationRes": ("EVSEProcessing=Finished",),
    "AuthorizationSetupRes": ("EIM",),
    "ServiceDetailRes": ("ServiceID=2", "ControlMode"),
    "ScheduleExchangeRes": ("Scheduled_SEResControlMode",),
    "PowerDeliveryRes": ("ResponseCode=OK",),
}
# Status fields set to "all good" wherever a response has them.
GOOD = {"EVSEProcessing": "Finished", "EVSEIsolationStatus": "Valid", "EVSEStatusCode": "EVSE_Ready",
        "EVSENotification": "None"}

SAP_RES = """<?xml version="1.0" encoding="UTF-8"?>
<ns1:supportedAppProtocolRes xmlns:ns1="urn:iso:15118:2:2010:AppProtocol">
  <ResponseCode>OK_SuccessfulNegotiation</ResponseCode>
  <SchemaID>{schema}</SchemaID>
</ns1:supportedAppProtocolRes>
"""

exi = vp.Exi(CCSPLC, CACHE)
state = {"sid": SESSION_ID, "target_v": 0.0, "car_max_a": 0.0, "ask": 0.0, "loops": 0,
         "lied": False, "loop_shapes": set(), "expect_loop": False, "first_loop": None}


def template(codec, name):
    return exi.decode_xml(codec, vp.corpus(SHARED, PROTOS["corpus"][codec], codec, name, *PICK.get(name, ())))


def honest(res, name, ask, volts):
    """Our SessionID, a good status, the values a working charger reports (ask: the car's current request; volts:
    our output voltage)."""
    vp.set_text(res, "SessionID", state["sid"])
    vp.set_text(res, "ResponseCode", "OK_NewSessionEstablished" if name == "SessionSetupRes" else "OK")
    for field, value in GOOD.items():
        vp.set_text(res, field, value)
    if name.endswith("PreChargeRes"):
        vp.set_value(res, "EVSEPresentVoltage", volts)
    elif name == PROTOS["loop"]:
        vp.set_text(res, "ReceiptRequired", "false")
        vp.set_value(res, "EVSEPresentVoltage", volts)
        vp.set_value(res, "EVSEPresentCurrent", min(ask, MAX_A))
    elif name.endswith("WeldingDetectionRes"):
        vp.set_value(res, "EVSEPresentVoltage", 0.0)
    elif name.endswith("ChargeParameterDiscoveryRes"):
        for field in ("EVSEMaximumCurrentLimit", "EVSEMaximumChargeCurrent"):
            if vp.find(res, field) is not None:
                vp.set_value(res, field, MAX_A)


def lie(res, name, loops):
    """The one field this run edits (loops: the loop responses so far, this one included); what it did, or None."""
    loop = name == PROTOS["loop"] and loops >= LOOP_LIE_FROM
    cpd = name.endswith("ChargeParameterDiscoveryRes")
    max_a = "EVSEMaximumChargeCurrent" if PROTO == "iso20-dc" else "EVSEMaximumCurrentLimit"
    max_v = "EVSEMaximumVoltage" if PROTO == "iso20-dc" else "EVSEMaximumVoltageLimit"
    edits = {
        "negative-current": (loop, "EVSEPresentCurrent", -100.0, None),
        "current-125a": (loop, "EVSEPresentCurrent", 125.0, None),
        "voltage-1000v": (loop, "EVSEPresentVoltage", 1000.0, None),
        "voltage-32767e3": (loop, "EVSEPresentVoltage", 32767, 3),
        "current-exp127": (loop, "EVSEPresentCurrent", -1, 127),
        "precharge-1000v": (name.endswith("PreChargeRes"), "EVSEPresentVoltage", 1000.0, None),
        "negative-limit": (cpd, max_a, -100.0, None),
        "max-40v": (cpd, max_v, 40.0, None),
    }
    if LIE == "none":
        return None
    when, field, value, exponent = edits[LIE]
    if not when:
        return None
    vp.set_value(res, field, value, exponent)
    return f"{name} {field} = {value}" + (f" x 10^{exponent}" if exponent is not None else "")


def response(codec, name, ask, loops, volts):
    """Our response called name as XML, and what its lie did (or None)."""
    res = template(codec, name)
    honest(res, name, ask, volts)
    what = lie(res, name, loops)
    return vp.to_xml(res), what


def ahead(codec, xml):
    """Have xml encoded by a thread of its own (`ccsplc exi` takes up to a second on a busy machine; the car waits
    2 s for most answers, 0.25 s in the charging loop)."""
    threading.Thread(target=exi.encode, args=(codec, xml), daemon=True).start()


def prepare(target_v):
    """PreCharge's target known: the PreChargeRes that reaches it and the first charging-loop response (the car
    asks for its maximum current, as it said at ChargeParameterDiscovery) encoded ahead; our output reaches the
    target (in our PreChargeRes) only once both are ready, within the car's V2G_EVCC_PreCharge_Timeout."""
    state["target_v"] = target_v
    state["first_loop"] = (PROTOS["loop_codec"], response(PROTOS["loop_codec"], PROTOS["loop"], state["car_max_a"], 1,
                                                         target_v)[0])
    ahead(*state["first_loop"])
    name = next(n for n in PROTOS["session"] if n.endswith("PreChargeRes"))
    ahead(codec_of(name), response(codec_of(name), name, 0.0, 0, target_v)[0])


def request(codec, ptype, payload):
    """The request's name and decoded form. A charging-loop request is taken as what it is without running `ccsplc
    exi` (form None) — one run takes 80-300 ms on a busy machine, the loop's V2G_EVCC_Msg_Timeout is 0.25 s — when
    it is the first request after PowerDelivery(start) (the protocol's order; the car asks its maximum current, as
    it said at ChargeParameterDiscovery), or of its payload type and within LOOP_SLACK bytes of a loop request's
    length (the last decoded one's values: our car asks the same)."""
    shape = (ptype, len(payload))
    if state["expect_loop"]:
        state["expect_loop"] = False
        state["loop_shapes"].add(shape)
        state["ask"] = state["car_max_a"]
        return PROTOS["loop"][:-3] + "Req", None
    if any(t == ptype and abs(n - len(payload)) <= LOOP_SLACK for t, n in state["loop_shapes"]):
        return PROTOS["loop"][:-3] + "Req", None
    req = exi.decode_xml(codec, payload)
    name = vp.message_name(req)
    if name[:-3] + "Res" == PROTOS["loop"]:
        state["loop_shapes"].add(shape)
        state["ask"] = vp.get_value(req, PROTOS["ask"]) or vp.get_value(req, "EVTargetCurrent") or 0.0
    return name, req


def answer(sock, ptype, payload):
    """The response to one request; False after SessionStop."""
    codec = PROTOS["codecs"].get(ptype)
    if codec is None:
        raise SystemExit(f"payload type {ptype:#x}")
    name, req = request(codec, ptype, payload)
    if state["lied"]:
        ready, error = (None, None) if req is None else (vp.find(req, "EVReady"), vp.find(req, "EVErrorCode"))
        vp.log(f"car: {name} EVReady={'-' if ready is None else ready.text} "
               f"EVErrorCode={'-' if error is None else error.text}")
    rname = name[:-3] + "Res"
    if rname.endswith("ChargeParameterDiscoveryRes"):
        state["car_max_a"] = vp.get_value(req, "EVMaximumCurrentLimit") or vp.get_value(req, "EVMaximumChargeCurrent")
    elif rname.endswith("PreChargeRes") and vp.get_value(req, "EVTargetVoltage") != state["target_v"]:
        prepare(vp.get_value(req, "EVTargetVoltage"))
    elif rname == PROTOS["loop"]:
        state["loops"] += 1
    xml, what = response(codec, rname, state["ask"], state["loops"], state["target_v"])
    data = exi.encoded(codec, xml)
    if rname.endswith("PreChargeRes") and (data is None or exi.encoded(*state["first_loop"]) is None):
        xml, what = response(codec, rname, state["ask"], state["loops"], 0.0)   # our output still rising (0 V)
        data = None
    sock.sendall(vp.v2gtp_frame(data or exi.encode(codec, xml), ptype))
    if what and not state["lied"]:
        state["lied"] = True
        vp.log(f"lie: {what}")
    state["expect_loop"] = rname.endswith("PowerDeliveryRes") and state["loops"] == 0
    return rname != "SessionStopRes"


def codec_of(name):
    """The codec of one of our responses (ISO-20: DC_* messages go as 0x8004)."""
    codecs = list(PROTOS["codecs"].values())
    return codecs[-1] if name.startswith("DC_") else codecs[0]


def prewarm():
    """Our responses converted ahead (a thread), in the session's order, while SLAC and SDP run: each template
    decoded, and encoded whole where it does not depend on the car's request (PreCharge: our output still at 0 V;
    not the loop). What the session needs before it is ready, it converts itself."""
    for name in PROTOS["session"]:
        codec = codec_of(name)
        template(codec, name)
        if name != PROTOS["loop"]:
            exi.encode(codec, response(codec, name, 0.0, 0, 0.0)[0])


def handshake(sock):
    """SupportedAppProtocol: our protocol, with the SchemaID the car gave it."""
    req = exi.decode_xml("app", vp.v2gtp_read(sock, SEQUENCE_TIMEOUT)[1])
    for p in req.iter():
        if vp.local(p.tag) == "AppProtocol" and vp.find(p, "ProtocolNamespace").text == PROTOS["ns"]:
            sock.sendall(vp.v2gtp_frame(exi.encode("app", SAP_RES.format(schema=vp.find(p, "SchemaID").text))))
            return
    raise SystemExit(f"the car does not offer {PROTOS['ns']}")


def main():
    if PRIME:
        prewarm()
        for schema in range(1, 4):   # the SchemaIDs a car gives its first protocols
            exi.encode("app", SAP_RES.format(schema=schema))
        exi.save()
        return
    threading.Thread(target=prewarm, daemon=True).start()
    addr = vp.link_local(IFNAME)
    lsock, port = vp.tcp_listen(IFNAME, addr)
    car = vp.sdp_answer(IFNAME, addr, port, 60)
    vp.log(f"SDP answered {car}: [{addr}]:{port}")
    lsock.settimeout(30)
    sock, _ = lsock.accept()
    handshake(sock)
    try:
        while answer(sock, *vp.v2gtp_read(sock, SEQUENCE_TIMEOUT)):
            pass
    except vp.PeerClosed:
        vp.log("car closed the connection")
    sock.close()
    exi.save()
    vp.log("end")


main()
