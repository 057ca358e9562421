#!/usr/bin/env bash
# `ccsplc modem pib role|show` on flat and NVM-chain PIB fixtures made by pib_fixtures.py (from the notes'
# layout and open-plc-utils' chain header, independent of the C code; chkpib accepts them): fields read back as
# set, every checksum verifies, nothing else changes; corrupt, short and badly linked files are refused and no
# output is written.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
python3 "$here/pib_fixtures.py" make "$tmp" || fail "fixtures"

for f in flat.pib chain.nvm; do
    for role in pev evse; do
        "$CCSPLC" modem pib role $role "$tmp/$f" -o "$tmp/$f.$role" 2>"$tmp/log" || fail "pib role $role $f: $(cat "$tmp/log")"
        python3 "$here/pib_fixtures.py" check "$tmp/$f" "$tmp/$f.$role" $role || fail "check $f $role"
    done
    "$CCSPLC" modem pib show "$tmp/$f.evse" >"$tmp/show" || fail "pib show $f"
    for kv in hfid=EVSE "cco_selection=2 (always)" "slac_mode=2 (EVSE)" link_speed_low_kbps=10240 \
              link_speed_high_kbps=102400 mac=00:b0:52:12:34:56 nmk=50D3E4933F855B7040784DF815AA8DB7 \
              preferred_nid=B0F2E695666B03; do
        grep -qxF "$kv" "$tmp/show" || fail "pib show $f: $kv missing"
    done
    echo "ok: $f"
done
grep -qx "form=nvm" <("$CCSPLC" modem pib show "$tmp/chain.nvm") || fail "chain form"

for f in bad.pib short.pib bad.nvm badlink.nvm; do
    "$CCSPLC" modem pib role pev "$tmp/$f" -o "$tmp/$f.out" 2>"$tmp/log"
    [ $? = 1 ] || fail "$f not refused"
    [ -e "$tmp/$f.out" ] && fail "$f: output written"
    grep -q refused "$tmp/log" || fail "$f: no reason given"
    "$CCSPLC" modem pib show "$tmp/$f" >/dev/null 2>&1 && fail "$f shown"
done
echo "ok: corrupt, short and badly linked files refused"

"$CCSPLC" modem pib role car "$tmp/flat.pib" -o "$tmp/x" 2>/dev/null; [ $? = 2 ] || fail "bad role: usage"
"$CCSPLC" modem pib role pev "$tmp/flat.pib" 2>/dev/null; [ $? = 2 ] || fail "no -o: usage"
"$CCSPLC" modem nosuch 2>/dev/null; [ $? = 2 ] || fail "unknown subcommand: usage"
"$CCSPLC" modem --help | grep -q "modem configure" || fail "help"
echo "ok: usage errors"
