#!/usr/bin/env bash
# The car firmware's main loop (firmware/mps2-an386/car.c, session.c) built for the host with the QCA7000 SPI
# frame I/O of a real car board (examples/qca7000/eth_qca7000.c) and the QCA7000 model behind it
# (tests/unit/qca_model.c, tests/fw_host/board_qca.c): every frame crosses the SPI protocol both ways. The model's
# powerline side is a veth port of `ccsplc plcsim`, `ccsplc evse -i` on another (network namespaces made and
# removed here). The firmware does SLAC, SDP and a DIN 70121 session, then an ISO 15118-2 DC session; the test
# asserts its log, that neither the driver nor the model saw a protocol error or lost a frame, and the charger's
# results and pcaps. Needs root.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
car=${CCS_BUILD_DIR:?the build directory}/tests/fw_qca_car
. "$(dirname "$0")/lib/netns.sh"
. "$(dirname "$0")/lib/fw_session.sh"
[ -x "$car" ] || fail "no $car"

id=$$
S=ccsQS$id; E=ccsQE$id; C=ccsQC$id       # plcsim, charger, car
veth "$S" "$E" e$id
veth "$S" "$C" c$id
inns "$C" sysctl -qw "net.ipv6.conf.hc$id.disable_ipv6=1"   # the firmware's own IPv6 answers, not the kernel's
mac_e=$(hostmac "$E" e$id)
mac_c=$(hostmac "$C" c$id)
start_plcsim "$S" "$tmp/plcsim.log" --port evse=se$id,role=evse --port car=sc$id,role=pev --atten evse:car=20

# start_car: the firmware with its QCA7000 driver and model in C, on hc$id, in the background (pid in fw).
start_car() {
    ip netns exec "$C" env CCS_QCA_IFACE=hc$id timeout 400 "$car" >"$tmp/car.out" 2>"$tmp/car.log" </dev/null &
    fw=$!
    pids+=($fw)
}
fw_sessions start_car
wait $fw || fail "firmware: exit $? (its verdict)"
echo "ok: the firmware ran to its end over the QCA7000 SPI driver and model (exit 0)"

fw_check_log "$tmp/car.out" "$mac_c" "$mac_e"
echo "ok: firmware log: SLAC, SDP, DIN to 51 %, ISO-2 DC to 52 %"
grep -Eq "^qca: modem resets 1, starts 1, tx refused 0, dropped 0; model: frames out [1-9][0-9]* in [1-9][0-9]* \(dropped 0\), errors write 0 read 0 framing 0 transfers 0$" "$tmp/car.out" ||
    fail "qca: $(grep '^qca:' "$tmp/car.out")"
grep "^qca:" "$tmp/car.out"
fw_check_chargers "$mac_c"
