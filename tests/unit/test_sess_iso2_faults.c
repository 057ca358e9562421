/* ISO 15118-2 fault injection (pyPLC's manual fault list, automated; the matrix in sess_faults.h) for DC and AC:
 * the charger answers FAILED, FAILED_SequenceError, a stop request (DC EVSE_Shutdown, AC StopCharging),
 * EVSE_EmergencyShutdown, EVSE_Malfunction (AC: RCD) or nothing at each stage -> the car's stop reason, when (at
 * once / exactly the request's V2G_EVCC_Msg_Timeout), then the plant safe; the car silent or dropping TCP at
 * each stage -> the charger safe after V2G_SECC_Sequence_Timeout / at once. Virtual clock; the safe state itself
 * is asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "iso2_world.h"
#include "sess_faults.h"

/* src/v2g/iso2_glue.c */
const char *iso2_msg_name(int msg);
struct iso2_DC_EVSEStatusType *iso2_dc_status_of(struct iso2_BodyType *b);
struct iso2_AC_EVSEStatusType *iso2_ac_status_of(struct iso2_BodyType *b);

#define MSG SESS_EVCC_MSG_TIMEOUT_MS
#define SEQ SESS_SECC_SEQUENCE_TIMEOUT_MS
enum { DC = 1, AC = 2 };

/* The stages: whether the response has an EVSE status, the request's V2G_EVCC_Msg_Timeout (ISO 15118-2 Table
 * 109), the cycle hit (the loops at their 5th, current flowing), the modes it belongs to. */
static const sf_stage stages[] = {
    { iso2_BodyType_SessionSetupReq, 0, MSG, SEQ, 1, DC | AC },
    { iso2_BodyType_ServiceDiscoveryReq, 0, MSG, SEQ, 1, DC | AC },
    { iso2_BodyType_PaymentServiceSelectionReq, 0, MSG, SEQ, 1, DC | AC },
    { iso2_BodyType_AuthorizationReq, 0, MSG, SEQ, 1, DC | AC },
    { iso2_BodyType_ChargeParameterDiscoveryReq, 1, MSG, SEQ, 1, DC | AC },
    { iso2_BodyType_CableCheckReq, 1, MSG, SEQ, 1, DC },
    { iso2_BodyType_PreChargeReq, 1, MSG, SEQ, 1, DC },
    { iso2_BodyType_PowerDeliveryReq, 1, SESS_EVCC_MSG_TIMEOUT_LONG_MS, SEQ, 1, DC | AC },
    { iso2_BodyType_CurrentDemandReq, 1, SESS_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_MS, SEQ, 5, DC },
    { iso2_BodyType_ChargingStatusReq, 1, MSG, SEQ, 5, AC },
};

static struct iso2_exiDocument D;   /* the message msg_of decoded last */

static int msg_of(const uint8_t *buf, size_t len)
{
    if (len < V2GTP_HEADER_LEN || iso2_decode(buf + V2GTP_HEADER_LEN, len - V2GTP_HEADER_LEN, &D) != 0) return -1;
    return D.V2G_Message.Body.BodyElement_choice;
}

/* Every ISO-2 response starts with its ResponseCode; the status is DC or AC. AC has no status code: a stop is
 * the StopCharging notification, a malfunction a tripped RCD, an emergency only a FAILED code (not tested). */
static void tamper(sf_fault f, uint8_t *buf, size_t *len)
{
    struct iso2_BodyType *b = &D.V2G_Message.Body;
    struct iso2_DC_EVSEStatusType *dc = iso2_dc_status_of(b);
    struct iso2_AC_EVSEStatusType *ac = iso2_ac_status_of(b);
    static const enum iso2_DC_EVSEStatusCodeType codes[] = {
        [SF_SHUTDOWN] = iso2_DC_EVSEStatusCodeType_EVSE_Shutdown,
        [SF_EMERGENCY] = iso2_DC_EVSEStatusCodeType_EVSE_EmergencyShutdown,
        [SF_MALFUNCTION] = iso2_DC_EVSEStatusCodeType_EVSE_Malfunction,
    };
    if (f == SF_FAILED || f == SF_SEQUENCE)
        b->AuthorizationRes.ResponseCode =
            f == SF_FAILED ? iso2_responseCodeType_FAILED : iso2_responseCodeType_FAILED_SequenceError;
    else if (dc)
        dc->EVSEStatusCode = codes[f];
    else if (ac && f == SF_SHUTDOWN)
        ac->EVSENotification = iso2_EVSENotificationType_StopCharging;
    else if (ac && f == SF_MALFUNCTION)
        ac->RCD = true;
    else
        fail_msg("no status for fault %d", (int)f);
    size_t n;
    assert_int_equal(iso2_encode(&D, buf + V2GTP_HEADER_LEN, SESS_TX_CAP - V2GTP_HEADER_LEN, &n), 0);
    assert_int_equal(v2gtp_pack_header(V2GTP_EXI, (uint32_t)n, buf, SESS_TX_CAP), 0);
    *len = n + V2GTP_HEADER_LEN;
}

static void setup(sw_world *w, int mode) { iw_setup(w, mode == AC, NULL); }

static int applies(const sf_stage *st, int mode, sf_fault f)
{
    (void)st;
    return !(mode == AC && f == SF_EMERGENCY);
}

static const char *const modes[] = { [DC] = "DC", [AC] = "AC" };
static const sf_proto P = {
    .stages = stages, .nstages = sizeof stages / sizeof stages[0], .modes = DC | AC, .mode_names = modes,
    .setup = setup, .msg_of = msg_of, .tamper = tamper, .applies = applies, .msg_name = iso2_msg_name,
};

int main(void)
{
    const struct CMUnitTest tests[] = {
        SF_CASE("charger_failed", &P, 0, SF_FAILED, 0),           SF_CASE("charger_sequence_error", &P, 0, SF_SEQUENCE, 0),
        SF_CASE("charger_shutdown", &P, 0, SF_SHUTDOWN, 0),       SF_CASE("charger_emergency", &P, 0, SF_EMERGENCY, 0),
        SF_CASE("charger_malfunction", &P, 0, SF_MALFUNCTION, 0), SF_CASE("charger_silent", &P, 0, SF_SILENT, 0),
        SF_CASE("car_silent", &P, 1, 0, 0),                       SF_CASE("car_drops_tcp", &P, 1, 1, 0),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
