#!/usr/bin/env bash
# Plug & Charge between `ccsplc evse -i` and `ccsplc pev -i` through plcsim (issue 13 items 3 and 4). ISO 15118-2 on
# TLS 1.2: the charger with the MO root offers Contract payment, the car with its contract chain and key pays by
# contract (PaymentDetails with the chain and eMAID, AuthorizationReq signed over its EXI fragment) and the
# session charges (signed MeteringReceipts every 2 s) and ends normally; `ccsplc decode --keylog` finds the PnC
# messages in the pcap. Refusals, both ending safe without charging, the code seen in the decoded pcap: a charger
# trusting another MO root answers PaymentDetails FAILED_CertChainError; a contract its --revoked CRL names,
# FAILED_CertificateRevoked; a backend asked over --auth-socket (a unix socket server in the test) that answers
# Rejected, AuthorizationRes FAILED. ISO 15118-20 DC on TLS 1.3 (mutual authentication): AuthorizationSetupRes
# offers PnC with the providers, the car sends AuthorizationReq with PnC_AReqAuthorizationMode signed (secp521r1,
# SHA-512), the session charges and ends normally, the decoded pcap holds the PnC mode and the Signature; a charger
# trusting another MO root answers WARNING_CertificateValidationError, both safe. Every AuthorizationReq and
# MeteringReceiptReq, taken from the charger's pcap, is checked outside our crypto (lib/pnc_sig.sh): the digest of
# `ccsplc exi fragment`'s fragment is the DigestValue and `openssl dgst -verify` accepts the SignatureValue with the
# contract certificate of the session. The PKI comes from scripts/pki.sh. Needs root, ip netns, openssl, xxd,
# python3. About 90 s.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
. "$(dirname "$0")/lib/pnc_sig.sh"
command -v python3 >/dev/null || skip "needs python3 (the backend socket's server)"
. "$(dirname "$0")/lib/pki.sh"
ISO2_EVSE=(--proto iso2-dc --tls-cert "$P2/secc_chain.pem" --tls-key "$P2/secc.key")
ISO2_PEV=(--proto iso2-dc --tls require --tls-ca "$P2/v2g_root.pem" --contract-cert "$P2/contract_chain.pem"
    --contract-key "$P2/contract.key")
ISO20_EVSE=(--proto iso20-dc --tls-cert "$P20/secc_chain.pem" --tls-key "$P20/secc.key" --tls-ca "$P20/oem_root.pem")
ISO20_PEV=(--proto iso20-dc --tls require --tls-ca "$P20/v2g_root.pem" --tls-cert "$P20/oem_chain.pem"
    --tls-key "$P20/oem_prov.key" --contract-cert "$P20/contract_chain.pem" --contract-key "$P20/contract.key")

id=$$
charger_and_car K

# charger TAG ARGS...: `ccsplc evse -i` for one session (TLS credentials and the MO root in ARGS) in the background
charger() {
    local tag=$1
    shift
    ip netns exec "$E" timeout 60 "$CCSPLC" evse -i he$id --stop-after session --timeout 50 -v \
        --keylog "$tmp/$tag.keys" --pcap "$tmp/$tag-evse.pcapng" "$@" \
        >"$tmp/$tag-evse.out" 2>"$tmp/$tag-evse.log" </dev/null &
    evse=$!
    pids+=($evse)
}
# car TAG ARGS...: `ccsplc pev -i` with its contract (in ARGS), in the foreground, a short charge
car() {
    local tag=$1
    shift
    inns "$P" timeout 60 "$CCSPLC" pev -i hp$id --soc 50 --target-soc 51 --capacity 5 --timeout 50 -v --pnc \
        --pcap "$tmp/$tag-pev.pcapng" "$@" >"$tmp/$tag-pev.out" 2>"$tmp/$tag-pev.log" </dev/null
}
# says TAG: each line of stdin, FILE TEXT, is in $tmp/FILE
says() {
    local file text
    while read -r file text; do
        grep -q "$text" "$tmp/$file" || fail "$1: $file does not say: $text"
    done
}
# paid TAG ARGS...: the car (ARGS) and the charger ended normally, both paying by contract; then the lines of stdin
# as says TAG
paid() {
    local tag=$1
    shift
    car "$tag" "$@" || fail "$tag: pev exit $?"
    wait "$evse" || fail "$tag: evse exit $?"
    says "$tag" <<CHECKS
$tag-evse.out result      ended normally
$tag-pev.out result      ended normally
$tag-evse.out payment     contract (Plug & Charge)
$tag-pev.out payment     contract (Plug & Charge)
CHECKS
    says "$tag"
}
# refused TAG RC WANT [NEVER]: after a refusal the car (already ended, exit RC) did not go on (nor sent NEVER, a
# line of its log), nothing was switched on; the charger (which keeps the plug-in for a next session of the car)
# is stopped by a signal and ends safe; its pcap, decoded, holds WANT (a grep pattern: the response and its code)
refused() {
    local tag=$1 rc=$2 want=$3 never=${4:-}
    [ "$rc" = 1 ] || fail "$tag: car exit $rc"
    [ -n "$never" ] && grep -q "$never" "$tmp/$tag-pev.log" && fail "$tag: the car went on: $never"
    kill -TERM "$evse" 2>/dev/null
    wait "$evse"
    grep -q "v2g: > ChargeParameterDiscoveryReq\|v2g: > DC_ChargeParameterDiscoveryReq" "$tmp/$tag-pev.log" &&
        fail "$tag: the car went on after the refusal"
    grep -q "contactors closed" "$tmp/$tag-pev.log" && fail "$tag: the car closed its contactors"
    grep -q "output on\|contactors closed" "$tmp/$tag-evse.log" && fail "$tag: the charger's power stage moved"
    "$CCSPLC" decode --keylog "$tmp/$tag.keys" "$tmp/$tag-evse.pcapng" >"$tmp/$tag.decode" 2>&1
    grep -q "$want" "$tmp/$tag.decode" || fail "$tag: no $want: $(grep "${want%%Res*}" "$tmp/$tag.decode")"
}

