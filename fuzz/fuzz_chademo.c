/* libFuzzer target: the CHAdeMO frame decoders and both sequences (the charger's through the bridge, the simulated
 * car's) on hostile CAN traffic. Input: records (fuzz_util.h), each one frame: 2 bytes identifier (big endian, 11
 * bits), then its data (a record longer than 8 bytes claims that length); 10 ms pass per record. Every decoded frame
 * re-encodes to the same values; the charger's outputs stay in their limits and order (d2 only with d1 and the lock,
 * current only while charging, never above the output's limit). Each record is also a cannelloni UDP packet: what
 * decodes re-encodes and decodes to the same frames. */
#include <math.h>
#include <string.h>

#include "ccsplc/core/chademo.h"
#include "ccsplc/linux/can.h"
#include "ccsplc/sim/chademo_car.h"
#include "fuzz_util.h"

#define ROUND_TRIP(type, dec, enc, f)                                                                              \
    do {                                                                                                           \
        type a_, b_;                                                                                               \
        cdm_frame g_;                                                                                              \
        memset(&a_, 0, sizeof a_);                                                                                 \
        memset(&b_, 0, sizeof b_);                                                                                 \
        if (dec(f, &a_) == 0) {                                                                                    \
            enc(&a_, &g_);                                                                                         \
            FUZZ_CHECK(dec(&g_, &b_) == 0 && memcmp(&a_, &b_, sizeof a_) == 0);                                    \
        }                                                                                                          \
    } while (0)

static void round_trips(const cdm_frame *f)
{
    ROUND_TRIP(cdm_ev_limits, cdm_decode_ev_limits, cdm_encode_ev_limits, f);
    ROUND_TRIP(cdm_ev_time, cdm_decode_ev_time, cdm_encode_ev_time, f);
    ROUND_TRIP(cdm_ev_status, cdm_decode_ev_status, cdm_encode_ev_status, f);
    ROUND_TRIP(cdm_evse_limits, cdm_decode_evse_limits, cdm_encode_evse_limits, f);
    ROUND_TRIP(cdm_evse_status, cdm_decode_evse_status, cdm_encode_evse_status, f);
}

static void cannelloni(const uint8_t *rec, size_t len)
{
    static cdm_frame f[CCS_CAN_BATCH], g[CCS_CAN_BATCH];
    static uint8_t buf[CCS_CANNELLONI_HEADER + CCS_CAN_BATCH * 13];
    size_t n, m, blen;
    if (ccs_cannelloni_decode(rec, len, f, CCS_CAN_BATCH, &n)) return;
    FUZZ_CHECK(ccs_cannelloni_encode(f, n, 0, buf, sizeof buf, &blen) == 0);
    FUZZ_CHECK(ccs_cannelloni_decode(buf, blen, g, CCS_CAN_BATCH, &m) == 0 && m == n);
    FUZZ_CHECK(n == 0 || memcmp(f, g, n * sizeof f[0]) == 0);
}

static void check_outputs(const cdm_charger *c)
{
    const cdm_charger_output *o = &c->out;
    FUZZ_CHECK(!o->d2 || (o->d1 && o->lock));
    FUZZ_CHECK(!o->output_on || o->d2);
    FUZZ_CHECK(isfinite(o->target_a) && o->target_a >= 0.0f && o->target_a <= c->cfg.avail_a);
    FUZZ_CHECK(o->target_a == 0.0f || c->state == CDM_CHARGING);
    FUZZ_CHECK(c->ntx <= 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cdm_bridge br;
    cdm_charger *const c = &br.ch;
    static cdm_car car;
    cdm_charger_config cc;
    cdm_car_config carc;
    cdm_charger_config_default(&cc);
    cdm_car_config_leaf(&carc);
    cdm_bridge_init(&br, &cc);
    cdm_car_init(&car, &carc);
    c->in.plugged = 1;
    br.sim_k = 1;
    br.sim_v = 380.0f;
    car.d1 = 1;
    uint32_t now = 0;
    const uint8_t *rec;
    size_t len;
    while (fuzz_record(&data, &size, &rec, &len)) {
        cannelloni(rec, len);
        if (len < 2) continue;
        cdm_frame f = { .id = (uint32_t)(rec[0] << 8 | rec[1]) & 0x7FFu, .len = (uint8_t)(len - 2 > 255 ? 255 : len - 2) };
        memcpy(f.data, rec + 2, len - 2 > 8 ? 8 : len - 2);
        round_trips(&f);
        now += 10;
        cdm_state before = c->state;
        cdm_frame tx[CDM_BRIDGE_TX];
        cdm_bridge_rx(&br, &f, now);   /* the car's frames and the simulation wires (k, the inlet voltage) */
        cdm_car_rx(&car, &f, now);
        c->in.present_a = c->out.target_a;
        cdm_bridge_step(&br, NULL, NULL, now);
        FUZZ_CHECK(c->state >= before);   /* the sequence never goes back */
        check_outputs(c);
        FUZZ_CHECK(cdm_bridge_tx(&br, tx) <= CDM_BRIDGE_TX);
        cdm_car_step(&car, c->out.target_a, 10, now);
        FUZZ_CHECK(car.ntx <= 4);
    }
    return 0;
}
