# The test PKI for the TLS and Plug & Charge tests (sourced after lib/netns.sh): scripts/pki.sh's hierarchies made
# fresh in $tmp/pki; P2 and P20 name its ISO 15118-2 and -20 directories. Skips without the openssl command.
command -v openssl >/dev/null || skip "needs the openssl command"
bash "$(dirname "${BASH_SOURCE[0]}")/../../../scripts/pki.sh" "$tmp/pki" >/dev/null || fail "scripts/pki.sh"
P2=$tmp/pki/iso2 P20=$tmp/pki/iso20