charger pnc "${ISO2_EVSE[@]}" --mo-root "$P2/mo_root.pem" --receipt 2
# what each file must say: the car paid by contract on TLS 1.2 and charged
paid pnc "${ISO2_PEV[@]}" <<'CHECKS'
pnc-pev.log v2g: > PaymentDetailsReq
pnc-evse.log v2g: < AuthorizationReq
pnc-pev.log v2g: > CurrentDemandReq
pnc-pev.log tls: TLSv1.2
CHECKS
"$CCSPLC" decode --keylog "$tmp/pnc.keys" "$tmp/pnc-pev.pcapng" >"$tmp/pnc.decode" 2>&1 || fail "pnc: decode"
for m in "PaymentServiceSelectionReq" "PaymentDetailsReq" "PaymentDetailsRes" "AuthorizationReq" "SessionStopRes"; do
    grep -q "$m" "$tmp/pnc.decode" || fail "pnc: $m not in the decoded pcap"
done
sig_messages pnc "$tmp/pnc.keys" "$tmp/pnc-evse.pcapng"
for m in AuthorizationReq MeteringReceiptReq; do
    sig_session pnc $m PaymentDetailsReq ContractSignatureCertChain.Certificate "$P2/contract.pem"
    echo "ok: pnc: $sig_checked $m from the pcap: SHA-256 of the fragment = DigestValue, the signature verified" \
        "by openssl with the contract certificate of PaymentDetailsReq (a changed byte refused)"
done
echo "ok: pnc: Contract payment on TLS 1.2, PaymentDetails and the signed AuthorizationReq, a charge, a normal end"

# Refusal: the charger trusts the ISO-20 MO root only: the contract chain reaches no root it trusts
charger badroot "${ISO2_EVSE[@]}" --mo-root "$P20/mo_root.pem"
car badroot "${ISO2_PEV[@]}"
refused badroot $? "PaymentDetailsRes.*FAILED_CertChainError" "v2g: > AuthorizationReq"
echo "ok: badroot: a contract from another MO root: PaymentDetails FAILED_CertChainError, both safe, no charge"

# Refusal: the second contract, revoked by its Sub-CA's CRL (scripts/pki.sh) the charger reads
charger revoked "${ISO2_EVSE[@]}" --mo-root "$P2/mo_root.pem" --revoked "$P2/mo_sub2_crl.pem"
car revoked "${ISO2_PEV[@]}" --contract-cert "$P2/contract2_chain.pem" --contract-key "$P2/contract2.key"
refused revoked $? "PaymentDetailsRes.*FAILED_CertificateRevoked"
grep -q "the contract is revoked" "$tmp/revoked-evse.log" || fail "revoked: the charger's log does not say why"
echo "ok: revoked: a contract on the Sub-CA's CRL: PaymentDetails FAILED_CertificateRevoked, both safe, no charge"

