#!/usr/bin/env python3
"""Checks for `ccsplc decode` used by tests/integration/decode_*.sh (standard library only).

  tshark-count CAPTURE        V2GTP EXI payloads (types 0x8001-0x8006) in tshark's reassembled TCP streams
  json FILE.jsonl             parses every line; prints the EXI message count, fails on decode errors
  reference FILE.jsonl TXT    every message of an OpenV2G *.decoded.txt equals ours (names, bytes, values)
  png PNG X Y W H RGB...      at least 50 pixels of each colour (hex RRGGBB) inside a box of a screenshot
"""
import datetime
import json
import re
import subprocess
import sys
import zlib

EXI_TYPES = range(0x8001, 0x8007)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def tshark_count(path):
    out = subprocess.run(["tshark", "-r", path, "-Y", "tcp", "-T", "fields", "-e", "tcp.stream"],
                         capture_output=True, text=True, check=True).stdout.split()
    if not out:
        return 0
    args = ["tshark", "-r", path, "-q"]
    for i in range(max(int(x) for x in out) + 1):
        args += ["-z", "follow,tcp,raw,%d" % i]
    text = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    streams, stream = {}, None
    for line in text.splitlines():
        m = re.match(r"Filter: tcp.stream eq (\d+)", line)
        if m:
            stream = int(m.group(1))
            continue
        if stream is None or not re.fullmatch(r"\t?[0-9a-f]+", line):
            continue
        key = (stream, line.startswith("\t"))
        streams[key] = streams.get(key, b"") + bytes.fromhex(line.strip())
    count = 0
    for data in streams.values():
        off = 0
        while off + 8 <= len(data):
            if data[off] != 0x01 or data[off + 1] != 0xFE:
                fail("tshark stream does not start with a V2GTP header at %d" % off)
            ptype = int.from_bytes(data[off + 2:off + 4], "big")
            count += ptype in EXI_TYPES
            off += 8 + int.from_bytes(data[off + 4:off + 8], "big")
    return count


def load_jsonl(path):
    recs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                recs.append(json.loads(line))
            except ValueError as e:
                fail("%s line %d is not JSON: %s" % (path, n, e))
    return recs


def exi_messages(recs):
    return [r for r in recs if r.get("layer") == "v2g" and r["proto"] != "v2gtp"]


def cmd_json(path):
    recs = load_jsonl(path)
    msgs = exi_messages(recs)
    bad = [r for r in msgs if r["error"] is not None]
    if bad:
        fail("%d EXI messages with a decode error, first: %s" % (len(bad), bad[0]["error"]))
    for r in recs:
        if r.get("layer") != "session":
            for k in ("ts", "t", "dir", "layer", "proto", "msg", "hex", "fields"):
                if k not in r:
                    fail("record without %s: %r" % (k, r))
    print(len(msgs))


def parse_reference(path):
    """Blocks 'TIME=ED|DD HEX means:' or 'Packet #N [TIME] HEX means:' followed by "key": "value" lines.
    TIME is local wall-clock time, kept as seconds since the epoch read as UTC."""
    blocks, cur = [], None
    head = re.compile(r"^(?:(\S+)=(?:ED|DD) |Packet #\d+ \[([^\]]*)\] )([0-9A-Fa-f]+) means:")
    kv = re.compile(r'^"([^"]+)": "(.*)",?\s*$')
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = head.match(line)
            if m:
                when = datetime.datetime.fromisoformat((m.group(1) or m.group(2)).replace("T", " "))
                cur = {"hex": m.group(3).lower(), "kv": {},
                       "time": when.replace(tzinfo=datetime.timezone.utc).timestamp()}
                blocks.append(cur)
                continue
            m = kv.match(line)
            if m and cur is not None:
                cur["kv"][m.group(1)] = m.group(2)
    return blocks


