#!/usr/bin/env bash
# `ccsplc listen` live: charger, car and sniffer in network namespaces joined by `ccsplc plcsim`; the sniffer
# listens on plcsim's --monitor port (with --join keying its own plcsim port's modem) while `ccsplc evse`/`pev`
# run a whole session (or only SLAC where they cannot yet); its count of V2G messages equals what both ends
# logged, its SLAC view matches both ends' logs, --pcap/--split/--html files appear. Needs root and `ip netns`.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"

id=$$
S=ccsTs$id; E=ccsTe$id; P=ccsTp$id; M=ccsTm$id     # plcsim, charger, car, sniffer
veth "$S" "$E" e$id; veth "$S" "$P" p$id; veth "$S" "$M" j$id; veth "$S" "$M" m$id
# the monitor end only receives: no IPv6 of the sniffer's own in the capture
inns "$M" sysctl -qw "net.ipv6.conf.hm$id.disable_ipv6=1" "net.ipv6.conf.hj$id.disable_ipv6=1"
mac_e=$(hostmac "$E" e$id); mac_p=$(hostmac "$P" p$id)

start_plcsim "$S" "$tmp/plcsim.log" --port evse=se$id,role=evse --port car=sp$id,role=pev --port sniffer=sj$id \
    --atten evse:car=20 --atten evse:sniffer=30 --atten car:sniffer=30 --monitor sm$id

# bounded by its own --duration (not `timeout`, which would pass our SIGINT to the whole process group)
ip netns exec "$M" "$CCSPLC" listen -i hm$id --join --modem-if hj$id --pcap "$tmp/listen.pcapng" --duration 140 \
    --split "$tmp/split" --html "$tmp/listen.html" >"$tmp/listen.out" 2>"$tmp/listen.log" &
listen=$!
pids+=($listen)
for _ in $(seq 50); do grep -q "listen: on" "$tmp/listen.log" && break; sleep 0.1; done
grep -q "listen: on hm$id" "$tmp/listen.log" || fail "listen did not start"

# A whole session where evse/pev can run one, else the SLAC phase.
if "$CCSPLC" evse --help 2>&1 | grep -q "slac, sdp or session"; then
    phase=session
    evse_args=(--stop-after session --timeout 60 -v)
    pev_args=(--stop-after session --timeout 60 -v --soc 78 --target-soc 80 --capacity 2)
else
    phase=slac
    evse_args=(--stop-after slac --timeout 30)
    pev_args=(--stop-after slac --timeout 30)
fi
ip netns exec "$E" timeout 90 "$CCSPLC" evse -i he$id "${evse_args[@]}" >"$tmp/evse.out" 2>"$tmp/evse.log" &
evse=$!
pids+=($evse)
sleep 1   # the charger's modem keyed and back (--restart-ms 500) before the car starts
inns "$P" timeout 90 "$CCSPLC" pev -i hp$id "${pev_args[@]}" >"$tmp/pev.out" 2>"$tmp/pev.log" || fail "pev ($phase)"
wait $evse || fail "evse ($phase)"
sleep 1   # the last frames through plcsim and the monitor
kill -INT $listen
wait $listen || fail "listen exit $?"
echo "ok: $phase phase between evse and pev with listen on the monitor port; listen exited 0 on SIGINT"

out=$tmp/listen.out
# SLAC as the sniffer saw it: both MACs, the NID both ends logged, the whole exchange, --join took the key
grep -q "== session 1" "$out" || fail "no session in the summary"
grep -q "  car      MAC $mac_p" "$out" || fail "car MAC: $(grep '  car ' "$out")"
grep -q "  charger  MAC $mac_e" "$out" || fail "charger MAC: $(grep '  charger ' "$out")"
grep -q "stages   SLAC [0-9.]* s at [0-9.]* ([0-9]* msgs)" "$out" || fail "SLAC not completed: $(grep stages "$out")"
nid=$(sed -n 's/.*matched PEV .* NID \([0-9A-F]*\).*/\1/p' "$tmp/evse.log" | tr A-F a-f)
[ -n "$nid" ] || fail "evse logged no NID"
grep -q "matched EVSE $mac_e, .*NID $(echo "$nid" | tr a-f A-F)" "$tmp/pev.log" || fail "pev logged another NID"
grep -q "^chargers: $mac_e: NID $nid, NMK [0-9a-f]\{32\}, [0-9]* CM_SLAC_MATCH.CNFs*, joined$" "$out" ||
    fail "chargers line: $(grep -A2 '^chargers' "$out")"
