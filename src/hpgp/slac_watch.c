/* RunIDs of SLAC messages and a bystander's check that a run keeps the car's RunID (ISO 15118-3). */
#include "ccsplc/core/slac_watch.h"

#include <string.h>

const uint8_t *hpgp_run_id(const hpgp_msg *m)
{
    switch (m->kind) {
    case HPGP_K_SLAC_PARAM_REQ: return m->u.slac_param_req.run_id;
    case HPGP_K_SLAC_PARAM_CNF: return m->u.slac_param_cnf.run_id;
    case HPGP_K_START_ATTEN_CHAR_IND: return m->u.start_atten_char.run_id;
    case HPGP_K_MNBC_SOUND_IND: return m->u.mnbc_sound.run_id;
    case HPGP_K_ATTEN_CHAR_IND:
    case HPGP_K_ATTEN_CHAR_RSP: return m->u.atten_char.run_id;
    case HPGP_K_SLAC_MATCH_REQ:
    case HPGP_K_SLAC_MATCH_CNF: return m->u.slac_match.run_id;
    default: return NULL;
    }
}

int slac_watch_msg(slac_watch *w, const hpgp_msg *m)
{
    const uint8_t *run = hpgp_run_id(m);
    if (!run)
        return -1;
    if (m->kind == HPGP_K_SLAC_PARAM_REQ) {
        memcpy(w->run_id, run, HPGP_RUN_ID_LEN);
        w->active = 1;
        return 1;
    }
    if (!w->active)
        return -1;
    return memcmp(run, w->run_id, HPGP_RUN_ID_LEN) == 0;
}
