#!/usr/bin/env bash
# `ccsplc listen -r FILE` (the live pipeline fed from a file, no root): for every shared capture its timeline
# and summary, as text and as JSON Lines, are `ccsplc decode`'s output followed by one line per charger; usage
# errors exit 2; a missing file exits 1.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
SHARED=${CCS_SHARED_DIR:?path of the shared data}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

n=0
for cap in "$SHARED"/captures/*.pcap "$SHARED"/captures/*.pcapng; do
    for form in "" --json; do
        "$CCSPLC" decode $form "$cap" >"$tmp/decode" 2>/dev/null || fail "decode $form $cap"
        "$CCSPLC" listen $form -r "$cap" >"$tmp/listen" 2>/dev/null || fail "listen $form -r $cap"
        lines=$(wc -l <"$tmp/decode")
        head -n "$lines" "$tmp/listen" | cmp -s - "$tmp/decode" || fail "listen $form -r $cap differs from decode"
        # the rest: the chargers (text: a blank line, then "chargers: MAC: ..." and aligned lines; JSON: objects)
        extra=$(tail -n +$((lines + 1)) "$tmp/listen" | grep -cv '^$\|^chargers: \|^ \{9\}[0-9a-f]\|"layer":"charger"')
        [ "$extra" = 0 ] || fail "listen $form -r $cap: $extra unexpected lines after the summary"
    done
    n=$((n + 1))
done
[ "$n" -ge 5 ] || fail "only $n captures found under $SHARED/captures"
echo "ok: listen -r gives decode's output (text and JSON) for $n captures"

"$CCSPLC" listen >/dev/null 2>&1; [ $? = 2 ] || fail "no source: exit 2"
"$CCSPLC" listen -i lo -r x.pcap >/dev/null 2>&1; [ $? = 2 ] || fail "both sources: exit 2"
"$CCSPLC" listen -r x.pcap --join >/dev/null 2>&1; [ $? = 2 ] || fail "--join on a file: exit 2"
"$CCSPLC" listen -i lo --modem-if lo >/dev/null 2>&1; [ $? = 2 ] || fail "--modem-if without --join: exit 2"
"$CCSPLC" listen -i lo --duration -1 >/dev/null 2>&1; [ $? = 2 ] || fail "bad duration: exit 2"
"$CCSPLC" listen -r "$tmp/missing.pcap" >/dev/null 2>&1; [ $? = 1 ] || fail "missing file: exit 1"
"$CCSPLC" listen --help | grep -q "^usage: ccsplc listen" || fail "--help"
echo "ok: usage errors exit 2, a missing file 1"
