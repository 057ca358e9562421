/* Fault injection from pyPLC's manual fault list, automated for DIN 70121 (the matrix in sess_faults.h): the
 * charger answers FAILED, FAILED_SequenceError, EVSE_Shutdown, EVSE_EmergencyShutdown or EVSE_Malfunction, or
 * stops answering, at each stage from SessionSetup to CurrentDemand -> the car reaches its safe state; the car
 * goes silent or drops TCP at each stage -> the charger reaches its safe state within V2G_SECC_Sequence_Timeout.
 * Virtual clock; every test checks the safe state itself (current 0, contactors open, nothing opened under
 * load), not only the exit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "sess_faults.h"

const char *din_msg_name(int msg);   /* src/v2g/din_glue.c */

#define MSG SESS_EVCC_MSG_TIMEOUT_MS
#define SEQ SESS_SECC_SEQUENCE_TIMEOUT_MS

/* The stages: whether the response has a DC_EVSEStatus, the car's V2G_EVCC_Msg_Timeout for the request.
 * CurrentDemand is hit at its 5th cycle, with current flowing. */
static const sf_stage stages[] = {
    { din_BodyType_SessionSetupReq, 0, MSG, SEQ, 1, 1 },
    { din_BodyType_ServiceDiscoveryReq, 0, MSG, SEQ, 1, 1 },
    { din_BodyType_ServicePaymentSelectionReq, 0, MSG, SEQ, 1, 1 },
    { din_BodyType_ContractAuthenticationReq, 0, MSG, SEQ, 1, 1 },
    { din_BodyType_ChargeParameterDiscoveryReq, 1, MSG, SEQ, 1, 1 },
    { din_BodyType_CableCheckReq, 1, MSG, SEQ, 1, 1 },
    { din_BodyType_PreChargeReq, 1, MSG, SEQ, 1, 1 },
    { din_BodyType_PowerDeliveryReq, 1, MSG, SEQ, 1, 1 },
    { din_BodyType_CurrentDemandReq, 1, SESS_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_MS, SEQ, 5, 1 },
};

static struct din_exiDocument D;   /* the message msg_of decoded last */

static int msg_of(const uint8_t *buf, size_t len)
{
    if (len < V2GTP_HEADER_LEN || din_decode(buf + V2GTP_HEADER_LEN, len - V2GTP_HEADER_LEN, &D) != 0) return -1;
    return D.V2G_Message.Body.BodyElement_choice;
}

static struct din_DC_EVSEStatusType *status_of(struct din_BodyType *b)
{
    switch (b->BodyElement_choice) {
    case din_BodyType_ChargeParameterDiscoveryRes: return &b->ChargeParameterDiscoveryRes.DC_EVSEChargeParameter.DC_EVSEStatus;
    case din_BodyType_CableCheckRes: return &b->CableCheckRes.DC_EVSEStatus;
    case din_BodyType_PreChargeRes: return &b->PreChargeRes.DC_EVSEStatus;
    case din_BodyType_PowerDeliveryRes: return &b->PowerDeliveryRes.DC_EVSEStatus;
    case din_BodyType_CurrentDemandRes: return &b->CurrentDemandRes.DC_EVSEStatus;
    default: return NULL;
    }
}

/* Rewrites the charger's response code (every DIN response starts with its ResponseCode except the
 * certificate ones, which these stages do not use) or its EVSEStatusCode. */
static void tamper(sf_fault f, uint8_t *buf, size_t *len)
{
    struct din_BodyType *b = &D.V2G_Message.Body;
    static const enum din_DC_EVSEStatusCodeType codes[] = {
        [SF_SHUTDOWN] = din_DC_EVSEStatusCodeType_EVSE_Shutdown,
        [SF_EMERGENCY] = din_DC_EVSEStatusCodeType_EVSE_EmergencyShutdown,
        [SF_MALFUNCTION] = din_DC_EVSEStatusCodeType_EVSE_Malfunction,
    };
    if (f == SF_FAILED || f == SF_SEQUENCE) {
        enum din_responseCodeType *code = (enum din_responseCodeType *)(void *)&b->CableCheckRes;
        *code = f == SF_FAILED ? din_responseCodeType_FAILED : din_responseCodeType_FAILED_SequenceError;
    } else {
        status_of(b)->EVSEStatusCode = codes[f];
    }
    size_t n;
    assert_int_equal(din_encode(&D, buf + V2GTP_HEADER_LEN, SESS_TX_CAP - V2GTP_HEADER_LEN, &n), 0);
    assert_int_equal(v2gtp_pack_header(V2GTP_EXI, (uint32_t)n, buf, SESS_TX_CAP), 0);
    *len = n + V2GTP_HEADER_LEN;
}

static void setup(sw_world *w, int mode)
{
    (void)mode;
    sess_evse_config e;
    sess_pev_config p;
    phys_charger_config c;
    phys_battery_config b;
    sw_default_configs(&e, &p, &c, &b);
    sw_init(w, &e, &p, &c, &b);
}

static const char *const modes[] = { [1] = "DC" };
static const sf_proto P = {
    .stages = stages, .nstages = sizeof stages / sizeof stages[0], .modes = 1, .mode_names = modes,
    .setup = setup, .msg_of = msg_of, .tamper = tamper, .msg_name = din_msg_name,
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
