#!/usr/bin/env bash
# pyPLC's SoC callback (docs/hardware.md): `ccsplc evse --sim` with soc_callback_enabled posts what the car says
# to an HTTP server this test starts on a loopback port (soc_server.py): pyPLC's query (current_soc, full_soc,
# energy_capacity, energy_request, evccid; Wh, -1 for what the car did not say, the fallback capacity x 10). An
# endpoint that answers 500, or none at all, is warned about and leaves the session alone. Bounded in time.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/realtime.sh"   # --sim runs on real timers too
here=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
"$CCSPLC" --version | grep -q "soc-callback" || { echo "SKIP: ccsplc built without libcurl"; exit 77; }
tmp=$(mktemp -d)
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*.log "$tmp"/*.err; do [ -f "$f" ] && { echo "== $f"; tail -30 "$f"; }; done; exit 1; }

# run NAME STATUS [ENDPOINT]: the server (answering STATUS), then the charger with its simulated car
run() {
    local name=$1 status=$2 endpoint=${3:-}
    if [ -z "$endpoint" ]; then
        python3 "$here/soc_server.py" "$tmp/$name.port" "$tmp/$name.log" "$status" 60 &
        srv=$!
        for _ in $(seq 50); do [ -f "$tmp/$name.port" ] && break; sleep 0.1; done
        [ -f "$tmp/$name.port" ] || fail "$name: the server did not start"
        endpoint="http://127.0.0.1:$(cat "$tmp/$name.port")/soc/"
    fi
    cat >"$tmp/$name.ini" <<INI
[general]
soc_callback_enabled = True
soc_callback_endpoint = $endpoint
soc_fallback_energy_capacity = 2700
[evse]
isolation_time = 0.3
[pev]
soc = 60
target_soc = 62
capacity_kwh = 2
INI
    timeout 60 "$CCSPLC" evse --sim -c "$tmp/$name.ini" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
    echo $? >"$tmp/$name.rc"
    [ -n "$srv" ] && { kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null; }
    srv=
}

# 1. pyPLC's query, from the car's values (the trailing slash of the endpoint dropped, as pyPLC asks)
run ok 200
[ "$(cat "$tmp/ok.rc")" = 0 ] || fail "ok: exit $(cat "$tmp/ok.rc")"
grep -q "POST /soc?current_soc=60&full_soc=-1&energy_capacity=27000&energy_request=-1&evccid=020000CA0002$" "$tmp/ok.log" ||
    fail "ok: no post with the car's SoC 60, the fallback capacity 27000 Wh and its EVCCID"
grep -q "POST /soc?current_soc=6[12]&" "$tmp/ok.log" || fail "ok: the rising SoC was not posted again"
! grep -q "soc callback: .* answered" "$tmp/ok.err" || fail "ok: a warning for a 200"
echo "ok: the SoC callback posts pyPLC's query ($(wc -l <"$tmp/ok.log") posts, SoC 60 -> $(tail -1 "$tmp/ok.log" | sed -E 's/.*current_soc=([0-9]+).*/\1/'))"

# 2. an endpoint that fails, and none listening: warned, the session unharmed
run bad 500
[ "$(cat "$tmp/bad.rc")" = 0 ] || fail "bad: exit $(cat "$tmp/bad.rc")"
grep -q "soc callback: http://127.0.0.1:[0-9]*/soc answered 500" "$tmp/bad.err" || fail "bad: the 500 was not warned about"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run none 0 "http://127.0.0.1:$port/soc"
[ "$(cat "$tmp/none.rc")" = 0 ] || fail "none: exit $(cat "$tmp/none.rc")"
grep -q "soc callback: http://127.0.0.1:$port/soc did not answer" "$tmp/none.err" || fail "none: the failure was not warned about"
echo "ok: an endpoint answering 500, or nobody listening: warned, the session ends normally"
