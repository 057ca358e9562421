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

. "$(dirname "$0")/demo_lib.bash"
check_run() {   # $1: log file; battery model: 125 A, 96 cells at 4.20 V when full
    demo_expect_sequence "$1" "$expected"
    demo_expect_normal "$1"
    demo_check_energy "$1" $cap_kwh $soc0 $target "$((125 * 4032 / 10))" 1 125
    demo_check_first_current "$1" CurrentDemandRes
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
