#!/usr/bin/env bash
# TLS between `ccsplc evse -i` and `ccsplc pev -i` through plcsim (issue 13): an ISO 15118-2 DC session on TLS 1.2
# (ECDHE-ECDSA-AES128-SHA256, the car checking the charger's chain against its V2G root) and an ISO 15118-20 DC
# session on TLS 1.3 (mutual: the charger checks the car's OEM chain), each ending normally with TLS records (not
# plain V2GTP) in the pcaps and every message decoded by `ccsplc decode --keylog`; refusals with a safe end: a car
# trusting another root (handshake failure), a car requiring TLS from a charger without credentials (answered
# "no TLS" in SDP; a car that only asks goes on in plain TCP), a plain car to a TLS-only charger; ISO 15118-20 AC
# on TLS 1.3 too. The PKI comes from scripts/pki.sh. Needs root, ip netns, openssl. About 100 s.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
command -v openssl >/dev/null || skip "needs the openssl command"
bash "$(dirname "$0")/../../scripts/pki.sh" "$tmp/pki" >/dev/null || fail "scripts/pki.sh"
P2=$tmp/pki/iso2 P20=$tmp/pki/iso20

id=$$
charger_and_car T

# charger TAG ARGS...: `ccsplc evse -i` for one session in the background (pid in evse); output in TAG-evse.*
charger() {
    local tag=$1
    shift
    ip netns exec "$E" timeout 60 "$CCSPLC" evse -i he$id --stop-after session --timeout 50 -v \
        --pcap "$tmp/$tag-evse.pcapng" "$@" >"$tmp/$tag-evse.out" 2>"$tmp/$tag-evse.log" </dev/null &
    evse=$!
    pids+=($evse)
}
# car TAG ARGS...: `ccsplc pev -i` in the foreground, a short charge; output in TAG-pev.*
car() {
    local tag=$1
    shift
    inns "$P" timeout 60 "$CCSPLC" pev -i hp$id --soc 50 --target-soc 51 --capacity 5 --timeout 50 -v \
        --pcap "$tmp/$tag-pev.pcapng" "$@" >"$tmp/$tag-pev.out" 2>"$tmp/$tag-pev.log" </dev/null
}
# refused TAG: the car exited 1 without a session and never closed its contactors; the charger, stopped by a
# signal, is safe and had no session either.
refused() {
    local tag=$1 rc=$2
    [ "$rc" = 1 ] || fail "$tag: car exit $rc"
    grep -q "contactors closed" "$tmp/$tag-pev.log" && fail "$tag: the car closed its contactors"
    grep -q "v2g: > SessionSetupReq" "$tmp/$tag-pev.log" && fail "$tag: a session started"
    kill -TERM "$evse" 2>/dev/null
    wait "$evse"
    grep -q "v2g: < SessionSetupReq" "$tmp/$tag-evse.log" && fail "$tag: the charger got a session"
    grep -q "output on\|contactors closed" "$tmp/$tag-evse.log" && fail "$tag: the charger's power stage moved"
}

