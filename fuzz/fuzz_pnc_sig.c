/* libFuzzer target: the charger's check of a signed ISO 15118-2 AuthorizationReq (fuzz_pnc.h): the rest after byte
 * 0 is an AuthorizationReq (EXI: the header's Signature with SignedInfo, the body's Id and GenChallenge) to the
 * charger that sent a GenChallenge and holds the contract's key from a real PaymentDetails; its SignedInfo and the
 * request are encoded again as fragments, digested and verified with OpenSSL. */
#include "fuzz_pnc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    fp_deliver(&fp_auth, data + 1, size - 1);
    return 0;
}
