#!/usr/bin/env bash
# `ccsplc demo --proto iso20-dc|iso20-ac` (ISO 15118-20 DC and AC, external identification, no TLS): the message
# sequence of whole sessions over loopback TCP and in memory, the final SoC and energy against the models (the
# battery of phys_battery_default: 96 cells, 4.20 V at 100 %, 0.1 ohm, 125 A; for AC the mains, 3 x 230 V, through
# the car's on-board charger: 16 A per phase, the efficiency the summary prints), and the V2GTP payload types in
# the pcap: SupportedAppProtocol 0x8001, common messages 0x8002, DC messages 0x8004, AC messages 0x8003; the
# headers' TimeStamp in Unix time. The bidirectional services (iso20-dc-bpt, iso20-ac-bpt, TCP): the same
# sequences, the car discharged below --discharge-to and charged back to the target, energy both ways against the
# battery (the summary's lines).
set -euo pipefail
: "${CCSPLC:?path of the ccsplc binary}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
. "$(dirname "$0")/demo_lib.bash"

cap_kwh=10 soc0=20 target=30
head="supportedAppProtocolReq supportedAppProtocolRes SessionSetupReq SessionSetupRes AuthorizationSetupReq
AuthorizationSetupRes AuthorizationReq AuthorizationRes ServiceDiscoveryReq ServiceDiscoveryRes ServiceDetailReq
ServiceDetailRes ServiceSelectionReq ServiceSelectionRes"
dc="$head DC_ChargeParameterDiscoveryReq DC_ChargeParameterDiscoveryRes ScheduleExchangeReq ScheduleExchangeRes
DC_CableCheckReq DC_CableCheckRes DC_PreChargeReq DC_PreChargeRes PowerDeliveryReq PowerDeliveryRes DC_ChargeLoopReq
DC_ChargeLoopRes PowerDeliveryReq PowerDeliveryRes DC_WeldingDetectionReq DC_WeldingDetectionRes SessionStopReq
SessionStopRes"
ac="$head AC_ChargeParameterDiscoveryReq AC_ChargeParameterDiscoveryRes ScheduleExchangeReq ScheduleExchangeRes
PowerDeliveryReq PowerDeliveryRes AC_ChargeLoopReq AC_ChargeLoopRes PowerDeliveryReq PowerDeliveryRes SessionStopReq
SessionStopRes"

run() {   # $1: iso20-dc|iso20-ac, $2: what the summary names, $3: log, $4: pcap, more: demo options
    local proto=$1 named=$2 log=$3 pcap=$4
    shift 4
    "$CCSPLC" demo --proto "$proto" --capacity $cap_kwh --soc $soc0 --target-soc $target --every 0 --pcap "$pcap" \
        "$@" >"$log"
    grep -q "^summary ($named)" "$log" || { echo "FAIL: $proto: not that session"; exit 1; }
    demo_expect_normal "$log"
}

# TimeStamp in Unix time: the demo's virtual 0 ms is the wall clock at its start and the session's first message
# goes out a few virtual seconds later (SLAC, SDP: 2-3 s), so its stamp lies between the wall clock before the run
# and a minute after it ends; no stamp is older than the one before.
check_unix_stamps() {   # $1: pcap, $2: Unix time before the run, $3: after
    local stamps
    stamps=$("$CCSPLC" decode --json "$1" 2>/dev/null | grep -o '"TimeStamp":"[0-9]*"' | grep -o '[0-9]*') || true
    [ -n "$stamps" ] || { echo "FAIL: no TimeStamp decoded"; exit 1; }
    local first
    first=$(head -1 <<<"$stamps")
    [ "$first" -ge "$2" ] && [ "$first" -le "$(($3 + 60))" ] ||
        { echo "FAIL: TimeStamp $first not Unix time of $2..$3 (+60 s)"; exit 1; }
    sort -n -c <<<"$stamps" || { echo "FAIL: TimeStamps go back"; exit 1; }
}

for mode in tcp mem; do
    opt=(); [ $mode = mem ] && opt=(--mem)
    t0=$(date +%s)
    run iso20-dc iso20 "$out/dc-$mode.log" "$out/dc-$mode.pcapng" "${opt[@]}"
    check_unix_stamps "$out/dc-$mode.pcapng" "$t0" "$(date +%s)"
    demo_expect_sequence "$out/dc-$mode.log" "$dc"
    demo_check_energy "$out/dc-$mode.log" $cap_kwh $soc0 $target "$((125 * 4032 / 10))" 1 125
    demo_check_first_current "$out/dc-$mode.log" DC_ChargeLoopRes
    demo_check_types "$out/dc-$mode.log" "$out/dc-$mode.pcapng" 8004 DC

    run iso20-ac "iso20-ac AC" "$out/ac-$mode.log" "$out/ac-$mode.pcapng" "${opt[@]}"
    demo_expect_sequence "$out/ac-$mode.log" "$ac"
    demo_check_ac "$out/ac-$mode.log" $cap_kwh $soc0 $target AC_ChargeLoopRes
    demo_check_types "$out/ac-$mode.log" "$out/ac-$mode.pcapng" 8003 AC
done
# BPT: delivered x e - returned / e = stored + losses (e: 1 for DC, the on-board charger's efficiency for AC), the
# lowest SoC at --discharge-to (the summary rounds what is just below it) or at most 0.1 % below, some energy returned.
check_bpt() {   # $1: log, $2: efficiency (or "ac": the summary's)
    awk -v dis=15 -v tgt=$target -v e="$2" '
        /^  energy / { d = $2; s = $5; l = $8 }
        /^  returned / { r = $2; low = $9 }
        /^  charger .*efficiency/ { if (e == "ac") e = $NF }
        /^  soc / { end = $5 }
        END {
            if (!(r > 0) || !(low <= dis && low >= dis - 0.1) || !(end >= tgt)) { print "FAIL: bpt soc/returned", r, low, end; exit 1 }
            diff = d * e - r / e - (s + l)
            if (diff > 0.002 || diff < -0.002) { print "FAIL: bpt energy", d, r, s, l, e; exit 1 }
        }' "$1"
}
run iso20-dc-bpt "iso20 BPT" "$out/dcbpt.log" "$out/dcbpt.pcapng" --discharge-to 15
demo_expect_sequence "$out/dcbpt.log" "$dc"
check_bpt "$out/dcbpt.log" 1
run iso20-ac-bpt "iso20-ac AC BPT" "$out/acbpt.log" "$out/acbpt.pcapng" --discharge-to 15
demo_expect_sequence "$out/acbpt.log" "$ac"
check_bpt "$out/acbpt.log" ac
echo "ok: ISO-20 DC and AC sessions, TCP and memory; DC_BPT and AC_BPT"
