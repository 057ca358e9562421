#!/usr/bin/env bash
# The HTML report of the Tesla Model X capture in headless Chromium: the page's script runs without console
# errors and draws 3 plots and the message sequence chart (markers it sets on <body>), and a screenshot shows
# the voltage plot's lines inside the box the page reports for it.
set -euo pipefail
chrome=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chrome" ] || { echo "chromium not installed"; exit 77; }
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cap="$CCS_SHARED_DIR/captures/2025-07-22_pyPLC_with_tesla_model_x_plaid_until_charging_loop.pcapng"
timeout 60 "$CCSPLC" decode --quiet --html "$tmp/report.html" "$cap"
grep -Eiq '<(script|link|img)[^>]* (src|href)=' "$tmp/report.html" && { echo "FAIL: the page loads resources"; exit 1; }
browse() {
    timeout 90 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$(mktemp -d -p "$tmp")" \
        --window-size=1200,2000 "$@" "file://$tmp/report.html"
}
browse --enable-logging=stderr --v=0 --dump-dom > "$tmp/dom.html" 2> "$tmp/console.log"
if grep -Ei 'CONSOLE.*(error|uncaught)|Uncaught' "$tmp/console.log"; then echo "FAIL: console errors"; exit 1; fi
body=$(grep -o '<body[^>]*>' "$tmp/dom.html")
echo "$body"
echo "$body" | grep -q 'data-plots="3"' || { echo "FAIL: the plots were not drawn"; exit 1; }
echo "$body" | grep -Eq 'data-msc="[1-9][0-9]*"' || { echo "FAIL: no message sequence chart"; exit 1; }
box=$(echo "$body" | sed -n 's/.*data-plot-box="\([0-9,]*\)".*/\1/p' | tr ',' ' ')
[ -n "$box" ] || { echo "FAIL: no plot box"; exit 1; }
browse --screenshot="$tmp/shot.png" > /dev/null 2>&1
# shellcheck disable=SC2086
python3 "$here/decode_check.py" png "$tmp/shot.png" $box
