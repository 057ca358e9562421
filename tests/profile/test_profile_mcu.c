/* The EXI codecs compiled with the firmware's capacities (tests/profile/mcu_dc.h: the [mcu] capacities of
 * tools/exigen/caps.options and no fragment grammars, as in ccsplc/core/profiles/car.h): every corpus vector of
 * SupportedAppProtocol, DIN 70121 and ISO 15118-2 either decodes and re-encodes to the same bytes, or is refused
 * with CCS_ECAP or CCS_ELENGTH (it does not fit the smaller capacities: never truncated, never written past an
 * array; the ASan build checks the latter); every unsigned message of an external identification DC session
 * decodes; signatures and fragments are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/core/gen/app.h"
#include "ccsplc/core/gen/din.h"
#include "ccsplc/core/gen/iso2.h"
#include "corpus.h"
#include "testutil.h"

_Static_assert(ISO2_LEN_certificateType == 1 && DIN_CAP_PMaxScheduleType_PMaxScheduleEntry == 12 &&
                   !CCS_EXI_FRAGMENTS && !CCS_PROTO_ISO20,
               "built with the firmware capacities");

static union {
    struct app_exiDocument app;
    struct din_exiDocument din;
    struct iso2_exiDocument iso2;
} doc;

static unsigned refused; /* vectors refused for a capacity */

/* The messages of an external identification DC session (DIN 70121 and ISO 15118-2 names): each must fit. */
static int eim_dc_message(const char *m)
{
    static const char *const names[] = {
        "supportedAppProtocolReq", "supportedAppProtocolRes", "SessionSetupReq", "SessionSetupRes",
        "ServiceDiscoveryReq", "ServiceDiscoveryRes", "ServicePaymentSelectionReq", "ServicePaymentSelectionRes",
        "PaymentServiceSelectionReq", "PaymentServiceSelectionRes", "ContractAuthenticationReq",
        "ContractAuthenticationRes", "AuthorizationReq", "AuthorizationRes", "ChargeParameterDiscoveryReq",
        "ChargeParameterDiscoveryRes", "CableCheckReq", "CableCheckRes", "PreChargeReq", "PreChargeRes",
        "PowerDeliveryReq", "PowerDeliveryRes", "CurrentDemandReq", "CurrentDemandRes", "WeldingDetectionReq",
        "WeldingDetectionRes", "SessionStopReq", "SessionStopRes",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(m, names[i])) return 1;
    return 0;
}

static const char *check(const struct corpus_line *l, const char **note)
{
    static uint8_t in[8192], out[8192];
    long n = tu_hex2bin(l->hex, in, sizeof in);
    if (n <= 0) return "bad hex";
    int rc;
    size_t olen = 0;
    if (!strcmp(l->proto, "app")) {
        rc = app_decode(in, (size_t)n, &doc.app);
        if (!rc) rc = app_encode(&doc.app, out, sizeof out, &olen);
    } else if (!strcmp(l->proto, "din")) {
        rc = din_decode(in, (size_t)n, &doc.din);
        if (!rc) rc = din_encode(&doc.din, out, sizeof out, &olen);
    } else if (!strcmp(l->proto, "iso2")) {
        rc = iso2_decode(in, (size_t)n, &doc.iso2);
        if (!rc) rc = iso2_encode(&doc.iso2, out, sizeof out, &olen);
    } else {
        return "not a codec of the car profile";
    }
    if (rc == CCS_ECAP || rc == CCS_ELENGTH) { /* more elements, or a longer string or binary, than the capacity */
        refused++;
        *note = "over the [mcu] capacities";
        /* A signed message (the header's Signature) may be refused in any message; the rest of a session must fit. */
        return eim_dc_message(l->message) && !strstr(l->fields, "Signature") ? "a session message does not fit"
                                                                                : NULL;
    }
    return rc ? "does not decode or encode" : corpus_same_encoding(in, (size_t)n, out, olen);
}

CORPUS_FILE_TEST(app, check)
CORPUS_FILE_TEST(din, check)
CORPUS_FILE_TEST(iso2, check)

/* The corpus holds vectors larger than the car profile's capacities (certificates, long schedules): refused. */
static void some_refused(void **state)
{
    (void)state;
    assert_true(refused > 0);
}

/* Without the fragment grammars, the fragment entry points refuse instead of decoding. */
static void no_fragments(void **state)
{
    (void)state;
    static const uint8_t any[] = { 0x80, 0x00 };
    struct iso2_exiFragment frag;
    assert_int_equal(iso2_decode_fragment(any, sizeof any, &frag), CCS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus_app), cmocka_unit_test(corpus_din), cmocka_unit_test(corpus_iso2),
        cmocka_unit_test(some_refused), cmocka_unit_test(no_fragments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
