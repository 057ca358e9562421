#!/usr/bin/env bash
# A test PKI for TLS and Plug & Charge with the `openssl` command (docs/pnc.md): scripts/pki.sh DIR makes DIR/iso2
# (ECDSA secp256r1 + SHA-256, ISO 15118-2 Annex F) and DIR/iso20 (ECDSA secp521r1 + SHA-512, ISO 15118-20).
# For test benches only: the private keys are written unencrypted. Never use them in a real charger or car.
set -euo pipefail
dir=${1:-}
if [ -z "$dir" ] || [ "$dir" = -h ] || [ "$dir" = --help ]; then
    echo "usage: scripts/pki.sh DIR   (makes DIR/iso2 and DIR/iso20; see docs/pnc.md)" >&2
    [ -n "$dir" ] && exit 0 || exit 2
fi
command -v openssl >/dev/null || { echo "pki.sh: needs the openssl command (Debian: openssl)" >&2; exit 1; }
umask 077   # the keys are readable by their owner only

# Validity in days: roots 10 years; sub-CAs 4 years (CPO Sub-CA 2: 1 year); the SECC leaf 60 days (short-lived:
# renewed by the CPO); the OEM provisioning leaf 4 years; the contract 2 years; the CPS leaf 60 days, its Sub-CA 2
# 1 year.
EMAID=DEABCC12345678   # ISO 15118-2 eMAID: country (2) + provider (3) + eMA instance (9), no check digit
EMAID2=DEABCC87654321  # the second contract's (revoked)

# cert OUT ISSUER DAYS SUBJECT EXTENSIONS: OUT.key (a fresh key on $curve) and OUT.pem signed by ISSUER (itself
# when ISSUER is "self"), with the extensions (comma-separated openssl -addext style, one per line in $ext).
cert() {
    local out=$1 issuer=$2 days=$3 subj=$4 ext=$5
    openssl ecparam -name "$curve" -genkey -noout -out "$out.key" 2>/dev/null
    local extfile
    extfile=$(mktemp)
    printf '%s\n' "$ext" >"$extfile"
    echo "subjectKeyIdentifier = hash" >>"$extfile"
    if [ "$issuer" = self ]; then
        openssl req -new -x509 -key "$out.key" -subj "$subj" -days "$days" "-$md" -set_serial "0x$(openssl rand -hex 8)" \
            -extensions v3 -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n[v3]\n'; cat "$extfile") \
            -out "$out.pem"
    else
        echo "authorityKeyIdentifier = keyid" >>"$extfile"
        openssl req -new -key "$out.key" -subj "$subj" -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n') |
            openssl x509 -req -CA "$issuer.pem" -CAkey "$issuer.key" -days "$days" "-$md" \
                -set_serial "0x$(openssl rand -hex 8)" -extfile "$extfile" -out "$out.pem" 2>/dev/null
    fi
    rm -f "$extfile"
}

# crl ISSUER OUT CERT...: a CRL of ISSUER (PEM, 30 days) revoking the certificates CERT (.pem), through the
# index file `openssl ca -gencrl` reads.
crl() {
    local issuer=$1 out=$2 db
    shift 2
    db=$(mktemp -d)
    : >"$db/index.txt"
    echo 01 >"$db/crlnumber"
    local c
    for c in "$@"; do
        printf 'R\t%s\t%s\t%s\tunknown\t%s\n' "$(date -u -d "$(openssl x509 -in "$c.pem" -noout -enddate | cut -d= -f2)" +%y%m%d%H%M%SZ)" \
            "$(date -u +%y%m%d%H%M%SZ)" "$(openssl x509 -in "$c.pem" -noout -serial | cut -d= -f2)" \
            "$(openssl x509 -in "$c.pem" -noout -subject -nameopt compat | sed 's/^subject=//')" >>"$db/index.txt"
    done
    printf '[ca]\ndefault_ca = crl\n[crl]\ndatabase = %s/index.txt\ncrlnumber = %s/crlnumber\ndefault_md = %s\ndefault_crl_days = 30\n' \
        "$db" "$db" "$md" >"$db/ca.cnf"
    openssl ca -gencrl -config "$db/ca.cnf" -keyfile "$issuer.key" -cert "$issuer.pem" -out "$out" 2>/dev/null
    rm -rf "$db"
}

CA1='basicConstraints = critical, CA:TRUE, pathlen:1
keyUsage = critical, keyCertSign, cRLSign'
CA2='basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign'
ROOT='basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign'
LEAF='basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyAgreement'
CPS='basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature'
CONTRACT='basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment, keyAgreement'

