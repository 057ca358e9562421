#!/usr/bin/env python3
"""A capture made here: an ISO 15118-20 DC session (handshake, SessionSetupReq, DC_ChargeLoopReq) with values at
the ends of what the schemas allow. The RationalNumbers carry Exponents -128 and 127 (xs:byte): `ccsplc decode` in
every output form and `ccsplc listen -r` must print Value x 10^Exponent exactly (Python's decimal module is the
model). The EVCCID carries terminal escape sequences, BEL, NUL and a carriage return (any character is valid in
an EXI string), and so does a modem's firmware version (VS_SW_VER.CNF): no output form may print a raw control
character, and the XML must give the same bytes back through `ccsplc exi encode`.

decode_extremes.py CCSPLC CORPUS_TSV OUT_DIR"""
import decimal
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pcaplib  # noqa: E402

CCSPLC, TSV, OUT = sys.argv[1:4]
NS = "{urn:iso:std:iso:15118:-20:CommonTypes}"
EXTREMES = {"EVPresentVoltage": (-32768, -128), "EVTargetVoltage": (32767, 127), "EVTargetCurrent": (1, -95)}


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(*args, check=True):
    r = subprocess.run([CCSPLC, *args], capture_output=True, text=True, timeout=60)
    if check and r.returncode != 0:
        fail("ccsplc %s: exit %d: %s" % (" ".join(args), r.returncode, r.stderr[-2000:]))
    return r


def corpus(proto, message):
    with open(TSV) as f:
        for line in f:
            p, m, h = line.split("\t")[:3]
            if p == proto and m == message:
                return h
    fail("no %s %s in %s" % (proto, message, TSV))


def encode(proto, xml):
    path = os.path.join(OUT, "msg.xml")
    with open(path, "w") as f:
        f.write(xml)
    return bytes.fromhex(run("exi", "encode", "-p", proto, path).stdout.strip())


def exact(value, exp):
    """Value x 10^exp as a plain decimal without trailing zeros (the model)."""
    d = decimal.Decimal(value).scaleb(exp)
    with decimal.localcontext() as ctx:
        ctx.prec = 400
        return format(d.normalize(ctx), "f")


# The handshake of the corpus offers ISO-20 AC; offer DC instead (same SchemaID).
req_xml = run("exi", "decode", "-p", "app", corpus("app", "supportedAppProtocolReq")).stdout
req = encode("app", req_xml.replace(":-20:AC<", ":-20:DC<"))
res = bytes.fromhex(corpus("app", "supportedAppProtocolRes"))
# A corpus DC_ChargeLoopReq with the extreme RationalNumbers.
tree = ET.fromstring(run("exi", "decode", "-p", "iso20-dc", corpus("iso20-dc", "DC_ChargeLoopReq")).stdout)
for el in tree.iter():
    name = el.tag.split("}")[1]
    if name in EXTREMES:
        el.find(NS + "Value").text = str(EXTREMES[name][0])
        el.find(NS + "Exponent").text = str(EXTREMES[name][1])
loop = encode("iso20-dc", ET.tostring(tree, encoding="unicode"))
# A SessionSetupReq whose EVCCID XML cannot carry: written with the exact form `exi decode` documents.
EVCCID = "\x1b]0;owned\x07\x1b[2J\x00\r\u009b31m"
setup_xml = run("exi", "decode", "-p", "iso20-common", corpus("iso20-common", "SessionSetupReq")).stdout
setup_xml = re.sub(r"(<ns\d:EVCCID>)[^<]*", r"\1<?ccsplc-string %s?>" % EVCCID.encode().hex(), setup_xml)
setup = encode("iso20-common", setup_xml)

conv = pcaplib.TcpConversation()
# A modem's VS_SW_VER.CNF (Qualcomm OUI 00:B0:52; status, device class, version length, version) with escapes.
version = b"MAC-QCA7000-\x1b[2J\x1b]0;owned\x07-1.0"
conv.frames.insert(0, (conv.frames[0][0] - 1000000, pcaplib.homeplug_frame(
    bytes.fromhex("00b052000001"), conv.CAR_MAC, 0xA001, b"\x00\xb0\x52" + bytes([0, 0, 64]) + version.ljust(64, b"\0"))))
