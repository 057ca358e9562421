#!/usr/bin/env bash
# `ccsplc demo --proto iso20-dc` (ISO 15118-20 DC, external identification, no TLS): the message sequence of a
# whole session over loopback TCP and in memory, the final SoC and energy against the battery model
# (phys_battery_default: 96 cells, 4.20 V at 100 %, 0.1 ohm, 125 A), and the V2GTP payload types in the pcap:
# SupportedAppProtocol 0x8001, common messages 0x8002, DC messages 0x8004.
set -euo pipefail
: "${CCSPLC:?path of the ccsplc binary}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
. "$(dirname "$0")/demo_lib.bash"

cap_kwh=10 soc0=20 target=30
seq="supportedAppProtocolReq supportedAppProtocolRes SessionSetupReq SessionSetupRes AuthorizationSetupReq
AuthorizationSetupRes AuthorizationReq AuthorizationRes ServiceDiscoveryReq ServiceDiscoveryRes ServiceDetailReq
ServiceDetailRes ServiceSelectionReq ServiceSelectionRes DC_ChargeParameterDiscoveryReq
DC_ChargeParameterDiscoveryRes ScheduleExchangeReq ScheduleExchangeRes DC_CableCheckReq DC_CableCheckRes
DC_PreChargeReq DC_PreChargeRes PowerDeliveryReq PowerDeliveryRes DC_ChargeLoopReq DC_ChargeLoopRes PowerDeliveryReq
PowerDeliveryRes DC_WeldingDetectionReq DC_WeldingDetectionRes SessionStopReq SessionStopRes"

for mode in tcp mem; do
    opt=(); [ $mode = mem ] && opt=(--mem)
    log="$out/$mode.log"
    "$CCSPLC" demo --proto iso20-dc --capacity $cap_kwh --soc $soc0 --target-soc $target --every 0 \
        --pcap "$out/$mode.pcapng" "${opt[@]}" >"$log"
    grep -q "^summary (iso20)" "$log" || { echo "FAIL: $mode: not an ISO-20 session"; exit 1; }
    demo_expect_normal "$log"
    demo_expect_sequence "$log" "$seq"
    demo_check_energy "$log" $cap_kwh $soc0 $target "$((125 * 4032 / 10))" 1 125
    demo_check_first_current "$log" DC_ChargeLoopRes
    # V2GTP headers (version 01, inverse fe, payload type) in the capture, one per message of the log
    hex=$(od -An -tx1 -v "$out/$mode.pcapng" | tr -d ' \n')
    n_app=$(grep -o "01fe8001" <<<"$hex" | wc -l)
    n_common=$(grep -o "01fe8002" <<<"$hex" | wc -l)
    n_dc=$(grep -o "01fe8004" <<<"$hex" | wc -l)
    want_app=$(grep -c " supportedAppProtocolRe[qs] " "$log")
    want_dc=$(grep -c " DC_[A-Za-z]*Re[qs] " "$log")
    want_all=$(awk '$2 ~ /^(car>|<charger)$/' "$log" | wc -l)
    [ "$n_app" -eq "$want_app" ] && [ "$n_dc" -eq "$want_dc" ] && [ "$n_common" -eq $((want_all - want_app - want_dc)) ] ||
        { echo "FAIL: $mode: payload types 0x8001 $n_app/$want_app, 0x8002 $n_common, 0x8004 $n_dc/$want_dc"; exit 1; }
    echo "ok: $mode: $want_all messages: 0x8001 $n_app, 0x8002 $n_common, 0x8004 $n_dc"
done
echo "ok: ISO-20 DC sessions, TCP and memory"
