#!/usr/bin/env python3
"""Checks of the Wireshark plugin against `ccsplc decode --json` (standard library only), for wireshark_plugin.sh.
TSHARK names a command that runs tshark with the plugin loaded.

  fields FIELDS VALUES       `tshark -G fields` lists the generated fields of every codec
  compare CAPTURE JSON FIELDS VALUES [KEYLOG] [SKIP]
                             per capture: the same V2G messages (count, bytes, names) and, message by message, every
                             field of the JSON in the plugin's field of the same path; then the expert items: exactly
                             those a model of each rule derives from the JSON (FAILED codes, SessionIDs, sequence
                             errors the charger reported, response times, SLAC RunIDs), no malformed packet, no
                             dissector bug. Prints `faults N` (warnings and errors) for the caller. SKIP: kinds of
                             items not compared (comma-separated), for the corpus in an order no session follows.
  zexpert CAPTURE RESULT     `tshark -z expert` lists for V2G and SLAC exactly the kinds of items compare found
                             (RESULT: its output)
"""
import ast
import collections
import json
import os
import re
import subprocess
import sys
from decimal import Decimal

SEP, AGG = "\x1e", "\x1f"
# V2G_SECC_Msg_Performance_Time (note) and V2G_EVCC_Msg_Timeout (warning) of a request's response, in microseconds,
# per codec: DIN 70121 Table 75; ISO 15118-2 Table 109 (4.5 s / 5 s for the requests that may reach a backend);
# ISO 15118-20 Tables 216-218 (charge loops, DC and WPT steps). Other ISO-20 requests (Table 215 is not in our
# sources) and the handshake: no performance time, the car's 2 s.
MSG_TIMEOUT = 2000000
LIMITS = {
    "din": ({"CurrentDemandReq": (25000, 250000)}, (1500000, MSG_TIMEOUT)),
    "iso2": (dict({"CurrentDemandReq": (25000, 250000)},
                  **{m: (4500000, 5000000) for m in ("ServiceDetailReq", "PaymentDetailsReq", "PowerDeliveryReq",
                                                     "CertificateInstallationReq", "CertificateUpdateReq")}),
             (1500000, MSG_TIMEOUT)),
    "iso20-ac": ({"AC_ChargeLoopReq": (250000, 500000)}, (0, MSG_TIMEOUT)),
    "iso20-dc": (dict({"DC_ChargeLoopReq": (250000, 500000)},
                      **{m: (1500000, MSG_TIMEOUT) for m in ("DC_CableCheckReq", "DC_PreChargeReq",
                                                            "DC_WeldingDetectionReq")}), (0, MSG_TIMEOUT)),
    "iso20-wpt": (dict({"WPT_ChargeLoopReq": (250000, 500000)},
                       **{m: (1500000, MSG_TIMEOUT) for m in ("WPT_FinePositioningSetupReq", "WPT_FinePositioningReq",
                                                             "WPT_PairingReq", "WPT_AlignmentCheckReq")}),
                  (0, MSG_TIMEOUT)),
}


def limits(proto, req):
    """(performance time or 0, timeout) in microseconds for the response to req of codec proto."""
    per, default = LIMITS.get(proto, ({}, (0, MSG_TIMEOUT)))
    return per.get(req, default)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def tshark(args, check=True):
    cmd = os.environ["TSHARK"].split() + args
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    noise = [l for l in r.stderr.splitlines() if l.strip() and "Running as user" not in l]
    if check and (r.returncode or noise):
        fail("tshark %s: exit %d: %s" % (" ".join(args[:3]), r.returncode, "\n".join(noise[:5])))
    return r.stdout


def load_fields(path):
    types = {}
    for line in open(path, encoding="utf-8", errors="replace"):
        p = line.rstrip("\n").split("\t")
        if p[0] == "F" and len(p) > 3:
            types[p[2]] = p[3]
    return types


def load_values(path):
    vals = collections.defaultdict(dict)
    for line in open(path, encoding="utf-8", errors="replace"):
        p = line.rstrip("\n").split("\t")
        if p[0] == "V" and len(p) == 4 and p[1].startswith("v2g."):
            vals[p[1]][p[3]] = p[2]
    return vals


