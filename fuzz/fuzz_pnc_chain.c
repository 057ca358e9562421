/* libFuzzer target: the charger's checks of a contract chain (ISO 15118-2 PaymentDetailsReq) on OpenSSL with its
 * revocation sources and allow-list (fuzz_pnc.h). Byte 0 even: the rest is a PaymentDetailsReq (EXI) to the
 * charger waiting for one (the DER inside the EXI reaches pnc_openssl_check_chain); odd: records (fuzz_util.h),
 * the first an eMAID, then up to 5 certificates (DER) straight to the chain check (bit 1: as ISO-20's P-521 chain). */
#include "fuzz_pnc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    if (!(data[0] & 1)) {
        fp_deliver(&fp_details, data + 1, size - 1);
        return 0;
    }
    ccs_pnc_suite suite = data[0] & 2 ? CCS_PNC_P521_SHA512 : CCS_PNC_P256_SHA256;   /* ISO-20's or ISO-2's */
    data++, size--;
    const uint8_t *emaid = NULL, *rec;
    size_t emaid_len = 0, len, n = 0;
    ccs_pnc_cert chain[CCS_PNC_CHAIN_MAX];
    if (!fuzz_record(&data, &size, &emaid, &emaid_len)) return 0;
    while (n < CCS_PNC_CHAIN_MAX && fuzz_record(&data, &size, &rec, &len)) chain[n++] = (ccs_pnc_cert){ rec, len };
    uint8_t key[CCS_PNC_KEY_MAX];
    ccs_pnc_verdict v = fp_checker.check_chain(fp_checker.ctx, suite, chain, n, (const char *)emaid, emaid_len,
                                               fp_details.evse.cfg.clock_unix_s, key);
    FUZZ_CHECK(v >= CCS_PNC_CHAIN_OK && v <= CCS_PNC_CHAIN_REVOKED);
    if (v == CCS_PNC_CHAIN_OK) {   /* only a chain that reaches the root: then the allow-list */
        ccs_pnc_auth a = fp_checker.authorize(fp_checker.auth_ctx, chain, n, (const char *)emaid, emaid_len);
        FUZZ_CHECK(a == CCS_PNC_AUTH_ACCEPT || a == CCS_PNC_AUTH_REJECT);
    }
    return 0;
}
