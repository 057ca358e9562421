#!/usr/bin/env bash
# `listen --html` (and `decode --html`) keep bounded memory: a capture made here by repeating a real one 100 and
# 200 times (117 000 and 234 000 records) is read by `listen -r -q --html`; the larger peaks at nearly the same
# memory as the smaller (the report keeps the newest DEC_HTML_MAX_ROWS = 50 000 records), and the page says how
# many records came before: its timeline has the newest 50 000 rows (a run of loop messages is one row standing for
# its count of records), ending with the capture's last one. Under ASan (whose quarantine holds freed memory)
# the peak is not the program's: there only the page is checked.
set -euo pipefail
: "${CCSPLC:?}" "${CCS_SHARED_DIR:?}"
. "$(dirname "$0")/lib/build_cache.sh"
measure=1
build_sanitized && measure=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
timeout 500 python3 - "$CCSPLC" "$CCS_SHARED_DIR/captures/spi_ioniq_alpiHYC150_makerspace_landsberg_left_small_2024-04-03_ok.csv.pcap" "$tmp" "$measure" <<'PY'
import os, re, subprocess, sys
sys.path.insert(0, os.environ.get("CCS_SOURCE_DIR", ".") + "/tests/integration")
import pcaplib

ccsplc, src, tmp, measure = sys.argv[1:5]
LIMIT = 50000
frames = pcaplib.read_frames(src)
span = frames[-1][0] - frames[0][0] + 10_000_000_000


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def build(repeats):
    path = os.path.join(tmp, "x%d.pcap" % repeats)
    pcaplib.write_pcap(path, ((ts + k * span, fr) for k in range(repeats) for ts, fr in frames))
    return path


def peak_rss_kb(args):
    """Peak resident memory of one child run (getrusage of the children waited for, which only grows)."""
    r = subprocess.run(["/usr/bin/env", "python3", "-c",
                        "import resource,subprocess,sys;"
                        "p=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE);"
                        "sys.exit(p.returncode) if p.returncode else "
                        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)", *args],
                       capture_output=True, text=True, timeout=400)
    if r.returncode:
        fail("%s: exit %d %s" % (" ".join(args), r.returncode, r.stderr[-500:]))
    return int(r.stdout)


rss = {}
for n in (100, 200):
    cap = build(n)
    html = os.path.join(tmp, "r%d.html" % n)
    rss[n] = peak_rss_kb([ccsplc, "listen", "-r", cap, "-q", "--html", html])
    print("listen -r (%d repeats, %d MB) --html: peak RSS %d MB" % (n, os.path.getsize(cap) >> 20, rss[n] >> 10))
if measure == "0":
    print("sanitizer build: peak memory not compared")
elif rss[200] - rss[100] > 10 * 1024:
    fail("memory grows with the capture: %d MB for twice the records, %d MB before" % (rss[200] >> 10, rss[100] >> 10))
# the report of the larger one against decode's timeline (one line per record, then a blank line)
text = subprocess.run([ccsplc, "decode", cap], capture_output=True, text=True, timeout=400).stdout
times = [l.split()[0] for l in text[:text.index("\n\n")].splitlines()]
with open(html, encoding="utf-8") as f:
    page = f.read()
m = re.search(r'data-dropped="(\d+)"', page)
dropped = int(m.group(1)) if m else 0
timeline = page[page.index('<table class="tl">'):]
rows = re.findall(r'<tr class="[^"]*"><td>([0-9.]+)</td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>', timeline)
counts = [int(m.group(1)) if m else 1 for m in (re.search(r"&times; (\d+)$", name) for _, name in rows)]
kept = sum(counts)  # a row of loop messages stands for its count of records
if dropped + kept != len(times) or len(rows) != LIMIT:
    fail("%d records: the page keeps %d rows for %d and says %d dropped" % (len(times), len(rows), kept, dropped))
if rows[-1][0] != times[-counts[-1]] or rows[0][0] != times[dropped]:
    fail("the timeline is not the newest %d rows: %s .. %s" % (LIMIT, rows[0][0], rows[-1][0]))
if "%d records before them" % dropped not in page:
    fail("the page does not say how many records were left out")
growth = "" if measure == "0" else "twice the records, %+d MB peak; " % ((rss[200] - rss[100]) >> 10)
print("ok: %sthe report keeps the newest %d rows (%d records) and names the %d before" % (growth, LIMIT, kept, dropped))
PY
