#!/usr/bin/env python3
"""What `ccsplc decode` says about a session (issue 16 item 22), on shared captures and on captures made here:
- V2G over TLS: the session says TLS with the record count, not "no TCP connection after SDP";
- SLAC is timed from the try the charger answered (SuperCharger capture: pyPLC repeats CM_SLAC_PARAM.REQ for 29 s);
- CM_NW_INFO (0x6038) and CC_DISCOVER_LIST (0x0014) by name;
- an AC session (ISO-2 AC_three_phase_core, ChargingStatus) lists no DC-only stage as "not reached";
- "host<>modem" is escaped in the HTML report;
- `decode /nonexistent`: one error line naming the path once, no totals.

decode_wording.py CCSPLC SHARED_DIR OUT_DIR"""
import json
import os
import re
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pcaplib  # noqa: E402

CCSPLC, SHARED, OUT = sys.argv[1:4]


class Failed(Exception):
    pass


def fail(msg):
    raise Failed(msg)


def run(*args, rc=0):
    r = subprocess.run([CCSPLC, *args], capture_output=True, text=True, timeout=120)
    if rc is not None and r.returncode != rc:
        fail("ccsplc %s: exit %d, want %d: %s" % (" ".join(args), r.returncode, rc, r.stderr[-1000:]))
    return r


def sessions(path):
    return [json.loads(l) for l in run("decode", "--json", path).stdout.splitlines() if '"layer":"session"' in l]


def corpus(tsv, proto, message, want=""):
    with open(os.path.join(SHARED, "corpus", tsv)) as f:
        for line in f:
            p, m, h, fields = line.rstrip("\n").split("\t")[:4]
            if p == proto and m == message and want in fields:
                return bytes.fromhex(h)
    fail("no %s %s with %s in %s" % (proto, message, want, tsv))


def encode(proto, xml):
    path = os.path.join(OUT, "msg.xml")
    with open(path, "w") as f:
        f.write(xml)
    return bytes.fromhex(run("exi", "encode", "-p", proto, path).stdout.strip())


# --- V2G over TLS: SDP asks for TLS, the connection carries TLS records (RFC 8446 5.1 record headers) ---
def v2g_over_tls():
    conv = pcaplib.TcpConversation()
    conv.sdp(security=0x00)
    records = [(False, 22, 512), (True, 22, 1200), (True, 20, 1), (False, 20, 1), (False, 22, 64), (True, 22, 64)]
    records += [(i % 2 == 1, 23, 100 + i) for i in range(14)]
    for from_charger, ctype, length in records:
        conv.send_raw(from_charger, struct.pack(">BHH", ctype, 0x0303, length) + bytes(length))
    tls_cap = os.path.join(OUT, "tls.pcap")
    pcaplib.write_pcap(tls_cap, conv.frames)
    text = run("decode", tls_cap).stdout
    s = sessions(tls_cap)
    if "no TCP connection after SDP" in text or len(s) != 1 or s[0]["tls_records"] != len(records):
        fail("TLS session: %s\n%s" % (s, text))
    if "TLS      %d records" % len(records) not in text or "V2G over TLS" not in text:
        fail("the summary does not say TLS with %d records:\n%s" % (len(records), text))
    if len(re.findall(r" TLS application data +conn 0: length=\d+", text)) != 14:
        fail("the timeline does not show the 14 application data records:\n" + text)
    print("ok: V2G over TLS: %d records, said so" % len(records))


# --- SLAC timed from the try that got through: expected times read from the frames themselves ---
def slac_from_the_answered_try():
    sc = os.path.join(SHARED, "captures", "2023-03-02_SuperCharger_CableCheck_error.pcapng")
    frames = pcaplib.read_frames(sc)
    t0 = frames[0][0]
    mm = [(ts, struct.unpack_from("<H", fr, 15)[0]) for ts, fr in frames if fr[12:14] == b"\x88\xe1"]
    first_cnf = next(i for i, (_, t) in enumerate(mm) if t == 0x6065)
    answered = max(ts for ts, t in mm[:first_cnf] if t == 0x6064)
    match = next(ts for ts, t in mm if t == 0x607D)
    tries = sum(1 for ts, t in mm if t == 0x6064 and ts <= match)
    slac = sessions(sc)[0]["stages"]["SLAC"]
    if abs(slac["start"] - (answered - t0) / 1e9) > 1e-6 or abs(slac["duration"] - (match - answered) / 1e9) > 1e-6:
        fail("SLAC stage %s; the answered try at %.3f s, the match %.3f s later" %
             (slac, (answered - t0) / 1e9, (match - answered) / 1e9))
    if slac["attempts"] != tries or not slac["completed"]:
        fail("SLAC: %s, %d tries in the capture" % (slac, tries))
    line = next(l for l in run("decode", sc).stdout.splitlines() if l.startswith("  stages"))
    if not re.search(r"SLAC %.3f s at %.3f \(38 msgs, %d tries since " % (slac["duration"], slac["start"], tries), line):
        fail("text summary: " + line)
    print("ok: SLAC %.3f s from the answered try (not %.1f s from the first of %d)" %
          (slac["duration"], (match - min(ts for ts, t in mm if t == 0x6064)) / 1e9, tries))