# session TAG VERSION SUITE: both ended normally on TLS VERSION with SUITE; the pcaps hold TLS, not plain V2GTP.
session() {
    local tag=$1 version=$2 suite=$3
    wait "$evse" || fail "$tag: evse exit $?"
    for side in evse pev; do
        grep -q "result      ended normally" "$tmp/$tag-$side.out" || fail "$tag: $side did not end normally"
        grep -q "tls: $version $suite" "$tmp/$tag-$side.log" || fail "$tag: $side: not $version $suite"
        # without the keys the capture shows no V2G message: the stream is TLS records
        "$CCSPLC" decode "$tmp/$tag-$side.pcapng" >"$tmp/$tag-$side.plain" 2>&1
        grep -q "EXI      0 messages" "$tmp/$tag-$side.plain" && ! grep -q "SessionSetupReq" "$tmp/$tag-$side.plain" ||
            fail "$tag: $side pcap: V2G messages readable without the keys: $(grep 'EXI  ' "$tmp/$tag-$side.plain")"
    done
    grep -q "sdp: answered .*: the car asks for TLS, offered TLS on port" "$tmp/$tag-evse.log" || fail "$tag: SDP"
    grep -q "v2g: > SessionStopReq" "$tmp/$tag-pev.log" || fail "$tag: no SessionStop"
    echo "ok: $tag: a session on $version ($suite), ended normally; the pcaps hold TLS records"
    # with either side's key log, `ccsplc decode --keylog` finds every message both sent, and the end
    local sent
    sent=$(($(grep -c "v2g: > " "$tmp/$tag-evse.log") + $(grep -c "v2g: > " "$tmp/$tag-pev.log")))
    for side in evse pev; do
        "$CCSPLC" decode --keylog "$tmp/$tag-$side.keys" "$tmp/$tag-$side.pcapng" >"$tmp/$tag-$side.decode" 2>&1 ||
            fail "$tag: decode --keylog $side: $(tail -3 "$tmp/$tag-$side.decode")"
        grep -q "EXI      $sent messages, 0 decode errors" "$tmp/$tag-$side.decode" ||
            fail "$tag: $side pcap with the keys: $(grep 'EXI  ' "$tmp/$tag-$side.decode"), $sent sent"
        grep -q "end      SessionStop (OK)" "$tmp/$tag-$side.decode" || fail "$tag: $side pcap: session end"
        grep -q "TLS      .* records (V2G over TLS: decrypted with the key log)" "$tmp/$tag-$side.decode" ||
            fail "$tag: $side pcap: TLS summary"
    done
    # the other side's key log decrypts the same session (both wrote the same secrets)
    cmp -s <(sort "$tmp/$tag-evse.keys") <(sort "$tmp/$tag-pev.keys") || fail "$tag: the two key logs differ"
    echo "ok: $tag: ccsplc decode --keylog decodes all $sent messages of both pcaps"
    if command -v tshark >/dev/null; then
        local recs fin
        recs=$(tshark -r "$tmp/$tag-pev.pcapng" -Y "tls.record.content_type == 23 || tls.record.opaque_type == 23" 2>/dev/null | wc -l)
        [ "$recs" -gt 10 ] || fail "$tag: tshark sees $recs TLS application-data records"
        # Wireshark's own TLS decryption with the key log: both Finished messages (encrypted) become readable
        fin=$(tshark -o "tls.keylog_file:$tmp/$tag-pev.keys" -r "$tmp/$tag-pev.pcapng" -Y "tls.handshake.type == 20" \
            2>/dev/null | wc -l)
        [ "$fin" -ge 2 ] || fail "$tag: tshark with the key log decrypts $fin Finished messages"
        echo "ok: $tag: tshark sees $recs application-data records and, with the key log, both Finished messages"
    fi
}

# ISO 15118-2 DC on TLS 1.2: the SECC's chain (leaf, CPO Sub-CA 2, Sub-CA 1), the car trusting the V2G root
charger iso2 --proto iso2-dc --tls-cert "$P2/secc_chain.pem" --tls-key "$P2/secc.key" --keylog "$tmp/iso2-evse.keys"
car iso2 --proto iso2-dc --tls require --tls-ca "$P2/v2g_root.pem" --keylog "$tmp/iso2-pev.keys" || fail "iso2: pev exit $?"
session iso2 TLSv1.2 ECDHE-ECDSA-AES128-SHA256
grep -q "peer certificate CN=DE\*ABC\*E0001" "$tmp/iso2-pev.log" || fail "iso2: the car did not name the SECC"

# ISO 15118-20 DC on TLS 1.3, mutual: the car presents its OEM chain, the charger trusts the OEM root
charger iso20 --proto iso20-dc --tls-cert "$P20/secc_chain.pem" --tls-key "$P20/secc.key" --tls-ca "$P20/oem_root.pem" \
    --keylog "$tmp/iso20-evse.keys"
car iso20 --proto iso20-dc --tls require --tls-ca "$P20/v2g_root.pem" --tls-cert "$P20/oem_chain.pem" \
    --tls-key "$P20/oem_prov.key" --keylog "$tmp/iso20-pev.keys" || fail "iso20: pev exit $?"
session iso20 TLSv1.3 TLS_AES_256_GCM_SHA384
grep -q "tls: TLSv1.3 .*peer certificate CN=WCCSPLC0000000001" "$tmp/iso20-evse.log" ||
    fail "iso20: the charger did not authenticate the car"
