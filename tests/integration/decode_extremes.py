#!/usr/bin/env python3
"""A capture made here: an ISO 15118-20 DC session (handshake, then DC_ChargeLoopReq) whose RationalNumbers carry
the Exponents at the ends of the schema's range (xs:byte: -128, 127). `ccsplc decode` in every output form and
`ccsplc listen -r` must print Value x 10^Exponent exactly (Python's decimal module is the model).

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

conv = pcaplib.TcpConversation()
conv.send(False, 0x8001, req)
conv.send(True, 0x8001, res)
conv.send(False, 0x8004, loop)  # V2GTP payload type 0x8004: ISO 15118-20 DC
conv.close()
cap = os.path.join(OUT, "extremes.pcap")
pcaplib.write_pcap(cap, conv.frames)

want = {k: exact(*v) for k, v in EXTREMES.items()}
text = run("decode", cap).stdout
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
docs = run("decode", "--xml", cap).stdout.split("<?xml ")[1:]
dc = ET.fromstring("<?xml " + docs[-1][:docs[-1].rindex(">") + 1])
exps = sorted(int(e.text) for e in dc.iter(NS + "Exponent"))
if exps[0] != -128 or exps[-1] != 127:
    fail("XML: exponents %s" % exps)
run("decode", "-q", "--html", os.path.join(OUT, "r.html"), cap)
if run("listen", "-r", cap).stdout[:len(text)] != text:
    fail("listen -r prints other than decode")
print("ok: decode (text, JSON, XML, HTML) and listen -r print %s exactly" % ", ".join("%s=%s" % kv for kv in want.items())[:200])
