#!/usr/bin/env bash
# `ccsplc demo --proto iso2-dc|iso2-ac` (ISO 15118-2, external identification): the message sequence of whole DC
# and AC sessions over loopback TCP and in memory, and the final SoC and energy against the models: the battery
# (phys_battery_default: 96 cells, 4.20 V at 100 %, 0.1 ohm, 125 A) and, for AC, the mains (3 x 230 V) through
# the car's on-board charger (16 A per phase, the efficiency the summary prints).
set -euo pipefail
: "${CCSPLC:?path of the ccsplc binary}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
. "$(dirname "$0")/demo_lib.bash"

cap_kwh=10 soc0=20 target=30
head="supportedAppProtocolReq supportedAppProtocolRes SessionSetupReq SessionSetupRes ServiceDiscoveryReq
ServiceDiscoveryRes PaymentServiceSelectionReq PaymentServiceSelectionRes AuthorizationReq AuthorizationRes
ChargeParameterDiscoveryReq ChargeParameterDiscoveryRes"
dc="$head CableCheckReq CableCheckRes PreChargeReq PreChargeRes PowerDeliveryReq PowerDeliveryRes CurrentDemandReq
CurrentDemandRes PowerDeliveryReq PowerDeliveryRes WeldingDetectionReq WeldingDetectionRes SessionStopReq SessionStopRes"
ac="$head PowerDeliveryReq PowerDeliveryRes ChargingStatusReq ChargingStatusRes PowerDeliveryReq PowerDeliveryRes
SessionStopReq SessionStopRes"

run() {   # $1: iso2-dc|iso2-ac, $2: log, more: demo options
    local proto=$1 log=$2
    shift 2
    "$CCSPLC" demo --proto "$proto" --capacity $cap_kwh --soc $soc0 --target-soc $target "$@" >"$log"
    grep -q "^summary (iso2" "$log" || { echo "FAIL: $proto: not an ISO-2 session"; exit 1; }
    demo_expect_normal "$log"
}

for mode in tcp mem; do
    opt=(); [ $mode = mem ] && opt=(--mem)
    run iso2-dc "$out/dc-$mode.log" "${opt[@]}"
    demo_expect_sequence "$out/dc-$mode.log" "$dc"
    demo_check_energy "$out/dc-$mode.log" $cap_kwh $soc0 $target "$((125 * 4032 / 10))" 1 125
    demo_check_first_current "$out/dc-$mode.log" CurrentDemandRes

    run iso2-ac "$out/ac-$mode.log" "${opt[@]}"
    demo_expect_sequence "$out/ac-$mode.log" "$ac"
    demo_check_ac "$out/ac-$mode.log" $cap_kwh $soc0 $target ChargingStatusRes
done
echo "ok: ISO-2 DC and AC sessions, TCP and memory"
