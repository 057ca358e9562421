#!/usr/bin/env bash
# `ccsplc demo --bridge chademo`: a CCS charger, the CCS->CHAdeMO adapter and a simulated Leaf in one process
# charge from plug-in to stop: the CHAdeMO steps in order (d1 and the car's CAN, parameter exchange, k and the
# insulation test, d2 and the car's contactors) before the CCS session starts (the car's battery voltage is the
# PreCharge target), the current at the Leaf's request (115 A, its ZE1 capture in hwthomas/ccs-chademo), the
# stop from the car through both sides; a bad --bridge and an AC protocol are usage errors.
set -euo pipefail
: "${CCSPLC:?path of the ccsplc binary}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$CCSPLC" demo --bridge chademo --capacity 4 --soc 20 --target-soc 40 >"$out/demo.log" 2>"$out/err.log" || {
    tail -20 "$out/demo.log"; tail -5 "$out/err.log"; echo "FAIL: demo --bridge chademo did not end normally"; exit 1; }
# the first line after line $2 with $1
line() {
    local k
    k=$(tail -n "+$(($2 + 1))" "$out/demo.log" | grep -n -m1 -F -- "$1" | cut -d: -f1)
    if [ -n "$k" ]; then echo $(($2 + k)); fi
}
prev=0
for step in "chademo waiting for the car's CAN" "chademo parameter exchange" "chademo insulation test" \
            "chademo waiting for the car's contactors " "chademo charging" "SLAC started" "PreChargeReq" \
            "CurrentDemandReq" "chademo stopping" "PowerDeliveryReq  " "chademo waiting for the car's contactors to open" \
            "chademo done" "result      ended normally"; do
    n=$(line "$step" "$prev")
    [ -n "$n" ] || { tail -20 "$out/demo.log"; echo "FAIL: '$step' missing or out of order"; exit 1; }
    prev=$n
done
grep -q 'CurrentDemandRes .* A= 115.0' "$out/demo.log" || { echo "FAIL: no current at the Leaf's 115 A"; exit 1; }
grep -q 'stop        the car asked to stop' "$out/demo.log" || { echo "FAIL: the CHAdeMO stop"; exit 1; }
grep -q 'stop        charger: normal, car: normal' "$out/demo.log" || { echo "FAIL: the CCS stop"; exit 1; }
set +e
"$CCSPLC" demo --bridge foo >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: --bridge foo is a usage error"; exit 1; }
"$CCSPLC" demo --bridge chademo --proto iso2-ac >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: AC with the bridge"; exit 1; }
echo "demo --bridge chademo: ok"
