#!/usr/bin/env bash
# CertificateInstallation, ISO 15118-2, between `ccsplc evse -i` and `ccsplc pev -i` through plcsim on TLS 1.2
# (issue 13 item 3): a car with only its OEM provisioning certificate installs a contract on the first plug-in
# (the charger as test-bench CPS hands out scripts/pki.sh's contract, encrypted for the car, signed by the CPS) and
# pays with it; the second plug-in of a new `ccsplc pev` run pays with the stored contract without installing.
# A refusal: a charger trusting another OEM root answers FAILED_CertChainError, nothing is stored, no charge.
# The pcaps decode with `ccsplc decode --keylog`; the signatures of CertificateInstallationReq (the provisioning
# key), CertificateInstallationRes (the CPS key, four References) and the AuthorizationReq with the installed
# contract are checked outside our crypto (lib/pnc_sig.sh). Needs root, ip netns, openssl, xxd. About 45 s.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
. "$(dirname "$0")/lib/pnc_sig.sh"
. "$(dirname "$0")/lib/pki.sh"
mkdir -p "$tmp/car"
CON=$tmp/car/contract.pem
KEY=$tmp/car/contract.key

id=$$
charger_and_car K

# charger TAG OEM_TRUST: `ccsplc evse -i` for one session, Plug & Charge and the CPS, in the background
charger() {
    local tag=$1
    ip netns exec "$E" timeout 40 "$CCSPLC" evse -i he$id --proto iso2-dc --stop-after session --timeout 35 -v \
        --tls-cert "$P2/secc_chain.pem" --tls-key "$P2/secc.key" --keylog "$tmp/$tag.keys" \
        --mo-root "$P2/mo_root.pem" --cps-cert "$P2/cps_chain.pem" --cps-key "$P2/cps.key" --oem-root "$2" \
        --install-cert "$P2/contract_chain.pem" --install-key "$P2/contract.key" \
        --pcap "$tmp/$tag-evse.pcapng" >"$tmp/$tag-evse.out" 2>"$tmp/$tag-evse.log" </dev/null &
    evse=$!
    pids+=($evse)
}
# car TAG: `ccsplc pev -i` with its provisioning certificate and its contract files, a short charge
car() {
    local tag=$1
    inns "$P" timeout 40 "$CCSPLC" pev -i hp$id --proto iso2-dc --soc 50 --target-soc 51 --capacity 5 --timeout 35 -v \
        --tls require --tls-ca "$P2/v2g_root.pem" --pnc --contract-cert "$CON" --contract-key "$KEY" \
        --prov-cert "$P2/oem_prov.pem" --prov-key "$P2/oem_prov.key" --pcap "$tmp/$tag-pev.pcapng" \
        >"$tmp/$tag-pev.out" 2>"$tmp/$tag-pev.log" </dev/null
}
# checks TAG: each line FILE TEXT must be found
checks() {
    while read -r file text; do
        grep -q "$text" "$tmp/$file" || fail "$1: $file does not say: $text"
    done
}
decoded() {   # decoded TAG FILE MESSAGES...: the pcap decodes with the key log and holds each message
    local tag=$1 pcap=$2
    shift 2
    "$CCSPLC" decode --keylog "$tmp/$tag.keys" "$pcap" >"$tmp/$tag.decode" 2>&1 || fail "$tag: decode"
    grep -q "undecrypted TLS" "$tmp/$tag.decode" && fail "$tag: TLS records left undecrypted"
    for m in "$@"; do grep -q "$m" "$tmp/$tag.decode" || fail "$tag: $m not in the decoded pcap"; done
}

# Refusal first (no contract stored yet): the charger trusts the ISO-20 OEM hierarchy only
charger badoem "$tmp/pki/iso20/oem_trust.pem"
car badoem
rc=$?
[ "$rc" = 1 ] || fail "badoem: car exit $rc"
kill -TERM "$evse" 2>/dev/null   # the charger keeps the plug-in for the car's next session: stopped, it ends safe
wait "$evse"
decoded badoem "$tmp/badoem-evse.pcapng" "CertificateInstallationReq"
grep -q "CertificateInstallationRes.*FAILED_CertChainError" "$tmp/badoem.decode" ||
    fail "badoem: no CertificateInstallationRes FAILED_CertChainError"