# --- names of HomePlug AV management messages foreign captures carry ---
def homeplug_names():
    car, modem = pcaplib.TcpConversation.CAR_MAC, bytes.fromhex("00b052000001")
    names = {0x6038: "CM_NW_INFO.REQ", 0x6039: "CM_NW_INFO.CNF", 0x0014: "CC_DISCOVER_LIST.REQ",
             0x0015: "CC_DISCOVER_LIST.CNF"}
    hp = [(1_700_000_000_000_000_000 + k * 1_000_000, pcaplib.homeplug_frame(car, modem, t, b"\0\0" + bytes(8), mmv=1))
          for k, t in enumerate(names)]
    names_cap = os.path.join(OUT, "names.pcap")
    pcaplib.write_pcap(names_cap, hp)
    got = [r["msg"] for r in map(json.loads, run("decode", "--json", names_cap).stdout.splitlines())
           if r.get("layer") == "homeplug"]
    if got != list(names.values()):
        fail("HomePlug names: %s" % got)
    print("ok: " + ", ".join(got))


# --- an ISO-2 AC session: handshake (ISO-2 chosen), AC ChargeParameterDiscovery, ChargingStatus ---
def ac_session_stages():
    app_req = corpus("app.tsv", "app", "supportedAppProtocolReq", "urn:iso:15118:2:2013:MsgDef")
    iso2_id = re.search(r"<ProtocolNamespace>urn:iso:15118:2:2013:MsgDef</ProtocolNamespace>.*?<SchemaID>(\d+)<",
                        run("exi", "decode", "-p", "app", app_req.hex()).stdout, re.S).group(1)
    app_res = encode("app", '<ns1:supportedAppProtocolRes xmlns:ns1="urn:iso:15118:2:2010:AppProtocol">'
                            "<ResponseCode>OK_SuccessfulNegotiation</ResponseCode><SchemaID>%s</SchemaID>"
                            "</ns1:supportedAppProtocolRes>" % iso2_id)
    conv = pcaplib.TcpConversation()
    conv.sdp(security=0x10)
    conv.send(False, 0x8001, app_req)
    conv.send(True, 0x8001, app_res)
    conv.send(False, 0x8001, corpus("iso2.tsv", "iso2", "ChargeParameterDiscoveryReq", "=AC_three_phase_core"))
    for _ in range(3):
        conv.send(False, 0x8001, corpus("iso2.tsv", "iso2", "ChargingStatusReq"))
        conv.send(True, 0x8001, corpus("iso2.tsv", "iso2", "ChargingStatusRes"))
    conv.close()
    ac_cap = os.path.join(OUT, "ac.pcap")
    pcaplib.write_pcap(ac_cap, conv.frames)
    html = os.path.join(OUT, "ac.html")
    run("decode", "-q", "--html", html, ac_cap)
    page = open(html, encoding="utf-8").read()
    stages = page[page.index('<section class="session" id="s1">'):page.index("</section>")]
    s = sessions(ac_cap)
    if not s[0].get("ac") or "charging loop" not in stages or "CableCheck" in stages or "PreCharge" in stages:
        fail("AC session: %s\n%s" % (s[0], stages))
    print("ok: an AC session lists no CableCheck/PreCharge")


# --- the HTML escapes the direction "host<>modem" (the Ioniq capture starts with one) ---
def html_escapes_directions():
    ioniq = os.path.join(SHARED, "captures", "2023-05-24_pyPlc_with_Ioniq93prcSoc.pcapng")
    html = os.path.join(OUT, "ioniq.html")
    run("decode", "-q", "--html", html, ioniq)
    page = open(html, encoding="utf-8").read()
    if "host<>modem" in page or "<td>host&lt;&gt;modem</td>" not in page:
        fail("host<>modem is not escaped in the HTML")
    print("ok: host&lt;&gt;modem in the HTML")


# --- a file that does not exist: one error line with the path once, nothing on stdout ---
def missing_file():
    r = run("decode", "/nonexistent/x.pcap", rc=1)
    err = r.stderr.strip().splitlines()
    if r.stdout or len(err) != 1 or err[0].count("/nonexistent/x.pcap") != 1:
        fail("decode /nonexistent/x.pcap: stdout %r, stderr %r" % (r.stdout, r.stderr))
    print("ok: decode of a missing file: %s" % err[0].split(None, 2)[-1])


failed = 0
for check in (v2g_over_tls, slac_from_the_answered_try, homeplug_names, ac_session_stages, html_escapes_directions, missing_file):
    try:
        check()
    except Failed as e:
        print("FAIL: " + str(e))
        failed += 1
sys.exit(1 if failed else 0)
