/* libFuzzer target: the session engines fed arbitrary V2GTP payloads in every state. Snapshots of both engines
 * are taken once, before each message of a whole in-process session of every rel_protos protocol (DIN, ISO-2 DC,
 * ISO-2 AC with the AC plant, ISO-20 DC, ISO-20 AC, their BPT services; tests/unit/sess_world.h, configured as
 * rel_world.h does; ISO-20 also through Standby, renegotiation and the charger's notifications, iso20_tour.h), and
 * of an ISO-2 DC session with Plug & Charge (on TLS, crypto hooks that accept what the fuzzer's bytes make them:
 * PaymentDetails, the signed AuthorizationReq's fragments and checks); byte 0 picks a
 * snapshot (even: the charger, odd: the car), then each record (fuzz_util.h) is one message: its byte 0 gives the
 * payload type (type_of) and the virtual time that passes before it (timers run), the rest is the payload.
 * After every call the invariants of tests/unit/rel_check.h must hold: a valid answer or the safe state,
 * commands within limits. */
#include "ccsplc/linux/pnc_openssl.h"
#include "fuzz_pnc_world.h"
#include "fuzz_util.h"
#include "iso20_tour.h"
#include "rel_world.h"

#define MAX_SNAPS 160

static sw_world W;
static sess_evse evse_snap[MAX_SNAPS], evse_live;
static sess_pev pev_snap[MAX_SNAPS], pev_live;
static size_t nevse, npev;
static sess_docs scratch;

/* A new (protocol, AC or DC, BPT or not, phase, state) for the snapshots of this side: the state numbers are rows of
 * the protocol's own table. */
static int is_new_evse(void)
{
    for (size_t i = 0; i < nevse; i++) {
        const sess_evse *s = &evse_snap[i];
        if (s->proto == W.evse.proto && s->ac == W.evse.ac && s->bpt == W.evse.bpt && s->phase == W.evse.phase &&
            s->state == W.evse.state && s->pnc == W.evse.pnc)
            return 0;
    }
    return nevse < MAX_SNAPS;
}

static int is_new_pev(void)
{
    for (size_t i = 0; i < npev; i++) {
        const sess_pev *s = &pev_snap[i];
        if (s->proto == W.pev.proto && s->cfg.ac == W.pev.cfg.ac && s->bpt == W.pev.bpt && s->phase == W.pev.phase &&
            s->state == W.pev.state && s->pnc == W.pev.pnc)
            return 0;
    }
    return npev < MAX_SNAPS;
}

/* Takes the snapshots as the messages go by. */
static int snap_hook(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    (void)w, (void)buf, (void)len;
    if (dir == SW_TO_EVSE && is_new_evse()) evse_snap[nevse++] = W.evse;
    if (dir == SW_TO_PEV && is_new_pev()) pev_snap[npev++] = W.pev;
    return 1;
}

#if CCS_PNC
/* Plug & Charge hooks for the fuzzer: every chain is trusted unless the contract certificate is empty, a signature
 * is good unless it starts with 0xff, the challenge is fixed; SHA-256 is libcrypto's. */