def cmd_fields(fields_path, values_path):
    types = load_fields(fields_path)
    v2g = [f for f in types if f.startswith("v2g.")]
    codecs = {f.split(".")[1] for f in v2g}
    want = {"app", "din", "iso2", "iso20", "iso20_dc", "iso20_ac", "iso20_acdp", "iso20_wpt", "v2gtp", "sdp"}
    if not want <= codecs:
        fail("fields of %s missing" % sorted(want - codecs))
    for f, t in [("v2g.din.CurrentDemandReq.EVTargetCurrent", "FT_DOUBLE"),
                 ("v2g.din.CurrentDemandReq.EVTargetCurrent.Multiplier", "FT_INT32"),
                 ("v2g.din.Header.SessionID", "FT_BYTES"),
                 ("v2g.iso2.ChargingStatusRes.EVSEMaxCurrent", "FT_DOUBLE"),
                 ("v2g.iso20_dc.DC_ChargeLoopReq.Scheduled_DC_CLReqControlMode.EVTargetCurrent", "FT_DOUBLE"),
                 ("v2g.iso20_dc.DC_ChargeLoopReq.Scheduled_DC_CLReqControlMode.EVTargetCurrent.Exponent", "FT_INT32"),
                 ("v2g.iso20.Header.SessionID", "FT_BYTES"),
                 ("v2g.app.supportedAppProtocolReq.AppProtocol.ProtocolNamespace", "FT_STRING"),
                 ("slac.run_id", "FT_BYTES")]:
        if types.get(f) != t:
            fail("tshark -G fields: %s is %s, want %s" % (f, types.get(f), t))
    vals = load_values(values_path)
    if vals["v2g.din.CurrentDemandRes.ResponseCode"].get("FAILED_SequenceError") is None:
        fail("tshark -G values: no ResponseCode literals")
    print("ok: tshark -G fields: %d V2G fields (%d codecs)" % (len(v2g), len(want) - 2))


def proto_prefix(proto):
    return "v2g." + proto.replace("-common", "").replace("-", "_")


def abbrev_of(rec, key, types):
    """The plugin's field for a JSON key: Header fields are unprefixed in the JSON, a body field named like a header
    field carries the message name (the corpus key=value rule)."""
    pre, msg = proto_prefix(rec["proto"]), rec["msg"]
    path = re.sub(r"\[\d+\]", "", key)
    keys = rec["fields"]
    header_like = (msg + "." + key) in keys
    candidates = ["%s.Header.%s" % (pre, path)] if header_like else \
        ["%s.%s.%s" % (pre, msg, path), "%s.Header.%s" % (pre, path), "%s.%s" % (pre, path)]
    for c in candidates:
        if c in types:
            return c
    fail("%s %s: no field for %s (tried %s)" % (rec["ts"], msg, key, candidates))


def unescape(s):
    return re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), s)


def norm_json(abbrev, value, types, vals):
    t = types[abbrev]
    if t == "FT_BOOLEAN":
        return {"true": "1", "false": "0"}[value]
    if abbrev in vals:
        if value not in vals[abbrev]:
            fail("%s: literal %s unknown to the plugin" % (abbrev, value))
        return int(vals[abbrev][value], 0)
    if t == "FT_DOUBLE":
        return Decimal(value)
    if t.startswith("FT_INT") or t.startswith("FT_UINT"):
        return int(value)
    if t == "FT_STRING":
        return unescape(value)
    return value.lower()


def norm_tshark(abbrev, value, types):
    t = types[abbrev]
    if t == "FT_BOOLEAN":
        return {"True": "1", "False": "0"}.get(value, value)
    if t == "FT_DOUBLE":
        return Decimal(value)
    if t.startswith("FT_INT") or t.startswith("FT_UINT"):
        return int(value, 0)
    if t == "FT_BYTES":  # zero bytes print as <missing>
        return "" if value.lower() == "<missing>" else value.replace(":", "").lower()
    return value


def run_tshark(cap, cols, keylog):
    """One row per frame: {column: [values]}."""
    args = ["-r", cap, "-T", "fields", "-E", "separator=" + SEP, "-E", "aggregator=" + AGG, "-E", "occurrence=a"]
    if keylog:
        args += ["-o", "tls.keylog_file:" + keylog]
    for c in cols:
        args += ["-e", c]
    rows = []
    for line in tshark(args).split("\n")[:-1]:
        rows.append({c: [v for v in cell.split(AGG) if v != ""] for c, cell in zip(cols, line.split(SEP))})
    return rows


def field_columns(recs, types):
    abbrevs = {}
    for r in recs:
        if r["layer"] != "v2g":
            continue
        for k in r.get("fields") or {}:
            a = abbrev_of(r, k, types)
            if types[a] != "FT_NONE":
                abbrevs[(r["proto"], r["msg"], k)] = a
    return abbrevs