grep -q "listen: joined the network of charger $mac_e" "$tmp/listen.log" || fail "no join logged"
for m in CM_SLAC_PARAM.REQ CM_SLAC_PARAM.CNF CM_ATTEN_CHAR.IND CM_ATTEN_CHAR.RSP CM_SLAC_MATCH.REQ CM_SLAC_MATCH.CNF; do
    grep -q " $m " "$out" || fail "$m not seen"
done
# the car's 10 sounds, each turned into one attenuation profile by the charger's modem (plcsim counts them)
[ "$(grep -c ' CM_MNBC_SOUND.IND ' "$out")" = 10 ] || fail "MNBC sounds: $(grep -c ' CM_MNBC_SOUND.IND ' "$out")"
[ "$(grep -c ' CM_ATTEN_PROFILE.IND ' "$out")" -ge 10 ] || fail "atten profiles"
echo "ok: listen saw SLAC (car $mac_p, charger $mac_e, NID $nid, 10 sounds) and joined the charger's network"

# --join: the sniffer's own modem is now in the car's AVLN: a broadcast GET_SW reaches three modems
inns "$M" timeout 20 "$CCSPLC" modem list -i hj$id >"$tmp/list.out" 2>"$tmp/list.log" || fail "modem list"
[ "$(wc -l <"$tmp/list.out")" = 3 ] || fail "modem list: expected our modem and the two in the AVLN"
echo "ok: the sniffer's modem is in the car's network (3 modems answer GET_SW)"

# files: the saved pcapng decodes to the same timeline; one split set per session; the HTML report
"$CCSPLC" decode "$tmp/listen.pcapng" >"$tmp/decode.out" 2>"$tmp/decode.log" || fail "decode of listen's pcapng"
n=$(wc -l <"$tmp/decode.out")
head -n "$n" "$out" | cmp -s - "$tmp/decode.out" || fail "listen's output differs from decode of its pcapng"
sessions=$(grep -c "^== session" "$out")
for i in $(seq "$sessions"); do
    f=$(printf "%s/split/session-%03d" "$tmp" "$i")
    [ -s "$f.txt" ] && [ -s "$f.pcapng" ] || fail "split files of session $i"
done
grep -q "data-plots\|<html" "$tmp/listen.html" || fail "HTML report"
echo "ok: --pcap decodes to the same timeline, --split wrote $sessions session(s), --html written"

if command -v tshark >/dev/null; then
    # every HomePlug frame listen counted is one tshark's dissector finds in the saved file
    want=$(tshark -r "$tmp/listen.pcapng" -Y "eth.type == 0x88e1" 2>/dev/null | wc -l)
    got=$(sed -n 's/^totals: .* HomePlug \([0-9]*\),.*/\1/p' "$out")
    [ "$want" = "$got" ] || fail "HomePlug frames: listen $got, tshark $want"
    echo "ok: $got HomePlug frames, as tshark counts them"
fi

[ "$phase" = session ] || { echo "note: evse/pev run only SLAC so far; the V2G message count is checked once they run sessions"; exit 0; }

# V2G: listen decoded every message both ends sent (and received), without an error
sent=$(( $(grep -c "v2g: > " "$tmp/evse.log") + $(grep -c "v2g: > " "$tmp/pev.log") ))
recv=$(( $(grep -c "v2g: < " "$tmp/evse.log") + $(grep -c "v2g: < " "$tmp/pev.log") ))
got=$(sed -n 's/^totals: .* EXI messages \([0-9]*\) (0 decode errors).*/\1/p' "$out")
[ "$sent" -gt 10 ] || fail "the ends logged only $sent V2G messages"
[ "$got" = "$sent" ] && [ "$got" = "$recv" ] || fail "V2G messages: listen ${got:-?}, sent $sent, received $recv"
grep -q "stages .*charging loop" "$out" || fail "no charging loop: $(grep stages "$out")"
grep -q "  end      SessionStop (OK)" "$out" || fail "end: $(grep '  end ' "$out")"
echo "ok: listen decoded all $got V2G messages both ends logged, to SessionStop"
