# The XML signatures of a V2G session's messages checked outside ccsplc's crypto (sourced by the netns_pnc* tests
# after lib/netns.sh: uses $CCSPLC, $tmp and fail). The messages come from the pcap (`ccsplc decode --json --keylog`);
# `ccsplc exi fragment` gives the EXI fragments our codec's fragment grammars encode from each decoded message;
# openssl computes each Reference's digest (SHA-256 / SHA-512 as its DigestMethod names) and checks the
# SignatureValue over SignedInfo's fragment with the public key of the signer's certificate as the session carried
# it (which must be the PKI file's). The signature is r || s in the message: written as DER (SEQUENCE of two
# INTEGERs) with `openssl asn1parse -genconf`. Each check is also shown to fail: a changed byte of the fragment
# gives another digest, of SignedInfo a signature that does not verify. Needs openssl and xxd.
command -v xxd >/dev/null || skip "needs xxd"

# sig_messages TAG KEYLOG PCAP: the pcap's V2G messages, decoded with the key log, as lines "PROTO NAME HEX"
# in $tmp/TAG.msgs
sig_messages() {
    "$CCSPLC" decode --json --keylog "$2" "$3" >"$tmp/$1.json" 2>"$tmp/$1.json.err" || fail "$1: decode --json"
    sed -n 's/.*"layer":"v2g","proto":"\([^"]*\)","msg":"\([^"]*\)".*"hex":"\([0-9a-f]*\)".*/\1 \2 \3/p' \
        "$tmp/$1.json" >"$tmp/$1.msgs"
}

# kv_get KEY: the value of KEY in the key=value text on stdin
kv_get() { awk -v k="$1=" 'index($0, k) == 1 { print substr($0, length(k) + 1); exit }'; }

# md_of URI: openssl's digest name for an xmldsig algorithm URI (…#sha256, …#ecdsa-sha512)
md_of() {
    case $1 in
    *sha256) echo sha256 ;;
    *sha512) echo sha512 ;;
    *) return 1 ;;
    esac
}

# sig_verify TAG PROTO HEX PUB: every Reference of message HEX digests its element's fragment, and the
# SignatureValue verifies over the SignedInfo fragment with the public key in PEM file PUB
sig_verify() {
    local tag=$1 proto=$2 hex=$3 pub=$4 kv frags uri el frag i md want got sv half si=
    kv=$("$CCSPLC" exi decode --kv --proto "$proto" "$hex") || fail "$tag: exi decode"
    frags=$("$CCSPLC" exi fragment --proto "$proto" "$hex") || fail "$tag: exi fragment"
    while read -r uri el frag; do
        if [ "$uri" = - ]; then
            si=$frag
            continue
        fi
        i=$(grep -m1 "^Signature\.SignedInfo\.Reference\[[0-9]*\]\.URI=$uri\$" <<<"$kv" |
            sed 's/.*\[\([0-9]*\)\].*/\1/')
        [ -n "$i" ] || fail "$tag: no Reference $uri"
        md=$(kv_get "Signature.SignedInfo.Reference[$i].DigestMethod.Algorithm" <<<"$kv")
        md=$(md_of "$md") || fail "$tag: Reference $uri: digest method $md"
        want=$(kv_get "Signature.SignedInfo.Reference[$i].DigestValue" <<<"$kv")
        got=$(xxd -r -p <<<"$frag" | openssl dgst -"$md" -binary | xxd -p -c 256)
        [ -n "$want" ] && [ "$got" = "$want" ] || fail "$tag: $el ($uri): $md of its fragment $got, DigestValue $want"
        got=$(xxd -r -p <<<"${frag:0:6}$(printf '%02x' $((0x${frag:6:2} ^ 1)))${frag:8}" |
            openssl dgst -"$md" -binary | xxd -p -c 256)
        [ "$got" != "$want" ] || fail "$tag: $el: a changed fragment has the same digest"
    done <<<"$frags"
    [ -n "$si" ] || fail "$tag: no SignedInfo fragment"
    md=$(md_of "$(kv_get Signature.SignedInfo.SignatureMethod.Algorithm <<<"$kv")") || fail "$tag: signature method"
    sv=$(kv_get Signature.SignatureValue.CONTENT <<<"$kv")
    half=$((${#sv} / 2))
    printf 'asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x%s\ns=INTEGER:0x%s\n' "${sv:0:half}" "${sv:half}" >"$tmp/sig.conf"
    openssl asn1parse -genconf "$tmp/sig.conf" -out "$tmp/sig.der" -noout >/dev/null || fail "$tag: r || s to DER"
    xxd -r -p <<<"$si" >"$tmp/signed_info.bin"
    openssl dgst -"$md" -verify "$pub" -signature "$tmp/sig.der" "$tmp/signed_info.bin" >/dev/null ||
        fail "$tag: the SignatureValue does not verify over SignedInfo's fragment"
    printf '\x01' | dd of="$tmp/signed_info.bin" bs=1 seek=5 conv=notrunc status=none
    openssl dgst -"$md" -verify "$pub" -signature "$tmp/sig.der" "$tmp/signed_info.bin" >/dev/null 2>&1 &&
        fail "$tag: the signature verifies over a changed SignedInfo"
    return 0
}

# sig_session TAG MSG CERTMSG CERTKEY PEM: in $tmp/TAG.msgs (sig_messages), every message named MSG carries a
# Signature that sig_verify accepts with the key of the certificate the first CERTMSG carries at key CERTKEY (its
# key=value name), which must be the certificate in PEM. Sets sig_checked: how many messages (at least one).
sig_session() {
    local tag=$1 msg=$2 certmsg=$3 certkey=$4 pem=$5 proto name hex cert
    sig_checked=0
    cert=$(awk -v m="$certmsg" '$2 == m { print $1, $3; exit }' "$tmp/$tag.msgs")
    [ -n "$cert" ] || fail "$tag: no $certmsg in the pcap"
    cert=$("$CCSPLC" exi decode --kv --proto ${cert% *} "${cert#* }" | kv_get "$certkey")
    [ -n "$cert" ] || fail "$tag: $certmsg has no $certkey"
    xxd -r -p <<<"$cert" >"$tmp/$tag.signer.der"
    openssl x509 -in "$pem" -outform DER | cmp -s - "$tmp/$tag.signer.der" ||
        fail "$tag: the certificate in $certmsg is not $pem"
    openssl x509 -inform DER -in "$tmp/$tag.signer.der" -pubkey -noout >"$tmp/$tag.signer.pub" ||
        fail "$tag: the signer's public key"
    while read -r proto name hex <&3; do
        [ "$name" = "$msg" ] || continue
        sig_verify "$tag: $msg" "$proto" "$hex" "$tmp/$tag.signer.pub"
        sig_checked=$((sig_checked + 1))
    done 3<"$tmp/$tag.msgs"
    [ "$sig_checked" -gt 0 ] || fail "$tag: no $msg in the pcap"
}