def compare_fields(cap, recs, rows, abbrevs, types, vals):
    v2g = [r for r in recs if r["layer"] == "v2g"]
    cols = ["v2g.exi", "v2g.message"] + sorted(set(abbrevs.values()))
    got = collections.defaultdict(lambda: collections.defaultdict(list))
    order = []
    for row in rows:
        if not row["v2g.exi"]:
            continue
        ts = row["frame.time_epoch"][0]
        if ts not in got:
            order.append(ts)
        for c in cols:
            got[ts][c] += row[c]
    want = collections.defaultdict(lambda: collections.defaultdict(list))
    for r in v2g:
        w = want[r["ts"]]
        w["v2g.exi"].append(r["hex"])
        if r["error"] is None and not r["msg"].startswith("V2GTP "):
            w["v2g.message"].append(r["msg"])
        for k, v in (r.get("fields") or {}).items():
            a = abbrevs.get((r["proto"], r["msg"], k))
            if a and v != "":
                w[a].append(norm_json(a, v, types, vals))
    n_got = sum(len(g["v2g.exi"]) for g in got.values())
    if n_got != len(v2g):
        fail("%s: the plugin shows %d V2G messages, ccsplc decode %d" % (cap, n_got, len(v2g)))
    if set(got) != set(want):
        fail("%s: messages at other times: plugin only %s, JSON only %s" %
             (cap, sorted(set(got) - set(want))[:3], sorted(set(want) - set(got))[:3]))
    nvalues = 0
    for ts in order:
        for c in cols:
            g = got[ts][c]
            if c not in ("v2g.exi", "v2g.message"):
                g = [v for v in (norm_tshark(c, v, types) for v in g) if v != ""]
            if g != want[ts][c]:
                fail("%s at %s: %s is %s, ccsplc decode says %s" % (cap, ts, c, g[:6], want[ts][c][:6]))
            nvalues += len(g)
    return len(v2g), nvalues


# ---- expert items: the model ------------------------------------------------------------------------------

def us(ts):
    return int(Decimal(ts) * 1000000)


def expected_items(recs):
    """(kind, ts) of every expert item the plugin must show, derived from the decoded messages."""
    items = collections.Counter()
    conns = collections.defaultdict(list)
    for r in recs:
        if r["layer"] == "v2g":
            conns[r["conn"]].append(r)
    detected = {s["conn"] for s in recs if s["layer"] == "session" and s.get("detected")}
    for conn, msgs in conns.items():
        sid, pending, seq_from = None, None, None
        for r in msgs:
            if r["msg"].startswith("V2GTP "):
                items["no_codec", r["ts"]] += 1
                continue
            if r["error"] is not None:
                items["undecodable", r["ts"]] += 1
                continue
            if conn in detected:
                items["detected", r["ts"]] += 1
            f, msg = r["fields"], r["msg"]
            # signed messages: the captures we have carry the corpus's dummy digests (corpus/README.md)
            refs = {k.split("]")[0] for k in f if k.startswith("Signature.SignedInfo.Reference[")}
            if refs:
                items["digest", r["ts"]] += len(refs)
            code = f.get("ResponseCode", "")
            if code.lower().startswith("failed"):
                items["failed", r["ts"]] += 1
            s = f.get("SessionID")
            if msg == "SessionSetupRes" and s is not None:
                sid = s
            elif sid is not None and s is not None and msg != "SessionSetupReq" and s != sid:
                items["session_id", r["ts"]] += 1
            if msg.endswith("Req"):
                pending = r
            elif msg.endswith("Res") and pending and pending["msg"][:-1] == msg[:-1]:
                delta = us(r["ts"]) - us(pending["ts"])
                perf, timeout = limits(r["proto"], pending["msg"])
                if delta > timeout:
                    items["late", r["ts"]] += 1
                elif perf and delta > perf:
                    items["slow", r["ts"]] += 1
                if code == "FAILED_SequenceError":
                    items["sequence", pending["ts"]] += 1  # the charger said so: the plugin must too
                    seq_from = seq_from or us(pending["ts"])
                pending = None
        items["sequence_after", conn] = seq_from or 0
    run = None
    for r in recs:
        if r["layer"] != "homeplug" or "RunID" not in (r.get("fields") or {}):
            continue
        if r["msg"] == "CM_SLAC_PARAM.REQ":
            run = r["fields"]["RunID"]
        elif run is not None and r["fields"]["RunID"] != run:
            items["run_id", r["ts"]] += 1
    return items


