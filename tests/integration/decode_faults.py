#!/usr/bin/env python3
"""The faults `ccsplc decode` lists per session (issue 14 item 2), each derived here from the capture's own records
(`--json`), not from our fault code:
- SessionID: the one the charger's SessionSetupRes assigned, and every later message (not SessionSetupReq) whose
  header carries another counts as a mismatch (the SuperCharger capture: the car sends deadbeefdeadbeef);
- FAILED_* ResponseCodes: one fault per code and message name, counted;
- SLAC RunID (ISO 15118-3): a SLAC message whose RunID is not the one of the car's latest CM_SLAC_PARAM.REQ (Taycan);
- the text summary lists the faults at the top of the session and shows the SessionID;
- the clean captures (pyPLC with the Ioniq, Model X, Model Y) have no FAILED code, no SessionID or RunID fault.

decode_faults.py CCSPLC SHARED_DIR"""
import json
import os
import subprocess
import sys

CCSPLC, SHARED = sys.argv[1:3]
CAP = os.path.join(SHARED, "captures")


def decode(name, *opts):
    p = subprocess.run([CCSPLC, "decode", *opts, os.path.join(CAP, name)], capture_output=True, text=True,
                       timeout=120)
    return p.stdout


def records(name):
    out = [json.loads(line) for line in decode(name, "--json").splitlines()]
    return [r for r in out if r["layer"] != "session"], [r for r in out if r["layer"] == "session"]


def expected(recs):
    """Per session: (assigned SessionID, mismatches, {fault text: count}) from the records."""
    per = {}
    assigned = {}
    run = None
    for r in recs:
        s = r["session"]
        f = per.setdefault(s, [None, 0, {}])
        if r["layer"] == "homeplug":
            rid = r["fields"].get("RunID")
            if r["msg"] == "CM_SLAC_PARAM.REQ":
                run = rid
            elif rid is not None and run is not None and rid != run:
                t = "RunID %s in %s, not %s of the car's CM_SLAC_PARAM.REQ" % (rid, r["msg"], run)
                f[2][t] = f[2].get(t, 0) + 1
            continue
        if r["layer"] != "v2g" or r["error"]:
            continue
        sid = r["fields"].get("SessionID")
        if r["msg"] == "SessionSetupRes":
            assigned[r["conn"]] = sid
            f[0] = sid
        elif sid is not None and r["msg"] != "SessionSetupReq" and assigned.get(r["conn"]) not in (None, sid):
            f[1] += 1
        code = r["fields"].get("ResponseCode", "")
        if code.startswith("FAILED"):
            t = "%s in %s" % (code, r["msg"])
            f[2][t] = f[2].get(t, 0) + 1
    return per


def check(name, want_faults):
    recs, sessions = records(name)
    exp = expected(recs)
    found = 0
    for s in sessions:
        sid, mism, faults = exp.get(s["session"], [None, 0, {}])
        got = {f["text"]: f["count"] for f in s["faults"]["list"]}
        assert s["session_id"] == sid, (name, s["session"], s["session_id"], sid)
        assert s["session_id_mismatches"] == mism, (name, s["session_id_mismatches"], mism)
        for text, n in faults.items():
            assert got.get(text) == n, (name, text, n, got)
            found += 1
        if mism:
            t = [k for k in got if k.startswith("SessionID %s, not %s" % (s["car_session_id"], sid))]
            assert t and got[t[0]] == mism, (name, got)
            found += 1
    assert (found > 0) == want_faults, (name, found)
    return found


n = check("2023-03-02_SuperCharger_CableCheck_error.pcapng", True)
text = decode("2023-03-02_SuperCharger_CableCheck_error.pcapng")
summary = text[text.index("\n== session 1"):]
lines = summary.splitlines()
assert lines[2].startswith("  FAULTS"), lines[:4]  # the list opens the session's summary
assert "SessionID deadbeefdeadbeef, not " in lines[3], lines[3]
assert any(l.startswith("  SessionID ") and "the car sent deadbeefdeadbeef" in l for l in lines), summary[:800]
assert "FAULT: FAILED_UnknownSession" in text
check("2023-05-03_TaycanLeftside_slacFail.pcapng", True)
assert "FAULT: RunID " in decode("2023-05-03_TaycanLeftside_slacFail.pcapng")
check("2022-12-20_alpi_currentDemandSequenceErrorShutdown.pcapng", True)
for clean in ("2023-05-24_pyPlc_with_Ioniq93prcSoc.pcapng", "2024-04-20_ModelY_pyPLC_stop_in_precharge.pcapng",
              "2025-07-22_pyPLC_with_tesla_model_x_plaid_until_charging_loop.pcapng"):
    check(clean, False)
    for s in records(clean)[1]:
        bad = [f for f in s["faults"]["list"] if not f["text"].startswith("no response to ")]
        assert not bad, (clean, bad)
print("ok: faults of the SuperCharger (%d), Taycan and Alpitronic captures; none on the clean ones" % n)
