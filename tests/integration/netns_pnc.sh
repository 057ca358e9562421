#!/usr/bin/env bash
# Plug & Charge, ISO 15118-2, between `ccsplc evse -i` and `ccsplc pev -i` through plcsim, on TLS 1.2 (issue 13
# item 3): the charger with the MO root offers Contract payment, the car with its contract chain and key pays by
# contract (PaymentDetails with the chain and eMAID, AuthorizationReq signed over its EXI fragment) and the
# session charges and ends normally; `ccsplc decode --keylog` finds the PnC messages in the pcap. Refusals, both
# ending safe without charging, the code seen in the decoded pcap: a charger trusting another MO root answers
# PaymentDetails FAILED_CertChainError; a contract its --revoked CRL names, FAILED_CertificateRevoked.
# The PKI comes from scripts/pki.sh. Needs root, ip netns, openssl. About 45 s.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
command -v openssl >/dev/null || skip "needs the openssl command"
bash "$(dirname "$0")/../../scripts/pki.sh" "$tmp/pki" >/dev/null || fail "scripts/pki.sh"
P2=$tmp/pki/iso2

id=$$
charger_and_car K

# charger TAG ARGS...: `ccsplc evse -i` for one session (TLS, the MO root given) in the background
charger() {
    local tag=$1
    shift
    ip netns exec "$E" timeout 40 "$CCSPLC" evse -i he$id --proto iso2-dc --stop-after session --timeout 35 -v \
        --tls-cert "$P2/secc_chain.pem" --tls-key "$P2/secc.key" --keylog "$tmp/$tag.keys" \
        --pcap "$tmp/$tag-evse.pcapng" "$@" >"$tmp/$tag-evse.out" 2>"$tmp/$tag-evse.log" </dev/null &
    evse=$!
    pids+=($evse)
}
# car TAG [CONTRACT]: `ccsplc pev -i` with its contract (default: contract), in the foreground, a short charge
car() {
    local tag=$1 c=${2:-contract}
    inns "$P" timeout 40 "$CCSPLC" pev -i hp$id --proto iso2-dc --soc 50 --target-soc 51 --capacity 5 --timeout 35 -v \
        --tls require --tls-ca "$P2/v2g_root.pem" --pnc --contract-cert "$P2/${c}_chain.pem" \
        --contract-key "$P2/$c.key" --pcap "$tmp/$tag-pev.pcapng" \
        >"$tmp/$tag-pev.out" 2>"$tmp/$tag-pev.log" </dev/null
}

charger pnc --mo-root "$P2/mo_root.pem"
car pnc || fail "pnc: pev exit $?"
wait "$evse" || fail "pnc: evse exit $?"
# what each file must say: both ended normally, the car paid by contract on TLS 1.2 and charged
while read -r file text; do
    grep -q "$text" "$tmp/$file" || fail "pnc: $file does not say: $text"
done <<'CHECKS'
pnc-evse.out result      ended normally
pnc-pev.out result      ended normally
pnc-evse.out payment     contract (Plug & Charge)
pnc-pev.out payment     contract (Plug & Charge)
pnc-pev.log v2g: > PaymentDetailsReq
pnc-evse.log v2g: < AuthorizationReq
pnc-pev.log v2g: > CurrentDemandReq
pnc-pev.log tls: TLSv1.2
CHECKS
"$CCSPLC" decode --keylog "$tmp/pnc.keys" "$tmp/pnc-pev.pcapng" >"$tmp/pnc.decode" 2>&1 || fail "pnc: decode"
for m in "PaymentServiceSelectionReq" "PaymentDetailsReq" "PaymentDetailsRes" "AuthorizationReq" "SessionStopRes"; do
    grep -q "$m" "$tmp/pnc.decode" || fail "pnc: $m not in the decoded pcap"
done
echo "ok: pnc: Contract payment on TLS 1.2, PaymentDetails and the signed AuthorizationReq, a charge, a normal end"

# refused TAG CODE [CONTRACT] -- CHARGER ARGS: the car (exit 1) refused with PaymentDetailsRes CODE in the
# decoded pcap, neither side charging
refused() {
    local tag=$1 code=$2 c=$3
    shift 4
    charger "$tag" "$@"
    car "$tag" "$c"
    rc=$?
    [ "$rc" = 1 ] || fail "$tag: car exit $rc"
    # the charger keeps the plug-in for a next session of the car: stopped by a signal, it ends safe
    kill -TERM "$evse" 2>/dev/null
    wait "$evse"
    "$CCSPLC" decode --keylog "$tmp/$tag.keys" "$tmp/$tag-evse.pcapng" >"$tmp/$tag.decode" 2>&1
    grep -q "PaymentDetailsRes.*$code" "$tmp/$tag.decode" ||
        fail "$tag: no PaymentDetailsRes $code: $(grep PaymentDetails "$tmp/$tag.decode")"
    grep -q "v2g: > AuthorizationReq\|v2g: > ChargeParameterDiscoveryReq" "$tmp/$tag-pev.log" &&
        fail "$tag: the car went on after the refusal"
    grep -q "contactors closed" "$tmp/$tag-pev.log" && fail "$tag: the car closed its contactors"
    grep -q "output on\|contactors closed" "$tmp/$tag-evse.log" && fail "$tag: the charger's power stage moved"
}

# Refusal: the charger trusts the ISO-20 MO root only: the contract chain reaches no root it trusts
refused badroot FAILED_CertChainError contract -- --mo-root "$tmp/pki/iso20/mo_root.pem"
echo "ok: badroot: a contract from another MO root: PaymentDetails FAILED_CertChainError, both safe, no charge"
# Refusal: the second contract, revoked by its Sub-CA's CRL (scripts/pki.sh) the charger reads
refused revoked FAILED_CertificateRevoked contract2 -- --mo-root "$P2/mo_root.pem" --revoked "$P2/mo_sub2_crl.pem"
grep -q "the contract is revoked" "$tmp/revoked-evse.log" || fail "revoked: the charger's log does not say why"
echo "ok: revoked: a contract on the Sub-CA's CRL: PaymentDetails FAILED_CertificateRevoked, both safe, no charge"
