#!/usr/bin/env bash
# `ccsplc exi decode -` of many hex lines: every corpus vector of every schema (one per line, with blank lines and
# bad lines among them) gives one --kv line equal to the corpus's own "schema=P message=NAME fields" (the corpus
# columns, not our decoder, are the model); a bad line is named by its line number on stderr, and the exit code is
# 1; XML gives one document per good line. A single line still gives one pair per line.
set -euo pipefail
: "${CCSPLC:?}" "${CCS_SHARED_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
n=0
for tsv in "$CCS_SHARED_DIR"/corpus/*.tsv; do
    for proto in $(cut -f1 "$tsv" | sort -u); do
        awk -F'\t' -v p="$proto" '$1 == p' "$tsv" > "$tmp/vec"
        # input: the vectors, a blank line after the first, a line that is no hex after the second
        awk -F'\t' 'NR == 1 {print $3; print ""; next} NR == 2 {print $3; print "xyz"; next} {print $3}' "$tmp/vec" \
            > "$tmp/in"
        bad=$(grep -n '^xyz$' "$tmp/in" | cut -d: -f1)
        set +e
        timeout 120 "$CCSPLC" exi decode -p "$proto" --kv - < "$tmp/in" > "$tmp/out" 2> "$tmp/err"
        rc=$?
        set -e
        [ -z "$bad" ] || [ $rc = 1 ] || fail "$proto: a bad line among good ones: exit $rc"
        [ -z "$bad" ] || grep -q "^ccsplc exi decode: line $bad: the input is not hex" "$tmp/err" ||
            fail "$proto: the bad line $bad is not named: $(cat "$tmp/err")"
        awk -F'\t' '{print "schema=" $1 " message=" $2 ($4 == "" ? "" : " " $4)}' "$tmp/vec" > "$tmp/want"
        diff -q "$tmp/want" "$tmp/out" > /dev/null || { diff "$tmp/want" "$tmp/out" | head -5; fail "$proto: --kv lines differ"; }
        n=$((n + $(wc -l < "$tmp/vec")))
    done
done
echo "ok: $n corpus vectors, one --kv line each, bad lines named"
# XML: one document per good line
cut -f3 "$CCS_SHARED_DIR/corpus/app.tsv" | timeout 60 "$CCSPLC" exi decode -p app - > "$tmp/xml"
[ "$(grep -c '^<?xml ' "$tmp/xml")" = "$(wc -l < "$CCS_SHARED_DIR/corpus/app.tsv")" ] || fail "XML: not one document per line"
# one line: one pair per line, naming the schema and the message first
head -1 "$CCS_SHARED_DIR/corpus/din.tsv" | cut -f3 | "$CCSPLC" exi decode -p din --kv - > "$tmp/one"
[ "$(head -2 "$tmp/one" | paste -sd' ')" = "schema=din message=$(head -1 "$CCS_SHARED_DIR/corpus/din.tsv" | cut -f2)" ] ||
    fail "one message: $(head -3 "$tmp/one")"
echo "ok: XML per line; a single message names its schema and message"