# pki SUBDIR: the three hierarchies, their chains (leaf first, then Sub-CA 2, Sub-CA 1: the order TLS sends them).
pki() {
    local d=$dir/$1
    mkdir -p "$d"
    cd "$d"
    # V2G root -> CPO Sub-CA 1 -> CPO Sub-CA 2 -> SECC leaf (CN: the SECC's ID; DC=CPO)
    cert v2g_root self 3650 "/CN=V2GRootCA/O=ccsplc test/C=DE/DC=V2G" "$ROOT"
    cert cpo_sub1 v2g_root 1460 "/CN=CPOSubCA1/O=ccsplc test/C=DE/DC=V2G" "$CA1"
    cert cpo_sub2 cpo_sub1 365 "/CN=CPOSubCA2/O=ccsplc test/C=DE/DC=V2G" "$CA2"
    cert secc cpo_sub2 60 "/CN=DE*ABC*E0001/O=ccsplc test/C=DE/DC=CPO" "$LEAF"
    cat secc.pem cpo_sub2.pem cpo_sub1.pem >secc_chain.pem
    # V2G root -> CPS Sub-CA 1 -> CPS Sub-CA 2 -> CPS leaf: signs CertificateInstallation/-UpdateRes (DC=CPS)
    cert cps_sub1 v2g_root 1460 "/CN=CPSSubCA1/O=ccsplc test/C=DE/DC=V2G" "$CA1"
    cert cps_sub2 cps_sub1 365 "/CN=CPSSubCA2/O=ccsplc test/C=DE/DC=V2G" "$CA2"
    cert cps cps_sub2 60 "/CN=CPS leaf/O=ccsplc test/C=DE/DC=CPS" "$CPS"
    cat cps.pem cps_sub2.pem cps_sub1.pem >cps_chain.pem
    # OEM root -> OEM Sub-CA 1 -> OEM Sub-CA 2 -> OEM provisioning / vehicle leaf (DC=OEM)
    cert oem_root self 3650 "/CN=OEMRootCA/O=ccsplc test/C=DE/DC=OEM" "$ROOT"
    cert oem_sub1 oem_root 1460 "/CN=OEMSubCA1/O=ccsplc test/C=DE/DC=OEM" "$CA1"
    cert oem_sub2 oem_sub1 1460 "/CN=OEMSubCA2/O=ccsplc test/C=DE/DC=OEM" "$CA2"
    cert oem_prov oem_sub2 1460 "/CN=WCCSPLC0000000001/O=ccsplc test/C=DE/DC=OEM" "$LEAF"
    cat oem_prov.pem oem_sub2.pem oem_sub1.pem >oem_chain.pem
    cat oem_sub2.pem oem_sub1.pem oem_root.pem >oem_trust.pem   # the CPS's: a car sends its leaf only
    # MO root -> MO Sub-CA 1 -> MO Sub-CA 2 -> contract leaf (CN: the eMAID; DC=MO)
    cert mo_root self 3650 "/CN=MORootCA/O=ccsplc test/C=DE/DC=MO" "$ROOT"
    cert mo_sub1 mo_root 1460 "/CN=MOSubCA1/O=ccsplc test/C=DE/DC=MO" "$CA1"
    cert mo_sub2 mo_sub1 1460 "/CN=MOSubCA2/O=ccsplc test/C=DE/DC=MO" "$CA2"
    cert contract mo_sub2 730 "/CN=$EMAID/O=ccsplc test/C=DE/DC=MO" "$CONTRACT"
    cat contract.pem mo_sub2.pem mo_sub1.pem >contract_chain.pem
    # a second contract of the same Sub-CA 2, revoked by its CRL (mo_sub2_crl.pem; docs/pnc.md#revocation)
    cert contract2 mo_sub2 730 "/CN=$EMAID2/O=ccsplc test/C=DE/DC=MO" "$CONTRACT"
    cat contract2.pem mo_sub2.pem mo_sub1.pem >contract2_chain.pem
    crl mo_sub2 mo_sub2_crl.pem contract2
    # openssl itself finds the second contract revoked by the CRL, and the first one not
    openssl verify -crl_check -CRLfile mo_sub2_crl.pem -CAfile mo_root.pem -untrusted contract_chain.pem contract.pem \
        >/dev/null
    if openssl verify -crl_check -CRLfile mo_sub2_crl.pem -CAfile mo_root.pem -untrusted contract2_chain.pem \
        contract2.pem >/dev/null 2>&1; then
        echo "pki.sh: the CRL does not revoke contract2" >&2
        exit 1
    fi
    # every leaf reaches its root through its chain
    openssl verify -CAfile v2g_root.pem -untrusted secc_chain.pem secc.pem >/dev/null
    openssl verify -CAfile v2g_root.pem -untrusted cps_chain.pem cps.pem >/dev/null
    openssl verify -CAfile oem_root.pem -untrusted oem_chain.pem oem_prov.pem >/dev/null
    openssl verify -CAfile mo_root.pem -untrusted contract_chain.pem contract.pem >/dev/null
    cd - >/dev/null
}

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
curve=prime256v1 md=sha256 pki iso2     # ISO 15118-2: secp256r1, ECDSA-SHA256
curve=secp521r1 md=sha512 pki iso20     # ISO 15118-20: secp521r1, ECDSA-SHA512
echo "pki: $dir/iso2 and $dir/iso20 (V2G, OEM and MO hierarchies; see docs/pnc.md)"