KINDS = [("No SupportedAppProtocol handshake", "detected"), ("out of sequence", "sequence"),
         ("SessionID differs", "session_id"), ("V2G_SECC_Msg_Performance_Time", "slow"),
         ("V2G_EVCC_Msg_Timeout", "late"), ("ResponseCode FAILED", "failed"), ("ResponseCode Failed", "failed"),
         ("EXI does not decode", "undecodable"), ("No codec for", "no_codec"), ("RunID", "run_id"),
         ("Bad V2GTP header", "bad_header"), ("Invalid SDP", "bad_sdp"), ("Signature digest", "digest"),
         ("names no element", "no_element"), ("Digest algorithm", "algorithm")]


def shown_items(cap, rows):
    items, warn = collections.Counter(), 0
    for row in rows:
        ts, protos = row["frame.time_epoch"][0], row["frame.protocols"][0]
        for m, sev in zip(row["_ws.expert.message"], row["_ws.expert.severity"]):
            if "Malformed" in m or "Dissector bug" in m:
                if ":v2g" in protos or ":slac" in protos:
                    fail("%s at %s: %s" % (cap, ts, m))
                continue
            kind = next((k for text, k in KINDS if text in m), None)
            if kind is None:
                continue  # another protocol's item (TCP analysis, ...)
            items[kind, ts] += 1
            warn += int(sev, 0) >= 0x00600000  # PI_WARN and PI_ERROR
    return items, warn


def compare_experts(cap, recs, rows, skip):
    want, (got, warn) = expected_items(recs), shown_items(cap, rows)
    for items in (want, got):
        for k in [k for k in items if k[0] in skip]:
            del items[k]
    after = {k[1]: v for k, v in want.items() if k[0] == "sequence_after"}
    conn_of = {r["ts"]: r["conn"] for r in recs if r["layer"] == "v2g"}
    for (kind, ts), n in got.items():
        if kind == "sequence" and want[kind, ts] == 0:
            start = after.get(conn_of.get(ts), 0)
            if not start or us(ts) < start:  # only after the charger itself reported a sequence error
                fail("%s at %s: out of sequence, but the charger reported no sequence error before" % (cap, ts))
            continue
        if want[kind, ts] != n:
            fail("%s at %s: %d '%s' expert items, the model says %d" % (cap, ts, n, kind, want[kind, ts]))
    for (kind, ts), n in want.items():
        if kind != "sequence_after" and got[kind, ts] != n:
            fail("%s at %s: %d '%s' expert items, the model says %d" % (cap, ts, got[kind, ts], kind, n))
    return got, warn


def cmd_compare(cap, json_path, fields_path, values_path, keylog="", skip=""):
    keylog = keylog or None
    types, vals = load_fields(fields_path), load_values(values_path)
    recs = [json.loads(l) for l in open(json_path, encoding="utf-8")]
    abbrevs = field_columns(recs, types)
    cols = ["frame.time_epoch", "frame.protocols", "_ws.expert.message", "_ws.expert.severity", "v2g.exi",
            "v2g.message"] + sorted(set(abbrevs.values()))
    rows = run_tshark(cap, cols, keylog)
    n, nvalues = compare_fields(cap, recs, rows, abbrevs, types, vals)
    got, warn = compare_experts(cap, recs, rows, skip.split(","))
    kinds = collections.Counter()
    for (kind, _), c in got.items():
        kinds[kind] += c
    print("ok: %s: %d V2G messages, %d field values equal; expert items %s" %
          (os.path.basename(cap), n, nvalues, dict(kinds) or "none"))
    print("faults %d" % warn)


def cmd_zexpert(cap, result_path):
    m = re.search(r"expert items (\{.*\}|none)", open(result_path, encoding="utf-8").read())
    if not m:
        fail("%s: no compare result" % result_path)
    want = set() if m.group(1) == "none" else set(ast.literal_eval(m.group(1)))  # the dict compare printed
    got = set()
    for line in tshark(["-r", cap, "-q", "-z", "expert"]).split("\n"):
        row = re.match(r"\s*\d+\s+.+?\s+(V2G|SLAC)\s+(.*)$", line)
        if not row:
            continue
        kind = next((k for text, k in KINDS if text in row.group(2)), None)
        if kind is None:
            fail("%s: tshark -z expert shows an unknown item: %s" % (cap, line.strip()))
        got.add(kind)
    if got != want:
        fail("%s: tshark -z expert shows %s, the items found are %s" % (cap, sorted(got), sorted(want)))
    print("ok: %s: tshark -z expert: %s" % (os.path.basename(cap), ", ".join(sorted(got)) or "no V2G item"))


if __name__ == "__main__":
    cmds = {"fields": cmd_fields, "compare": cmd_compare, "zexpert": cmd_zexpert}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        fail(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])