for k in CLIENT_HANDSHAKE_TRAFFIC_SECRET SERVER_TRAFFIC_SECRET_0; do
    grep -q "^$k " "$tmp/iso20-pev.keys" || fail "iso20: key log without $k"
done
grep -q "^CLIENT_RANDOM " "$tmp/iso2-evse.keys" || fail "iso2: key log without CLIENT_RANDOM"
echo "ok: iso20: mutual authentication (the charger named the car's certificate); key logs in NSS format"

# ISO 15118-20 AC on TLS 1.3 as well (both sides once offered only TLS 1.2 for it: found against EVerest's
# libiso15118, docs/interop.md)
charger iso20ac --proto iso20-ac --tls-cert "$P20/secc_chain.pem" --tls-key "$P20/secc.key" \
    --tls-ca "$P20/oem_root.pem" --keylog "$tmp/iso20ac-evse.keys"
car iso20ac --proto iso20-ac --tls require --tls-ca "$P20/v2g_root.pem" --tls-cert "$P20/oem_chain.pem" \
    --tls-key "$P20/oem_prov.key" --keylog "$tmp/iso20ac-pev.keys" || fail "iso20ac: pev exit $?"
session iso20ac TLSv1.3 TLS_AES_256_GCM_SHA384

# Refusal 1: the car trusts another root (the ISO-20 V2G root for an ISO-2 charger): the handshake fails
charger badroot --proto iso2-dc --tls-cert "$P2/secc_chain.pem" --tls-key "$P2/secc.key"
car badroot --proto iso2-dc --tls require --tls-ca "$P20/v2g_root.pem"
refused badroot $?
grep -q "tls: handshake with the charger failed: certificate: unable to get local issuer certificate" \
    "$tmp/badroot-pev.log" || fail "badroot: the car's reason"
grep -q "tls: handshake with the car failed" "$tmp/badroot-evse.log" || fail "badroot: the charger's log"
echo "ok: a car trusting another root: TLS handshake refused by the car, no session, both safe"

# Refusal 2: a car requiring TLS from a charger without credentials: SDP answers "no TLS" (plain TCP), the car
# refuses to go on without TLS
charger nocred --proto iso2-dc
car nocred --proto iso2-dc --tls require --tls-ca "$P2/v2g_root.pem"
refused nocred $?
grep -q "sdp: answered .*: the car asks for TLS, offered no TLS on port" "$tmp/nocred-evse.log" ||
    fail "nocred: the charger's SDP answer"
grep -q "the charger offers no TLS and this car requires it" "$tmp/nocred-pev.log" || fail "nocred: the car's reason"
echo "ok: a car asking for TLS from a charger without credentials: answered no TLS, the car (require) refused"
# ... and a car that only asks (--tls ask) goes on in plain TCP: a normal session, V2G readable without keys
charger askplain --proto iso2-dc
car askplain --proto iso2-dc --tls ask --tls-ca "$P2/v2g_root.pem" || fail "askplain: pev exit $?"
wait "$evse" || fail "askplain: evse exit $?"
grep -q "sdp: the charger offers no TLS: plain TCP" "$tmp/askplain-pev.log" || fail "askplain: the car's warning"
grep -q "result      ended normally" "$tmp/askplain-pev.out" || fail "askplain: not a normal session"
"$CCSPLC" decode "$tmp/askplain-pev.pcapng" | grep -q "end      SessionStop (OK)" || fail "askplain: plain pcap"
echo "ok: a car asking for TLS (--tls ask) from a charger without credentials: a normal session on plain TCP"

# Refusal 3: a plain-TCP car to a TLS-only charger: SDP answers TLS, the car without TLS refuses
charger tlsonly --proto iso2-dc --tls-only --tls-cert "$P2/secc_chain.pem" --tls-key "$P2/secc.key"
car tlsonly --proto iso2-dc
refused tlsonly $?
grep -q "sdp: answered .*: the car asks for no TLS, offered TLS on port" "$tmp/tlsonly-evse.log" ||
    fail "tlsonly: the charger's SDP answer"
grep -q "the charger offers TLS only, and this car has no TLS" "$tmp/tlsonly-pev.log" || fail "tlsonly: the car"
echo "ok: a plain-TCP car to a TLS-only charger: offered TLS only, the car refused, both safe"