# Refusal by the operator's backend over --auth-socket: a one-shot server on a unix socket keeps the request line
# and answers Rejected; the charger answers AuthorizationRes FAILED
python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); s.settimeout(60)
c, _ = s.accept(); c.settimeout(10); line = c.makefile("rb").readline()
open(sys.argv[2], "wb").write(line); c.sendall(b"Rejected\n"); c.close()' "$tmp/auth.sock" "$tmp/auth.req" &
pids+=($!)
for _ in $(seq 50); do [ -S "$tmp/auth.sock" ] && break; sleep 0.1; done
charger denied "${ISO2_EVSE[@]}" --mo-root "$P2/mo_root.pem" --auth-socket "$tmp/auth.sock"
car denied "${ISO2_PEV[@]}"
refused denied $? "AuthorizationRes.*FAILED"
serial=$(openssl x509 -in "$P2/contract.pem" -noout -serial | sed 's/.*=0*//' | tr 'A-F' 'a-f')
grep -Eq "^AUTHORIZE DEABCC12345678( SHA256 [0-9a-f]{64} [0-9a-f]{64} [0-9a-f]+){2}\$" "$tmp/auth.req" ||
    fail "denied: the request line: $(cat "$tmp/auth.req")"
[ "$(cut -d' ' -f6 "$tmp/auth.req")" = "$serial" ] ||
    fail "denied: not the contract's serial $serial: $(cat "$tmp/auth.req")"
grep -q "the authorization socket answered Rejected" "$tmp/denied-evse.log" || fail "denied: the charger's log"
echo "ok: denied: the backend socket got the eMAID and the chain's hash data, answered Rejected:" \
    "AuthorizationRes FAILED"

# ISO 15118-20 DC on TLS 1.3 with PnC identification and the charger's providers
charger pnc20 "${ISO20_EVSE[@]}" --mo-root "$P20/mo_root.pem" --providers DE-ABC,DE-XYZ
paid pnc20 "${ISO20_PEV[@]}" <<'CHECKS'
pnc20-pev.log v2g: > AuthorizationReq
pnc20-pev.log v2g: > DC_ChargeLoopReq
pnc20-pev.log tls: TLSv1.3
CHECKS
"$CCSPLC" decode --xml --keylog "$tmp/pnc20.keys" "$tmp/pnc20-pev.pcapng" >"$tmp/pnc20.xml" 2>&1 ||
    fail "pnc20: decode: $(tail -3 "$tmp/pnc20.xml")"
for m in ":PnC_ASResAuthorizationMode>" ":ProviderID>DE-XYZ<" ":AuthorizationServices>PnC<" \
    ":PnC_AReqAuthorizationMode " ":ContractCertificateChain>" "xmldsig-more#ecdsa-sha512" ":SignatureValue>" \
    ":SessionStopRes "; do
    grep -q "$m" "$tmp/pnc20.xml" || fail "pnc20: $m not in the decoded pcap"
done
"$CCSPLC" decode --keylog "$tmp/pnc20.keys" "$tmp/pnc20-evse.pcapng" >"$tmp/pnc20.decode" 2>&1 ||
    fail "pnc20: the charger's pcap does not decode whole"
grep -q "undecrypted" "$tmp/pnc20.decode" && fail "pnc20: TLS records left undecrypted"
sig_messages pnc20 "$tmp/pnc20.keys" "$tmp/pnc20-evse.pcapng"
sig_session pnc20 AuthorizationReq AuthorizationReq PnC_AReqAuthorizationMode.ContractCertificateChain.Certificate \
    "$P20/contract.pem"
echo "ok: pnc20: the AuthorizationReq from the pcap: SHA-512 of the fragment = DigestValue, the secp521r1" \
    "signature verified by openssl with the contract certificate it carries (a changed byte refused)"
echo "ok: pnc20: ISO-20 DC on TLS 1.3, PnC offered with the providers, the signed AuthorizationReq, a normal end"

# Refusal: the charger trusts the ISO-2 MO root only
charger badroot20 "${ISO20_EVSE[@]}" --mo-root "$P2/mo_root.pem"
car badroot20 "${ISO20_PEV[@]}"
refused badroot20 $? "AuthorizationRes.*WARNING_CertificateValidationError" "v2g: > ServiceDiscoveryReq"
echo "ok: badroot20: ISO-20, a contract from another MO root: WARNING_CertificateValidationError, both safe"
