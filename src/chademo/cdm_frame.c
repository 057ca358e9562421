/* CHAdeMO 1.x CAN frames: bounds-checked decoders and encoders of 0x100/0x101/0x102 (car) and 0x108/0x109
 * (charger), and ccsplc's simulation-wire frames.
 * Layouts: hwthomas/ccs-chademo doc/QC_CAN_messages/CAN_ID_100-109.txt (bytes, little endian, 1 V / 1 A per bit)
 * and QC-CAN_ALL.dbc (signal names, the 0x101 capacity and the flag bits); pyPLC hardwareInterface.py
 * mainfunction_chademo reads 0x102 the same way (target voltage data[1] + data[2] << 8, current data[3], SoC
 * data[6]) and sends 0x108 as [0, V lo, V hi, A, 0, ...] and 0x109 as [protocol, V lo, V hi, A, 0, status, ...].
 * (QC-CAN_ALL.dbc marks the voltages Motorola with 0.01 V; the byte layout, the wiki and both programs say
 * little endian with 1 V: that is what cars send.) */
#include <string.h>

#include "ccsplc/core/chademo.h"
#include "ccsplc/core/errors.h"
#include "common/wire.h"

static int check(const cdm_frame *f, uint32_t id)
{
    if (!f) return CCS_EINVAL;
    if (f->id != id) return CCS_EPROTO;
    return f->len < 8 ? CCS_ETRUNC : 0;
}

static void start(cdm_frame *f, uint32_t id)
{
    memset(f, 0, sizeof *f);
    f->id = id;
    f->len = 8;
}

int cdm_decode_ev_limits(const cdm_frame *f, cdm_ev_limits *out)
{
    int rc = check(f, CDM_ID_EV_LIMITS);
    if (rc) return rc;
    *out = (cdm_ev_limits){ .min_a = f->data[0], .min_v = wire_le16(f->data + 2), .max_v = wire_le16(f->data + 4),
                            .rate_pct = f->data[6] };
    return 0;
}

void cdm_encode_ev_limits(const cdm_ev_limits *v, cdm_frame *f)
{
    start(f, CDM_ID_EV_LIMITS);
    f->data[0] = v->min_a;
    wire_put_le16(f->data + 2, v->min_v);
    wire_put_le16(f->data + 4, v->max_v);
    f->data[6] = v->rate_pct;
}

int cdm_decode_ev_time(const cdm_frame *f, cdm_ev_time *out)
{
    int rc = check(f, CDM_ID_EV_TIME);
    if (rc) return rc;
    *out = (cdm_ev_time){ .max_time_10s = f->data[1], .max_time_min = f->data[2], .est_time_min = f->data[3],
                          .capacity_100wh = wire_le16(f->data + 5) };
    return 0;
}

void cdm_encode_ev_time(const cdm_ev_time *v, cdm_frame *f)
{
    start(f, CDM_ID_EV_TIME);
    f->data[1] = v->max_time_10s;
    f->data[2] = v->max_time_min;
    f->data[3] = v->est_time_min;
    wire_put_le16(f->data + 5, v->capacity_100wh);
}

int cdm_decode_ev_status(const cdm_frame *f, cdm_ev_status *out)
{
    int rc = check(f, CDM_ID_EV_STATUS);
    if (rc) return rc;
    *out = (cdm_ev_status){ .protocol = f->data[0], .target_v = wire_le16(f->data + 1), .request_a = f->data[3],
                            .faults = f->data[4], .status = f->data[5], .soc = f->data[6] };
    return 0;
}

void cdm_encode_ev_status(const cdm_ev_status *v, cdm_frame *f)
{
    start(f, CDM_ID_EV_STATUS);
    f->data[0] = v->protocol;
    wire_put_le16(f->data + 1, v->target_v);
    f->data[3] = v->request_a;
    f->data[4] = v->faults;
    f->data[5] = v->status;
    f->data[6] = v->soc;
}

int cdm_decode_evse_limits(const cdm_frame *f, cdm_evse_limits *out)
{
    int rc = check(f, CDM_ID_EVSE_LIMITS);
    if (rc) return rc;
    *out = (cdm_evse_limits){ .welding_detection = f->data[0], .avail_v = wire_le16(f->data + 1),
                              .avail_a = f->data[3], .threshold_v = wire_le16(f->data + 4) };
    return 0;
}

void cdm_encode_evse_limits(const cdm_evse_limits *v, cdm_frame *f)
{
    start(f, CDM_ID_EVSE_LIMITS);
    f->data[0] = v->welding_detection;
    wire_put_le16(f->data + 1, v->avail_v);
    f->data[3] = v->avail_a;
    wire_put_le16(f->data + 4, v->threshold_v);
}

int cdm_decode_evse_status(const cdm_frame *f, cdm_evse_status *out)
{
    int rc = check(f, CDM_ID_EVSE_STATUS);
    if (rc) return rc;
    *out = (cdm_evse_status){ .protocol = f->data[0], .present_v = wire_le16(f->data + 1), .present_a = f->data[3],
                              .status = f->data[5], .remain_10s = f->data[6], .remain_min = f->data[7] };
    return 0;
}

void cdm_encode_evse_status(const cdm_evse_status *v, cdm_frame *f)
{
    start(f, CDM_ID_EVSE_STATUS);
    f->data[0] = v->protocol;
    wire_put_le16(f->data + 1, v->present_v);
    f->data[3] = v->present_a;
    f->data[5] = v->status;
    f->data[6] = v->remain_10s;
    f->data[7] = v->remain_min;
}

void cdm_encode_sim_evse(int d1, int d2, cdm_frame *f)
{
    start(f, CDM_ID_SIM_EVSE_WIRES);
    f->data[0] = (uint8_t)((d1 ? 1 : 0) | (d2 ? 2 : 0));
}

int cdm_decode_sim_evse(const cdm_frame *f, uint8_t *d1, uint8_t *d2)
{
    int rc = check(f, CDM_ID_SIM_EVSE_WIRES);
    if (rc) return rc;
    *d1 = f->data[0] & 1;
    *d2 = (f->data[0] >> 1) & 1;
    return 0;
}

void cdm_encode_sim_ev(int k, float inlet_v, cdm_frame *f)
{
    start(f, CDM_ID_SIM_EV_WIRES);
    f->data[0] = k ? 1 : 0;
    wire_put_le16(f->data + 1, inlet_v <= 0.0f ? 0 : inlet_v >= 65535.0f ? 65535 : (uint16_t)(inlet_v + 0.5f));
}

int cdm_decode_sim_ev(const cdm_frame *f, uint8_t *k, float *inlet_v)
{
    int rc = check(f, CDM_ID_SIM_EV_WIRES);
    if (rc) return rc;
    *k = f->data[0] & 1;
    *inlet_v = (float)wire_le16(f->data + 1);
    return 0;
}
