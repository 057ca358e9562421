/* The charger's session-part step DIN 70121 and ISO 15118-2 share: ContractAuthentication/Authorization under
 * external identification. din_evse.c and iso2_evse.c each include this once with PV(x) naming their symbol x,
 * PV_AUTH their response member (ContractAuthenticationRes, AuthorizationRes) and PV_AUTH_STATE the state
 * waiting for it. */
#ifndef PV
#error "define PV(x) before including pv_evse_setup.h"
#endif

#ifndef PV_AUTH_FN
#define PV_AUTH_FN PV(evse_auth)
#endif

/* "Ongoing" cfg.auth_ongoing times (the authorisation pending), then Finished. */
int PV_AUTH_FN(sess_evse *s, uint32_t now)
{
    (void)now;
    int ongoing = sess_evse_ongoing(s, PV_AUTH_STATE, s->cfg.auth_ongoing);
    res_body(s)->PV_AUTH.EVSEProcessing = ongoing ? PV(EVSEProcessingType_Ongoing) : PV(EVSEProcessingType_Finished);
    return ongoing ? SESS_H_STAY : SESS_H_NEXT;
}