[ -e "$CON" ] || [ -e "$KEY" ] && fail "badoem: a contract was stored"
grep -q "v2g: > PaymentDetailsReq\|contactors closed" "$tmp/badoem-pev.log" && fail "badoem: the car went on"
grep -q "output on\|contactors closed" "$tmp/badoem-evse.log" && fail "badoem: the charger's power stage moved"
echo "ok: badoem: a provisioning certificate from another OEM root: FAILED_CertChainError, nothing stored, both safe"

# First plug-in: no contract, CertificateInstallation, then PaymentDetails with the installed one
charger install "$P2/oem_trust.pem"
car install || fail "install: pev exit $?"
wait "$evse" || fail "install: evse exit $?"
checks install <<'CHECKS'
install-pev.log pnc: no contract in
install-pev.log v2g: > CertificateInstallationReq
install-evse.log v2g: < CertificateInstallationReq
install-pev.log v2g: > PaymentDetailsReq
install-pev.log v2g: > CurrentDemandReq
install-evse.out result      ended normally
install-pev.out result      ended normally
install-pev.out payment     contract (Plug & Charge)
CHECKS
[ -s "$CON" ] && [ -s "$KEY" ] || fail "install: no contract stored"
[ "$(stat -c %a "$KEY")" = 600 ] || fail "install: the key file is not 0600"
[ "$(openssl pkey -in "$KEY" -pubout)" = "$(openssl x509 -in "$CON" -noout -pubkey)" ] ||
    fail "install: the stored key is not the stored certificate's"
[ "$(openssl pkey -in "$KEY" -pubout)" = "$(openssl pkey -in "$P2/contract.key" -pubout)" ] ||
    fail "install: the stored key is not the contract the CPS handed out"
openssl verify -CAfile "$P2/mo_root.pem" -untrusted "$CON" "$CON" >/dev/null || fail "install: the chain"
decoded install "$tmp/install-pev.pcapng" CertificateInstallationReq CertificateInstallationRes PaymentDetailsReq \
    AuthorizationReq SessionStopRes
echo "ok: install: the car installed its contract (key checked against the certificate) and paid with it"
sig_messages install "$tmp/install.keys" "$tmp/install-pev.pcapng"
sig_session install CertificateInstallationReq CertificateInstallationReq OEMProvisioningCert "$P2/oem_prov.pem"
sig_session install CertificateInstallationRes CertificateInstallationRes SAProvisioningCertificateChain.Certificate \
    "$P2/cps.pem"
sig_session install AuthorizationReq PaymentDetailsReq ContractSignatureCertChain.Certificate "$P2/contract.pem"
echo "ok: install: the request's, the response's (each Reference) and the AuthorizationReq's signatures from the" \
    "pcap verified by openssl with the provisioning, CPS and installed contract certificates of the session"

# Second plug-in, a new `ccsplc pev`: the stored contract, no installation
charger again "$P2/oem_trust.pem"
car again || fail "again: pev exit $?"
wait "$evse" || fail "again: evse exit $?"
checks again <<'CHECKS'
again-pev.log pnc: contract DEABCC12345678 (3 certificates)
again-pev.log v2g: > PaymentDetailsReq
again-evse.log v2g: < AuthorizationReq
again-pev.out result      ended normally
again-pev.out payment     contract (Plug & Charge)
CHECKS
grep -q "CertificateInstallationReq" "$tmp/again-pev.log" && fail "again: installed again"
decoded again "$tmp/again-evse.pcapng" PaymentDetailsReq AuthorizationReq SessionStopRes
echo "ok: again: the next plug-in paid with the installed contract"
