#!/usr/bin/env bash
# The Wireshark plugin (wireshark/, docs/wireshark.md) loaded by tshark from a temporary personal plugin folder, over
# every shared capture, our own demo sessions (DIN, ISO-2 DC and AC, ISO-20 DC), the corpus (ISO-2, every ISO-20
# codec, signed messages, undecodable EXI) and a TLS session with its key log: the same V2G messages and field values as
# `ccsplc decode --json`, `tshark -G fields` lists the fields, the expert items exactly those a model derives from the
# JSON (wireshark_check.py); items on the known faults (the Supercharger's unknown session, the Alpitronic sequence
# error, the Taycan SLAC RunID) and no warning on the other shared captures. Skipped without tshark or the plugin.
set -euo pipefail
: "${CCSPLC:?}" "${CCS_BUILD_DIR:?}" "${CCS_SHARED_DIR:?}"
plugin="$CCS_BUILD_DIR/wireshark/ccsplc_v2g.so"
command -v tshark > /dev/null || { echo "tshark not installed"; exit 77; }
[ -f "$plugin" ] || { echo "plugin not built (no libwireshark-dev, or an instrumented build)"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
check="$here/wireshark_check.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
export CCSPLC CCS_SHARED_DIR
fail() { echo "FAIL: $*"; exit 1; }

# The plugin in a personal plugin folder of a temporary HOME. Wireshark loads no personal plugins with special
# privileges (root included): as root, tshark runs as nobody.
ver=$(tshark -v | sed -n '1s/^[^0-9]*\([0-9]*\.[0-9]*\)\..*/\1/p')
mkdir -p "$tmp/home/.local/lib/wireshark/plugins/$ver/epan"
cp "$plugin" "$tmp/home/.local/lib/wireshark/plugins/$ver/epan/"
as=""
[ "$(id -u)" = 0 ] && as="setpriv --reuid=65534 --regid=65534 --clear-groups"
printf '#!/bin/sh\nHOME=%s exec %s tshark "$@"\n' "$tmp/home" "$as" > "$tmp/tshark"
chmod 755 "$tmp/tshark"
export TSHARK="$tmp/tshark"
"$TSHARK" -G plugins 2> /dev/null | grep -q "ccsplc_v2g.so" || fail "tshark does not load $plugin"

"$TSHARK" -G fields > "$tmp/fields" 2> /dev/null
"$TSHARK" -G values > "$tmp/values" 2> /dev/null
python3 "$check" fields "$tmp/fields" "$tmp/values"

# Captures made now: demo sessions of every protocol our stack speaks, the corpus, TLS.
for p in din iso2-dc iso2-ac iso20-dc; do
    timeout 60 "$CCSPLC" demo --proto $p --capacity 5 --soc 20 --target-soc 21 --pcap "$tmp/demo-$p.pcapng" \
        > /dev/null || fail "demo --proto $p"
done
python3 "$here/v2g_pcap.py" corpus "$tmp/corpus.pcap"
python3 "$here/v2g_pcap.py" timing "$tmp/timing.pcap"
tls=0
if command -v openssl > /dev/null; then
    python3 "$here/v2g_pcap.py" tls "$tmp/plain.pcap" "$tmp/tls.pcap" "$tmp/keys"
    tls=1
fi
chmod a+r "$tmp"/*

# compare NAME CAPTURE [JSON-SOURCE] [KEYLOG] [SKIP]: two at a time in the background, the result in NAME.out
# (its last line "faults N": warnings and errors shown).
compare() {
    local name=$1
    shift
    { { timeout 60 "$CCSPLC" decode --json "${2:-$1}" > "$tmp/$name.json" 2> /dev/null || [ $? = 1 ]; } &&
        timeout 300 python3 "$check" compare "$1" "$tmp/$name.json" "$tmp/fields" "$tmp/values" "${3:-}" "${4:-}"
    } > "$tmp/$name.out" 2>&1 &
    while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n || true; done
}
# result NAME: prints its output; fails unless it ended in "faults N", else sets $faults to N.
result() {
    cat "$tmp/$1.out"
    faults=$(sed -n 's/^faults //p' "$tmp/$1.out")
    [ -n "$faults" ] || fail "$1"
}

shared=("$CCS_SHARED_DIR"/captures/*.pcap "$CCS_SHARED_DIR"/captures/*.pcapng)
for cap in "${shared[@]}"; do compare "$(basename "$cap")" "$cap"; done
for p in din iso2-dc iso2-ac iso20-dc; do compare "demo-$p" "$tmp/demo-$p.pcapng"; done
# The corpus and the TLS session are messages in no session's order (other SessionIDs, skipped steps).
compare corpus "$tmp/corpus.pcap" "" "" sequence,session_id
compare timing "$tmp/timing.pcap" "" "" sequence,session_id
[ $tls = 1 ] && compare tls "$tmp/tls.pcap" "$tmp/plain.pcap" "$tmp/keys" sequence,session_id
wait

for cap in "${shared[@]}"; do
    name=$(basename "$cap")
    result "$name"
    python3 "$check" zexpert "$cap" "$tmp/$name.out"
    case $name in
    *SuperCharger*) grep -q "'session_id'" "$tmp/$name.out" || fail "$name: no SessionID item (deadbeefdeadbeef)" ;;
    *SequenceError*) grep -q "'sequence'" "$tmp/$name.out" || fail "$name: no sequence item" ;;
    *slacFail*) grep -q "'run_id'" "$tmp/$name.out" || fail "$name: no SLAC RunID item" ;;
    *) [ "$faults" = 0 ] || fail "$name: $faults warnings on a capture without a known fault" ;;
    esac
done
for p in din iso2-dc iso2-ac iso20-dc; do
    result "demo-$p"
    [ "$faults" = 0 ] || fail "demo-$p: warnings on our own clean session"
done
result corpus
grep -q "'undecodable': 1" "$tmp/corpus.out" && grep -q "'no_codec': 1" "$tmp/corpus.out" &&
    grep -q "'digest'" "$tmp/corpus.out" || fail "corpus: error or signature items"

# Response times against each protocol's own table (v2g_pcap.py TIMING): ISO 15118-2 Table 109, -20 Table 217.
result timing
"$TSHARK" -r "$tmp/timing.pcap" -Y v2g.response_time -T fields -e v2g.message -e _ws.expert.message \
    > "$tmp/timing.txt" 2> /dev/null
want="SessionSetupRes -
PaymentDetailsRes -
CurrentDemandRes -
CurrentDemandRes V2G_SECC_Msg_Performance_Time (25 ms, ISO 15118-2 Table 109)
CurrentDemandRes V2G_EVCC_Msg_Timeout (250 ms)
ChargeParameterDiscoveryRes V2G_SECC_Msg_Performance_Time (1500 ms, ISO 15118-2 Table 109)
PowerDeliveryRes V2G_SECC_Msg_Performance_Time (4500 ms, ISO 15118-2 Table 109)
DC_ChargeLoopRes -
DC_ChargeLoopRes V2G_SECC_Msg_Performance_Time (250 ms, ISO 15118-20 Table 217)"
got=$(grep -v "^supportedAppProtocolRes" "$tmp/timing.txt" | while IFS=$'\t' read -r msg items; do
    item=$(grep -o 'V2G_[A-Za-z_]* ([^)]*)' <<< "$items" || true)
    echo "$msg ${item:--}"
done)
[ "$got" = "$want" ] || fail "timing: the response-time items are
$got
want
$want"
echo "ok: response times against ISO 15118-2 Table 109 and ISO 15118-20 Table 217"

# SDP names the port: the corpus decodes without the TCP heuristic; a capture without SDP needs it.
frames() { "$TSHARK" -r "$1" "${@:2}" -T fields -e frame.number | wc -l; }
want=$(frames "$tmp/corpus.pcap" -Y v2g.exi)
n=$(frames "$tmp/corpus.pcap" --disable-heuristic v2gtp_tcp -Y v2g.exi)
[ "$n" -eq "$want" ] || fail "corpus without the TCP heuristic: $n frames with V2G, want $want (SDP hand-off)"
spoof=$(ls "$CCS_SHARED_DIR"/captures/*mac_spoofing*.pcapng)
[ "$(frames "$spoof" --disable-heuristic v2gtp_tcp -Y v2g.exi)" -eq 0 ] ||
    fail "the capture without SDP decodes without the heuristic"
echo "ok: SDP hand-off and TCP heuristic"

# Two passes (as the GUI dissects: the analysis of the first pass is kept): the same messages and expert items, and
# now each request answered (a response knows its request in one pass) knows its response.
sc=$(ls "$CCS_SHARED_DIR"/captures/*SuperCharger*.pcapng)
cols=(-Y v2g -T fields -e frame.number -e v2g.message -e _ws.expert.message -e v2g.response_in -e v2g.request_in)
"$TSHARK" -r "$sc" "${cols[@]}" > "$tmp/one" 2> /dev/null
"$TSHARK" -2 -r "$sc" "${cols[@]}" > "$tmp/two" 2> /dev/null
cmp -s <(cut -f1-3 "$tmp/one") <(cut -f1-3 "$tmp/two") || fail "two-pass dissection differs"
answered=$(awk -F'\t' '$5 != ""' "$tmp/one" | wc -l)
[ "$answered" -gt 0 ] && [ "$(awk -F'\t' '$4 != ""' "$tmp/two" | wc -l)" -eq "$answered" ] ||
    fail "two passes: requests with a response_in differ from the $answered responses with a request_in"
echo "ok: two-pass dissection"

# The performance-time preference switches the notes off.
ioniq=$(ls "$CCS_SHARED_DIR"/captures/*Ioniq93prcSoc.pcapng)
[ "$(frames "$ioniq" -Y v2g.response_time.performance)" -gt 0 ] || fail "no performance-time notes on $ioniq"
n=$(frames "$ioniq" -o v2g.check_performance_time:FALSE -Y v2g.response_time.performance)
[ "$n" -eq 0 ] || fail "v2g.check_performance_time:FALSE still shows $n notes"

if [ $tls = 1 ]; then
    result tls
    want=$(frames "$tmp/plain.pcap" -Y v2g.exi)
    n=$(frames "$tmp/tls.pcap" -o "tls.keylog_file:$tmp/keys" -Y "tls && v2g.exi")
    [ "$n" -eq "$want" ] || fail "TLS: $n decrypted V2G messages, want $want"
    [ "$(frames "$tmp/tls.pcap" -Y v2g.exi)" -eq 0 ] || fail "TLS without the key log: V2G messages"
    echo "ok: TLS with the key log"
else
    echo "skip: TLS (no openssl to make a certificate)"
fi
