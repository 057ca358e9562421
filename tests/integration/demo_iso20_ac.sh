#!/usr/bin/env bash
# `ccsplc demo --proto iso20-ac` (ISO 15118-20 AC, external identification, no TLS): the message sequence of a
# whole session over loopback TCP and in memory, the final SoC and energy against the models (the battery of
# phys_battery_default; the mains, 3 x 230 V, through the car's on-board charger: 16 A per phase, the efficiency
# the summary prints), the current per phase up to the car's maximum, and the V2GTP payload types in the pcap:
# SupportedAppProtocol 0x8001, common messages 0x8002, AC messages 0x8003.
set -euo pipefail
: "${CCSPLC:?path of the ccsplc binary}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
. "$(dirname "$0")/demo_lib.bash"

cap_kwh=10 soc0=20 target=30
seq="supportedAppProtocolReq supportedAppProtocolRes SessionSetupReq SessionSetupRes AuthorizationSetupReq
AuthorizationSetupRes AuthorizationReq AuthorizationRes ServiceDiscoveryReq ServiceDiscoveryRes ServiceDetailReq
ServiceDetailRes ServiceSelectionReq ServiceSelectionRes AC_ChargeParameterDiscoveryReq
AC_ChargeParameterDiscoveryRes ScheduleExchangeReq ScheduleExchangeRes PowerDeliveryReq PowerDeliveryRes
AC_ChargeLoopReq AC_ChargeLoopRes PowerDeliveryReq PowerDeliveryRes SessionStopReq SessionStopRes"

for mode in tcp mem; do
    opt=(); [ $mode = mem ] && opt=(--mem)
    log="$out/$mode.log"
    "$CCSPLC" demo --proto iso20-ac --capacity $cap_kwh --soc $soc0 --target-soc $target --every 0 \
        --pcap "$out/$mode.pcapng" "${opt[@]}" >"$log"
    grep -q "^summary (iso20-ac" "$log" || { echo "FAIL: $mode: not an ISO-20 AC session"; exit 1; }
    demo_expect_normal "$log"
    demo_expect_sequence "$log" "$seq"
    grep -q "AC 3 x 230 V; on-board charger 16.0 A per phase" "$log" || { echo "FAIL: $mode: AC setup"; exit 1; }
    eff=$(awk '/on-board charger/ {print $NF}' "$log")
    # at most 3 x 230 V x 16 A flow; the battery current is at most that x efficiency over the lowest OCV (326 V)
    demo_check_energy "$log" $cap_kwh $soc0 $target $((3 * 230 * 16)) "$eff" 32
    demo_check_first_current "$log" AC_ChargeLoopRes
    amax=$(awk '$2 ~ /^(car>|<charger)$/ && match($0, /A= *[0-9.]+/) {
                    a = substr($0, RSTART + 2, RLENGTH - 2) + 0; if (a > m) m = a } END { print m }' "$log")
    awk -v a="$amax" 'BEGIN { exit !(a > 15.5 && a <= 16.0) }' || { echo "FAIL: $mode: AC current $amax"; exit 1; }
    hex=$(od -An -tx1 -v "$out/$mode.pcapng" | tr -d ' \n')
    n_app=$(grep -o "01fe8001" <<<"$hex" | wc -l)
    n_common=$(grep -o "01fe8002" <<<"$hex" | wc -l)
    n_ac=$(grep -o "01fe8003" <<<"$hex" | wc -l)
    want_app=$(grep -c " supportedAppProtocolRe[qs] " "$log")
    want_ac=$(grep -c " AC_[A-Za-z]*Re[qs] " "$log")
    want_all=$(awk '$2 ~ /^(car>|<charger)$/' "$log" | wc -l)
    [ "$n_app" -eq "$want_app" ] && [ "$n_ac" -eq "$want_ac" ] && [ "$n_common" -eq $((want_all - want_app - want_ac)) ] ||
        { echo "FAIL: $mode: payload types 0x8001 $n_app/$want_app, 0x8002 $n_common, 0x8003 $n_ac/$want_ac"; exit 1; }
    echo "ok: $mode: $want_all messages: 0x8001 $n_app, 0x8002 $n_common, 0x8003 $n_ac; peak $amax A per phase"
done
echo "ok: ISO-20 AC sessions, TCP and memory"
