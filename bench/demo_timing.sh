#!/usr/bin/env bash
# Time from SLAC start to the first CurrentDemand in `ccsplc demo` (virtual time) against what the standards
# make a session wait (ISO 15118-3 SLAC timers) plus what the models take (modem restart after SET_KEY,
# isolation test, PreCharge ramp); prints a markdown table per protocol. Usage: demo_timing.sh CCSPLC_BINARY
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ccsplc=${1:?path of the ccsplc binary}
num() { grep -m1 -oE "$1[^0-9]*[0-9]+" "$2" | grep -oE '[0-9]+$'; }   # first number after a pattern

# the waits, read from the sources that define them
atten_delay=$(num 'define SLAC_START_ATTEN_DELAY_MS' "$here/include/ccsplc/core/slac.h")
atten_results=$(num 'define SLAC_TT_EV_ATTEN_RESULTS_MS' "$here/include/ccsplc/core/slac.h")
link_poll=$(num 'define SLAC_LINK_POLL_MS' "$here/include/ccsplc/core/slac.h")
restart=$(num '\.restart_ms = ' "$here/app/demo_link.c")
isolation=$(num '\.isolation_ms = ' "$here/src/sim/phys_charger.c")

for proto in din iso2-dc iso2-ac; do
    out=$("$ccsplc" demo --proto "$proto" --soc 79 --target-soc 80 --every 0 2>/dev/null) || { echo "$proto: not available"; continue; }
    t() { awk -v p="$1" '$0 ~ p { printf "%d", $1 * 1000 + 0.5; exit }' <<<"$out"; }
    linked=$(t "SLAC matched"); sdp=$(t "SDP: charger"); first=$(t "CurrentDemandRes|ChargingStatusRes")
    cable=$(t "car> +CableCheckReq"); pre=$(t "car> +PreChargeReq"); pd=$(t "car> +PowerDeliveryReq")
    std=$((atten_delay + atten_results))
    echo "### $proto"
    echo
    echo "| span | measured ms | standard waits ms | model ms | rest ms |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    echo "| SLAC start -> link up | $linked | $std (START_ATTEN delay $atten_delay + TT_EV_atten_results $atten_results) | $((restart + link_poll)) (modem restart $restart + GET_SW poll $link_poll) | $((linked - std - restart - link_poll)) |"
    echo "| link up -> SDP answer | $((sdp - linked)) | 0 | 4 (line 2 x 2) | $((sdp - linked - 4)) |"
    if [ -n "$pre" ]; then
        echo "| SDP -> CableCheck | $((cable - sdp)) | 0 | 0 | $((cable - sdp)) |"
        echo "| CableCheck -> PreCharge | $((pre - cable)) | 0 | $isolation (isolation test) | $((pre - cable - isolation)) |"
        echo "| PreCharge -> PowerDelivery | $((pd - pre)) | 0 | voltage ramp, PreCharge repeated every 100 ms | $((pd - pre)) |"
    else
        echo "| SDP -> PowerDelivery (AC: no CableCheck, no PreCharge) | $((pd - sdp)) | 0 | 0 | $((pd - sdp)) |"
    fi
    echo "| **SLAC start -> first current** | **$first** | **$std** | | |"
    echo
done
