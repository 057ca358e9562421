# Helpers for the `ccsplc demo` integration tests (sourced by demo_*.sh, not a test itself): the message
# sequence of a run with repeats collapsed, the end of a normal run, the SoC and energy against the models, an AC
# run's supply and current, an ISO-20 run's payload types.

# demo_expect_sequence LOG "EXPECTED NAMES": message names in order, a request repeated with its response
# collapsed.
demo_expect_sequence() {
    local seq
    seq=$(awk '$2 ~ /^(car>|<charger)$/ {print $3}' "$1" |
          awk '{ if ($0 == p2) { t = p1; p1 = $0; p2 = t; next } print; p2 = p1; p1 = $0 }' | tr '\n' ' ')
    [ "$(echo $seq)" = "$(echo $2)" ] || { echo "FAIL: sequence: $seq"; exit 1; }
}

demo_expect_normal() {
    grep -q "result      ended normally" "$1" || { echo "FAIL: not normal"; exit 1; }
    grep -q "stop        charger: normal, car: normal" "$1" || { echo "FAIL: stop reasons"; exit 1; }
}

# demo_check_energy LOG CAP_KWH SOC0 TARGET LAG_W EFFICIENCY IMAX_A
# SoC in [target, target + what LAG_W (the most power flowing) adds in the car's reaction time: its next request
# (100 ms) plus one 10 ms step]; stored = capacity x dSoC (SoC counts stored energy); delivered x EFFICIENCY =
# stored + I^2 R losses (1 for DC; the on-board charger's for AC); losses at most IMAX_A^2 x 0.1 ohm over the run.
demo_check_energy() {
    local log=$1 delivered stored losses soc_end duration
    read -r delivered stored losses < <(awk '/^  energy/ {print $2, $5, $8}' "$log")
    soc_end=$(awk '/^  soc/ {print $5}' "$log")
    duration=$(awk '/^  duration/ {print $2}' "$log")
    awk -v d="$delivered" -v s="$stored" -v l="$losses" -v soc="$soc_end" -v t="$duration" -v cap="$2" \
        -v soc0="$3" -v target="$4" -v lag_w="$5" -v eff="$6" -v imax="$7" 'BEGIN {
        lag = 100 * lag_w * 0.110 / 3600 / (cap * 1000)
        if (soc < target || soc > target + lag + 0.01) { print "FAIL: soc " soc " not in [" target ", " target + lag "]"; exit 1 }
        if (s < cap * (soc - soc0) / 100 - 0.002 || s > cap * (soc - soc0) / 100 + 0.002) { print "FAIL: stored " s; exit 1 }
        if (d * eff < s + l - 0.003 || d * eff > s + l + 0.003) { print "FAIL: delivered " d " x " eff " != " s " + " l; exit 1 }
        if (l <= 0 || l > imax * imax * 0.1 * t / 3600 / 1000) { print "FAIL: losses " l; exit 1 }
        printf "ok: soc %s, delivered %s kWh x %s = stored %s + losses %s\n", soc, d, eff, s, l }'
}

# demo_check_first_current LOG LOOP_RES: the summary's first current came between the first PowerDeliveryReq
# (the contactors close for the charge) and the charge loop's first response (LOOP_RES: CurrentDemandRes,
# ChargingStatusRes, DC_ChargeLoopRes) plus a contactor's switching time (PLANT_CONTACTOR_DELAY_MS, 20 ms) and two
# 10 ms steps: recorded for every charge loop.
demo_check_first_current() {
    local at pd loop
    at=$(sed -n 's/.*first current \([0-9.]*\) s.*/\1/p' "$1")
    pd=$(awk '$2 == "car>" && $3 == "PowerDeliveryReq" { print $1; exit }' "$1")
    loop=$(awk -v r="$2" '$2 == "<charger" && $3 == r { print $1; exit }' "$1")
    awk -v a="${at:-0}" -v p="$pd" -v l="$loop" 'BEGIN { exit !(a >= p && a <= l + 0.04) }' ||
        { echo "FAIL: first current '${at:-none}' not between PowerDeliveryReq $pd and $2 $loop"; exit 1; }
}

# demo_check_ac LOG CAP_KWH SOC0 TARGET LOOP_RES: an AC run: the supply and on-board charger in the summary
# (3 x 230 V, 16 A per phase), the energy through the on-board charger's efficiency (at most 3 x 230 V x 16 A
# flow; the battery current at most that x efficiency over the lowest OCV, 326 V: 32 A), the first current, and
# the current per phase never above the car's 16 A and reaching it.
demo_check_ac() {
    local log=$1 eff amax
    grep -q "AC 3 x 230 V; on-board charger 16.0 A per phase" "$log" || { echo "FAIL: AC setup"; exit 1; }
    eff=$(awk '/on-board charger/ {print $NF}' "$log")
    demo_check_energy "$log" "$2" "$3" "$4" $((3 * 230 * 16)) "$eff" 32
    demo_check_first_current "$log" "$5"
    amax=$(awk '$2 ~ /^(car>|<charger)$/ && match($0, /A= *[0-9.]+/) {
                    a = substr($0, RSTART + 2, RLENGTH - 2) + 0; if (a > m) m = a } END { print m }' "$log")
    awk -v a="$amax" 'BEGIN { exit !(a > 15.5 && a <= 16.0) }' || { echo "FAIL: AC current $amax"; exit 1; }
}

# demo_check_types LOG PCAP TYPE PREFIX: an ISO-20 run's V2GTP headers (version 01, inverse fe, payload type) in
# the capture, one per message of the log: 0x8001 SupportedAppProtocol, TYPE (8003 AC, 8004 DC) the messages named
# PREFIX_*, 0x8002 the rest.
demo_check_types() {
    local hex n_app n_common n_svc want_app want_svc want_all
    hex=$(od -An -tx1 -v "$2" | tr -d ' \n')
    n_app=$(grep -o "01fe8001" <<<"$hex" | wc -l)
    n_common=$(grep -o "01fe8002" <<<"$hex" | wc -l)
    n_svc=$(grep -o "01fe$3" <<<"$hex" | wc -l)
    want_app=$(grep -c " supportedAppProtocolRe[qs] " "$1")
    want_svc=$(grep -c " $4_[A-Za-z]*Re[qs] " "$1")
    want_all=$(awk '$2 ~ /^(car>|<charger)$/' "$1" | wc -l)
    [ "$n_app" -eq "$want_app" ] && [ "$n_svc" -eq "$want_svc" ] && [ "$n_common" -eq $((want_all - want_app - want_svc)) ] ||
        { echo "FAIL: payload types 0x8001 $n_app/$want_app, 0x8002 $n_common, 0x$3 $n_svc/$want_svc"; exit 1; }
    echo "ok: $want_all messages: 0x8001 $n_app, 0x8002 $n_common, 0x$3 $n_svc"
}
