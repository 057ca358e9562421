# Shared by tests/integration/qemu_firmware.sh and qca_firmware.sh (sourced after lib/netns.sh; not a test
# itself): the charger per plug-in of the car firmware (DIN, then ISO-2 DC), the run of both, and the checks of the firmware's log
# and of the charger's results and pcaps. Uses tmp, E and id as lib/netns.sh and the tests set them.

# fw_charger TAG PROTO: one `ccsplc evse -i he$id` in E serving one session (as the firmware plugs in twice).
fw_charger() {
    local tag=$1 proto=$2
    ip netns exec "$E" timeout 150 "$CCSPLC" evse -i he$id --stop-after session --proto "$proto" --timeout 120 \
        --pcap "$tmp/$tag-evse.pcapng" -v >"$tmp/$tag-evse.out" 2>"$tmp/$tag-evse.log" </dev/null
}

# fw_sessions CMD ARGS...: the charger for the DIN plug-in, CMD ARGS (starts the firmware in the background, its pid
# in fw), then the charger for the ISO-2 plug-in once the first has served its session.
fw_sessions() {
    local evse
    fw_charger din din &
    evse=$!
    pids+=($evse)
    "$@"
    wait_peer $evse din || fail "din: evse exit $?"
    fw_charger iso2 iso2-dc &
    evse=$!
    pids+=($evse)
    wait_peer $evse iso2 || fail "iso2: evse exit $?"
}

# fw_check_log LOG MAC_CAR MAC_EVSE: the firmware booted with MAC_CAR, matched MAC_EVSE twice, found the charger
# twice, charged to 51 % (DIN) and 52 % (ISO-2 DC) and measured CurrentDemand cycles in both sessions.
fw_check_log() {
    local log=$1
    grep -q "^boot: ccsplc car firmware on mps2-an386, MAC $2" "$log" || fail "firmware log: boot line"
    [ "$(grep -c "^slac: matched EVSE $3, link up" "$log")" = 2 ] || fail "firmware log: SLAC did not match twice"
    [ "$(grep -c '^sdp: charger at \[fe80:' "$log")" = 2 ] || fail "firmware log: SDP"
    grep -q "^session 1: din, stop normal, SoC now 51\.[0-9]* %, result ended normally" "$log" || fail "firmware log: DIN session"
    grep -q "^session 2: iso2, stop normal, SoC now 52\.[0-9]* %, result ended normally" "$log" || fail "firmware log: ISO-2 session"
    grep -q "^done: 2 of 2 sessions ended normally" "$log" || fail "firmware log: verdict"
    for n in 1 2; do
        grep -Eq "^measure: session $n: .* [1-9][0-9]* cycles, ticks" "$log" || fail "firmware log: no CurrentDemand measured in session $n"
    done
}

# fw_check_chargers MAC_CAR: both chargers ended their session normally with MAC_CAR; their pcaps decode whole.
fw_check_chargers() {
    local tag out sent recv
    for tag in din iso2; do
        out=$tmp/$tag-evse.out
        grep -q "result      ended normally" "$out" || fail "$tag: charger result"
        grep -q "stop        normal" "$out" || fail "$tag: charger stop reason"
        grep -q "matched PEV $1" "$tmp/$tag-evse.log" || fail "$tag: charger matched another car"
        sent=$(grep -c "v2g: > " "$tmp/$tag-evse.log"); recv=$(grep -c "v2g: < " "$tmp/$tag-evse.log")
        grep -q "v2g: < CurrentDemandReq" "$tmp/$tag-evse.log" || fail "$tag: no CurrentDemandReq"
        "$CCSPLC" decode "$tmp/$tag-evse.pcapng" >"$tmp/$tag-evse.decode" 2>&1 || fail "$tag: decode charger pcap"
        grep -q "EXI      $((sent + recv)) messages, 0 decode errors" "$tmp/$tag-evse.decode" ||
            fail "$tag: charger pcap: $(grep 'EXI  ' "$tmp/$tag-evse.decode")"
        grep -q "end      SessionStop (OK)" "$tmp/$tag-evse.decode" || fail "$tag: charger pcap: session end"
    done
    echo "ok: charger: both sessions ended normally; its pcaps decode whole"
}
