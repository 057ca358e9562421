#!/usr/bin/env bash
# `ccsplc exi encode` reads what `ccsplc exi decode --kv` prints: every corpus vector of every schema, one message
# per line through one run each, gives back its own hex (the corpus's trailing zero padding aside), one line per
# vector; a single message (a pair per line) too; hostile key=value text exits 1 with a message naming the pair.
set -euo pipefail
: "${CCSPLC:?}" "${CCS_SHARED_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
schemas() { # "file proto" for each schema of each corpus file
    for f in "$CCS_SHARED_DIR"/corpus/*.tsv; do cut -f1 "$f" | sort -u | sed "s|^|$f |"; done
}
n=0
while read -r tsv proto; do
    awk -F'\t' -v p="$proto" '$1 == p {print $3}' "$tsv" > "$tmp/hex"
    timeout 120 "$CCSPLC" exi decode -p "$proto" --kv - < "$tmp/hex" > "$tmp/kv" 2> /dev/null \
        || fail "$proto: decode"
    timeout 120 "$CCSPLC" exi encode - < "$tmp/kv" > "$tmp/out" 2> "$tmp/err" \
        || fail "$proto: encode: $(head -3 "$tmp/err")"
    [ "$(wc -l < "$tmp/out")" -eq "$(wc -l < "$tmp/hex")" ] || fail "$proto: line counts differ"
    # out must equal the input up to trailing zero bytes the input has beyond the document
    paste -d' ' "$tmp/hex" "$tmp/out" | awk -v p="$proto" '{
        if (substr($1, 1, length($2)) != $2 || substr($1, length($2) + 1) !~ /^(00)*$/) {
            print "FAIL: " p " line " NR ": " $1 " -> " $2; bad = 1 }
    } END { exit bad }' || exit 1
    n=$((n + $(wc -l < "$tmp/hex")))
done < <(schemas)
[ "$n" -eq "$(cat "$CCS_SHARED_DIR"/corpus/*.tsv | grep -c $'\t')" ] || fail "checked $n vectors, not every line"
echo "round trip: $n vectors"

# one message, a pair per line (what `exi decode --kv HEX` prints), and --kv given explicitly
hex=$(awk -F'\t' '$2 == "CurrentDemandReq" {print $3; exit}' "$CCS_SHARED_DIR/corpus/din.tsv")
"$CCSPLC" exi decode -p din --kv "$hex" > "$tmp/one" 2> /dev/null
[ "$(head -1 "$tmp/one")" = "schema=din" ] || fail "single message form"
[ "$("$CCSPLC" exi encode --kv "$tmp/one")" = "$hex" ] || fail "single message round trip"

# hostile text: exit 1, the pair named on stderr
expect() { # text, message part
    set +e
    printf '%s\n' "$1" | timeout 10 "$CCSPLC" exi encode --kv - > /dev/null 2> "$tmp/err"
    rc=$?
    set -e
    [ "$rc" -eq 1 ] || fail "'$1': exit $rc, not 1"
    grep -qF -- "$2" "$tmp/err" || fail "'$1': no '$2' in: $(cat "$tmp/err")"
}
cdr="schema=din message=CurrentDemandReq SessionID=0011223344556677"
expect "$cdr Bogus=1" "pair 4 (Bogus): unknown key"
expect "$cdr EVTargetCurrent=1x2" "bad number '1x2'"
expect "$cdr EVTargetCurrent=99999" "out of range"
expect "$cdr DC_EVStatus.EVRESSSOC" "not key=value"
expect "$cdr SessionID=001" "bad value '001'"
expect "schema=din" "second pair must be message="
expect "schema=nosuch message=X" "first pair must be schema=P"
printf 'schema=din message=SessionStopReq\n%s Bogus=1\n' "$cdr" > "$tmp/two" # two messages, the 2nd bad
set +e
"$CCSPLC" exi encode "$tmp/two" > "$tmp/out" 2> "$tmp/err"
rc=$?
set -e
[ "$rc" -eq 1 ] && [ "$(wc -l < "$tmp/out")" -eq 1 ] && grep -q "line 2: pair 4 (Bogus)" "$tmp/err" \
    || fail "one message per line with a bad one: exit $rc, $(cat "$tmp/err")"
echo "hostile key=value text: exit 1 with the pair named"