conv.send(False, 0x8001, req)
conv.send(True, 0x8001, res)
conv.send(False, 0x8002, setup)  # ISO 15118-20 common messages
conv.send(False, 0x8004, loop)  # V2GTP payload type 0x8004: ISO 15118-20 DC
conv.close()
cap = os.path.join(OUT, "extremes.pcap")
pcaplib.write_pcap(cap, conv.frames)

want = {k: exact(*v) for k, v in EXTREMES.items()}
text = run("decode", cap).stdout
if "Version=MAC-QCA7000-%1B[2J%1B]0;owned%07-1.0" not in text:
    fail("the firmware version is not shown escaped:\n" + text)
line = next((l for l in text.splitlines() if "DC_ChargeLoopReq" in l), None)
if line is None:
    fail("no DC_ChargeLoopReq on the timeline:\n" + text)
for k in ("EVTargetVoltage", "EVTargetCurrent"):
    if "%s=%s " % (k, want[k]) not in line + " ":
        fail("timeline: %s is not %s:\n%s" % (k, want[k], line))
recs = [json.loads(l) for l in run("decode", "--json", cap).stdout.splitlines()]
loop_rec = [r for r in recs if r.get("msg") == "DC_ChargeLoopReq"]
if len(loop_rec) != 1 or loop_rec[0].get("error"):
    fail("JSON: DC_ChargeLoopReq missing or not decoded")
for k, v in want.items():
    got = next(val for key, val in loop_rec[0]["fields"].items() if re.search(r"(^|\.)%s$" % k, key))
    if got != v:
        fail("JSON: %s=%s, want %s" % (k, got, v))
docs = re.findall(r"<message [^>]*>\n(.*?)</message>", run("decode", "--xml", cap).stdout, re.S)
dc = ET.fromstring(docs[-1])
exps = sorted(int(e.text) for e in dc.iter(NS + "Exponent"))
if exps[0] != -128 or exps[-1] != 127:
    fail("XML: exponents %s" % exps)
run("decode", "-q", "--html", os.path.join(OUT, "r.html"), cap)
if run("listen", "-r", cap).stdout[:len(text)] != text:
    fail("listen -r prints other than decode")

# No raw control character (C0 but line feed, DEL, C1) in any form; the XML gives the EVCCID back exactly.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
outputs = {"text": text, "exi decode": run("exi", "decode", "-p", "iso20-common", setup.hex()).stdout,
           "exi decode --kv": run("exi", "decode", "-p", "iso20-common", "--kv", setup.hex()).stdout}
for form in ("--json", "--xml"):
    outputs["decode " + form] = run("decode", form, cap).stdout
with open(os.path.join(OUT, "r.html"), encoding="utf-8") as f:
    outputs["decode --html"] = f.read()
for form, out in outputs.items():
    m = CONTROL.search(out)
    if m:
        fail("%s prints a raw control character %r: %r" % (form, m.group(), out[max(0, m.start() - 40):m.end() + 40]))
xml_docs = re.findall(r"<message [^>]*>\n(.*?)</message>", outputs["decode --xml"], re.S)
setup_doc = next(d for d in xml_docs if ":SessionSetupReq xmlns" in d)
if encode("iso20-common", setup_doc) != setup:
    fail("decode --xml of the SessionSetupReq does not encode to the same bytes")
if encode("iso20-common", outputs["exi decode"]) != setup:
    fail("exi decode -> exi encode changes the SessionSetupReq")
evccid = next(r for r in recs if r.get("msg") == "SessionSetupReq")["fields"]["EVCCID"]
if evccid != "".join("%%%02X" % b if b <= 0x20 or b >= 0x7f or b == 0x25 else chr(b) for b in EVCCID.encode()):
    fail("JSON: EVCCID is %r" % evccid)
print("ok: decode (text, JSON, XML, HTML) and listen -r print %s exactly" % ", ".join("%s=%s" % kv for kv in want.items())[:200])
print("ok: no raw control characters in %s; the XML reads back to the same EVCCID" % ", ".join(outputs))
