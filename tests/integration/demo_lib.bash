# Helpers for the `ccsplc demo` integration tests (sourced by demo_*.sh, not a test itself): the message
# sequence of a run with repeats collapsed, the end of a normal run, and the SoC and energy against the models.

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