def field(rec, leaf):
    """Our value of a field by its whole key or its last path components."""
    for k, v in rec["fields"].items():
        if k == leaf or k.endswith("." + leaf):
            return v
    return None


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def compare(ref, mine, where):
    kv = ref["kv"]
    if kv["msgName"] != mine["msg"]:
        fail("%s: message %s, reference %s" % (where, mine["msg"], kv["msgName"]))
    checked = 0
    for key, val in kv.items():
        base = key[:-len(".Value")] if key.endswith(".Value") else None
        if base and base + ".Multiplier" in kv:
            if kv.get(base + "_isUsed") == "0":
                continue
            want = int(val) * 10 ** int(kv[base + ".Multiplier"])
            got = field(mine, base)
            if got is None and want == 0 and kv.get(base + ".Unit") == "h":
                continue  # the converter prints some optional values unconditionally: absent = all zero, unit 0 (h)
            if got is None or not close(float(got), want):
                fail("%s %s: %s = %s, reference %s" % (where, mine["msg"], base, got, want))
            checked += 1
        elif key.endswith("EVRESSSOC") or key in ("FullSOC", "BulkSOC"):
            if kv.get(key + "_isUsed") == "0":
                continue
            got = field(mine, key.split(".")[-1])
            if got is None or int(got) != int(val):
                fail("%s %s: %s = %s, reference %s" % (where, mine["msg"], key, got, val))
            checked += 1
        elif key in ("ResponseCode", "EVSEProcessing", "EVCCID", "EVSEID", "header.SessionID"):
            got = field(mine, key.split(".")[-1])
            if got is None or got.lower() != val.lower():
                fail("%s %s: %s = %s, reference %s" % (where, mine["msg"], key, got, val))
            checked += 1
    return checked


def cmd_reference(jsonl, txt):
    """Our messages, in order, equal the reference's. A reference made from a live log may go on after the
    capture stops: blocks later than the capture's last frame (clock offset in whole half hours, from the
    first match) are left out."""
    every = load_jsonl(jsonl)
    end = max(float(r["ts"]) for r in every if "ts" in r)
    recs = exi_messages(every)
    handshake = {r["hex"] for r in recs if r["proto"] == "app"}
    mine = [r for r in recs if r["proto"] != "app"]
    blocks = parse_reference(txt)
    i = retransmitted = values = later = 0
    offset = None
    for n, b in enumerate(blocks):
        if offset is not None and b["time"] - offset > end:
            later += 1
            continue
        if not b["kv"].get("msgName"):  # OpenV2G read the handshake as DIN: it must be one of our handshakes
            if b["hex"] not in handshake:
                fail("reference block %d (%s) is not one of our handshake messages" % (n, b["hex"]))
            continue
        if i < len(mine) and mine[i]["hex"] == b["hex"]:
            values += compare(b, mine[i], "message %d" % i)
            if offset is None:
                offset = round((b["time"] - float(mine[i]["ts"])) / 1800) * 1800
            i += 1
        elif any(m["hex"] == b["hex"] for m in mine[max(0, i - 4):i]):
            retransmitted += 1  # the converter decoded a TCP retransmission (of a recent message) again
        else:
            fail("reference block %d (%s %s) does not match our message %d (%s %s)" % (
                n, b["kv"].get("msgName"), b["hex"], i, mine[i]["msg"] if i < len(mine) else "-",
                mine[i]["hex"] if i < len(mine) else "-"))
    if i != len(mine):
        fail("%d of our %d messages are not in the reference" % (len(mine) - i, len(mine)))
    print("%d messages equal, %d values compared, %d retransmissions in the reference, %d blocks after the capture"
          % (i, values, retransmitted, later))


def png_pixels(path):
    """RGB(A) rows of an 8-bit non-interlaced PNG (what Chromium writes)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h = int.from_bytes(body[0:4], "big"), int.from_bytes(body[4:8], "big")
            depth, ctype, interlace = body[8], body[9], body[12]
            if depth != 8 or ctype not in (2, 6) or interlace:
                fail("unsupported PNG (depth %d, colour type %d, interlace %d)" % (depth, ctype, interlace))
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, rows, stride, prev = zlib.decompress(idat), [], w * bpp, bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return rows, bpp


def cmd_png(path, x, y, w, h, colours):
    colours = [tuple(int(c[i:i + 2], 16) for i in (0, 2, 4)) for c in colours]
    rows, bpp = png_pixels(path)
    counts = [0] * len(colours)
    for yy in range(y, min(y + h, len(rows))):
        row = rows[yy]
        for xx in range(x, min(x + w, len(row) // bpp)):
            px = row[xx * bpp:xx * bpp + 3]
            for i, c in enumerate(colours):
                if sum(abs(px[k] - c[k]) for k in range(3)) < 40:
                    counts[i] += 1
    print("pixels of %s in the box: %s" % (" ".join("%02x%02x%02x" % c for c in colours), counts))
    if min(counts) < 50:
        fail("not drawn")


def main():
    cmd = sys.argv[1]
    if cmd == "tshark-count":
        print(tshark_count(sys.argv[2]))
    elif cmd == "json":
        cmd_json(sys.argv[2])
    elif cmd == "reference":
        cmd_reference(sys.argv[2], sys.argv[3])
    elif cmd == "png":
        cmd_png(sys.argv[2], *map(int, sys.argv[3:7]), sys.argv[7:])
    else:
        fail("unknown command " + cmd)


if __name__ == "__main__":
    main()
