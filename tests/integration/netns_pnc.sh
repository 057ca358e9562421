#!/usr/bin/env bash
# Plug & Charge, ISO 15118-2, between `ccsplc evse -i` and `ccsplc pev -i` through plcsim, on TLS 1.2 (issue 13
# item 3): the charger with the MO root offers Contract payment, the car with its contract chain and key pays by
# contract (PaymentDetails with the chain and eMAID, AuthorizationReq signed over its EXI fragment) and the
# session charges and ends normally; `ccsplc decode --keylog` finds the PnC messages in the pcap. A refusal: a
# charger trusting another MO root answers PaymentDetails FAILED_CertChainError, both end safe without charging.
# The PKI comes from scripts/pki.sh. Needs root, ip netns, openssl. About 30 s.
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
# car TAG: `ccsplc pev -i` with its contract, in the foreground, a short charge
car() {
    local tag=$1
    inns "$P" timeout 40 "$CCSPLC" pev -i hp$id --proto iso2-dc --soc 50 --target-soc 51 --capacity 5 --timeout 35 -v \
        --tls require --tls-ca "$P2/v2g_root.pem" --pnc --contract-cert "$P2/contract_chain.pem" \
        --contract-key "$P2/contract.key" --pcap "$tmp/$tag-pev.pcapng" \
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

# Refusal: the charger trusts the ISO-20 MO root only: the contract chain reaches no root it trusts
charger badroot --mo-root "$tmp/pki/iso20/mo_root.pem"
car badroot
rc=$?
[ "$rc" = 1 ] || fail "badroot: car exit $rc"
# the charger keeps the plug-in for a next session of the car: stopped by a signal, it ends safe
kill -TERM "$evse" 2>/dev/null
wait "$evse"
"$CCSPLC" decode --keylog "$tmp/badroot.keys" "$tmp/badroot-evse.pcapng" >"$tmp/badroot.decode" 2>&1
grep -q "PaymentDetailsRes.*FAILED_CertChainError" "$tmp/badroot.decode" ||
    fail "badroot: no PaymentDetailsRes FAILED_CertChainError: $(grep PaymentDetails "$tmp/badroot.decode")"
grep -q "v2g: > AuthorizationReq\|v2g: > ChargeParameterDiscoveryReq" "$tmp/badroot-pev.log" &&
    fail "badroot: the car went on after the refusal"
grep -q "contactors closed" "$tmp/badroot-pev.log" && fail "badroot: the car closed its contactors"
grep -q "output on\|contactors closed" "$tmp/badroot-evse.log" && fail "badroot: the charger's power stage moved"
echo "ok: badroot: a contract from another MO root: PaymentDetails FAILED_CertChainError, both safe, no charge"
