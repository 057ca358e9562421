/* v2g_timing (the per-message time limits the Wireshark plugin checks responses against): the values of the
 * standards' tables, and agreement with the V2G_EVCC_Msg_Timeout of every request our own car sends (sess.h, a
 * separate transcription), the charger's performance time always under the car's timeout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ccsplc/core/sess.h"
#include "ccsplc/tools/v2g_timing.h"
#include "v2g/sess_internal.h"

static void expect(const char *proto, const char *req, uint32_t perf, uint32_t timeout)
{
    v2g_timing t;
    assert_int_equal(v2g_timing_of(proto, req, &t), 1);
    assert_int_equal(t.perf_ms, perf);
    assert_int_equal(t.timeout_ms, timeout);
}

/* DIN 70121 Table 75, ISO 15118-2 Table 109, ISO 15118-20 Tables 216-218. */
static void table_values(void **state)
{
    (void)state;
    expect("din", "CurrentDemandReq", 25, 250);
    expect("din", "CableCheckReq", 1500, 2000);
    expect("iso2", "CurrentDemandReq", 25, 250);
    expect("iso2", "ChargingStatusReq", 1500, 2000);
    expect("iso2", "PaymentDetailsReq", 4500, 5000);
    expect("iso2", "CertificateUpdateReq", 4500, 5000);
    expect("iso20-dc", "DC_ChargeLoopReq", 250, 500);
    expect("iso20-dc", "DC_PreChargeReq", 1500, 2000);
    expect("iso20-ac", "AC_ChargeLoopReq", 250, 500);
    v2g_timing t;
    assert_int_equal(v2g_timing_of("iso20-common", "SessionSetupReq", &t), 0); /* Table 215: not in our sources */
    assert_int_equal(v2g_timing_of("app", "supportedAppProtocolReq", &t), 0);
    assert_int_equal(v2g_timing_of("iso2", NULL, &t), 0);
}

/* Every request of our car's table that v2g_timing knows has the same timeout there; the performance time is
 * shorter. */
static void agrees_with_car_table(void **state)
{
    (void)state;
    static const char *const protos[] = {"din", "iso2", "iso20"};
    for (size_t i = 0; i < sizeof protos / sizeof protos[0]; i++) {
        const sess_proto *p = sess_proto_find(protos[i]);
        assert_non_null(p);
        int known = 0;
        for (uint8_t r = 0; r < p->pev_nrows; r++) {
            const char *name = p->msg_name(p->pev_rows[r].req);
            const char *codec = p->codec_dc && !strncmp(name, "DC_", 3) ? p->codec_dc : p->codec;
            v2g_timing t;
            if (!v2g_timing_of(codec, name, &t))
                continue;
            known++;
            if (t.timeout_ms != p->pev_rows[r].msg_timeout_ms)
                fail_msg("%s %s: table %u ms, car %u ms", codec, name, t.timeout_ms, p->pev_rows[r].msg_timeout_ms);
            assert_true(t.perf_ms < t.timeout_ms);
        }
        assert_true(known > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_values),
        cmocka_unit_test(agrees_with_car_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