static const uint8_t cert[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
static int fake_sign(void *ctx, const uint8_t *data, size_t len, uint8_t sig[CCS_PNC_SIG_MAX])
{
    (void)ctx, (void)data, (void)len;
    memset(sig, 0x5a, CCS_PNC_SIG_MAX);
    return 0;
}
static ccs_pnc_verdict fake_check(void *ctx, ccs_pnc_suite suite, const ccs_pnc_cert *chain, size_t n,
                                  const char *emaid, size_t emaid_len, uint64_t now_s, uint8_t key[CCS_PNC_KEY_MAX])
{
    (void)ctx, (void)suite, (void)n, (void)emaid, (void)emaid_len, (void)now_s;
    memset(key, 4, CCS_PNC_KEY_LEN);
    return chain[0].len ? CCS_PNC_CHAIN_OK : CCS_PNC_CHAIN_ERROR;
}
static int fake_verify(void *ctx, ccs_pnc_suite suite, const uint8_t key[CCS_PNC_KEY_MAX], const uint8_t *data,
                       size_t len, const uint8_t sig[CCS_PNC_SIG_MAX])
{
    (void)ctx, (void)suite, (void)key, (void)data, (void)len;
    return sig[0] != 0xff;
}
static const ccs_pnc_contract contract = { .chain = { { cert, sizeof cert } }, .nchain = 1, .emaid = "DEABCC12345678",
                                           .sign = fake_sign, .sha256 = ccs_sha256_openssl };
/* ISO 15118-20's: a P-521 contract with a Sub-CA (SHA-512 is libcrypto's). */
static const ccs_pnc_contract contract20 = { .chain = { { cert, sizeof cert }, { cert, sizeof cert } }, .nchain = 2,
                                             .emaid = "DEABCC12345678", .suite = CCS_PNC_P521_SHA512,
                                             .sign = fake_sign, .sha512 = pnc_openssl_sha512 };
static const ccs_pnc_checker checker = { .check_chain = fake_check, .verify = fake_verify,
                                         .sha256 = ccs_sha256_openssl, .sha512 = pnc_openssl_sha512 };

/* ISO-2 DC paying by contract, ISO-20 DC identified by PnC (its chain in EXI, the signed fragment). */
static void pnc_snapshots(void)
{
    fuzz_pnc_session(&W, 1, "iso2-dc", &checker, &contract, fuzz_pnc_rng, 0, snap_hook, NULL, NULL);
    fuzz_pnc_session(&W, 3, "iso20-dc", &checker, &contract20, fuzz_pnc_rng, 0, snap_hook, NULL, NULL);
}
#endif

static void take_snapshots(void)
{
    for (unsigned p = 0; p < REL_NPROTOS; p++) {
        sess_evse_config ec;
        sess_pev_config pc;
        phys_charger_config cc;
        phys_battery_config bc;
        rel_configs(p, &ec, &pc, &cc, &bc);
        sw_init(&W, &ec, &pc, &cc, &bc);
        W.hook = snap_hook;
        sw_connect(&W);
        FUZZ_CHECK(sw_run(&W, 3600000, sw_both_ended) && W.evse.stop == SESS_STOP_NORMAL);
        if (!strncmp(rel_protos[p], "iso20", 5)) {   /* Standby, renegotiation, the charger's notifications */
            sw_init(&W, &ec, &pc, &cc, &bc);
            W.hook = snap_hook;
            FUZZ_CHECK(iso20_tour(&W));
        }
    }
#if CCS_PNC
    pnc_snapshots();
#endif
}

/* Bit 0 clear: 0x8001 (SupportedAppProtocol, DIN, ISO-2; a wrong type in an ISO-20 session); set: ISO-20's
 * common 0x8002, DC 0x8004 or AC 0x8003 (each the wrong one for part of the ISO-20 messages and for DIN and ISO-2),
 * or a type no session takes (SDP, unknown). */
static uint16_t type_of(uint8_t b)
{
    static const uint16_t odd[] = { V2GTP_ISO20_MAIN, V2GTP_ISO20_DC, V2GTP_ISO20_AC, V2GTP_ISO20_MAIN,
                                    V2GTP_ISO20_DC,   V2GTP_ISO20_AC, V2GTP_SDP_REQ,  0xA000 };
    return b & 1 ? odd[(b >> 1) % (sizeof odd / sizeof odd[0])] : V2GTP_EXI;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!nevse) take_snapshots();
    if (size < 1) return 0;
    int car = data[0] & 1;
    size_t pick = data[0] >> 1;
    data++, size--;
    if (car) pev_live = pev_snap[pick % npev];
    else evse_live = evse_snap[pick % nevse];
    uint32_t now = car ? pev_live.deadline_ms - SESS_EVCC_MSG_TIMEOUT_MS : evse_live.deadline_ms - 1000;
    const uint8_t *rec;
    size_t len;
    while (fuzz_record(&data, &size, &rec, &len)) {
        if (len < 1) continue;
        now += (uint32_t)(rec[0] >> 1) * 50u;
        const char *bad;
        if (car) {
            sess_pev_tick(&pev_live, now);
            if ((bad = rel_pev_ok(&pev_live, 0, &scratch))) goto fail;
            int rc = sess_pev_on_message(&pev_live, type_of(rec[0]), rec + 1, len - 1, now);
            if ((bad = rel_pev_ok(&pev_live, rc, &scratch))) goto fail;
        } else {
            sess_evse_tick(&evse_live, now);
            if ((bad = rel_evse_ok(&evse_live, 0, &scratch))) goto fail;
            int rc = sess_evse_on_message(&evse_live, type_of(rec[0]), rec + 1, len - 1, now);
            if ((bad = rel_evse_ok(&evse_live, rc, &scratch))) goto fail;
        }
        continue;
    fail:
        fprintf(stderr, "%s in state %s\n", bad, car ? sess_pev_state_name(&pev_live) : sess_evse_state_name(&evse_live));
        abort();
    }
    return 0;
}
