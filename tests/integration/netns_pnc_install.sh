#!/usr/bin/env bash
# CertificateInstallation between `ccsplc evse -i` and `ccsplc pev -i` through plcsim (issue 13 items 3 and 4):
# ISO 15118-2 on TLS 1.2, a car with only its OEM provisioning certificate installs a contract on the first plug-in
# (the charger as test-bench CPS hands out scripts/pki.sh's contract, encrypted for the car, signed by the CPS) and
# pays with it; the second plug-in of a new `ccsplc pev` run pays with the stored contract without installing.
# A refusal: a charger trusting another OEM root answers FAILED_CertChainError, nothing is stored, no charge.
# ISO 15118-20 on TLS 1.3 the same way with the secp521r1 set: installed after AuthorizationSetup, then PnC with
# it; the next run identifies with the stored contract. The pcaps decode with `ccsplc decode --keylog`. Needs
# root, ip netns, openssl. About 70 s.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/netns.sh"
command -v openssl >/dev/null || skip "needs the openssl command"
bash "$(dirname "$0")/../../scripts/pki.sh" "$tmp/pki" >/dev/null || fail "scripts/pki.sh"
P2=$tmp/pki/iso2 P20=$tmp/pki/iso20
mkdir -p "$tmp/car" "$tmp/car20"
CON=$tmp/car/contract.pem   # the car's contract files (ISO-20's below)
KEY=$tmp/car/contract.key

id=$$
charger_and_car K

# charger TAG DIR OEM_TRUST ARGS...: `ccsplc evse -i` for one session, Plug & Charge and the CPS of the PKI set DIR
# (iso2, iso20), in the background
charger() {
    local tag=$1 d=$2 oem=$3
    shift 3
    ip netns exec "$E" timeout 40 "$CCSPLC" evse -i he$id --stop-after session --timeout 35 -v \
        --tls-cert "$d/secc_chain.pem" --tls-key "$d/secc.key" --keylog "$tmp/$tag.keys" \
        --mo-root "$d/mo_root.pem" --cps-cert "$d/cps_chain.pem" --cps-key "$d/cps.key" --oem-root "$oem" \
        --install-cert "$d/contract_chain.pem" --install-key "$d/contract.key" "$@" \
        --pcap "$tmp/$tag-evse.pcapng" >"$tmp/$tag-evse.out" 2>"$tmp/$tag-evse.log" </dev/null &
    evse=$!
    pids+=($evse)
}
# car TAG DIR ARGS...: `ccsplc pev -i` with the provisioning key of DIR and its contract files, a short charge
car() {
    local tag=$1 d=$2
    shift 2
    inns "$P" timeout 40 "$CCSPLC" pev -i hp$id --soc 50 --target-soc 51 --capacity 5 --timeout 35 -v \
        --tls require --tls-ca "$d/v2g_root.pem" --pnc --contract-cert "$CON" --contract-key "$KEY" \
        --prov-key "$d/oem_prov.key" "$@" --pcap "$tmp/$tag-pev.pcapng" \
        >"$tmp/$tag-pev.out" 2>"$tmp/$tag-pev.log" </dev/null
}
ISO2_EVSE=(--proto iso2-dc)
ISO2_PEV=(--proto iso2-dc --prov-cert "$P2/oem_prov.pem")
ISO20_EVSE=(--proto iso20-dc --tls-ca "$P20/oem_root.pem")
ISO20_PEV=(--proto iso20-dc --tls-cert "$P20/oem_chain.pem" --tls-key "$P20/oem_prov.key" --prov-cert "$P20/oem_chain.pem")
# stored: the car's contract files hold a key of the stored certificate, the one the CPS of DIR handed out
stored() {
    [ -s "$CON" ] && [ -s "$KEY" ] || fail "$1: no contract stored"
    [ "$(stat -c %a "$KEY")" = 600 ] || fail "$1: the key file is not 0600"
    [ "$(openssl pkey -in "$KEY" -pubout)" = "$(openssl x509 -in "$CON" -noout -pubkey)" ] ||
        fail "$1: the stored key is not the stored certificate's"
    [ "$(openssl pkey -in "$KEY" -pubout)" = "$(openssl pkey -in "$2/contract.key" -pubout)" ] ||
        fail "$1: the stored key is not the contract the CPS handed out"
    openssl verify -CAfile "$2/mo_root.pem" -untrusted "$CON" "$CON" >/dev/null || fail "$1: the chain"
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
charger badoem "$P2" "$P20/oem_trust.pem" "${ISO2_EVSE[@]}"
car badoem "$P2" "${ISO2_PEV[@]}"
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
charger install "$P2" "$P2/oem_trust.pem" "${ISO2_EVSE[@]}"
car install "$P2" "${ISO2_PEV[@]}" || fail "install: pev exit $?"
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
stored install "$P2"
decoded install "$tmp/install-pev.pcapng" CertificateInstallationReq CertificateInstallationRes PaymentDetailsReq \
    AuthorizationReq SessionStopRes
echo "ok: install: the car installed its contract (key checked against the certificate) and paid with it"

# Second plug-in, a new `ccsplc pev`: the stored contract, no installation
charger again "$P2" "$P2/oem_trust.pem" "${ISO2_EVSE[@]}"
car again "$P2" "${ISO2_PEV[@]}" || fail "again: pev exit $?"
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

# ISO 15118-20 on TLS 1.3, the secp521r1 set: installed after AuthorizationSetup, then PnC with it
CON=$tmp/car20/contract.pem
KEY=$tmp/car20/contract.key
charger install20 "$P20" "$P20/oem_trust.pem" "${ISO20_EVSE[@]}"
car install20 "$P20" "${ISO20_PEV[@]}" || fail "install20: pev exit $?"
wait "$evse" || fail "install20: evse exit $?"
checks install20 <<'CHECKS'
install20-pev.log pnc: no contract in
install20-pev.log tls: TLSv1.3
install20-pev.log v2g: > CertificateInstallationReq
install20-evse.log v2g: < CertificateInstallationReq
install20-pev.log v2g: > AuthorizationReq
install20-pev.log v2g: > DC_ChargeLoopReq
install20-evse.out result      ended normally
install20-pev.out result      ended normally
install20-pev.out payment     contract (Plug & Charge)
CHECKS
stored install20 "$P20"
decoded install20 "$tmp/install20-pev.pcapng" CertificateInstallationReq CertificateInstallationRes \
    AuthorizationReq SessionStopRes
echo "ok: install20: ISO-20, the car installed its secp521r1 contract (key checked) and identified by PnC with it"

charger again20 "$P20" "$P20/oem_trust.pem" "${ISO20_EVSE[@]}"
car again20 "$P20" "${ISO20_PEV[@]}" || fail "again20: pev exit $?"
wait "$evse" || fail "again20: evse exit $?"
checks again20 <<'CHECKS'
again20-pev.log pnc: contract DEABCC12345678 (3 certificates)
again20-pev.out payment     contract (Plug & Charge)
again20-pev.out result      ended normally
CHECKS
grep -q "CertificateInstallationReq" "$tmp/again20-pev.log" && fail "again20: installed again"
echo "ok: again20: the next ISO-20 plug-in identified with the installed contract"
