#!/usr/bin/env bash
# `ccsplc demo` (DIN): the message sequence of a whole session over loopback TCP and in memory, and the final
# SoC and energy against the battery model's own parameters (phys_battery_default: 96 cells, 4.20 V at 100 %,
# 0.1 ohm, 125 A), plus the --pcap file read back by tshark when it is installed.
set -euo pipefail
: "${CCSPLC:?path of the ccsplc binary}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cap_kwh=10 soc0=20 target=30
expected="supportedAppProtocolReq supportedAppProtocolRes SessionSetupReq SessionSetupRes ServiceDiscoveryReq
ServiceDiscoveryRes ServicePaymentSelectionReq ServicePaymentSelectionRes ContractAuthenticationReq
ContractAuthenticationRes ChargeParameterDiscoveryReq ChargeParameterDiscoveryRes CableCheckReq CableCheckRes
PreChargeReq PreChargeRes PowerDeliveryReq PowerDeliveryRes CurrentDemandReq CurrentDemandRes PowerDeliveryReq
PowerDeliveryRes WeldingDetectionReq WeldingDetectionRes SessionStopReq SessionStopRes"

check_run() {   # $1: log file
    local log=$1
    # message names in order, a request repeated with its response collapsed
    seq=$(awk '$2 ~ /^(car>|<charger)$/ {print $3}' "$log" |
          awk '{ if ($0 == p2) { t = p1; p1 = $0; p2 = t; next } print; p2 = p1; p1 = $0 }' | tr '\n' ' ')
    [ "$(echo $seq)" = "$(echo $expected)" ] || { echo "FAIL: sequence: $seq"; exit 1; }
    grep -q "result      ended normally" "$log" || { echo "FAIL: not normal"; exit 1; }
    grep -q "stop        charger: normal, car: normal" "$log" || { echo "FAIL: stop reasons"; exit 1; }
    # energy and SoC against the model
    read -r delivered stored losses < <(awk '/^  energy/ {print $2, $5, $8}' "$log")
    soc_end=$(awk '/^  soc/ {print $5}' "$log")
    duration=$(awk '/^  duration/ {print $2}' "$log")
    awk -v d="$delivered" -v s="$stored" -v l="$losses" -v soc="$soc_end" -v t="$duration" -v cap="$cap_kwh" \
        -v soc0="$soc0" -v target="$target" 'BEGIN {
        imax = 125; r = 0.1; ocv_max = 96 * 4.20
        # the car asks for 0 A in its next CurrentDemandReq (100 ms) plus one 10 ms step: SoC overshoot bound
        lag = 100 * imax * ocv_max * 0.110 / 3600 / (cap * 1000)
        if (soc < target || soc > target + lag + 0.01) { print "FAIL: soc " soc " not in [" target ", " target + lag "]"; exit 1 }
        # stored energy = capacity x dSoC (SoC counts stored energy), within the printed rounding
        if (s < cap * (soc - soc0) / 100 - 0.002 || s > cap * (soc - soc0) / 100 + 0.002) { print "FAIL: stored " s; exit 1 }
        # delivered = stored + I^2 R losses, the losses at most Imax^2 R over the session
        if (d < s + l - 0.002 || d > s + l + 0.002) { print "FAIL: delivered " d " != " s " + " l; exit 1 }
        if (l <= 0 || l > imax * imax * r * t / 3600 / 1000) { print "FAIL: losses " l; exit 1 }
        printf "ok: soc %s, delivered %s kWh = stored %s + losses %s\n", soc, d, s, l }'
}

"$CCSPLC" demo --capacity $cap_kwh --soc $soc0 --target-soc $target --every 0 --pcap "$out/demo.pcapng" >"$out/tcp.log"
check_run "$out/tcp.log"
"$CCSPLC" demo --mem --capacity $cap_kwh --soc $soc0 --target-soc $target >"$out/mem.log"
check_run "$out/mem.log"
[ "$(grep -c 'CurrentDemandReq' "$out/tcp.log")" -gt 500 ] || { echo "FAIL: --every 0 prints every cycle"; exit 1; }

# A session that cannot end normally exits 1: target below the start is a usage error (2).
set +e
"$CCSPLC" demo --soc 50 --target-soc 40 >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: usage exit"; exit 1; }
set -e

if command -v tshark >/dev/null; then
    names=$(tshark -r "$out/demo.pcapng" 2>/dev/null | grep -o 'CM_[A-Z_]*\.[A-Z]*' | sort -u | tr '\n' ' ')
    for m in CM_SLAC_PARM.REQ CM_SLAC_PARM.CNF CM_ATTEN_CHAR.IND CM_SLAC_MATCH.REQ CM_SLAC_MATCH.CNF; do
        case " $names" in *" $m "*) ;; *) echo "FAIL: $m not in pcap ($names)"; exit 1 ;; esac
    done
    udp=$(tshark -r "$out/demo.pcapng" -Y 'udp.port == 15118' 2>/dev/null | wc -l)
    tcp=$(tshark -r "$out/demo.pcapng" -Y 'tcp.len > 0' 2>/dev/null | wc -l)
    bad=$(tshark -r "$out/demo.pcapng" -Y 'tcp.analysis.flags || tcp.checksum.status == 0' 2>/dev/null | wc -l)
    [ "$udp" -ge 2 ] && [ "$tcp" -gt 500 ] && [ "$bad" -eq 0 ] || { echo "FAIL: pcap udp=$udp tcp=$tcp bad=$bad"; exit 1; }
    echo "ok: pcap (SLAC, $udp SDP, $tcp TCP segments)"
else
    echo "tshark not installed: pcap not checked"
fi
