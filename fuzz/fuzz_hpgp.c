/* libFuzzer target: HomePlug management messages and both SLAC machines. The whole input is unpacked as one
 * frame (and whatever unpacks from at most an Ethernet frame must pack again); then it is split into records (fuzz_util.h), each one frame
 * fed to a started EVSE machine and a started PEV machine, with byte 0 of each record advancing the virtual
 * clock so that their timers run too. The machines must never emit more frames than their outbox holds. */
#include <string.h>

#include "ccsplc/core/hpgp.h"
#include "ccsplc/core/sha256.h"
#include "ccsplc/core/slac.h"
#include "fuzz_util.h"

static int rng(void *ctx, uint8_t *out, size_t len)
{
    uint32_t *x = ctx;
    for (size_t i = 0; i < len; i++) {
        *x ^= *x << 13;
        *x ^= *x >> 17;
        *x ^= *x << 5;
        out[i] = (uint8_t)*x;
    }
    return 0;
}

/* A fixed SHA-256 stand-in: the NID is not what is being fuzzed, and OpenSSL is not instrumented. */
static void fake_sha256(const uint8_t *data, size_t len, uint8_t out[32])
{
    memset(out, 0x5a, 32);
    for (size_t i = 0; i < len; i++)
        out[i % 32] ^= data[i];
}

/* Every frame a machine sends must be one it could unpack itself. */
static slac_action check(slac_action a)
{
    FUZZ_CHECK(a.n <= SLAC_OUT_MAX);
    for (unsigned i = 0; i < a.n; i++) {
        static hpgp_msg m;
        FUZZ_CHECK(a.len[i] <= SLAC_FRAME_CAP && hpgp_unpack(a.frame[i], a.len[i], &m) == 0);
    }
    return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static hpgp_msg m;
    static uint8_t buf[HPGP_MAX_FRAME];
    size_t n;
    if (hpgp_unpack(data, size, &m) == 0)   /* what unpacks (at most a frame) packs again */
        FUZZ_CHECK(hpgp_pack(&m, buf, sizeof buf, &n) == 0);

    static const uint8_t evse_mac[6] = { 0x02, 0, 0, 0, 0, 0x10 }, pev_mac[6] = { 0x02, 0, 0, 0, 0, 0x11 };
    static slac_evse evse;
    static slac_pev pev;
    uint32_t seed = 1, now = 0;
    slac_evse_config ec;
    slac_evse_config_default(&ec, evse_mac, rng, &seed, fake_sha256);
    slac_evse_init(&evse, &ec);
    slac_pev_config pc;
    slac_pev_config_default(&pc, pev_mac, rng, &seed);
    pc.random_run_id = 0; /* a RunID the inputs can learn */
    memset(pc.run_id, 0x11, sizeof pc.run_id);
    slac_pev_init(&pev, &pc);
    slac_event ev = { SLAC_EV_START, NULL, 0 };
    slac_action ea = slac_evse_step(&evse, &ev, now), pa = slac_pev_step(&pev, &ev, now);
    const uint8_t *rec;
    size_t len;
    while (fuzz_record(&data, &size, &rec, &len)) {
        if (len < 1)
            continue;
        now += rec[0] * 10u;
        slac_event tick = { SLAC_EV_TIMER, NULL, 0 }, fr = { SLAC_EV_FRAME, rec + 1, len - 1 };
        if (ea.has_wake && (int32_t)(now - ea.wake_ms) >= 0)
            ea = check(slac_evse_step(&evse, &tick, now));
        if (pa.has_wake && (int32_t)(now - pa.wake_ms) >= 0)
            pa = check(slac_pev_step(&pev, &tick, now));
        ea = check(slac_evse_step(&evse, &fr, now));
        pa = check(slac_pev_step(&pev, &fr, now));
    }
    return 0;
}
